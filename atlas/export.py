"""Downloads: CSV safe to open in a spreadsheet, and GeoJSON, of exactly the rows shown."""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import pandas as pd

from atlas.categories import category_label
from atlas.countries import is_country_code

EXPORT_COLUMNS = (
    "id", "kind", "name", "category", "category_label", "country", "country_name", "city", "address", "lat", "lon",
    "geo_precision", "status", "opened", "website", "description", "source",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def export_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The documented export columns, with category label, country name and description in `lang`."""
    labels = {c: category_label(c, lang) for c in frame["category"].unique()}
    out = frame.assign(category_label=frame["category"].map(labels).astype(str),
                       country_name=frame[f"country_name_{lang}"], description=frame[f"description_{lang}"])
    return out[list(EXPORT_COLUMNS)].reset_index(drop=True)


def neutralise(value: object) -> object:
    """OWASP CSV-injection defence: prefix a cell that a spreadsheet would run as a formula.

    Numbers (including negative ones such as -3.5) stay numbers.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a BOM, so spreadsheets detect the encoding) with every text cell neutralised."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection; rows without coordinates get a null geometry. Always valid JSON."""
    features = []
    columns = [c for c in frame.columns if c not in ("lat", "lon")]
    for record in frame.to_dict("records"):
        lat, lon = record.get("lat"), record.get("lon")
        located = isinstance(lat, float) and isinstance(lon, float) and math.isfinite(lat) and math.isfinite(lon)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if located else None,
            "properties": {c: _plain(record[c]) for c in columns},
        })
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _plain(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def export_filename(countries: tuple[str, ...], extension: str, today: dt.date | None = None,
                    filtered: bool = False) -> str:
    """A name that says what was filtered: `social-tech-atlas_FR-BE_2026-11-28.csv`."""
    day = (today or dt.date.today()).isoformat()
    codes = "-".join(sorted(c for c in countries if is_country_code(c)))
    scope = codes or ("filtered" if filtered else "all")
    if codes and filtered:
        scope += "_filtered"
    return f"social-tech-atlas_{scope}_{day}.{extension}"
