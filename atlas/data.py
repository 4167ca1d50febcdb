"""Reading the atlas files into one typed pandas frame, keeping good rows and reporting the rest."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from atlas import config
from atlas.categories import ODC_CATEGORY
from atlas.countries import country_name
from atlas.schema import ODCS, ORGANISATIONS, FileSchema, Problem, validate_rows
from atlas.text import fold

csv.field_size_limit(64 * 1024 * 1024)

FRAME_COLUMNS = (
    "id", "kind", "name", "aliases", "category", "country", "country_name_en", "country_name_fr", "city",
    "address", "lat", "lon", "geo_precision", "geo_source", "website", "description_en", "description_fr",
    "status", "opened", "source",
)
SEARCH_COLUMN = "search_key"  # folded name, aliases, city and descriptions, for free-text search


class Atlas(NamedTuple):
    """The loaded atlas: one frame of valid rows, and every problem met on the way."""

    frame: pd.DataFrame
    problems: list[Problem]


def read_table(path: Path, schema: FileSchema, label: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one CSV file into a frame of strings (plus `_line`); never raises on bad content."""
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _empty(schema), [Problem(label, None, None, None, f"cannot be read ({exc.strerror or exc})")]
    if not raw.strip():
        return _empty(schema), [Problem(label, None, None, None, "is empty (expected a header line and rows)")]
    text, bad_lines = _decode(raw)
    problems = [Problem(label, n, None, None, "is not valid UTF-8 (save the file as UTF-8); row skipped")
                for n in sorted(bad_lines)]
    records, header, parse_problems = _parse(text, label)
    problems += parse_problems
    if header is None:
        return _empty(schema), problems
    header_problems = _check_header(header, schema, label)
    problems += header_problems
    if any(p.severity == "error" for p in header_problems):
        return _empty(schema), problems
    width = len(header)
    rows, lines = [], []
    for line, fields in records:
        if line in bad_lines:
            continue
        if len(fields) != width:
            problems.append(Problem(label, line, None, None,
                                    f"has {len(fields)} fields but the header has {width}; row skipped"))
            continue
        rows.append(fields)
        lines.append(line)
    table = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    table = table.astype(str) if rows else table
    for col in schema.optional:
        if col not in table:
            table[col] = ""
    table["_line"] = np.asarray(lines, dtype=np.int64)
    return table, problems


def _empty(schema: FileSchema) -> pd.DataFrame:
    return pd.DataFrame({col: pd.Series(dtype=object) for col in (*schema.columns, "_line")})


def _decode(raw: bytes) -> tuple[str, set[int]]:
    """UTF-8 text (BOM removed) and the line numbers that held bytes which are not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), set()
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="surrogateescape")
    bad = {n for n, line in enumerate(text.splitlines(), start=1) if any("\udc80" <= ch <= "\udcff" for ch in line)}
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), bad


def _parse(text: str, label: str) -> tuple[list[tuple[int, list[str]]], list[str] | None, list[Problem]]:
    """CSV records with the line each starts on; stops cleanly at malformed CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    start = 1
    try:
        for fields in reader:
            if fields and any(f.strip() for f in fields):
                records.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(label, start, None, None, f"is malformed CSV ({exc}); this row and the rest of the file were skipped"))
    if not records:
        problems.append(Problem(label, None, None, None, "has no header line"))
        return [], None, problems
    (_, header), body = records[0], records[1:]
    return body, [h.strip() for h in header], problems


def _check_header(header: list[str], schema: FileSchema, label: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name in seen:
            problems.append(Problem(label, 1, name, None,
                                    f"appears twice in the header (columns {seen[name]} and {i}); file skipped"))
        seen.setdefault(name, i)
    missing = [c for c in schema.required if c not in seen]
    if missing:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            hint = " — the file seems to use another delimiter than ','"
        problems.append(Problem(label, 1, None, None,
                                f"header lacks required column(s) {', '.join(missing)}{hint}; file skipped"))
    unknown = [c for c in header if c not in schema.columns and c]
    if unknown:
        problems.append(Problem(label, 1, None, None, f"has unknown column(s) {', '.join(unknown)}; ignored", "warning"))
    return problems


def load_file(path: Path, schema: FileSchema, label: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate one file: its good rows as a typed frame, and every problem."""
    label = label or str(path)
    table, problems = read_table(path, schema, label)
    frame, row_problems = validate_rows(table, schema, label)
    return frame, sorted(problems + row_problems, key=lambda p: p.row or 0)


def load_atlas(data_dir: Path | str | None = None) -> Atlas:
    """Load organisations.csv and odc.csv from `data_dir` (default: `ATLAS_DATA_DIR` or `data/`).

    Returns one frame with a `kind` column (`organisation` | `odc`), typed columns,
    country names in English and French, and the problems beside it.
    """
    folder = Path(data_dir) if data_dir is not None else config.data_dir()
    parts, problems, labels = [], [], {}
    for schema in (ORGANISATIONS, ODCS):
        labels[schema.kind] = _label(folder, schema)
        frame, found = load_file(folder / schema.filename, schema, labels[schema.kind])
        problems += found
        frame["kind"] = schema.kind
        parts.append(frame)
    return Atlas(_combine(parts, problems, labels), problems)


def _label(folder: Path, schema: FileSchema) -> str:
    path = folder / schema.filename
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _combine(parts: list[pd.DataFrame], problems: list[Problem], labels: dict[str, str]) -> pd.DataFrame:
    """One frame of both kinds; drops (and reports into `problems`) ids used twice."""
    orgs, odcs = parts
    odcs["category"] = ODC_CATEGORY
    orgs["status"] = ""
    orgs["opened"] = ""
    frame = pd.concat(parts, ignore_index=True, sort=False)
    for col in FRAME_COLUMNS:
        if col not in frame:
            frame[col] = ""
    dup = frame["id"].duplicated(keep="first").to_numpy()
    for i in np.flatnonzero(dup):
        row = frame.iloc[i]
        problems.append(Problem(labels[row["kind"]], int(row["_line"]), "id", row["id"],
                                "is already used by another row; row skipped"))
    frame = frame.loc[~dup].reset_index(drop=True)
    codes = frame["country"].unique()
    for lang in ("en", "fr"):
        names = {c: country_name(c, lang) for c in codes}
        frame[f"country_name_{lang}"] = frame["country"].map(names).astype(str)
    frame[SEARCH_COLUMN] = [
        fold(" ".join(parts_)) for parts_ in zip(frame["name"], frame["aliases"].fillna(""), frame["city"],
                                                 frame["description_en"].fillna(""), frame["description_fr"].fillna(""))
    ]
    frame = frame[[*FRAME_COLUMNS, SEARCH_COLUMN]].copy()
    for col in ("kind", "category", "country", "geo_precision", "status"):
        frame[col] = frame[col].astype(str)
    return frame
