"""One import: read a source's rows, map them, geocode what lacks coordinates, check them with the
schema, then in one transaction decide per row — new, update, unchanged, duplicate, error — and
(unless it is a dry run) write the result.

Rules:
- Every imported entry keeps a link (source, the row's id there). A re-import compares each row
  with what that source gave last time: unchanged rows do nothing; changed fields become a
  revision of the entry (pending for a moderator, or applied with `publish`), authored
  `import:<source>`; rows the source no longer has are reported and flagged (`gone_since`),
  never withdrawn.
- A new row the matcher finds in the atlas (or earlier in the same file) is a *duplicate*: it is
  stored as a pending entry and the pair goes to the moderators (merge or "not the same").
- Imports run one at a time (the `imports` counter is locked for the transaction), so two
  imports at once never create the same entry twice.
- A dry run reads the database and writes nothing.
- Safe by default: a run where half the rows or more fail, or that would flag half of the source's
  rows as gone, stops before writing anything (`ImportRefused`, exit 2) unless `force`. Every run
  that writes is recorded (`import_runs`, with what it changed) and can be undone
  (`atlas.store.imports.undo_run`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from atlas.articles.language import detect_language
from atlas.countries import country_from_any_name
from atlas.imports.geo import OUTSIDE_KM, check_order, country_at, km_outside
from atlas.imports.mapping import KINDS, SourceMapping
from atlas.imports.private import PRIVATE, scrub
from atlas.imports.source_file import InputError, RawRow
from atlas.matching import LIKELY, MATCH_FIELDS, find_duplicates, prepare
from atlas.schema import SCHEMAS, SLUG, Problem, url_problem, validate_rows
from atlas.store.models import DATA_FIELDS, DuplicatePair, Entry, ImportRun, ImportSource, Revision, SourceLink
from atlas.store.records import cell_text, data_of, same_value
from atlas.store.store import PUBLISHED_REVISION, Store, describe_problem, slug

IMPORTS = "imports"  # the meta counter an import locks
ACTIONS = ("new", "update", "unchanged", "duplicate", "error")
BATCH = 5_000
_MISSING = object()
LICENCE_MARK = "source licence:"  # how a row's `source` names its licence (atlas.opendata reads it back)
STOP_SHARE = 0.5  # a run where this share of rows fails (or of the source's rows would be gone) stops


class ImportRefused(InputError):
    """The run stopped before writing anything (exit code 2): most rows fail, or the file is not the
    source it claims to be. `report` says what each row would have done."""

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class RowResult:
    row: int
    source_id: str
    name: str
    action: str = "error"
    match: str | None = None
    score: float | None = None
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "source_id": self.source_id,
            "name": self.name,
            "action": self.action,
            "match": self.match,
            "score": self.score,
            "problems": [scrub(p) for p in self.problems],
        }


@dataclass
class ImportReport:
    source: str
    format: str
    dry_run: bool
    publish: bool
    rows: list[RowResult] = field(default_factory=list)
    unknown_fields: dict[str, str] = field(default_factory=dict)  # column -> an example value
    unknown_categories: Counter[str] = field(default_factory=Counter)
    gone: list[dict[str, str]] = field(default_factory=list)
    detected: dict[str, str] = field(default_factory=dict)
    mapping: SourceMapping | None = None
    run: int | None = None  # the recorded run (import_runs.id), once written
    stopped: str = ""  # why the run stopped (a dry run says it would), else ""
    placed_by_coordinates: int = 0  # rows whose country was found from their coordinates

    def summary(self) -> dict[str, int]:
        counts = Counter(r.action for r in self.rows)
        return {
            "rows": len(self.rows),
            **{a: counts.get(a, 0) for a in ACTIONS},
            "gone": len(self.gone),
            "with_problems": sum(1 for r in self.rows if r.problems),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "rows": [r.to_json() for r in self.rows],
            "source": self.source,
            "format": self.format,
            "dry_run": self.dry_run,
            "publish": self.publish,
            "detected": self.detected,
            "unknown_fields": {k: scrub(v) for k, v in self.unknown_fields.items()},
            "unknown_categories": dict(self.unknown_categories),
            "gone": self.gone,
            "run": self.run,
            "stopped": self.stopped,
            "country_from_coordinates": self.placed_by_coordinates,
        }

    @property
    def exit_code(self) -> int:
        """0 every row handled cleanly; 1 some rows (or columns, or categories) with problems; 2 stopped."""
        if self.stopped:
            return 2
        problems = any(r.problems or r.action == "error" for r in self.rows)
        return 1 if problems or self.unknown_fields or self.unknown_categories else 0


@dataclass
class Incoming:
    """One source row mapped to an atlas record, before the database is consulted."""

    result: RowResult
    kind: str
    record: dict[str, Any]
    url: str = ""
    valid: bool = False
    data: dict[str, Any] = field(default_factory=dict)  # entry columns after validation


# -- mapping rows ----------------------------------------------------------------------------------


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, list):
        return "|".join(_text_of(v) for v in value if _text_of(v))
    return str(value)


def _values_list(value: Any, separator: str = "") -> list[str]:
    if isinstance(value, list):
        return [v for item in value for v in _values_list(item, separator)]
    text = _text_of(value)
    pattern = "[|;," + re.escape(separator) + "]" if separator else r"[|;,]"
    return [v.strip() for v in re.split(pattern, text) if v.strip()] if text else []


def map_rows(rows: Iterable[RawRow], mapping: SourceMapping, source: str, report: ImportReport) -> Iterator[Incoming]:
    """Each raw row as an atlas record (fields not validated yet), with what went wrong."""
    for raw in rows:
        problems = list(raw.notes)
        fields: dict[str, Any] = {}
        categories: list[str] = []
        for column, value in raw.values.items():
            target = mapping.columns.get(column, _MISSING)
            if target is _MISSING:
                text = _text_of(value).strip()
                if text and column not in report.unknown_fields:
                    report.unknown_fields[column] = text[:60]
                continue
            if target in (None, PRIVATE):
                continue
            if target == "category":
                categories += _values_list(value, mapping.category_separator)
            elif not _text_of(fields.get(str(target))).strip():
                fields[str(target)] = value
        for name, value in mapping.defaults.items():
            if not _text_of(fields.get(name)).strip():
                fields[name] = value
        kind = _text_of(fields.get("kind")).strip() or mapping.kind
        if kind not in KINDS:
            problems.append(f"kind {kind!r} is not organisation or odc")
            kind = mapping.kind
        record: dict[str, Any] = {f: _text_of(fields.get(f)).strip() for f in DATA_FIELDS}
        if "aliases" in fields and isinstance(fields["aliases"], list):
            record["aliases"] = "|".join(_text_of(v) for v in fields["aliases"])
        description = _text_of(fields.get("description")).strip()
        language = (detect_language(description) or mapping.description_language) if description else ""
        if description and not record[f"description_{language}"]:
            record[f"description_{language}"] = description
        if record["country"]:
            code = country_from_any_name(record["country"])
            if code is None:
                problems.append(f"country {record['country']!r} is not a country name or ISO code")
            else:
                record["country"] = code
        if kind == "organisation":
            if record["category"] and not categories:
                categories = [record["category"]]
            category, unknown = mapping.category_of(categories)
            report.unknown_categories.update(unknown)
            if not category and mapping.default_category:
                category = mapping.default_category
            if not category and categories:
                problems.append(
                    f"no category: none of {', '.join(repr(c) for c in categories[:5])} is in the mapping's "
                    "categories (add them under categories:, or give a default_category:)"
                )
            elif not category:
                problems.append("no category: the row has none (map a category column, or give a default_category:)")
            record["category"] = category
        else:
            record["category"] = ""
        if _coordinates(record, raw, problems):
            report.placed_by_coordinates += 1
        if not record["source"]:
            record["source"] = f"import: {source}"
        if not mapping.keep_ids and LICENCE_MARK not in record["source"]:  # the atlas's own exports: its licence
            record["source"] = f"{record['source']} — {licence_note(mapping)}"
        source_id = _text_of(fields.get("source_id")).strip() or _text_of(fields.get("id")).strip()
        if not source_id:
            source_id = f"name:{slug(record['name'])}:{record['country'].lower()}:{slug(record['city'])}"
        url = _text_of(fields.get("url")).strip()
        if not url and mapping.same_as:
            try:
                url = mapping.same_as.format(source_id=source_id, id=source_id)
            except (KeyError, IndexError, ValueError):
                url = ""
        if (bad_url := url_problem(url)) is not None:
            problems.append(bad_url)
            url = ""
        result = RowResult(raw.row, source_id[:300], record["name"][:200], problems=problems)
        yield Incoming(result, kind, record, url)


def licence_note(mapping: SourceMapping) -> str:
    """What every row of the source says of its licence (kept in its `source`, so that every export and
    the record panel carry it): the licence and attribution, or that it is unknown."""
    if not mapping.licence:
        return f"{LICENCE_MARK} unknown (not the atlas's own licence; ask the source)"
    credit = f"; {mapping.attribution}" if mapping.attribution else ""
    return f"{LICENCE_MARK} {mapping.licence}{credit}"


def _coordinates(record: dict[str, Any], raw: RawRow, problems: list[str]) -> bool:
    """Coordinates from the row (or its geometry), checked against its country; a row with no
    country is given the one its point is in. True when the country came from the point."""
    lat_text, lon_text = record["lat"], record["lon"]
    if not lat_text and not lon_text and raw.point is not None:
        lon, lat = raw.point
        lat_text, lon_text = repr(lat), repr(lon)
        record["geo_source"] = record["geo_source"] or "import"
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        record["lat"], record["lon"] = lat_text, lon_text  # the schema says what is wrong
        return False
    lat, lon, note = check_order(lat, lon, record["country"])
    if note:
        problems.append(note)
    record["lat"], record["lon"] = repr(lat), repr(lon)
    if not record["geo_precision"]:
        record["geo_precision"] = "address" if record["address"] else "city"
    record["geo_source"] = record["geo_source"] or "import"
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return False
    if not record["country"]:
        found = country_at(lat, lon)
        if found:
            record["country"] = found
            return True
        return False
    if not note:
        away = km_outside(lat, lon, record["country"])
        there = country_at(lat, lon) if away is not None and away > OUTSIDE_KM else record["country"]
        if there != record["country"]:  # a town of the country there: an island the simplified outlines leave out
            where = f" (it is in {there})" if there else ""
            far = "more than 500" if away is None or math.isinf(away) else f"{away:,.0f}"
            problems.append(
                f"the point ({lat:g}, {lon:g}) is {far} km outside {record['country']}{where}: "
                "check the coordinates or the country"
            )
    return False


def _counted(rows: Iterable[RawRow], progress: Any, total: int) -> Iterator[RawRow]:
    for n, raw in enumerate(rows, start=1):
        if n % 50 == 0 or n == total:
            progress("reading", n, total)
        yield raw


def geocode_missing(incoming: list[Incoming], offline: bool | None = None, progress: Any = None) -> None:
    """Coordinates for rows with none, through the project's geocoder (cache, online, gazetteer)."""
    todo = [i for i in incoming if not i.record["lat"] and not i.record["lon"] and i.record["country"]]
    if not todo:
        return
    from atlas.geocoding import Geocoder

    if offline is None:
        offline = os.environ.get("ATLAS_GEOCODE_OFFLINE", "") not in ("", "0")
    geocoder = Geocoder.from_env(offline=offline)
    for n, item in enumerate(todo, start=1):
        if progress is not None:
            progress("placing", n, len(todo))
        r = item.record
        # the street with its postcode (which helps an online geocoder); a postcode alone is no street
        street = f"{r['address']}, {r['postcode']}" if r["address"] and r["postcode"] else r["address"]
        found = geocoder.geocode(r["city"] or None, r["country"], street or None)
        if found is None:
            item.result.problems.append(
                f"not placed: the importer looked up {', '.join(p for p in (r['city'], r['country']) if p)} "
                "and found no such place (give lat and lon columns, or correct the city)"
            )
            continue
        r["lat"], r["lon"] = repr(found.lat), repr(found.lon)
        r["geo_precision"], r["geo_source"] = found.geo_precision, found.geo_source


