"""`atlas articles fetch URL|FILE [--since DATE] [--dry-run]`: a blog's new articles become drafts.

For each item of the feed that the database does not know yet (by guid in that feed, or by
link), one at a time: fetch the page politely, extract its text, analyse it (`drafting.py`)
and store a pending article with its proposed links and candidate entries — one transaction
per item, so a run stopped half-way keeps every item it finished and the next run resumes.
An item that failed (no answer, a server error, a 404) is tried again by the next runs, up to
`MAX_ATTEMPTS` attempts in all; a page that is not an article, is too large or that robots.txt
disallows is recorded as skipped and not asked for again; so is a link to an address that is not
public (loopback, private network, link-local…: refused by `atlas.safefetch`, nothing is asked
of it). Nothing is published: a moderator reviews each draft (`atlas.store.drafts.ArticleReview`).

Exit codes: 0 every new item drafted or skipped, 1 some items failed (listed), 2 no usable feed.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from atlas.articles.drafting import ArticleDraft, Drafter, KnownEntry
from atlas.articles.feed import FeedItem, extract_page, read_feed, since
from atlas.articles.geocode_places import Geocode
from atlas.articles.places import PlaceLookup
from atlas.articles.polite import Disallowed, FetchError, PoliteClient, Refused, is_http
from atlas.errors import UnusableInput


@dataclass(frozen=True)
class ItemState:
    """What the ledger remembers of one feed item."""

    status: str  # drafted | failed | gave_up | skipped
    attempts: int
    article_id: str


@dataclass(frozen=True)
class Recorded:
    """A drafted item, as stored."""

    article_id: str
    candidates: tuple[KnownEntry, ...]  # new pending entries made for this article


class FeedLedger(Protocol):
    """What the fetch needs to remember between runs (the database's side: `atlas.store.drafts.FeedLedger`)."""

    def known_entries(self) -> list[KnownEntry]: ...

    def status(self, feed: str, item: FeedItem) -> ItemState | None: ...

    def record_failure(self, feed: str, item: FeedItem, error: str) -> ItemState: ...

    def record_skipped(self, feed: str, item: FeedItem, reason: str) -> None: ...

    def record_draft(self, feed: str, item: FeedItem, draft: ArticleDraft) -> Recorded | None: ...


@dataclass
class FetchReport:
    feed: str
    items: int = 0
    known: int = 0
    drafted: list[tuple[str, str]] = field(default_factory=list)  # (article id, title)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (link, why)
    failed: list[tuple[str, str, int, bool]] = field(default_factory=list)  # (link, why, attempts, given up)
    would_fetch: list[str] = field(default_factory=list)  # --dry-run
    refused: list[tuple[str, str]] = field(default_factory=list)  # --dry-run: (link, why), never fetched
    problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def feed_key(source: str) -> str:
    """How the database names a feed: the URL as given, or the file's absolute path."""
    source = source.strip()
    return source if is_http(source) else str(Path(source).expanduser().resolve())


def fetch_feed(
    source: str,
    ledger: FeedLedger,
    client: PoliteClient,
    gazetteer: PlaceLookup,
    geocode: Geocode | None = None,
    *,
    day: dt.date | None = None,
    dry_run: bool = False,
    err: TextIO | None = None,
) -> FetchReport:
    """Draft the feed's new items (see the module docstring); UnusableInput when there is no feed."""
    feed = read_feed(source, client)
    key = feed_key(source)
    report = FetchReport(key, problems=list(feed.problems))
    items = since(feed.items, day)
    report.items = len(items)
    drafter: Drafter | None = None
    for item in items:
        state = ledger.status(key, item)
        if state is not None and state.status in ("drafted", "skipped", "gave_up"):
            report.known += 1
            continue
        if dry_run:
            if item.link:
                try:
                    client.check(item.link)
                except Refused as exc:
                    report.refused.append((item.link, exc.reason))
                    continue
                except FetchError:
                    pass  # its name does not resolve now: a real run would try, and fail for now
            report.would_fetch.append(item.link or item.key)
            continue
        if not item.link:
            ledger.record_skipped(key, item, "the item has no http(s) link")
            report.skipped.append((item.key, "no http(s) link"))
            continue
        try:
            response = client.get(item.link)
        except Disallowed:
            ledger.record_skipped(key, item, "robots.txt disallows it")
            report.skipped.append((item.link, "robots.txt disallows it"))
            continue
        except FetchError as exc:
            if isinstance(exc, Refused) or (exc.permanent and "larger than" in exc.reason):
                ledger.record_skipped(key, item, exc.reason)
                report.skipped.append((item.link, exc.reason))
                continue
            _failed(report, ledger, key, item, exc.reason)
            continue
        page = extract_page(response.url, response.content_type, response.body)
        if page is None:
            why = f"not an article ({response.content_type or 'no content type'}, no main text found)"
            ledger.record_skipped(key, item, why)
            report.skipped.append((item.link, why))
            continue
        try:
            if drafter is None:
                drafter = Drafter(ledger.known_entries(), gazetteer, geocode)
            draft = drafter.draft(item, page)
        except Exception as exc:  # one page that breaks the analysis must not stop the run
            if err is not None:
                traceback.print_exc(file=err)
            _failed(report, ledger, key, item, f"analysis failed: {exc.__class__.__name__}: {exc}")
            continue
        recorded = ledger.record_draft(key, item, draft)
        if recorded is None:
            report.known += 1
            continue
        drafter.remember(recorded.candidates)
        report.drafted.append((recorded.article_id, draft.title_en or draft.title_fr))
    return report


def _failed(report: FetchReport, ledger: FeedLedger, key: str, item: FeedItem, why: str) -> None:
    state = ledger.record_failure(key, item, why)
    report.failed.append((item.link or item.key, why, state.attempts, state.status == "gave_up"))


def print_report(report: FetchReport, out: TextIO, dry_run: bool = False) -> None:
    out.write(f"feed: {report.feed}\n")
    for problem in report.problems:
        out.write(f"  warning: {problem}\n")
    out.write(f"{report.items} item(s), {report.known} already known\n")
    if dry_run:
        out.write(f"{len(report.would_fetch)} new item(s) would be fetched (dry run: nothing fetched or stored)\n")
        for link in report.would_fetch:
            out.write(f"  {link}\n")
        if report.refused:
            out.write(f"{len(report.refused)} new item(s) refused, never fetched\n")
            for link, why in report.refused:
                out.write(f"  {link}: {why}\n")
        return
    out.write(f"{len(report.drafted)} new draft(s), pending a moderator's review\n")
    for article_id, title in report.drafted:
        out.write(f"  {article_id}: {title}\n")
    if report.skipped:
        out.write(f"{len(report.skipped)} skipped\n")
        for link, why in report.skipped:
            out.write(f"  {link}: {why}\n")
    if report.failed:
        out.write(f"{len(report.failed)} failed\n")
        for link, why, attempts, gave_up in report.failed:
            then = "given up" if gave_up else "will be tried again at the next run"
            out.write(f"  {link}: {why} (attempt {attempts}; {then})\n")


def run(
    source: str,
    ledger: FeedLedger,
    client: PoliteClient,
    gazetteer: PlaceLookup,
    geocode: Geocode | None,
    out: TextIO,
    err: TextIO,
    *,
    day: dt.date | None = None,
    dry_run: bool = False,
) -> int:
    """The whole command: the report on `out`, problems on `err`; the exit code."""
    try:
        report = fetch_feed(source, ledger, client, gazetteer, geocode, day=day, dry_run=dry_run, err=err)
    except UnusableInput as exc:
        err.write(f"atlas articles fetch: {exc}\n")
        return 2
    print_report(report, out, dry_run)
    return report.exit_code
