"""`atlas import PATH --format …` and `atlas dedup`: bring a directory in; find the atlas's duplicates."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from atlas import config
from atlas.imports import sync
from atlas.imports.mapping import MappingError, SourceMapping
from atlas.imports.readers import FORMATS, InputError
from atlas.imports.remote import is_url, path_or_url, run_url
from atlas.imports.run import ImportReport, run_import
from atlas.store.engine import describe

MAX_LISTED = 50


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="import a directory (CSV, GeoJSON, GoGoCarto, HSDS, JSON-LD) into the atlas database",
        description="Rows become pending entries for the moderators (or published with --publish); a re-import "
        "of the same source only touches what changed. Exit codes: 0 every row handled, 1 some rows with "
        "problems (listed), 2 unusable input.",
    )
    imp.add_argument(
        "path",
        type=path_or_url,
        help="the file (or, for HSDS, the folder or its datapackage.json), or its http(s) URL (see `atlas sync`)",
    )
    imp.add_argument("--format", required=True, choices=FORMATS)
    imp.add_argument("--source", default="", help="the source's name (default: the mapping's, else the file's name)")
    imp.add_argument("--mapping", type=Path, help="the source's YAML mapping (default: its last one, else a guess)")
    imp.add_argument("--dry-run", action="store_true", help="change nothing; say what would happen")
    imp.add_argument("--publish", action="store_true", help="publish new and changed rows at once (no moderation)")
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


def run(args: argparse.Namespace) -> int:
    from atlas.store import open_store

    if is_url(args.path):  # `atlas import https://…`: fetched politely, conditionally (atlas.imports.remote)
        return run_url(args, print_report)
    url = args.url or config.database_url()
    try:
        mapping = SourceMapping.load(args.mapping) if args.mapping else None
        store = open_store(url)
        report = run_import(store, args.path, args.format, args.source, mapping, args.dry_run, args.publish)
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
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return report.exit_code


def print_report(report: ImportReport) -> None:
    summary = report.summary()
    what = "would be" if report.dry_run else "were"
    detected = ", ".join(f"{k} {v}" for k, v in report.detected.items())
    print(f"{report.source} ({report.format}{', ' + detected if detected else ''}): {summary['rows']} rows")
    for row in [r for r in report.rows if r.problems or r.action == "error"][:MAX_LISTED]:
        for problem in row.problems or ["not imported"]:
            print(f"  row {row.row} ({row.name or row.source_id}): {problem}")
    listed = sum(1 for r in report.rows if r.problems or r.action == "error")
    if listed > MAX_LISTED:
        print(f"  … and {listed - MAX_LISTED} more rows with problems (see --report)")
    for column, example in report.unknown_fields.items():
        print(f"  unknown column {column!r} (e.g. {example!r}): not in the mapping, not imported")
    for value, count in report.unknown_categories.most_common():
        print(f"  unknown category {value!r} ({count} rows): not in the mapping's categories")
    for gone in report.gone[:MAX_LISTED]:
        print(f"  gone from the source: {gone['source_id']} ({gone['name']}, entry {gone['entry']}): kept, flagged")
    state = "published" if report.publish else "queued for the moderators"
    print(
        f"{summary['new']} new, {summary['update']} updated, {summary['unchanged']} unchanged, "
        f"{summary['duplicate']} possible duplicates, {summary['error']} errors, {summary['gone']} gone "
        f"— {what} {'' if report.dry_run else state}".rstrip()
    )


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