def validate(incoming: list[Incoming], mapping: SourceMapping, label: str) -> None:
    """The schema's rules on every row (in bulk): errors make the row an error, warnings are listed."""
    for kind, schema in SCHEMAS.items():
        mine = [i for i in incoming if i.kind == kind]
        if not mine:
            continue
        table = pd.DataFrame(
            {
                col: [
                    (i.result.source_id if mapping.keep_ids and SLUG.fullmatch(i.result.source_id) else "imported-row")
                    if col == "id"
                    else str(i.record.get(col, ""))
                    for i in mine
                ]
                for col in schema.columns
            }
        )
        table["_line"] = list(range(1, len(mine) + 1))  # by position: an HSDS organisation's locations share a row
        frame, problems = validate_rows(table, schema, label)
        by_row: dict[int, list[Problem]] = {}
        for p in problems:
            by_row.setdefault(p.row or 0, []).append(p)
        kept = {
            int(line): rec
            for line, rec in zip(frame["_line"], frame.drop(columns="_line").to_dict("records"), strict=True)
        }
        for position, item in enumerate(mine, start=1):
            reported = {c for c in ("country", "category", "lat") if any(c in m for m in item.result.problems)}
            reported |= {"lat"} if any(m.startswith("not placed") for m in item.result.problems) else set()
            for p in by_row.get(position, []):
                if (p.column == "id" and not mapping.keep_ids) or (p.column in reported and p.column != "lat"):
                    continue
                if p.column == "lat" and "lat" in reported and p.severity == "warning":
                    continue
                text = _for_imports(p, describe_problem(p))
                if text and text not in item.result.problems:
                    item.result.problems.append(text)
            record = kept.get(position)
            if record is None:
                item.result.action = "error"
                continue
            clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
            item.data = data_of({str(k): v for k, v in clean.items()})
            item.valid = not any(p.startswith("kind ") or p.startswith("no category") for p in item.result.problems)
            if not item.valid or (item.kind == "organisation" and not item.data["category"]):
                item.valid = False
                item.result.action = "error"


