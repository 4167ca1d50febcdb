"""Reading the atlas files into one typed pandas frame, keeping good rows and reporting the rest."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from itertools import islice
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
    "id",
    "kind",
    "name",
    "aliases",
    "category",
    "country",
    "country_name_en",
    "country_name_fr",
    "city",
    "address",
    "postcode",
    "region",
    "lat",
    "lon",
    "geo_precision",
    "geo_source",
    "website",
    "description_en",
    "description_fr",
    "status",
    "opened",
    "source",
)
SEARCH_COLUMN = "search_key"  # folded name, aliases, city and descriptions, for free-text search


class Atlas(NamedTuple):
    """The loaded atlas: one frame of valid rows, and every problem met on the way."""

    frame: pd.DataFrame
    problems: list[Problem]


class Part(NamedTuple):
    """Validated rows of one kind (`validate_rows` output) and where they come from, for messages."""

    kind: str
    frame: pd.DataFrame
    label: str


def read_table(path: Path, schema: FileSchema, label: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one CSV file into a frame of strings (plus `_line`); never raises on bad content."""
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _empty(schema), [Problem(label, None, None, None, f"cannot be read ({exc.strerror or exc})")]
    if not raw or raw.isspace():  # (not raw.strip(), without copying the file)
        return _empty(schema), [Problem(label, None, None, None, "is empty (expected a header line and rows)")]
    fast = _parse_fast(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    header: list[str] | None
    records: list[tuple[int, list[str]]] = []
    if fast is not None:  # plain, valid UTF-8 CSV: one record per line
        problems: list[Problem] = []
        header, table = fast
    else:
        records, header, problems = _parse(_decode(raw), label)
    if header is None:
        return _empty(schema), problems
    header_problems = _check_header(header, schema, label)
    problems += header_problems
    if any(p.severity == "error" for p in header_problems):
        return _empty(schema), problems
    if fast is not None:
        return _finish(table, header, schema, np.arange(2, len(table) + 2, dtype=np.int64)), problems
    width = len(header)
    rows, lines = [], []
    for line, fields in records:
        if len(fields) != width:
            problems.append(
                Problem(label, line, None, None, f"has {len(fields)} fields but the header has {width}; row skipped")
            )
            continue
        rows.append(fields)
        lines.append(line)
    table = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    table = table.astype(str) if rows else table
    return _finish(table, header, schema, np.asarray(lines, dtype=np.int64)), problems


def _finish(table: pd.DataFrame, header: list[str], schema: FileSchema, lines: np.ndarray) -> pd.DataFrame:
    for col in schema.optional:
        if col not in table:
            table[col] = ""
    table["_line"] = lines
    return table


# A CSV line the `csv` module and Arrow's reader split identically: quoted fields ("" for a quote)
# or unquoted fields without quotes, separated by commas (checked with RE2, one line at a time).
_PLAIN_LINE = r'^(?:"(?:[^"]|"")*"|[^",]*)(?:,(?:"(?:[^"]|"")*"|[^",]*))*$'
_VISIBLE = r"[!#-+\--~]"  # a visible ASCII character other than comma and quote: the row is not blank


def _parse_fast(raw: bytes) -> tuple[list[str], pd.DataFrame] | None:
    """Header and string frame of a plain, well-formed UTF-8 CSV file, read with Arrow; None when unsure.

    Used only when every line is one record that the `csv` module would read the same way:
    no quoted line breaks, no blank lines, no stray quotes, the same number of fields on every
    line. Anything else (including a missing pyarrow) returns None and the careful reader runs,
    so problems are reported exactly as before. Data lines are then lines 2, 3, … of the file.
    `raw` has no BOM; invalid UTF-8 makes Arrow's reader fail, hence None.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow comes with pandas/streamlit
        return None
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
        if b"\r" in raw:
            return None
    whole = pa.LargeStringArray.from_buffers(
        1, pa.py_buffer(np.array([0, len(raw)], dtype=np.int64)), pa.py_buffer(raw)
    )
    try:
        whole.validate(full=True)  # checks the UTF-8; the string functions below assume it
    except pa.ArrowInvalid:
        return None
    lines = pc.split_pattern(whole, "\n").flatten()
    if len(lines) and lines[-1].as_py() == "":
        lines = lines.slice(0, len(lines) - 1)
    if len(lines) < 2:
        return None
    if not (
        pc.max(pc.utf8_length(lines)).as_py() < csv.field_size_limit()
        and pc.all(pc.match_substring_regex(lines, _PLAIN_LINE)).as_py()
        and pc.all(pc.match_substring_regex(lines, _VISIBLE)).as_py()
    ):
        return None
    header = [h.strip() for h in next(csv.reader([lines[0].as_py()], strict=True))]
    names = [f"c{i}" for i in range(len(header))]
    try:
        parsed = pacsv.read_csv(
            pa.BufferReader(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=",",
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if parsed.num_rows != len(lines) - 1:
        return None
    frame = pd.DataFrame({i: parsed.column(n).to_pandas() for i, n in enumerate(names)})
    frame.columns = header
    return header, frame


def _empty(schema: FileSchema) -> pd.DataFrame:
    return pd.DataFrame({col: pd.Series(dtype=object) for col in (*schema.columns, "_line")})


# Bytes that are not UTF-8, as `_decode` keeps them (surrogateescape: U+DC80..U+DCFF).
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _decode(raw: bytes) -> str:
    """Text of the file (BOM removed); each byte that is not UTF-8 becomes a lone surrogate (`_UNDECODABLE`)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", errors="surrogateescape")


def _parse(text: str, label: str) -> tuple[list[tuple[int, list[str]]], list[str] | None, list[Problem]]:
    """CSV records with the line each starts on, and the header.

    A record holding bytes that are not UTF-8 is reported and skipped. Malformed CSV (say, an
    unclosed quote) is reported at the line its record starts on, and reading resumes on the next
    line, so the good rows after it are kept. Lines are counted as the `csv` module counts them.
    """
    lines = io.StringIO(text, newline="").readlines()
    undecodable = _UNDECODABLE.search(text) is not None
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    first = 0  # index in `lines` where the current reader starts
    while first < len(lines):
        reader = csv.reader(islice(lines, first, None), strict=True)
        start = first + 1
        try:
            for fields in reader:
                if fields and any(f.strip() for f in fields):
                    if undecodable and any(_UNDECODABLE.search(f) for f in fields):
                        skip = bool(records)  # a data row is skipped; the header is read with U+FFFD for the bytes
                        problems.append(
                            Problem(
                                label,
                                start,
                                None,
                                None,
                                "is not valid UTF-8 (save the file as UTF-8)" + ("; row skipped" * skip),
                            )
                        )
                        fields = (
                            []
                            if skip
                            else [f.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for f in fields]
                        )
                    if fields:
                        records.append((start, fields))
                start = first + reader.line_num + 1
            break
        except csv.Error as exc:
            problems.append(Problem(label, start, None, None, f"is malformed CSV ({exc}); row skipped"))
            if not records:  # the header itself: no column names to read the rest with
                break
            first = start  # resume on the line after the one the bad record starts on
    if not records:
        problems.append(Problem(label, None, None, None, "has no header line"))
        return [], None, problems
    (_, header), body = records[0], records[1:]
    return body, [h.strip() for h in header], problems


def _check_header(header: list[str], schema: FileSchema, label: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name in seen and name:  # unnamed columns (say, trailing commas) are ignored like unknown ones
            problems.append(
                Problem(
                    label, 1, name, None, f"appears twice in the header (columns {seen[name]} and {i}); file skipped"
                )
            )
        seen.setdefault(name, i)
    missing = [c for c in schema.required if c not in seen]
    if missing:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            hint = " — the file seems to use another delimiter than ','"
        problems.append(
            Problem(label, 1, None, None, f"header lacks required column(s) {', '.join(missing)}{hint}; file skipped")
        )
    unknown = [c for c in header if c not in schema.columns and c]
    if unknown:
        problems.append(
            Problem(label, 1, None, None, f"has unknown column(s) {', '.join(unknown)}; ignored", "warning")
        )
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
    parts: list[Part] = []
    problems: list[Problem] = []
    for schema in (ORGANISATIONS, ODCS):
        label = _label(folder, schema)
        frame, found = load_file(folder / schema.filename, schema, label)
        problems += found
        parts.append(Part(schema.kind, frame, label))
    return Atlas(combine(parts, problems), problems)


def _label(folder: Path, schema: FileSchema) -> str:
    path = folder / schema.filename
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def combine(parts: Sequence[Part], problems: list[Problem]) -> pd.DataFrame:
    """One frame of every part (any number, any kinds); drops (and reports into `problems`) ids used twice.

    The first row with an id wins, in the order of `parts`. A part's frame may lack `_line` (rows
    that come from a database rather than a file): its problems then name no row.
    """
    labelled = []
    for kind, part, label in parts:
        part = part.assign(kind=kind, _label=label)
        if kind == "odc":
            part["category"] = ODC_CATEGORY
        labelled.append(part)
    if not labelled:
        labelled.append(pd.DataFrame({col: pd.Series(dtype=object) for col in (*FRAME_COLUMNS, "_label")}))
    frame = pd.concat(labelled, ignore_index=True, sort=False)
    for col in FRAME_COLUMNS:
        if col not in frame:
            frame[col] = ""
        elif col not in ("lat", "lon"):  # a column only one kind has (aliases): empty, not NaN, for the other
            frame[col] = frame[col].fillna("")
    dup = frame["id"].duplicated(keep="first").to_numpy()
    for i in np.flatnonzero(dup):
        row = frame.iloc[i]
        line = row.get("_line")
        problems.append(
            Problem(
                row["_label"],
                None if pd.isna(line) else int(line),
                "id",
                row["id"],
                "is already used by another row; row skipped",
            )
        )
    frame = frame.loc[~dup].reset_index(drop=True)
    codes = frame["country"].unique()
    for lang in ("en", "fr"):
        names = {c: country_name(c, lang) for c in codes}
        frame[f"country_name_{lang}"] = frame["country"].map(names).astype(str)
    frame[SEARCH_COLUMN] = search_keys(frame)
    frame = frame[[*FRAME_COLUMNS, SEARCH_COLUMN]].copy()
    for col in ("kind", "category", "country", "geo_precision", "status"):
        frame[col] = frame[col].astype(str)
    return frame


SEARCHED = ("name", "aliases", "city", "description_en", "description_fr")


def search_keys(frame: pd.DataFrame) -> pd.Series:
    """`fold` of the searched columns joined by spaces, for every row of `frame`.

    `fold` works character by character and then collapses whitespace, so folding a text equals
    folding each of its whitespace-separated words and joining the non-empty results with one
    space. The words are cut and joined by Arrow; each distinct word is folded once, by `fold`.
    """
    parts = [frame[c].fillna("").astype(str) for c in SEARCHED]
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow comes with pandas/streamlit
        return pd.Series([fold(" ".join(p)) for p in zip(*parts, strict=True)], index=frame.index, dtype="str")
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="str")
    space = pa.scalar(" ", pa.large_string())
    joined = pc.binary_join_element_wise(*(pa.array(p, pa.large_string()) for p in parts), space)
    if isinstance(joined, pa.ChunkedArray):
        joined = joined.combine_chunks()
    words = pc.ascii_split_whitespace(joined)  # at ASCII whitespace only; `fold` handles the rest
    offsets = words.offsets.to_numpy().astype(np.int64)
    codes = pc.dictionary_encode(words.flatten())
    folded = pa.array(
        [w.lower() if w.isascii() and w.isprintable() else fold(w) for w in codes.dictionary.to_pylist()],
        pa.large_string(),
    ).take(codes.indices)
    kept = pc.greater(pc.binary_length(folded), 0)
    if not pc.all(kept).as_py():  # words that fold to nothing (lone accents, empty pieces) are dropped
        keep = kept.to_numpy(zero_copy_only=False)
        rows = np.repeat(np.arange(len(words)), np.diff(offsets))
        offsets = np.concatenate([[0], np.cumsum(np.bincount(rows[keep], minlength=len(words)))]).astype(np.int64)
        folded = folded.filter(kept)
    keys = pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets - offsets[0]), folded), space)
    out = keys.to_pandas()
    out.index = frame.index
    return out
