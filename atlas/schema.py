"""The one schema of the atlas files, and the row validation that enforces it.

Every problem names the file, the row (its line number in the file; the header is line 1),
the column and the value. An *error* drops the row; a *warning* keeps it (the value is
cleaned when it cannot be used as is).
"""

from __future__ import annotations

import dataclasses
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from atlas.categories import CATEGORY_IDS
from atlas.countries import is_country_code
from atlas.text import INVISIBLE, is_http_url

Severity = Literal["error", "warning"]
GEO_PRECISIONS = ("address", "city", "region", "country")
ODC_STATUSES = ("open", "planned")
KINDS = ("organisation", "odc")
MAX_TEXT = 2000  # characters kept from a text cell; longer cells are cut with a warning
# Characters that are not text: controls, bidirectional overrides, zero-width and format characters
# (`atlas.text.INVISIBLE`, where they are listed): removed from every text cell, with a warning.
CONTROL = INVISIBLE
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MONTH = re.compile(r"(19[89][0-9]|20[0-9][0-9]|2100)(?:-(0[1-9]|1[0-2]))?")  # ASCII digits, with re and RE2 alike
GEO_SOURCE = re.compile(r"(?:cache:)?[a-z][a-z0-9_]*")
# Markup in a text cell, reported as a warning (the text is kept, and always shown as text): HTML tags,
# entities and script URLs, and the Markdown that would make a link, an image, coloured text or a
# formula if it were ever rendered: [text](url), ![alt](src), :red[…]-style directives and $math$
# (as Streamlit detects it). Bare URLs, e-mail addresses and emphasis characters are not flagged:
# they are ordinary in names, descriptions and sources (a source may cite a web page), and the page
# never turns them into links or formatting.
MARKUP = re.compile(
    r"<\s*[a-zA-Z/!?]|&#?\w+;|javascript:"
    r"|\[[^\]\n]*\]\(|:[a-z][\w-]*\[|\$\$[\s\S]+?\$\$|\$(?!\s)[^$\n]+?(?<!\s)\$",
    re.IGNORECASE,
)
MARKUP_HINT = "[<&\\[$]|[pP][tT]:"  # every MARKUP match holds one of these; only such cells are searched
# http(s) URLs that `is_http_url` certainly accepts (ASCII host, none of the characters it rejects);
# they are recognised in bulk, every other value goes through `is_http_url` itself.
PLAIN_URL = r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!#-&(-;=?-Z^_a-z{-~]*)?"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, located precisely."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        what = "" if self.column is None else f" {self.column}"
        if self.value is not None:
            what += f" {show_value(self.value)}"
        return f"{where}:{what} {self.message}".replace(":  ", ": ")


def show_value(value: object, limit: int = 60, quote: bool = True) -> str:
    """A value quoted for a message: control characters made visible, long values cut to `limit`.

    Text is quoted (`quote=False` leaves the quotes out); any other value is shown by a bounded
    `repr` that never builds more than `limit` characters, however large or deeply nested the
    value is (a YAML alias bomb expands to millions of items when printed whole).
    """
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value[: limit + 1]  # cut before escaping: a huge cell is never copied whole
        if any(ord(c) < 32 for c in text):
            text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    else:
        return _cut(_REPR.repr(value), limit)
    text = _cut(text, limit)
    return f"'{text}'" if quote else text


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_REPR = reprlib.Repr()  # (keyword arguments only from Python 3.12)
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 60, 60
_REPR.maxtuple = _REPR.maxlist = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 4


@dataclass(frozen=True)
class FileSchema:
    """Columns of one CSV file: those the header must have, those a row must fill."""

    kind: str
    filename: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    nonempty: tuple[str, ...]
    order: tuple[str, ...] = ()  # the file's column order (every column), as written by exports
    written: tuple[str, ...] = ()  # optional columns a written file always has, even when no row fills them

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def file_columns(self) -> tuple[str, ...]:
        """Every column in the order a file written by the atlas has them."""
        return self.order or self.columns