def _for_imports(problem: Problem, text: str) -> str:
    """A schema message said the way that helps the person importing (they cannot run the form)."""
    if problem.column == "country" and "required" in problem.message:
        return (
            "country is required: the row has none and no coordinates to find it from "
            "(map a country column, or give one to every row with defaults: {country: FR} in the mapping)"
        )
    if "atlas geocode" in text:  # the importer has already tried to place the row
        return ""
    return text


# -- deciding and writing ---------------------------------------------------------------------------


def _json_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in data.items()}


def plan_and_apply(
    store: Store,
    incoming: list[Incoming],
    report: ImportReport,
    mapping: SourceMapping,
    fmt: str,
    dry_run: bool,
    publish: bool,
    force: bool = False,
    run_info: dict[str, str] | None = None,
) -> None:
    """Decide what each valid row does; unless `dry_run`, write it all in one transaction (and record
    the run). Raises `ImportRefused`, having written nothing, when the run looks wrong (see STOP_SHARE)."""
    author = f"import:{report.source}"
    context = store.reading() if dry_run else store.writing()
    with context as s:
        if not dry_run:
            store._bump(s, IMPORTS)  # a row lock: one import at a time
        now = store.clock()
        source = s.scalar(select(ImportSource).where(ImportSource.name == report.source))
        links: dict[str, Any] = {}  # external id -> link row (id, entry_id, data, url, seen, gone): rows, not objects
        if source is not None:
            query = select(
                SourceLink.id,
                SourceLink.external_id,
                SourceLink.entry_id,
                SourceLink.data,
                SourceLink.url,
                SourceLink.last_seen_at,
                SourceLink.gone_since,
            ).where(SourceLink.source_id == source.id)
            links = {row.external_id: row for row in s.execute(query)}
        seen: dict[str, int] = {}
        new_rows: list[Incoming] = []
        changed_rows: list[tuple[Incoming, Any, set[str]]] = []
        for item in incoming:
            sid = item.result.source_id
            if sid in seen:
                item.result.problems.append(f"source id {sid!r} appears twice (first at row {seen[sid]}): row skipped")
                item.result.action = "error"
                continue
            seen[sid] = item.result.row
            link = links.get(sid)
            if not item.valid:
                continue
            if link is None:
                new_rows.append(item)
                continue
            item.result.match = link.entry_id
            changed = {f for f in DATA_FIELDS if not same_value(link.data.get(f), item.data.get(f))}
            item.result.action = "unchanged"
            if changed:
                changed_rows.append((item, link, changed))
        linked = _entries(s, {link.entry_id for _item, link, _changed in changed_rows})
        updates: list[tuple[Incoming, Entry, Any, dict[str, list]]] = []
        refreshed: list[tuple[Any, Incoming]] = []  # source changed, entry no longer live: remember the values
        for item, link, changed in changed_rows:
            entry = linked[link.entry_id]
            if entry.state not in ("published", "pending"):
                refreshed.append((link, item))
                continue
            changes = {
                f: [getattr(entry, f), item.data[f]]
                for f in sorted(changed)
                if not same_value(getattr(entry, f), item.data[f])
            }
            item.result.action = "update" if changes else "unchanged"
            updates.append((item, entry, link, changes))
        _match_new(s, new_rows, report)
        ids = _allocate_ids(s, new_rows, mapping)
        gone = [link for sid, link in links.items() if sid not in seen]
        if gone:
            gone_rows = {
                row.id: row
                for start in range(0, len(gone), 500)
                for row in s.execute(
                    select(SourceLink.id, SourceLink.gone_since, Entry.name)
                    .join(Entry, Entry.id == SourceLink.entry_id)
                    .where(SourceLink.id.in_([link.id for link in gone[start : start + 500]]))
                )
            }
            report.gone = [
                {
                    "source_id": link.external_id,
                    "entry": link.entry_id,
                    "name": gone_rows[link.id].name,
                    "since": (gone_rows[link.id].gone_since or now).isoformat(),
                }
                for link in gone
            ]
        report.rows = [i.result for i in incoming]
        if not force:
            _stop_if_wrong(report, len(links), dry_run)
        if dry_run:
            return
        if source is None:
            source = ImportSource(name=report.source, format=fmt, mapping=mapping.to_dict(), created_at=now)
            s.add(source)
            s.flush()
        source.format, source.mapping, source.last_run_at = fmt, mapping.to_dict(), now
        source.licence, source.attribution = mapping.licence, mapping.attribution
        source.last_summary = report.summary()
        journal: dict[str, Any] = {
            "new_entries": list(ids),
            "entries_before": {},
            "revisions_before": {},
            "links_before": {},
            "publish": publish,
        }
        published = _write_new(s, new_rows, ids, source.id, author, now, publish)
        table = SourceLink.__table__
        for item, entry, link, changes in updates:
            published |= _write_update(s, store, item, entry, changes, author, now, publish, journal)
            values: dict[str, Any] = {"data": _json_data(item.data)}
            if item.url:
                values["url"] = item.url
            s.execute(update(table).where(table.c.id == link.id).values(**values))  # type: ignore[arg-type]
        for link, item in refreshed:
            s.execute(update(table).where(table.c.id == link.id).values(data=_json_data(item.data)))  # type: ignore[arg-type]
        touched = [links[sid] for sid in seen if sid in links] + gone
        rewritten = {link.id for _i, _e, link, _c in updates} | {link.id for link, _i in refreshed}
        journal["links_before"] = {  # the values the run overwrites (the data only where it changed)
            str(link.id): {
                "last_seen_at": link.last_seen_at.isoformat() if link.last_seen_at else None,
                "gone_since": link.gone_since.isoformat() if link.gone_since else None,
                **({"data": link.data, "url": link.url} if link.id in rewritten else {}),
            }
            for link in touched
        }
        seen_ids = [links[sid].id for sid in seen if sid in links]
        for start in range(0, len(seen_ids), 500):
            s.execute(
                update(table)  # type: ignore[arg-type]
                .where(table.c.id.in_(seen_ids[start : start + 500]))
                .values(last_seen_at=now, gone_since=None)
            )
        gone_ids = [link.id for link in gone]
        for start in range(0, len(gone_ids), 500):
            s.execute(
                update(table)  # type: ignore[arg-type]
                .where(table.c.id.in_(gone_ids[start : start + 500]), table.c.gone_since.is_(None))
                .values(gone_since=now)
            )
        if published:
            store._bump(s, PUBLISHED_REVISION)
        s.flush()
        journal["revisions"] = list(
            s.scalars(select(Revision.id).where(Revision.author == author, Revision.created_at == now))
        )
        journal["links_created"] = list(
            s.scalars(select(SourceLink.id).where(SourceLink.source_id == source.id, SourceLink.first_seen_at == now))
        )
        journal["pairs"] = list(
            s.scalars(
                select(DuplicatePair.id).where(DuplicatePair.proposed_by == author, DuplicatePair.created_at == now)
            )
        )
        info = run_info or {}
        run = ImportRun(
            source_id=source.id,
            kind="import",
            author=info.get("author") or author,
            started_at=now,
            file=info.get("file", "")[:500],
            file_hash=info.get("file_hash", ""),
            format=fmt,
            counts=report.summary(),
            journal=journal,
        )
        s.add(run)
        s.flush()
        report.run = run.id


