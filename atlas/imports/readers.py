"""Reading a directory's export, row by row, whatever its format: CSV, GeoJSON, GoGoCarto, HSDS, JSON-LD.

Every reader yields `RawRow`s: the row number as the messages give it (a CSV's header is line 1,
so its first row is 2; a JSON file's first feature or element is row 1; an HSDS package's rows are
numbered as in its `organizations.csv`), the row's values with nested objects flattened to dotted
keys (`address.addressLocality`), and a point when the format carries geometry.

Files are streamed: CSV line by line (a line longer than `MAX_LINE` is refused), JSON with ijson,
one feature at a time, so that a large file never sits whole in memory. Text values are cut at
`MAX_VALUE` characters (the schema keeps 2,000; the cut is reported). `InputError` means the input
cannot be used at all (exit code 2): not found, not UTF-8/Latin-1, broken JSON, no header…
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from atlas.imports.source_file import InputError, RawRow, check_size, detect_encoding

FORMATS = ("csv", "geojson", "gogocarto", "hsds", "jsonld", "mednum")  # mednum: atlas.imports.mednum
MAX_LINE = 4 * 1024 * 1024  # bytes of one CSV line (a quoted cell may span lines; each is bounded)
MAX_VALUE = 20_000  # characters kept of one value (the schema keeps 2,000 and says so)
SAMPLE = 64 * 1024
MAX_TAXONOMY = 20_000_000  # bytes of a GoGoCarto taxonomy file (a few hundred kB in practice)


# -- CSV ------------------------------------------------------------------------------------------


def detect_delimiter(sample: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the sample's lines most consistently."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end in the middle of a line
    best, best_key = ",", (-1.0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        key = (consistent, width)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _bounded_lines(fh: IO[str], path: Path) -> Iterator[str]:
    number = 0
    while True:
        line = fh.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            raise InputError(
                f"{path}: line {number} is longer than {MAX_LINE // (1024 * 1024)} MB: "
                "not a CSV file an import can take"
            )
        yield line


def read_csv(path: Path) -> tuple[list[str], Iterator[RawRow], dict[str, str]]:
    """Header, rows and what was detected ({"encoding": …, "delimiter": …})."""
    check_size(path)
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(SAMPLE)
    delimiter = detect_delimiter(sample)
    fh = path.open(encoding=encoding, newline="")
    reader = csv.reader(_bounded_lines(fh, path), delimiter=delimiter)
    csv.field_size_limit(MAX_LINE)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        fh.close()
        raise InputError(f"{path}: no header line") from None
    except csv.Error as exc:
        fh.close()
        raise InputError(f"{path}: line 1: {exc}") from None
    if not any(header):
        fh.close()
        raise InputError(f"{path}: the header line is empty")
    detected = {"encoding": encoding, "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]}

    def rows() -> Iterator[RawRow]:
        try:
            line = reader.line_num + 1
            for cells in reader:
                if not any(c.strip() for c in cells):
                    line = reader.line_num + 1
                    continue
                values: dict[str, Any] = {}
                notes: list[str] = []
                for i, cell in enumerate(cells):
                    name = header[i] if i < len(header) and header[i] else f"column {i + 1}"
                    values[name] = _cut(cell, name, notes)
                if len(cells) > len(header):
                    notes.append(f"has {len(cells)} cells, the header {len(header)}")
                yield RawRow(line, values, notes=notes)
                line = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(f"{path}: line {reader.line_num}: {exc}") from None
        finally:
            fh.close()

    return header, rows(), detected


def _cut(value: str, name: str, notes: list[str]) -> str:
    if len(value) > MAX_VALUE:
        notes.append(f"{name}: {len(value):,} characters, cut to {MAX_VALUE:,}")
        return value[:MAX_VALUE]
    return value


# -- JSON formats -----------------------------------------------------------------------------------
#
# JSON is read as ijson's events (the C backend, numbers as floats: an integer too large for a float is
# a parse error, never a crash), through a guard that watches the bytes as they are read, and the
# elements are built here, without recursion, one at a time. Three bounds make a hostile file end
# with a one-line `InputError` instead of running away: nesting deeper than `MAX_DEPTH`, a single
# string or number longer than `MAX_TOKEN` bytes (the guard stops reading there: the parser never
# buffers more of it), and more than `MAX_EVENTS` values in one element.

MAX_DEPTH = 64  # levels of objects and arrays, the file's own included
MAX_TOKEN = 8 * 1024 * 1024  # bytes of one JSON string or number
MAX_EVENTS = 200_000  # keys and values in one element (feature, node…)
CHUNK = 64 * 1024  # bytes read at a time
# Outside a string: anything but a quote, and whole strings (complete within the chunk).
_OUTSIDE = re.compile(rb'(?:[^"]++|"(?:[^"\\]++|\\.)*+")*+', re.DOTALL)
_INSIDE = re.compile(rb'(?:[^"\\]++|\\.)*+', re.DOTALL)  # a string's characters up to its closing quote
_NUMBER_CHARS = b"+-.0123456789eE"


class _TooLong(Exception):
    """A string or number longer than MAX_TOKEN (raised by the guard, located by the reader)."""


class _Guard:
    """A binary file whose bytes are scanned as they are read: no string or number may exceed `limit`.

    The state (inside a string or not, the current string's or number's length) carries over from
    one chunk to the next, so a token is measured whatever its position; the scan is two regular
    expressions per chunk and per string left open at a chunk's end.
    """

    def __init__(self, raw: IO[bytes], limit: int | None = None) -> None:
        self.raw, self.limit = raw, MAX_TOKEN if limit is None else limit
        self.inside = self.escape = False
        self.run = 0  # bytes of the open string, or of the number at the end of the last chunk

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(CHUNK if size is None or size < 0 else min(size, CHUNK))
        self._scan(chunk)
        return chunk

    def _scan(self, chunk: bytes) -> None:
        pos, end = 0, len(chunk)
        if self.escape and end:
            pos, self.escape = 1, False
        while pos < end:
            if self.inside:
                stop = _INSIDE.match(chunk, pos).end()  # type: ignore[union-attr]
                self.run += stop - pos
                if self.run > self.limit:
                    raise _TooLong("a string")
                if stop == end:
                    return
                if chunk[stop] == 0x5C:  # a backslash ending the chunk: its escaped byte is the next one
                    self.escape, self.run = True, self.run + 2
                    return
                self.inside, self.run, pos = False, 0, stop + 1
            else:
                stop = _OUTSIDE.match(chunk, pos).end()  # type: ignore[union-attr]
                if stop == end:
                    tail = end - len(chunk.rstrip(_NUMBER_CHARS))
                    self.run = self.run + (end - pos) if tail >= end - pos else tail
                    if self.run > self.limit:
                        raise _TooLong("a number")
                    return
                self.inside, self.run, pos = True, 0, stop + 1  # a string still open at the chunk's end


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def _input_error(path: Path, row: int, what: str) -> InputError:
    where = f"{path}: row {row}: " if row else f"{path}: "
    return InputError(where + what)


def _json_items(path: Path, key: str | None, bare_list: bool) -> Iterator[Any]:
    """The elements of the array under the top-level object's `key` (or of a top-level array when
    `bare_list`), built one at a time from ijson's events; raises InputError (file and row named)
    on broken JSON, nesting deeper than MAX_DEPTH, a value longer than MAX_TOKEN, an element with
    more than MAX_EVENTS values, and when the file has no such array (`key` missing)."""
    check_size(path)
    row = 0  # elements started so far: the one being read is `row`
    found = False
    with path.open("rb") as fh:
        events = ijson.basic_parse(_Guard(fh), use_float=True)
        depth = 0  # containers open around the current event
        top_key: str | None = None  # the top-level object's key being read
        target = 0  # depth of the items' array while inside it, else 0
        stack: list[Any] = []  # containers of the element being built
        keys: list[Any] = []
        count = 0
        try:
            for event, value in events:
                if stack:  # inside an element: the common events first
                    if event == "map_key":
                        keys[-1] = value
                        continue
                    if event not in _STRUCTURE:  # a scalar
                        parent = stack[-1]
                        if parent.__class__ is dict:
                            parent[keys[-1]] = value
                        else:
                            parent.append(value)
                        count += 1
                        if count > MAX_EVENTS:
                            raise _input_error(path, row, f"more than {MAX_EVENTS:,} values in one element")
                        continue
                if event == "map_key":
                    if depth == 1:
                        top_key = value
                    continue
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _input_error(path, row if target else 0, f"nested more than {MAX_DEPTH} levels deep")
                    container: Any = {} if event == "start_map" else []
                    if stack:
                        count += 1
                        if count > MAX_EVENTS:
                            raise _input_error(path, row, f"more than {MAX_EVENTS:,} values in one element")
                        _add(stack, keys, container)
                    elif target and depth == target + 1:
                        row, count = row + 1, 0
                    elif event == "start_array" and (
                        (depth == 1 and bare_list) or (depth == 2 and top_key == key and key is not None)
                    ):
                        target, found = depth, True
                        continue
                    else:
                        if depth == 2 and top_key == key:
                            found = True
                        continue
                    stack.append(container)
                    keys.append(None)
                    continue
                if event in ("end_map", "end_array"):
                    depth -= 1
                    if stack:
                        done = stack.pop()
                        keys.pop()
                        if not stack:
                            yield done
                    elif target and depth < target:
                        target = 0
                    continue
                # a scalar outside any element
                if target and depth == target:
                    row += 1
                    yield value
                elif depth == 1 and top_key == key:
                    found = True
        except _TooLong as exc:
            raise _input_error(
                path,
                row if target else 0,
                f"{exc} longer than {_size(MAX_TOKEN)}: not a file an import takes",
            ) from None
        except ijson.JSONError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise _input_error(path, row if target else 0, f"not valid JSON ({first})") from None
        except UnicodeDecodeError:
            raise _input_error(path, row if target else 0, "not UTF-8 JSON") from None
    if not found:
        raise InputError(f"{path}: {MISSING[key]}")


def check_json(path: Path) -> None:
    """Raise InputError unless `path` is JSON within the bounds of `_json_items` (size, depth, tokens)."""
    check_size(path)
    depth = 0
    with path.open("rb") as fh:
        try:
            for event, _value in ijson.basic_parse(_Guard(fh), use_float=True):
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise InputError(f"{path}: nested more than {MAX_DEPTH} levels deep")
                elif event in ("end_map", "end_array"):
                    depth -= 1
        except _TooLong as exc:
            raise InputError(f"{path}: {exc} longer than {_size(MAX_TOKEN)}: not a file an import takes") from None
        except ijson.JSONError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise InputError(f"{path}: not valid JSON ({first})") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 JSON") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


_STRUCTURE = frozenset(("start_map", "end_map", "start_array", "end_array"))
MISSING: dict[str | None, str] = {
    "features": "not a GeoJSON FeatureCollection (no 'features')",
    "data": "not a GoGoCarto export (no 'data' list of elements)",
    "@graph": "not a JSON-LD graph (no '@graph')",
    None: "not a JSON array",
}


def _add(stack: list[Any], keys: list[Any], value: Any) -> None:
    parent = stack[-1]
    if isinstance(parent, dict):
        parent[keys[-1]] = value
    else:
        parent.append(value)


def flatten(value: Any, prefix: str = "", out: dict[str, Any] | None = None, notes: list[str] | None = None) -> dict:
    """Nested objects as dotted keys; lists of scalars kept as lists; values cut at MAX_VALUE.

    Iterative (an explicit stack, in the order a depth-first walk gives), so no nesting can
    exhaust Python's recursion limit.
    """
    out = {} if out is None else out
    todo: list[tuple[Any, str]] = [(value, prefix)]
    while todo:
        item, name = todo.pop()
        if isinstance(item, dict):
            todo.extend(reversed([(inner, f"{name}.{key}" if name else str(key)) for key, inner in item.items()]))
        elif isinstance(item, list) and any(isinstance(v, dict) for v in item):
            todo.extend(reversed([(inner, f"{name}.{i}") for i, inner in enumerate(item[:50])]))
        elif isinstance(item, list):
            out[name] = [_scalar(v, name, notes) for v in item[:200]]
        else:
            out[name] = _scalar(item, name, notes)
    return out


def _scalar(value: Any, name: str, notes: list[str] | None) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if type(value).__name__ == "Decimal":
        return float(value)
    text = str(value)
    return _cut(text, name, notes if notes is not None else [])


def read_geojson(path: Path) -> Iterator[RawRow]:
    """The features of a FeatureCollection (uMap, QGIS…): properties, and the point when there is one."""
    for number, feature in enumerate(_json_items(path, "features", bare_list=False), start=1):
        notes: list[str] = []
        if not isinstance(feature, dict):
            yield RawRow(number, {}, notes=["is not a GeoJSON feature"])
            continue
        props = feature.get("properties")
        values = flatten(props if isinstance(props, dict) else {}, notes=notes)
        if "id" in feature and "id" not in values:
            values["id"] = _scalar(feature["id"], "id", notes)
        geometry = feature.get("geometry")
        point = None
        if not isinstance(geometry, dict):
            notes.append("feature without geometry: placed from its city and country")
        else:
            point = _point(geometry)
            if point is None:
                notes.append(f"geometry {str(geometry.get('type'))[:30]!r} is not a point: its first point is used")
                point = _first_point(geometry.get("coordinates"))
        yield RawRow(number, values, point, has_geometry=isinstance(geometry, dict), notes=notes)


def _point(geometry: dict) -> tuple[float, float] | None:
    coords = geometry.get("coordinates")
    if geometry.get("type") == "Point" and isinstance(coords, list) and len(coords) >= 2:
        try:
            return float(coords[0]), float(coords[1])
        except (TypeError, ValueError):
            return None
    return None


def _first_point(coords: Any, depth: int = 0) -> tuple[float, float] | None:
    while isinstance(coords, list) and coords and isinstance(coords[0], list) and depth < 10:
        coords, depth = coords[0], depth + 1
    if isinstance(coords, list) and len(coords) >= 2:
        try:
            return float(coords[0]), float(coords[1])
        except (TypeError, ValueError):
            return None
    return None


def read_gogocarto(path: Path) -> Iterator[RawRow]:
    """GoGoCarto's `/api/elements.json`: `{"data": [element…]}` (or a bare list of elements)."""
    for number, element in enumerate(_json_items(path, "data", bare_list=True), start=1):
        notes: list[str] = []
        if not isinstance(element, dict):
            yield RawRow(number, {}, notes=["is not a GoGoCarto element"])
            continue
        element = dict(element)
        full = element.pop("categoriesFull", None)
        options = element.pop("optionValues", None)
        values = flatten(element, notes=notes)
        names = {str(c.get("id")): str(c.get("name")) for c in full or [] if isinstance(c, dict) and c.get("name")}
        if not values.get("categories") and isinstance(full, list):
            values["categories"] = list(names.values())
        elif isinstance(values.get("categories"), list) and names:  # ids: named by the element's own taxonomy
            values["categories"] = [names.get(str(c), str(c)) for c in values["categories"]]
        if not values.get("categories") and isinstance(options, list):  # GoGoCarto's numeric option ids
            values["categories"] = [
                str(o.get("optionId") if isinstance(o, dict) else o) for o in options if o not in (None, "")
            ]
        point = None
        if isinstance(element.get("geo"), dict):
            try:
                point = (float(element["geo"]["longitude"]), float(element["geo"]["latitude"]))
            except (KeyError, TypeError, ValueError):
                point = None
            values.pop("geo.latitude", None)
            values.pop("geo.longitude", None)
        yield RawRow(number, values, point, has_geometry=point is not None, notes=notes)


