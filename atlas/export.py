"""Downloads: CSV safe to open in a spreadsheet, and GeoJSON, of exactly the rows shown.

Every CSV the atlas gives to people and other systems goes through this module's writers (`to_csv`
for a frame, `write_csv` for rows: the page's download, the HSDS package of the page and of
`atlas db export --format hsds`), so every one of them is neutralised against CSV injection
(`neutralise`). URL columns (`URL_COLUMNS`) keep only http(s) URLs, in CSV and GeoJSON alike. The
data-folder export (`atlas db export`, format csv) is the other kind of file: the raw, re-importable
dump of the database, not meant to be opened in a spreadsheet (docs/security-data.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from atlas import labels
from atlas.categories import category_label
from atlas.countries import country_name, is_country_code
from atlas.i18n import CONTENT_LANGS, content_lang, t
from atlas.schema import http_url_mask
from atlas.text import safe_url

# The downloads' columns (documented in docs/data/index.md): stable names and codes, each code followed by
# its label in the page's language (`*_label`, `country_name`).
EXPORT_COLUMNS = (
    "id",
    "kind",
    "kind_label",
    "name",
    "category",
    "category_label",
    "country",
    "country_name",
    "city",
    "address",
    "postcode",
    "region",
    "lat",
    "lon",
    "geo_precision",
    "geo_precision_label",
    "status",
    "status_label",
    "opened",
    "website",
    "description",
    "source",
)
# The table on the page: labels only (no codes, no ids), in this order; `id` stays in the frame, unseen.
TABLE_COLUMNS = (
    "name",
    "kind_label",
    "category_label",
    "country_name",
    "city",
    "status_label",
    "opened",
    "geo_precision_label",
    "website",
)
# Translation key prefix of each coded column's labels.
LABEL_KEYS = {"kind": labels.KIND, "geo_precision": labels.PRECISION_LABEL, "status": labels.STATUS}
# A cell a spreadsheet would run as a formula starts with one of these. The full-width ＝ ＋ － ＠
# (U+FF1D, U+FF0B, U+FF0D, U+FF20) are here too, a decision not a certainty: Excel's and LibreOffice's
# formula syntax uses the ASCII signs and we could not confirm either runs a full-width one when
# opening a CSV (no spreadsheet to try here), but East-Asian input methods type these signs where
# ASCII ones are meant, spreadsheet width conversions (ASC, JIS) and re-editing a cell can turn them
# into ASCII, and OWASP's CSV-injection guidance as cited by other projects lists them. The prefix
# costs an apostrophe on a rare cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
URL_COLUMNS = ("website", "url")  # columns holding a link: anything but an http(s) URL is left out
MAX_NAMED_COUNTRIES = 6  # beyond this, a file name gives the number of countries, not their codes


def code_label(column: str, code: object, lang: str) -> str:
    """The label of a coded value in `lang` ("status", "open", "fr" -> "Ouvert"); "" for no value, the
    code itself when it has no label."""
    if not isinstance(code, str) or not code:
        return ""
    if column == "category":
        return category_label(code, lang)
    key = LABEL_KEYS[column].get(code)
    return t(key, lang) if key else code


def export_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The documented export columns, with the labels, country name and description in `lang`."""
    labels = {
        f"{col}_label": frame[col].map({c: code_label(col, c, lang) for c in frame[col].unique()}).astype(str)
        for col in ("kind", "category", "geo_precision", "status")
    }
    out = frame.assign(
        **labels,
        country_name=frame[f"country_name_{lang}"]
        if lang in CONTENT_LANGS
        else frame["country"].map({c: country_name(c, lang) for c in frame["country"].unique()}),
        description=frame[f"description_{content_lang(lang)}"],
    )
    return safe_url_columns(out[list(EXPORT_COLUMNS)].reset_index(drop=True))


def safe_url_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every URL column's values that are not http(s) URLs emptied (a copy when any is)."""
    out = frame
    for col in URL_COLUMNS:
        if col in frame and (frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])):
            text = frame[col].fillna("")
            text = text.astype(str) if text.dtype == object else text
            ok = http_url_mask(text) | (text == "").to_numpy()
            if not ok.all():  # a URL with spaces around it (the plain-URL match is of the whole value)
                ok[~ok] = http_url_mask(text[~ok].str.strip())
            if not ok.all():
                out = out.copy() if out is frame else out
                out[col] = frame[col].where(ok, "")
    return out


def neutralise(value: object) -> object:
    """OWASP CSV-injection defence: prefix a cell that a spreadsheet would run as a formula.

    Numbers (including negative ones such as -3.5) stay numbers.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a BOM, so spreadsheets detect the encoding) with every text cell neutralised.

    Lines end with CRLF (RFC 4180): the csv writer then quotes every cell holding a CR or an LF,
    so a line break inside a cell can never start a row of its own.
    """
    safe = safe_url_columns(frame).copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = neutralise_column(safe[col])
    fast = _csv_bytes(safe)
    return (
        b"\xef\xbb\xbf" + fast
        if fast is not None
        else safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    )