def _stop_if_wrong(report: ImportReport, known: int, dry_run: bool) -> None:
    """Refuse a run that looks wrong: half the rows or more fail, or half the source's rows would be gone
    (a dry run says it would stop, in `report.stopped`)."""
    rows = len(report.rows)
    failing = sum(1 for r in report.rows if r.action == "error")
    reason = ""
    if rows == 0:
        reason = "the file has no rows: nothing imported, nothing marked as gone"
    elif failing / rows >= STOP_SHARE:
        reason = (
            f"{failing} of {rows} rows cannot be imported: the run stops before writing anything and "
            "marks nothing as gone (is --format right? does the mapping fit the file? see the problems "
            "above; --force imports the rows that can be)"
        )
    elif known >= 2 and len(report.gone) / known >= STOP_SHARE:
        reason = (
            f"{len(report.gone)} of the {known} rows this source gave before are not in this file: the run "
            "stops before writing anything (is it the same source? give another directory its own "
            "--source NAME; --force marks them as gone)"
        )
    if not reason:
        return
    report.stopped = reason
    if not dry_run:
        raise ImportRefused(reason, report)


def _entries(s: Session, ids: set[str]) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        for entry in s.scalars(select(Entry).where(Entry.id.in_(wanted[start : start + 500]))):
            found[entry.id] = entry
    return found


