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
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson

FORMATS = ("csv", "geojson", "gogocarto", "hsds", "jsonld", "mednum")  # mednum: atlas.imports.mednum
MAX_LINE = 4 * 1024 * 1024  # bytes of one CSV line (a quoted cell may span lines; each is bounded)
MAX_VALUE = 20_000  # characters kept of one value (the schema keeps 2,000 and says so)
MAX_BYTES = 1024 * 1024 * 1024  # a file larger than this is refused outright (ATLAS_IMPORT_MAX_BYTES)
SAMPLE = 64 * 1024


class InputError(Exception):
    """The input cannot be read at all (exit code 2)."""


@dataclass
class RawRow:
    row: int
    values: dict[str, Any]
    point: tuple[float, float] | None = None  # (lon, lat) as the file gives it (GeoJSON order)
    has_geometry: bool = False
    notes: list[str] = field(default_factory=list)  # what the reader changed (a value cut…)


def max_bytes() -> int:
    try:
        return int(os.environ.get("ATLAS_IMPORT_MAX_BYTES") or MAX_BYTES)
    except ValueError:
        return MAX_BYTES


def check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    limit = max_bytes()
    if size > limit:
        raise InputError(
            f"{path}: the file is {size / 1e6:.1f} MB, more than the {limit / 1e6:.0f} MB an import takes "
            "(ATLAS_IMPORT_MAX_BYTES); split it into smaller files"
        )
    if size == 0:
        raise InputError(f"{path}: the file is empty")


# -- CSV ------------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """utf-8-sig (with a BOM), utf-8 when every byte decodes, else cp1252, else latin-1."""
    with path.open("rb") as fh:
        head = fh.read(3)
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := fh.read(1024 * 1024):
                cp1252.decode(chunk)
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


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


def flatten(value: Any, prefix: str = "", out: dict[str, Any] | None = None, notes: list[str] | None = None) -> dict:
    """Nested objects as dotted keys; lists of scalars kept as lists; values cut at MAX_VALUE."""
    out = {} if out is None else out
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten(inner, f"{prefix}.{key}" if prefix else str(key), out, notes)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for i, inner in enumerate(value[:50]):
            flatten(inner, f"{prefix}.{i}", out, notes)
    elif isinstance(value, list):
        out[prefix] = [_scalar(v, prefix, notes) for v in value[:200]]
    else:
        out[prefix] = _scalar(value, prefix, notes)
    return out


def _scalar(value: Any, name: str, notes: list[str] | None) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if type(value).__name__ == "Decimal":
        return float(value)
    text = str(value)
    return _cut(text, name, notes if notes is not None else [])


def _items(path: Path, prefix: str) -> Iterator[Any]:
    check_size(path)
    with path.open("rb") as fh:
        try:
            yield from ijson.items(fh, prefix, use_float=True)
        except ijson.JSONError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 JSON") from None


def _first_key(path: Path) -> set[str]:
    """The top-level keys of a JSON object file (read as a stream, values skipped)."""
    keys: set[str] = set()
    check_size(path)
    with path.open("rb") as fh:
        try:
            for prefix, event, value in ijson.parse(fh):
                if prefix == "" and event == "map_key":
                    keys.add(value)
                elif prefix == "" and event == "start_array":
                    keys.add("[]")
                    break
        except ijson.JSONError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
    return keys