def read_taxonomy(path: Path) -> dict[str, str]:
    """A GoGoCarto taxonomy (`/api/taxonomy.json`, or any JSON of categories and options with `id` and
    `name`): each option's id -> its name, so that numeric option ids map by name."""
    check_size(path)
    if path.stat().st_size > MAX_TAXONOMY:
        raise InputError(f"{path}: more than {MAX_TAXONOMY // 1_000_000} MB: not a taxonomy")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, ValueError) as exc:  # ValueError: a 4,300-digit number
        raise InputError(f"{path}: not a taxonomy JSON file ({exc.__class__.__name__})") from None
    names: dict[str, str] = {}
    stack: list[Any] = [data]
    while stack and len(names) < 100_000:
        node = stack.pop()
        if isinstance(node, dict):
            if "id" in node and isinstance(node.get("name"), str):
                names.setdefault(str(node["id"]), node["name"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    if not names:
        raise InputError(f"{path}: no categories with an id and a name: not a GoGoCarto taxonomy")
    return names


def read_jsonld(path: Path) -> Iterator[RawRow]:
    """schema.org JSON-LD as the atlas writes it (`@graph` of organisations) or a bare list of them."""
    for number, node in enumerate(_json_items(path, "@graph", bare_list=True), start=1):
        notes: list[str] = []
        if not isinstance(node, dict):
            yield RawRow(number, {}, notes=["is not a JSON-LD node"])
            continue
        values: dict[str, Any] = {}
        for key, value in node.items():
            if key == "additionalProperty" and isinstance(value, list):
                for prop in value:
                    if isinstance(prop, dict) and isinstance(prop.get("propertyID") or prop.get("name"), str):
                        name = str(prop.get("propertyID") or prop.get("name"))
                        values[f"additionalProperty.{name}"] = _scalar(prop.get("value"), name, notes)
            elif key == "description" and isinstance(value, list):
                for text in value:
                    if isinstance(text, dict) and "@value" in text:
                        lang = str(text.get("@language") or "und")[:2]
                        values[f"description.{lang}"] = _scalar(text["@value"], "description", notes)
            elif key == "description" and isinstance(value, dict) and "@value" in value:
                lang = str(value.get("@language") or "und")[:2]
                values[f"description.{lang}"] = _scalar(value["@value"], "description", notes)
            else:
                flatten(value, key, values, notes)
        point = None
        try:
            point = (float(values.pop("geo.longitude")), float(values.pop("geo.latitude")))
        except (KeyError, TypeError, ValueError):
            point = None
        yield RawRow(number, values, point, has_geometry=point is not None, notes=notes)


def read_hsds(path: Path) -> Iterator[RawRow]:
    """An Open Referral HSDS 3.0 tabular package: a folder (or its `datapackage.json`) of CSV files.

    One row per location of each organisation (`organizations.csv` joined with `locations.csv`: an
    organisation with several locations gives one row per location, its id `<organisation>/<location>`,
    its name followed by the location's name), with that location's first physical address, the
    organisation's identifiers, and the attributes' taxonomy terms (`attributes.<taxonomy>` = term code
    or name, `attributes.<taxonomy>.value` = the value). A location of no listed organisation, and a
    location whose point is not on Earth, are reported on their own row.
    """
    folder = path.parent if path.is_file() else path
    if not (folder / "organizations.csv").is_file():
        raise InputError(f"{folder}: not an HSDS package (no organizations.csv)")
    descriptor = folder / "datapackage.json"
    if descriptor.is_file():
        check_json(descriptor)

    def table(name: str) -> list[dict[str, str]]:
        file = folder / name
        if not file.is_file():
            return []
        _header, rows, _detected = read_csv(file)
        return [{k: str(v) for k, v in r.values.items()} for r in rows]

    locations: dict[str, list[dict[str, str]]] = {}
    location_rows = table("locations.csv")
    for loc in location_rows:
        locations.setdefault(loc.get("organization_id", ""), []).append(loc)
    addresses: dict[str, dict[str, str]] = {}
    for address in table("addresses.csv"):
        addresses.setdefault(address.get("location_id", ""), address)
    identifiers: dict[str, list[dict[str, str]]] = {}
    for ident in table("organization_identifiers.csv"):
        identifiers.setdefault(ident.get("organization_id", ""), []).append(ident)
    taxonomies = {t.get("id", ""): t for t in table("taxonomies.csv")}
    terms = {t.get("id", ""): t for t in table("taxonomy_terms.csv")}
    attributes: dict[str, list[dict[str, str]]] = {}
    for attribute in table("attributes.csv"):
        attributes.setdefault(attribute.get("link_id", ""), []).append(attribute)

    def with_attributes(values: dict[str, Any], link_ids: list[str]) -> None:
        for attribute in [a for link in link_ids for a in attributes.get(link, [])]:
            term = terms.get(attribute.get("taxonomy_term_id", ""), {})
            taxonomy = taxonomies.get(term.get("taxonomy_id", ""), {}).get("name") or term.get("taxonomy") or "terms"
            key = f"attributes.{taxonomy}"
            code = term.get("code") or term.get("name") or ""
            if attribute.get("value"):
                values[f"{key}.{code}"] = attribute["value"]
            else:
                values.setdefault(key, [])
                values[key].append(code)

    seen_orgs: set[str] = set()
    _header, orgs, _detected = read_csv(folder / "organizations.csv")
    for raw in orgs:
        org = {k: str(v) for k, v in raw.values.items()}
        org_id = org.get("id", "")
        seen_orgs.add(org_id)
        mine = locations.get(org_id) or [{}]
        for location in mine:
            values: dict[str, Any] = dict(org)
            notes = list(raw.notes)
            point = None
            if location:
                for key, value in location.items():
                    values[f"location.{key}"] = value
                point = _location_point(location, notes)
                for key, text in addresses.get(location.get("id", ""), {}).items():
                    values[f"address.{key}"] = text
            if len(mine) > 1:  # one entry per location, linked to its organisation by id
                values["id"] = f"{org_id}/{location.get('id', '')}"
                place = location.get("name", "").strip()
                if place and place != org.get("name", "").strip():
                    values["name"] = f"{org.get('name', '').strip()} ({place})"
            for ident in identifiers.get(org_id, []):
                scheme = ident.get("identifier_type") or ident.get("identifier_scheme") or "identifier"
                values[f"identifier.{scheme}"] = ident.get("identifier", "")
            with_attributes(values, [org_id, location.get("id", "")] if location else [org_id])
            yield RawRow(raw.row, values, point, has_geometry=point is not None, notes=notes)
    for line, location in enumerate(location_rows, start=2):  # locations of no listed organisation
        owner = location.get("organization_id", "")
        if owner in seen_orgs:
            continue
        note = (
            f"locations.csv line {line}: location {location.get('id', '')!r} belongs to organisation "
            f"{owner!r}, which organizations.csv does not have: not imported"
        )
        yield RawRow(line, {"id": f"location:{location.get('id', '')}"}, notes=[note])


def _location_point(location: dict[str, str], notes: list[str]) -> tuple[float, float] | None:
    try:
        lat, lon = float(location["latitude"]), float(location["longitude"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        notes.append(
            f"location {location.get('id', '')!r}: latitude {lat:g}, longitude {lon:g} is not a point on Earth: "
            "placed from its address"
        )
        return None
    return lon, lat


def _starts_like_json(path: Path) -> bool:
    """Whether the file's first visible character opens a JSON object or array."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024).lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    except OSError:
        return False
    return head[:1] in (b"{", b"[")


def read(path: Path, fmt: str) -> tuple[Iterator[RawRow], dict[str, str]]:
    """Rows of `path` in format `fmt`, and what was detected about the file."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if fmt == "csv":
        if path.is_dir():
            raise InputError(f"{path}: a folder; give the CSV file")
        if _starts_like_json(path):
            raise InputError(
                f"{path}: this looks like JSON, not CSV: give its format "
                "(--format geojson, gogocarto or jsonld); nothing was imported"
            )
        _header, rows, detected = read_csv(path)
        return rows, detected
    if fmt == "hsds":
        return read_hsds(path), {}
    if fmt == "mednum":  # the French standard of digital-inclusion places
        from atlas.imports.mednum import read_mednum

        return read_mednum(path)
    if path.is_dir():
        raise InputError(f"{path}: a folder; give the {fmt} file")
    reader = {"geojson": read_geojson, "gogocarto": read_gogocarto, "jsonld": read_jsonld}[fmt]
    return reader(path), {}