def _match_new(s: Session, new_rows: list[Incoming], report: ImportReport) -> None:
    """New rows that the atlas (or an earlier row of this file) already has: duplicates."""
    if not new_rows:
        return
    existing = s.execute(
        select(*(getattr(Entry, n) for n in MATCH_FIELDS)).where(Entry.state.in_(("published", "pending")))
    ).all()
    records = [dict(zip(MATCH_FIELDS, row, strict=True)) for row in existing]
    prepared = [prepare(r) for r in records] + [prepare(i.data) for i in new_rows]
    among = [False] * len(records) + [True] * len(new_rows)
    offset = len(records)
    best: dict[int, tuple[float, int, tuple[str, ...]]] = {}
    for i, j, value, reasons in find_duplicates(prepared, among, LIKELY):
        # j > i: an import row matches an existing entry (i < offset) or an earlier row of the file
        if j >= offset and (j not in best or value > best[j][0]):
            best[j] = (value, i, reasons)
    for n, item in enumerate(new_rows):
        hit = best.get(offset + n)
        if hit is None:
            item.result.action = "new"
            continue
        value, other, _reasons = hit
        item.result.action = "duplicate"
        item.result.score = round(value, 3)
        item.result.match = (
            str(records[other]["id"]) if other < offset else f"@row {new_rows[other - offset].result.row}"
        )
        item.data["_pair"] = (other, _reasons)