def read_geojson(path: Path) -> Iterator[RawRow]:
    """The features of a FeatureCollection (uMap, QGIS…): properties, and the point when there is one."""
    keys = _first_key(path)
    if "features" not in keys:
        raise InputError(f"{path}: not a GeoJSON FeatureCollection (no 'features')")
    for number, feature in enumerate(_items(path, "features.item"), start=1):
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
    keys = _first_key(path)
    prefix = "item" if "[]" in keys else "data.item"
    if prefix == "data.item" and "data" not in keys:
        raise InputError(f"{path}: not a GoGoCarto export (no 'data' list of elements)")
    for number, element in enumerate(_items(path, prefix), start=1):
        notes: list[str] = []
        if not isinstance(element, dict):
            yield RawRow(number, {}, notes=["is not a GoGoCarto element"])
            continue
        element = dict(element)
        full = element.pop("categoriesFull", None)
        values = flatten(element, notes=notes)
        if not values.get("categories") and isinstance(full, list):
            values["categories"] = [str(c.get("name")) for c in full if isinstance(c, dict) and c.get("name")]
        point = None
        if isinstance(element.get("geo"), dict):
            try:
                point = (float(element["geo"]["longitude"]), float(element["geo"]["latitude"]))
            except (KeyError, TypeError, ValueError):
                point = None
            values.pop("geo.latitude", None)
            values.pop("geo.longitude", None)
        yield RawRow(number, values, point, has_geometry=point is not None, notes=notes)


def read_jsonld(path: Path) -> Iterator[RawRow]:
    """schema.org JSON-LD as the atlas writes it (`@graph` of organisations) or a bare list of them."""
    keys = _first_key(path)
    prefix = "item" if "[]" in keys else "@graph.item"
    if prefix == "@graph.item" and "@graph" not in keys:
        raise InputError(f"{path}: not a JSON-LD graph (no '@graph')")
    for number, node in enumerate(_items(path, prefix), start=1):
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

    One row per organisation (`organizations.csv`), joined with its first location (coordinates),
    that location's first physical address, its identifiers, and its attributes' taxonomy terms
    (`attributes.<taxonomy>` = term code or name, `attributes.<taxonomy>.value` = the value).
    """
    folder = path.parent if path.is_file() else path
    if not (folder / "organizations.csv").is_file():
        raise InputError(f"{folder}: not an HSDS package (no organizations.csv)")
    descriptor = folder / "datapackage.json"
    if descriptor.is_file():
        try:
            json.loads(descriptor.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{descriptor}: not valid JSON ({exc})") from None

    def table(name: str) -> list[dict[str, str]]:
        file = folder / name
        if not file.is_file():
            return []
        _header, rows, _detected = read_csv(file)
        return [{k: str(v) for k, v in r.values.items()} for r in rows]

    locations: dict[str, dict[str, str]] = {}
    for loc in table("locations.csv"):
        locations.setdefault(loc.get("organization_id", ""), loc)
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

    _header, orgs, _detected = read_csv(folder / "organizations.csv")
    for raw in orgs:
        org = {k: str(v) for k, v in raw.values.items()}
        org_id = org.get("id", "")
        values: dict[str, Any] = dict(org)
        location = locations.get(org_id)
        point = None
        if location:
            for key, value in location.items():
                values[f"location.{key}"] = value
            try:
                point = (float(location["longitude"]), float(location["latitude"]))
            except (KeyError, ValueError):
                point = None
            for key, text in addresses.get(location.get("id", ""), {}).items():
                values[f"address.{key}"] = text
        for ident in identifiers.get(org_id, []):
            scheme = ident.get("identifier_type") or ident.get("identifier_scheme") or "identifier"
            values[f"identifier.{scheme}"] = ident.get("identifier", "")
        links = attributes.get(org_id, []) + (attributes.get(location.get("id", ""), []) if location else [])
        for attribute in links:
            term = terms.get(attribute.get("taxonomy_term_id", ""), {})
            taxonomy = taxonomies.get(term.get("taxonomy_id", ""), {}).get("name") or term.get("taxonomy") or "terms"
            key = f"attributes.{taxonomy}"
            code = term.get("code") or term.get("name") or ""
            if attribute.get("value"):
                values[f"{key}.{code}"] = attribute["value"]
            else:
                values.setdefault(key, [])
                values[key].append(code)
        yield RawRow(raw.row, values, point, has_geometry=point is not None, notes=raw.notes)


def read(path: Path, fmt: str) -> tuple[Iterator[RawRow], dict[str, str]]:
    """Rows of `path` in format `fmt`, and what was detected about the file."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if fmt == "csv":
        if path.is_dir():
            raise InputError(f"{path}: a folder; give the CSV file")
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