ORGANISATIONS = FileSchema(
    kind="organisation",
    filename="organisations.csv",
    required=(
        "id",
        "name",
        "category",
        "country",
        "city",
        "address",
        "lat",
        "lon",
        "geo_precision",
        "website",
        "description_en",
        "description_fr",
        "source",
    ),
    optional=("aliases", "geo_source", "postcode", "region"),
    nonempty=("id", "name", "category", "country", "source"),
    order=(
        "id",
        "name",
        "aliases",
        "category",
        "country",
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
        "source",
    ),
    written=("postcode", "region"),
)
ODCS = FileSchema(
    kind="odc",
    filename="odc.csv",
    required=("id", "name", "country", "city", "lat", "lon", "geo_precision", "status", "opened", "source"),
    optional=("address", "geo_source", "description_en", "description_fr", "website", "postcode", "region"),
    nonempty=("id", "name", "country", "status", "source"),
    order=(
        "id",
        "name",
        "country",
        "city",
        "address",
        "postcode",
        "region",
        "lat",
        "lon",
        "geo_precision",
        "geo_source",
        "status",
        "opened",
        "website",
        "description_en",
        "description_fr",
        "source",
    ),
    written=("postcode", "region"),
)
SCHEMAS: dict[str, FileSchema] = {s.kind: s for s in (ORGANISATIONS, ODCS)}
TEXT_COLUMNS = (
    "name",
    "aliases",
    "city",
    "address",
    "postcode",
    "region",
    "description_en",
    "description_fr",
    "source",
)


class _Collector:
    """Gathers problems for one table and remembers which rows to drop."""

    def __init__(self, table: pd.DataFrame, file: str) -> None:
        self.table, self.file = table, file
        self.problems: list[Problem] = []
        self.drop = np.zeros(len(table), dtype=bool)

    def flag(self, mask: pd.Series | np.ndarray, column: str, message: str, severity: Severity = "error") -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        lines = self.table["_line"].to_numpy()
        values = self.table[column].to_numpy() if column in self.table else [None] * len(lines)
        for i in np.flatnonzero(mask):
            self.problems.append(Problem(self.file, int(lines[i]), column, values[i], message, severity))
        if severity == "error":
            self.drop |= mask