def _allocate_ids(s: Session, new_rows: list[Incoming], mapping: SourceMapping) -> list[str]:
    taken = set(s.scalars(select(Entry.id)))
    ids = []
    for item in new_rows:
        wanted = item.result.source_id if mapping.keep_ids and SLUG.fullmatch(item.result.source_id) else ""
        if item.kind == "odc" and not wanted:
            wanted = "odc-" + "-".join(p for p in (item.data["country"].lower(), slug(item.data["city"])) if p)
        base = (wanted or slug(item.data["name"]))[:80].strip("-") or "entry"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids.append(candidate)
    for item in new_rows:
        if item.result.match and item.result.match.startswith("@row "):
            first = next(i for i, it in enumerate(new_rows) if it.result.row == int(item.result.match[5:]))
            item.result.match = ids[first]
            item.data["_pair"] = (ids[first], item.data["_pair"][1])
        elif item.result.action == "duplicate":
            item.data["_pair"] = (item.result.match, item.data["_pair"][1])
    return ids


def _revision(entry_id: str, action: str, status: str, author: str, changes: dict, now: dt.datetime) -> dict:
    applied = status == "applied"
    return {
        "entry_id": entry_id,
        "action": action,
        "status": status,
        "author": author,
        "created_at": now,
        "changes": changes,
        "reason": "",
        "decided_by": author if applied else None,
        "decided_at": now if applied else None,
        "decision_note": "",
        "version": 1,
    }


def _write_new(
    s: Session, new_rows: list[Incoming], ids: list[str], source_id: int, author: str, now: dt.datetime, publish: bool
) -> bool:
    entries, revisions, links, pairs = [], [], [], []
    published = False
    for item, entry_id in zip(new_rows, ids, strict=True):
        pair = item.data.pop("_pair", None)
        data = {f: item.data[f] for f in DATA_FIELDS}
        live = publish and item.result.action == "new"
        published |= live
        entries.append(
            {
                "id": entry_id,
                "kind": item.kind,
                "state": "published" if live else "pending",
                "version": 1,
                "created_at": now,
                "updated_at": now,
                **data,
            }
        )
        changes = {f: [None, v] for f, v in data.items() if v not in ("", None)}
        revisions.append(
            _revision(
                entry_id, "import" if live else "submission", "applied" if live else "pending", author, changes, now
            )
        )
        links.append(
            {
                "source_id": source_id,
                "external_id": item.result.source_id,
                "entry_id": entry_id,
                "data": _json_data(data),
                "url": item.url,
                "first_seen_at": now,
                "last_seen_at": now,
                "gone_since": None,
            }
        )
        if item.result.action == "duplicate" and pair is not None:
            other, reasons = pair
            a, b = sorted((entry_id, str(other)))
            pairs.append(
                {
                    "entry_a": a,
                    "entry_b": b,
                    "score": float(item.result.score or 0),
                    "reasons": list(reasons),
                    "status": "pending",
                    "proposed_by": author,
                    "created_at": now,
                    "decision_note": "",
                    "version": 1,
                }
            )
        if item.result.action == "new":
            item.result.match = None
    for model, rows in ((Entry, entries), (Revision, revisions), (SourceLink, links), (DuplicatePair, pairs)):
        table = model.__table__  # a plain executemany: the ORM's bulk path costs more per row
        for start in range(0, len(rows), BATCH):
            s.execute(insert(table), rows[start : start + BATCH])  # type: ignore[arg-type]
    return published


