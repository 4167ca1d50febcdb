"""`atlas articles ingest INPUT [--output DIR] [--format md|json]` and `atlas articles fetch URL|FILE`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from atlas.articles.ingest import run
from atlas.articles.orgs import KnownOrganisation, load_organisations
from atlas.articles.places import GazetteerPlace, PlaceLookup
from atlas.config import data_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `articles` command and its `ingest` sub-command."""
    articles = subparsers.add_parser("articles", help="work on the SOGA articles")
    sub = articles.add_subparsers(dest="articles_command", required=True)
    ingest = sub.add_parser(
        "ingest",
        help="turn raw article text into draft entries for an editor to review",
        description="Split a plain-text export of articles (a file, or a folder of .txt files) into draft "
        "entries: titles, author, languages, dates, an extractive summary, places and organisations.",
    )
    ingest.add_argument("input", type=Path, help="a text file or a folder of .txt files")
    ingest.add_argument("--output", type=Path, help="folder for the draft files (default: only print the summary)")
    ingest.add_argument("--format", choices=("md", "json"), default="md", help="draft file format (default md)")
    ingest.set_defaults(func=_ingest)
    fetch = sub.add_parser(
        "fetch",
        help="draft a blog's new articles from its RSS or Atom feed, for the moderators",
        description="Read an RSS or Atom feed (a URL or a file), fetch each new item's page politely (robots.txt "
        "respected, one request at a time) and store it as a pending article draft with the places, organisations "
        "and candidate new organisations it names. Nothing is published: moderators review the drafts. "
        "Exit codes: 0 done, 1 some items failed (listed; tried again at the next run), 2 no usable feed.",
    )
    fetch.add_argument("source", help="the feed's http(s) URL, or a feed file")
    fetch.add_argument("--since", type=_day, help="only items published on or after this day (YYYY-MM-DD)")
    fetch.add_argument("--dry-run", action="store_true", help="list the new items; fetch and store nothing")
    fetch.add_argument("--database", help="the atlas database URL (default: ATLAS_DATABASE_URL or the embedded one)")
    fetch.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to a host (default 1)")
    fetch.add_argument(
        "--timeout", type=float, default=20.0, help="deadline of each request, in seconds, reads included (default 20)"
    )
    fetch.add_argument(
        "--allow-host",
        action="append",
        default=[],
        type=_allowed_host,
        metavar="HOST[:PORT]",
        help="for a trial only: fetch from this host although it is not a public address (loopback, private "
        "network…); repeatable; ATLAS_FETCH_ALLOW_HOSTS (comma-separated) adds more. See docs/security.md",
    )
    fetch.set_defaults(func=_fetch)


def _ingest(args: argparse.Namespace) -> int:
    return run(args.input, args.output, args.format, _gazetteer, _organisations(), sys.stdout, sys.stderr)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day as YYYY-MM-DD") from None


def _allowed_host(text: str) -> str:
    from atlas.safefetch import parse_allowed_host

    try:
        parse_allowed_host(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _fetch(args: argparse.Namespace) -> int:
    from atlas.articles.fetch import run as fetch_run
    from atlas.articles.polite import PoliteClient
    from atlas.geocoding import geocode_place
    from atlas.store import open_store
    from atlas.store.drafts import FeedLedger

    try:
        client = PoliteClient(delay=max(0.0, args.delay), timeout=max(1.0, args.timeout), allow_hosts=args.allow_host)
    except ValueError as exc:  # ATLAS_FETCH_ALLOW_HOSTS holds something that is not HOST[:PORT]
        print(f"atlas articles fetch: ATLAS_FETCH_ALLOW_HOSTS: {exc}", file=sys.stderr)
        return 2
    store = open_store(args.database)
    try:
        return fetch_run(
            args.source,
            FeedLedger(store),
            client,
            _LazyGazetteer(),
            geocode_place,
            sys.stdout,
            sys.stderr,
            day=args.since,
            dry_run=args.dry_run,
        )
    finally:
        store.engine.dispose()


class _LazyGazetteer:
    """The gazetteer, loaded on the first look-up (a run with nothing new never loads it)."""

    def __init__(self) -> None:
        self._loaded: PlaceLookup | None = None

    def _get(self) -> PlaceLookup:
        if self._loaded is None:
            self._loaded = _gazetteer()
        return self._loaded

    def find(self, name: str, country: str | None = None) -> Sequence[GazetteerPlace]:
        return self._get().find(name, country)

    def has_name(self, name: str) -> bool:
        return self._get().has_name(name)


def _gazetteer() -> PlaceLookup:
    from atlas.geocoding.gazetteer import get_gazetteer

    return get_gazetteer()


def _organisations() -> list[KnownOrganisation]:
    path = data_dir() / "organisations.csv"
    try:
        return load_organisations(path)
    except OSError as exc:
        print(f"warning: organisations not matched, cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return []
