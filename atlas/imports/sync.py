"""`atlas sync`: import again every source that came from a URL (for a timer or a cron job).

Each source is fetched with the validators of its last answer (see `atlas.imports.remote`): an
unchanged file is one `304 Not Modified` and nothing else; a changed one is imported with the
source's stored format and mapping, and what changed and what went is printed per source.
One source failing (its server down, its file unreadable) does not stop the others.

Exit codes, as for `atlas import`: 0 every source handled cleanly (or not modified), 1 some rows
with problems, 2 a source that could not be fetched or read, or an unusable database (the highest
of all sources).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from atlas import config
from atlas.articles.polite import FetchError, PoliteClient
from atlas.imports.console import MAX_LISTED, print_report
from atlas.imports.mapping import MappingError
from atlas.imports.remote import RemoteReport, import_url, new_client
from atlas.imports.source_file import InputError
from atlas.store.models import ImportSource
from atlas.store.store import Store


@dataclass
class SyncResult:
    source: str
    url: str
    remote: RemoteReport | None = None
    error: str = ""

    @property
    def exit_code(self) -> int:
        if self.error or self.remote is None:
            return 2
        return 0 if self.remote.report is None else self.remote.report.exit_code

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "url": self.url,
            "error": self.error,
            "exit_code": self.exit_code,
            "run": None if self.remote is None else self.remote.to_json(),
        }


def sources_with_urls(store: Store) -> list[tuple[str, str]]:
    with store.reading() as s:
        rows = s.execute(
            select(ImportSource.name, ImportSource.url).where(ImportSource.url.is_not(None)).order_by(ImportSource.name)
        ).all()
    return [(row.name, row.url) for row in rows if row.url]


def sync(
    store: Store,
    dry_run: bool = False,
    publish: bool = False,
    client: PoliteClient | None = None,
    offline: bool | None = None,
) -> list[SyncResult]:
    """Every source with a URL, imported again (conditionally), one after the other."""
    client = client or new_client()
    results = []
    for name, url in sources_with_urls(store):
        result = SyncResult(name, url)
        try:
            result.remote = import_url(store, url, None, name, None, dry_run, publish, client, offline)
        except (FetchError, InputError, MappingError) as exc:
            result.error = str(exc)
        results.append(result)
    return results


def print_result(result: SyncResult, dry_run: bool) -> None:
    if result.error:
        print(f"{result.source} ({result.url}): not synchronised: {result.error}")
        return
    assert result.remote is not None
    report = result.remote.report
    if report is None:
        print(f"{result.source} ({result.url}): not modified since the last import — nothing to do")
        return
    print(f"{result.source} ({result.url}):")
    verb = "would be" if dry_run else ""
    listed = [r for r in report.rows if r.action in ("new", "duplicate", "update")]
    for row in listed[:MAX_LISTED]:
        what = {"new": "new", "duplicate": "new (a possible duplicate)", "update": "changed"}[row.action]
        target = f", entry {row.match}" if row.match else ""
        print(f"  {what}{' ' + verb if verb else ''}: {row.name} ({row.source_id}{target})")
    if len(listed) > MAX_LISTED:
        print(f"  … and {len(listed) - MAX_LISTED} more new or changed rows (see --report)")
    print_report(report)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sync",
        help="import again every source that came from a URL (unchanged files cost one 304)",
        description="For a timer: each source imported with `atlas import https://…` is fetched again "
        "(conditional request, robots.txt honoured) and re-imported with its stored format and mapping; "
        "what changed and what went is printed per source. Exit codes: 0 every source handled, "
        "1 some rows with problems, 2 a source that could not be fetched or read.",
    )
    parser.add_argument("--dry-run", action="store_true", help="change nothing; say what would happen")
    parser.add_argument("--publish", action="store_true", help="publish new and changed rows at once (no moderation)")
    parser.add_argument("--report", type=Path, help="write the JSON report to this file")
    parser.add_argument("--url", help="database URL (default: the configured one)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from atlas.store import open_store
    from atlas.store.engine import describe

    url = args.url or config.database_url()
    try:
        store = open_store(url)
        results = sync(store, args.dry_run, args.publish)
    except SQLAlchemyError as exc:
        print(f"atlas sync: {describe(url)}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    if not results:
        print("no source with a URL (import one with `atlas import https://… --format …`)")
    for result in results:
        print_result(result, args.dry_run)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        payload = [r.to_json() for r in results]
        args.report.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return max((r.exit_code for r in results), default=0)


# -- the sources at a glance (the Moderate page's Sources tab) ---------------------------------------


@dataclass
class SourceOverview:
    name: str
    format: str
    url: str  # "" for a source imported from a file
    last_run_at: Any
    last_summary: dict[str, int]
    entries: int  # entries linked to the source
    pending: int  # of them, waiting for a moderator
    gone: int  # rows the source no longer has (entries kept, flagged)

    def next_step(self) -> tuple[str, int]:
        """What a curator should do next ("review", "gone", "sync" or "file") and how many entries it is about."""
        if self.pending:
            return "review", self.pending
        if self.gone:
            return "gone", self.gone
        return ("sync", 0) if self.url else ("file", 0)


def overview(store: Store) -> list[SourceOverview]:
    """Every import source with its last run and how many of its entries wait or went."""
    from sqlalchemy import case, func

    from atlas.store.models import Entry, SourceLink

    with store.reading() as s:
        counts = {
            row.source_id: row
            for row in s.execute(
                select(
                    SourceLink.source_id,
                    func.count().label("entries"),
                    func.sum(case((Entry.state == "pending", 1), else_=0)).label("pending"),
                    func.sum(case((SourceLink.gone_since.is_not(None), 1), else_=0)).label("gone"),
                )
                .join(Entry, Entry.id == SourceLink.entry_id)
                .group_by(SourceLink.source_id)
            )
        }
        sources = s.execute(
            select(
                ImportSource.id,
                ImportSource.name,
                ImportSource.format,
                ImportSource.url,
                ImportSource.last_run_at,
                ImportSource.last_summary,
            ).order_by(ImportSource.name)
        ).all()
    found = []
    for source in sources:
        count = counts.get(source.id)
        found.append(
            SourceOverview(
                source.name,
                source.format,
                source.url or "",
                source.last_run_at,
                dict(source.last_summary or {}),
                int(count.entries) if count else 0,
                int(count.pending or 0) if count else 0,
                int(count.gone or 0) if count else 0,
            )
        )
    return found
