"""The import's report for a person on a terminal: each cause once, with a count; never a private value."""

from __future__ import annotations

import re

from atlas.imports.private import scrub
from atlas.imports.run import ImportReport

MAX_LISTED = 50


def print_report(report: ImportReport) -> None:
    """The report for a person: each cause once, with how many rows and which; no private value."""
    summary = report.summary()
    what = "would be" if report.dry_run else "were"
    detected = ", ".join(f"{k} {v}" for k, v in report.detected.items())
    print(f"{report.source} ({report.format}{', ' + detected if detected else ''}): {summary['rows']} rows")
    if report.placed_by_coordinates:
        print(f"  {report.placed_by_coordinates} rows: country found from the coordinates")
    causes: dict[str, list[tuple[str, str]]] = {}
    for row in report.rows:
        if row.problems or row.action == "error":
            for problem in row.problems or ["not imported"]:
                causes.setdefault(_cause(scrub(problem)), []).append((str(row.row), row.name or row.source_id))
    for cause, rows in sorted(causes.items(), key=lambda kv: -len(kv[1]))[:MAX_LISTED]:
        if len(rows) == 1:
            print(f"  row {rows[0][0]} ({scrub(rows[0][1])}): {cause}")
            continue
        shown = ", ".join(r for r, _name in rows[:8]) + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")
        print(f"  {len(rows)} rows ({shown}): {cause}")
    if len(causes) > MAX_LISTED:
        print(f"  … and {len(causes) - MAX_LISTED} more kinds of problem (see --report)")
    for column, example in report.unknown_fields.items():
        print(f"  unknown column {column!r} (e.g. {scrub(example)!r}): not in the mapping, not imported")
    for value, count in report.unknown_categories.most_common(MAX_LISTED):
        print(f"  unknown category {value!r} ({count} rows): not in the mapping's categories")
    for gone in report.gone[:MAX_LISTED]:
        print(f"  gone from the source: {gone['source_id']} ({gone['name']}, entry {gone['entry']}): kept, flagged")
    if len(report.gone) > MAX_LISTED:
        print(f"  … and {len(report.gone) - MAX_LISTED} more gone from the source (see --report)")
    if report.mapping is not None and not report.mapping.licence:
        print("  licence unknown: its rows are exported saying so (give licence: in the mapping, or --licence)")
    state = "published" if report.publish else "queued for the moderators"
    if report.stopped:
        ending = "the run stops here: nothing written, nothing marked as gone"
    elif report.dry_run:
        ending = "would be"
    else:
        ending = f"{what} {state}"
    undo = f" (run {report.run}; undo with: atlas import undo {report.source} --run {report.run})" if report.run else ""
    print(
        f"{summary['new']} new, {summary['update']} updated, {summary['unchanged']} unchanged, "
        f"{summary['duplicate']} possible duplicates, {summary['error']} errors, {summary['gone']} gone "
        f"— {ending}{undo}"
    )


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _cause(problem: str) -> str:
    """A problem without the row's own values, so that rows with the same cause group together."""
    if problem.startswith("the point ("):
        return re.sub(r"is [\d,]+ km", "is … km", re.sub(r"^the point \([^)]*\)", "the point", problem))
    if problem.startswith(("no category", "country is required", "not placed")):
        return _QUOTED.sub("…", problem)
    return problem