def _write_update(
    s: Session,
    store: Store,
    item: Incoming,
    entry: Entry,
    changes: dict[str, list],
    author: str,
    now: dt.datetime,
    publish: bool,
    journal: dict[str, Any] | None = None,
) -> bool:
    """A changed row: applied (publish, or an entry still pending) or a pending correction.
    `journal` gets what was there before (for `atlas import undo`)."""
    if not changes:
        return False
    journal = journal if journal is not None else {"entries_before": {}, "revisions_before": {}}
    if entry.state == "pending" or publish:
        journal["entries_before"][entry.id] = {
            "state": entry.state,
            "before": {f: old for f, (old, _new) in changes.items()},
            "after": {f: new for f, (_old, new) in changes.items()},
        }
    if entry.state == "pending":  # not public yet: its pending submission shows the latest values
        for f, (_old, new) in changes.items():
            setattr(entry, f, new)
        entry.updated_at = now
        pending = s.scalar(
            select(Revision)
            .where(Revision.entry_id == entry.id, Revision.status == "pending", Revision.action == "submission")
            .limit(1)
        )
        if pending is not None:
            journal["revisions_before"].setdefault(str(pending.id), _revision_state(pending))
            pending.changes = {f: [None, getattr(entry, f)] for f in DATA_FIELDS if getattr(entry, f) not in ("", None)}
        return False
    if publish:
        for f, (_old, new) in changes.items():
            setattr(entry, f, new)
        entry.updated_at = now
        s.add(Revision(**_revision(entry.id, "import", "applied", author, changes, now)))
        return True
    mine = s.scalar(
        select(Revision)
        .where(
            Revision.entry_id == entry.id,
            Revision.status == "pending",
            Revision.action == "correction",
            Revision.author == author,
        )
        .limit(1)
    )
    if mine is not None:  # the source changed again before a moderator looked: one correction, the latest
        journal["revisions_before"].setdefault(str(mine.id), _revision_state(mine))
        mine.changes = {**mine.changes, **changes}
        mine.base_version = entry.version
        mine.created_at = now
    else:
        revision = Revision(**_revision(entry.id, "correction", "pending", author, changes, now))
        revision.base_version = entry.version
        s.add(revision)
    return False


def _revision_state(revision: Revision) -> dict[str, Any]:
    return {
        "changes": revision.changes,
        "base_version": revision.base_version,
        "created_at": revision.created_at.isoformat() if revision.created_at else None,
    }


def text_value(value: object) -> str:
    """A stored value as a CSV cell holds it (for messages)."""
    return cell_text(value)


def default_source_name(path: Any) -> str:
    """A source's name from its path: the file's name, or its folder's when the file is a package's
    descriptor or an index (`…/hsds-acme/datapackage.json` -> `hsds-acme`, not `datapackage`)."""
    from pathlib import Path

    path = Path(path).resolve() if str(path) else Path(path)
    if path.is_dir():
        return slug(path.name)
    if path.name.lower() == "datapackage.json" or path.stem.lower() in ("index", "datapackage", "elements", "data"):
        return slug(path.parent.name) or slug(path.stem)
    return slug(path.stem)


def file_hash(path: Any) -> str:
    """SHA-256 of the file (of every CSV of an HSDS package's folder, in name order)."""
    import hashlib
    from pathlib import Path

    path = Path(path)
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if path.is_file() and path.name.lower() == "datapackage.json":
        files = [path, *sorted(path.parent.glob("*.csv"))]
    digest = hashlib.sha256()
    for file in files:
        with file.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
    return digest.hexdigest()