_FORMULA_HINT = "^[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]"  # the cells `neutralise` may change


def neutralise_column(values: pd.Series) -> pd.Series:
    """`neutralise` of every cell; for text columns only the cells starting like a formula are visited."""
    if values.dtype == object or not pd.api.types.is_string_dtype(values):
        return values.map(neutralise)
    hint = values.str.contains(_FORMULA_HINT, regex=True).to_numpy(dtype=bool, na_value=False)
    if not hint.any():
        return values
    out = values.copy()
    out[hint] = [neutralise(v) for v in values[hint]]
    return out


def cell_text(value: object) -> str:
    """A value as a CSV cell's text: nothing for None and non-finite numbers, floats as `repr` gives them."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(float(value)) if math.isfinite(value) else ""
    return str(value)


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = False) -> bytes:
    """UTF-8 CSV of `rows` (cells in the order of `columns`), every cell neutralised as `to_csv`'s are.

    Lines end with CRLF (RFC 4180), so a line break inside a cell is always quoted. `bom` puts the
    UTF-8 BOM first (for files opened in a spreadsheet; data packages go without).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    writer.writerows([neutralise(cell_text(c)) for c in row] for row in rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def _csv_bytes(frame: pd.DataFrame) -> bytes | None:
    """UTF-8 bytes of `frame.to_csv(index=False, lineterminator="\\r\\n")`, built column-wise by Arrow.

    For frames of two or more text and float64 columns (None for anything else). The cells are
    those pandas writes (floats as numpy prints them, missing values empty) and the quoting is the
    `csv` writer's QUOTE_MINIMAL: a cell holding a comma, a quote, CR or LF is put in quotes, with
    its quotes doubled.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow comes with pandas/streamlit
        return None
    if len(frame.columns) < 2:  # (a lone empty cell would be written as "")
        return None

    def lit(value: str) -> pa.Scalar:
        return pa.scalar(value, pa.large_string())

    cells = []
    for col in frame.columns:
        values = frame[col]
        if values.dtype == np.float64:
            text = values.to_numpy().astype(str)
            text[values.isna().to_numpy()] = ""
            column = pa.array(text, pa.large_string())
        elif pd.api.types.is_string_dtype(values) and values.dtype != object:
            column = pc.fill_null(pa.array(values, pa.large_string()), lit(""))
        else:
            return None
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        quote = pc.match_substring_regex(column, '[,"\r\n]')
        if pc.any(quote).as_py():
            quoted = pc.binary_join_element_wise(lit('"'), pc.replace_substring(column, '"', '""'), lit('"'), lit(""))
            column = pc.if_else(quote, quoted, column)
        cells.append(column)
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow([str(c) for c in frame.columns])
    if not len(frame):
        return header.getvalue().encode("utf-8")
    rows = pc.binary_join_element_wise(*cells, lit(","))
    body = pc.binary_join(pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows), lit("\r\n"))
    return header.getvalue().encode("utf-8") + body[0].as_buffer().to_pybytes() + b"\r\n"


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection; rows without coordinates get a null geometry. Always valid JSON."""
    features = []
    columns = [c for c in frame.columns if c not in ("lat", "lon")]
    for record in frame.to_dict("records"):
        lat, lon = record.get("lat"), record.get("lon")
        located = isinstance(lat, float) and isinstance(lon, float) and math.isfinite(lat) and math.isfinite(lon)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]} if located else None,
                "properties": {c: _plain(_link(record[c]) if c in URL_COLUMNS else record[c]) for c in columns},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def _link(value: object) -> object:
    return value if value is None or (isinstance(value, float) and not math.isfinite(value)) else safe_url(value)


def _plain(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def export_filename(
    countries: tuple[str, ...], extension: str, today: dt.date | None = None, filtered: bool = False
) -> str:
    """A name that says what was filtered: `social-tech-atlas_BE-FR_2026-11-28.csv` (codes sorted).

    More than MAX_NAMED_COUNTRIES countries give `..._12-countries_...`, so the name stays short.
    """
    day = (today or dt.date.today()).isoformat()
    valid = sorted({c for c in countries if is_country_code(c)})
    codes = "-".join(valid) if len(valid) <= MAX_NAMED_COUNTRIES else f"{len(valid)}-countries"
    scope = codes or ("filtered" if filtered else "all")
    if codes and filtered:
        scope += "_filtered"
    return f"social-tech-atlas_{scope}_{day}.{extension}"