def validate_rows(table: pd.DataFrame, schema: FileSchema, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of `table` (all cells as str, plus a `_line` column) against `schema`.

    Returns the kept rows with typed, cleaned columns, and the problems found.
    """
    c = _Collector(table, file)
    text = {col: table[col].str.strip() for col in schema.columns if col in table}
    for col in TEXT_COLUMNS:  # control characters go first, so that a name made of them is empty
        if col in text:
            control = text[col].str.contains(CONTROL.pattern, regex=True).to_numpy(dtype=bool, na_value=False)
            if control.any():
                c.flag(control, col, "contains control characters; they were removed", "warning")
                text[col] = text[col].str.replace(CONTROL.pattern, "", regex=True).str.strip()
    for col in schema.nonempty:
        c.flag(text[col] == "", col, "is required but empty")
    c.flag(
        (text["id"] != "") & ~text["id"].str.fullmatch(SLUG.pattern),
        "id",
        "is not a slug (lower-case letters, digits and single hyphens)",
    )
    if "category" in text:
        c.flag(
            (text["category"] != "") & ~text["category"].isin(CATEGORY_IDS),
            "category",
            f"is not a known category ({', '.join(CATEGORY_IDS)})",
        )
    if "status" in text:
        c.flag((text["status"] != "") & ~text["status"].isin(ODC_STATUSES), "status", "must be 'open' or 'planned'")
    _check_countries(c, text["country"])
    _check_coordinates(c, text)
    web_ok = http_url_mask(text["website"]) if "website" in text else np.ones(len(table), dtype=bool)
    _check_optional(c, text, web_ok)
    for col in TEXT_COLUMNS:
        if col in text:
            c.flag(markup_mask(text[col]), col, "contains markup; it will be shown as plain text", "warning")
            c.flag(text[col].str.len() > MAX_TEXT, col, f"is longer than {MAX_TEXT} characters; it was cut", "warning")

    kept = ~c.drop
    out = pd.DataFrame(
        {col: (text[col][kept] if col in text else "") for col in schema.columns}, index=table.index[kept]
    )
    for col in TEXT_COLUMNS:
        if col in out:
            out[col] = out[col].str.slice(0, MAX_TEXT)
    for col in ("lat", "lon"):
        out[col] = pd.to_numeric(out[col].replace("", np.nan), errors="coerce").astype("float64")
    if "website" in out:
        out["website"] = out["website"].where(web_ok[kept], "")
    if "geo_source" in out:
        out["geo_source"] = out["geo_source"].where(out["geo_source"].str.fullmatch(GEO_SOURCE.pattern), "")
    if "opened" in out:
        out["opened"] = out["opened"].where(out["opened"].str.fullmatch(MONTH.pattern), "")
    out["_line"] = table["_line"][kept]
    return out.reset_index(drop=True), c.problems


def validate_record(
    record: Mapping[str, object], schema: FileSchema, label: str = "form"
) -> tuple[dict[str, object] | None, list[Problem]]:
    """Check one record (say, what a visitor typed in a form) with exactly the rules of a file row.

    Returns the cleaned, typed record — None when an error drops it — and the problems, which name
    the field and value as a file's do (with no row number). Missing fields count as empty.
    """
    cells = {col: "" if record.get(col) is None else str(record.get(col)) for col in schema.columns}
    for col in ("lat", "lon"):  # numbers from a form: written as a file would hold them
        value = record.get(col)
        if isinstance(value, float) and value != value:  # NaN: no coordinate
            cells[col] = ""
    table = pd.DataFrame({col: [value] for col, value in cells.items()} | {"_line": [0]})
    out, problems = validate_rows(table, schema, label)
    problems = [dataclasses.replace(p, row=None) for p in problems]
    if out.empty:
        return None, problems
    row = out.drop(columns="_line").iloc[0].to_dict()
    return {str(k): (None if isinstance(v, float) and v != v else v) for k, v in row.items()}, problems


def _check_countries(c: _Collector, country: pd.Series) -> None:
    known = {v: is_country_code(v) for v in country.unique()}
    c.flag((country != "") & ~country.map(known), "country", "is not an ISO 3166-1 alpha-2 country code (e.g. FR, BE)")


def _check_coordinates(c: _Collector, text: dict[str, pd.Series]) -> None:
    present = {}
    for col, bound in (("lat", 90.0), ("lon", 180.0)):
        raw = text[col]
        num = pd.to_numeric(raw, errors="coerce")
        filled = raw != ""
        c.flag(
            filled & num.isna() & ~raw.str.lower().isin(["nan", "inf", "-inf", "+inf", "infinity"]),
            col,
            "is not a number",
        )
        c.flag(
            filled & (raw.str.lower().isin(["nan", "inf", "-inf", "+inf", "infinity"]) | np.isinf(num)),
            col,
            "is not a finite number",
        )
        c.flag(num.abs().gt(bound) & np.isfinite(num), col, f"is outside [-{bound:g}, {bound:g}]")
        present[col] = filled
    c.flag(present["lat"] ^ present["lon"], "lat", "and lon must be given together")
    prec = text["geo_precision"]
    c.flag(
        present["lat"] & ~prec.isin(GEO_PRECISIONS),
        "geo_precision",
        f"must be one of {', '.join(GEO_PRECISIONS)} when coordinates are given",
    )
    c.flag(
        ~present["lat"] & ~present["lon"],
        "lat",
        "is empty: the row is kept but not shown on the map (run `atlas geocode`)",
        "warning",
    )


def http_url_mask(values: pd.Series) -> np.ndarray:
    """`is_http_url` of every value (strings): plain URLs matched in bulk, the others one by one."""
    plain = values.str.fullmatch(PLAIN_URL).to_numpy(dtype=bool, na_value=False)
    out = plain.copy()
    if not plain.all():
        rest = values[~plain]
        ok = {v: is_http_url(v) for v in rest.unique()}
        out[~plain] = [ok[v] for v in rest]
    return out


def url_problem(value: str, column: str = "url") -> str | None:
    """None when `value` is empty or an http(s) URL; else the message saying the link was dropped
    (`column` and the value shown as every problem shows them). The importer's check of a row's
    page in its source (`url`, JSON-LD's sameAs); `website` is checked with the row's other fields."""
    if not value.strip() or is_http_url(value):
        return None
    return f"{column} {show_value(value)} is not an http(s) URL; the link was dropped"


def markup_mask(values: pd.Series) -> np.ndarray:
    """Cells (strings) where `MARKUP` matches; only those holding one of its characters are searched."""
    hint = values.str.contains(MARKUP_HINT, regex=True).to_numpy(dtype=bool, na_value=False)
    out = np.zeros(len(values), dtype=bool)
    where = np.flatnonzero(hint)
    if where.size:
        out[where] = [MARKUP.search(v) is not None for v in values.iloc[where]]
    return out


def _check_optional(c: _Collector, text: dict[str, pd.Series], web_ok: np.ndarray) -> None:
    if "website" in text:
        web = text["website"]
        c.flag((web != "").to_numpy() & ~web_ok, "website", "is not an http(s) URL; the link was removed", "warning")
    if "opened" in text:
        opened = text["opened"]
        c.flag(
            (opened != "") & ~opened.str.fullmatch(MONTH.pattern),
            "opened",
            "is not a date of the form YYYY or YYYY-MM; it was cleared",
            "warning",
        )
    if "geo_source" in text:
        src = text["geo_source"]
        c.flag(
            (src != "") & ~src.str.fullmatch(GEO_SOURCE.pattern),
            "geo_source",
            "is not a geocoding source (manual, gazetteer, nominatim, cache:…)",
            "warning",
        )
