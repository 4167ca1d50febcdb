"""`atlas articles ingest INPUT [--output DIR] [--format md|json]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.articles.ingest import run
from atlas.articles.orgs import KnownOrganisation, load_organisations
from atlas.articles.places import PlaceLookup
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


def _ingest(args: argparse.Namespace) -> int:
    return run(args.input, args.output, args.format, _gazetteer, _organisations(), sys.stdout, sys.stderr)


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
