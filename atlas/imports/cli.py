"""`atlas import PATH --format …` and `atlas dedup`: bring a directory in; find the atlas's duplicates."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from atlas import config
from atlas.imports import sync
from atlas.imports.console import MAX_LISTED, print_report
from atlas.imports.mapping import MappingError, SourceMapping
from atlas.imports.readers import FORMATS
from atlas.imports.remote import is_url, run_url
from atlas.imports.run import ImportRefused, ImportReport, run_import
from atlas.imports.source_file import InputError
from atlas.store.engine import describe


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="import a directory (CSV, GeoJSON, GoGoCarto, HSDS, JSON-LD) into the atlas database",
        description="Rows become pending entries for the moderators (or published with --publish); a re-import "
        "of the same source only touches what changed. A run where half the rows or more fail, or that would "
        "flag half the source's rows as gone, stops before writing anything (unless --force). Every run is "
        "recorded: `atlas import undo SOURCE [--run N]` reverts one, `atlas import publish SOURCE --run N` "
        "publishes a reviewed run's pending rows. Exit codes: 0 every row handled, 1 some rows with problems "
        "(listed), 2 unusable input or a stopped run. See docs/data/importing.md.",
    )
    imp.add_argument(
        "path",
        help="the file (or, for HSDS, the folder or its datapackage.json), or its http(s) URL (see `atlas sync`); "
        "or undo, publish, runs",
    )
    imp.add_argument("target", nargs="?", help="with undo, publish or runs: the source's name")
    imp.add_argument("--format", choices=FORMATS, help="the file's format (required for an import)")
    imp.add_argument(
        "--source", default="", help="the source's name (default: the mapping's, else the file's or its folder's)"
    )
    imp.add_argument("--mapping", type=Path, help="the source's YAML mapping, whole or partial (default: a guess)")
    imp.add_argument("--taxonomy", type=Path, help="GoGoCarto: its taxonomy.json, to name numeric category ids")
    imp.add_argument("--licence", help="the source's licence (SPDX id or URL), if the mapping does not say")
    imp.add_argument("--attribution", help="the credit the source's licence asks for")
    imp.add_argument("--dry-run", action="store_true", help="change nothing; say what would happen")
    imp.add_argument("--publish", action="store_true", help="publish new and changed rows at once (no moderation)")
    imp.add_argument("--force", action="store_true", help="write even when most rows fail or most would be gone")
    imp.add_argument("--run", type=int, help="with undo or publish: the run (default: the latest)")
    imp.add_argument("--moderator", default="", help="with publish: who reviewed the run (default: the user)")
    imp.add_argument("--report", type=Path, help="write the JSON report to this file")
    imp.add_argument("--url", help="database URL (default: the configured one)")
    imp.set_defaults(func=run)
    dedup = sub.add_parser(
        "dedup",
        help="find likely duplicates in the whole atlas and queue them for the moderators",
        description="Pairs already decided (merged, or 'not the same') are never proposed again.",
    )
    dedup.add_argument("--dry-run", action="store_true", help="list the pairs; queue nothing")
    dedup.add_argument("--report", type=Path, help="write the pairs as JSON to this file")
    dedup.add_argument("--url", help="database URL (default: the configured one)")
    dedup.set_defaults(func=run_dedup)
    sync.register(sub)  # `atlas sync`: the sources imported from a URL, again


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def run(args: argparse.Namespace) -> int:
    from atlas.store import open_store

    if is_url(args.path):  # `atlas import https://…`: fetched politely, conditionally (atlas.imports.remote)
        return run_url(args, print_report)
    url = args.url or config.database_url()
    if args.path in ("undo", "publish", "runs") and not Path(args.path).exists():
        return run_on_runs(args, url)
    if args.format is None:
        print("atlas import: --format is required (csv, geojson, gogocarto, hsds, jsonld)", file=sys.stderr)
        return 2
    try:
        mapping = SourceMapping.load(args.mapping) if args.mapping else None
        if args.licence or args.attribution:
            mapping = mapping or SourceMapping()
            mapping.licence = args.licence or mapping.licence
            mapping.attribution = args.attribution or mapping.attribution
        store = open_store(url)
        with Progress(sys.stderr) as progress:
            report = run_import(
                store,
                Path(args.path),
                args.format,
                args.source,
                mapping,
                args.dry_run,
                args.publish,
                force=args.force,
                taxonomy=args.taxonomy,
                who=_user(),
                progress=progress,
            )
    except ImportRefused as exc:
        if exc.report is not None:
            print_report(exc.report)
            _write_report(args, exc.report)
        print(f"atlas import: {exc}", file=sys.stderr)
        return 2
    except (InputError, MappingError) as exc:
        print(f"atlas import: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"atlas import: {describe(url)}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    if args.mapping is None and report.mapping is not None:
        print(f"# The mapping used for {report.source} (save it, edit it, pass it with --mapping):")
        print(report.mapping.to_yaml())
    print_report(report)
    if report.stopped:
        print(f"atlas import: {report.stopped}", file=sys.stderr)
    _write_report(args, report)
    return report.exit_code


def _write_report(args: argparse.Namespace, report: ImportReport) -> None:
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")


def run_on_runs(args: argparse.Namespace, url: str) -> int:
    """`atlas import undo SOURCE [--run N]`, `atlas import publish SOURCE [--run N]`, `atlas import runs SOURCE`."""
    from atlas.store import open_store
    from atlas.store.imports import RunError, publish_run, runs, undo_run

    if not args.target:
        print(f"atlas import {args.path}: give the source's name (atlas import {args.path} SOURCE)", file=sys.stderr)
        return 2
    try:
        store = open_store(url)
        if args.path == "runs":
            for r in runs(store, args.target):
                what = f"{r.kind} of run {r.of_run}" if r.of_run else r.kind
                counts = ", ".join(f"{k} {v}" for k, v in r.counts.items() if isinstance(v, int) and v)
                print(f"run {r.id}  {r.started_at:%Y-%m-%d %H:%M}  {what}  by {r.author}  {counts}")
            return 0
        if args.path == "undo":
            done = undo_run(store, args.target, args.run, who=_user())
            print(
                f"{args.target}: run {done['run']} undone — {done['withdrawn']} new entries withdrawn, "
                f"{done['reverted']} changed entries set back, {done['rejected']} pending revisions rejected, "
                f"{done['gone_cleared']} rows no longer flagged as gone"
            )
        else:
            done = publish_run(store, args.target, args.run, args.moderator or _user())
            print(f"{args.target}: run {done['run']}: {done['published']} pending rows published")
    except RunError as exc:
        print(f"atlas import {args.path}: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"atlas import: {describe(url)}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    return 0


class Progress:
    """A progress bar (rows/s, time left) on a terminal; nothing at all when not on one."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.bar: Any = None
        self.task: Any = None
        self.stage = ""
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def __enter__(self) -> Progress:
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.tty:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        if self.bar is None:
            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]} rows/s"),
                TimeRemainingColumn(),
            )
            self.bar = Bar(*columns, console=Console(file=self.stream), transient=True)
            self.bar.start()
        if stage != self.stage:
            self.task = self.bar.add_task(stage, total=total, rate="…")
            self.stage = stage
        task = self.bar.tasks[-1]
        rate = f"{task.speed:,.0f}" if task.speed else "…"
        self.bar.update(self.task, completed=done, rate=rate)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_dedup(args: argparse.Namespace) -> int:
    from atlas.store import open_store
    from atlas.store.pairs import propose_duplicates

    url = args.url or config.database_url()
    try:
        store = open_store(url)
        found = propose_duplicates(store, dry_run=args.dry_run)
    except SQLAlchemyError as exc:
        print(f"atlas dedup: {describe(url)}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    for pair in found[:MAX_LISTED]:
        print(f"  {pair.score:.2f}  {pair.entry_a} ~ {pair.entry_b}  ({'; '.join(pair.reasons)})")
    new = sum(1 for p in found if p.new)
    print(f"{len(found)} likely duplicate pairs; {new} {'would be' if args.dry_run else ''} queued".replace("  ", " "))
    if args.report:
        args.report.write_text(json.dumps([p.to_json() for p in found], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