def package_licence(path: Any) -> tuple[str, str]:
    """The licence (id or URL) and attribution a Frictionless data package declares beside the file
    (an HSDS package's datapackage.json), or ("", "")."""
    import json
    from pathlib import Path

    path = Path(path)
    descriptor = (
        path if path.name == "datapackage.json" else (path if path.is_dir() else path.parent) / "datapackage.json"
    )
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return "", ""
    licences = data.get("licenses") if isinstance(data, dict) else None
    if not isinstance(licences, list) or not licences or not isinstance(licences[0], dict):
        return "", ""
    first = licences[0]
    licence = str(first.get("name") or first.get("id") or first.get("path") or "").strip()[:200]
    credits = [c.get("title") for c in data.get("contributors") or [] if isinstance(c, dict) and c.get("title")]
    return licence, "; ".join(str(c) for c in credits)[:300]


def _columns_match(stored: SourceMapping, columns: dict[str, None]) -> bool:
    """Whether a file's columns are those the stored mapping was made for (most of them there)."""
    known = [c for c in stored.columns if not c.startswith(("location.", "address.", "attributes.", "identifier."))]
    if not known:
        return True
    present = sum(1 for c in known if c in columns)
    return present / len(known) >= 0.8


def run_import(
    store: Store,
    path: Any,
    fmt: str,
    source: str = "",
    mapping: SourceMapping | None = None,
    dry_run: bool = False,
    publish: bool = False,
    offline: bool | None = None,
    force: bool = False,
    taxonomy: Any = None,
    who: str = "",
    progress: Any = None,
) -> ImportReport:
    """Import `path` (format `fmt`) as source `source`; raises `InputError` when it cannot be read,
    `ImportRefused` when the run stopped before writing (most rows fail, or not the same source).

    A given `mapping` may be partial: the columns it does not name are guessed from their headers
    and values. Without one, the source's stored mapping (from its last import) is used when the
    file's columns are the ones it was made for, else one is guessed (`report.mapping` holds the
    mapping used, for the person to save).
    """
    from pathlib import Path

    from atlas.imports.mapping import guess
    from atlas.imports.readers import read, read_taxonomy

    path = Path(path)
    name = source or (mapping.source if mapping else "") or default_source_name(path)
    name = name[:100] or "import"
    rows, detected = read(path, fmt)
    columns: dict[str, None] = {}
    samples: dict[str, list[Any]] = {}
    total = 0
    for raw in rows:  # a first pass for the columns only (the file is streamed twice, never held whole)
        total += 1
        for column, value in raw.values.items():
            columns.setdefault(column, None)
            kept = samples.setdefault(column, [])
            if len(kept) < 50 and value not in (None, "", []):
                kept.append(value)
    rows, detected = read(path, fmt)
    if progress is not None:
        rows = _counted(rows, progress, total)
    with store.reading() as s:
        stored_dict = s.scalar(select(ImportSource.mapping).where(ImportSource.name == name))
    stored = SourceMapping.from_dict(stored_dict, f"the stored mapping of {name}") if stored_dict else None
    if stored is not None and not force and not _columns_match(stored, columns):
        raise ImportRefused(
            f"the source {name!r} was imported before from a file with other columns "
            f"({', '.join(list(stored.columns)[:6])}…): nothing written. Is this another directory? "
            "Give it its own name with --source NAME (or --force if the source changed its columns)"
        )
    if mapping is None and stored is not None:
        mapping = stored
    mapping = guess(columns, fmt, name, base=mapping, samples=samples)
    if not mapping.licence:
        mapping.licence, attribution = package_licence(path)
        mapping.attribution = mapping.attribution or attribution
    if taxonomy is not None:
        mapping.taxonomy = {**mapping.taxonomy, **read_taxonomy(Path(taxonomy))}
    mapping.source = name
    report = ImportReport(name, fmt, dry_run, publish, detected=detected, mapping=mapping)
    incoming = list(map_rows(rows, mapping, name, report))
    geocode_missing(incoming, offline, progress)
    validate(incoming, mapping, str(path))
    for item in incoming:
        item.record = {}  # validated into `data`: the raw record is no longer needed
    import getpass

    try:
        user = who or getpass.getuser()
    except (KeyError, OSError):
        user = who or "unknown"
    info = {
        "author": f"{user} as import:{name}"[:200],
        "file": str(path),
        "file_hash": "" if dry_run else file_hash(path),
    }
    report.rows = [i.result for i in incoming]  # before: the source's stored last_summary counts them
    plan_and_apply(store, incoming, report, mapping, fmt, dry_run, publish, force, info)
    report.rows = [i.result for i in incoming]
    return report
