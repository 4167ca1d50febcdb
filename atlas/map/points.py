"""The map's points as compact column arrays (not one Python object per marker).

`encode_points` gives each located row's quantised coordinates, escaped name and small integer
codes into shared tables; `pack_points` puts the numbers into one base64 string (9 bytes a point)
and adds the constants the decoder needs, so that `static/atlas/map.js` (`decodePoints`) needs no
value spliced into its code. Every data string passes through `atlas.text.escape` here, once.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from atlas.categories import CATEGORIES, ODC_CATEGORY, ODC_COLOUR, PLACE_COLOUR
from atlas.countries import country_name
from atlas.i18n import CONTENT_LANGS, content_lang, t
from atlas.text import escape, safe_url

CATEGORY_INDEX = {c.id: i for i, c in enumerate(CATEGORIES)}
PLANNED_STYLE = len(CATEGORIES)
PLACE_STYLE = PLANNED_STYLE + 1
COORD_SCALE = 10_000  # coordinates sent as integers of 1e-4 degree (about 11 m)
LAT_OFFSET, LON_OFFSET = 90 * COORD_SCALE, 180 * COORD_SCALE  # make coordinates non-negative for packing
PLACE_BITS = 20  # place codes below 2**20 share 3 bytes with the 4-bit style code
STYLE_LIMIT = 2 ** (24 - PLACE_BITS)


def map_columns(frame: pd.DataFrame, lang: str, rich: bool, highlight: bool) -> list[str]:
    """The columns the map reads (selecting them first keeps row filtering from copying the rest)."""
    wanted = ["lat", "lon", "name", "city", _country_column(lang), "category", "kind", "status"]
    wanted += ["id"] if highlight else []
    wanted += [f"description_{content_lang(lang)}", "website"] if rich else []
    return [c for c in wanted if c in frame]


def escape_all(values: Iterable[Any]) -> list[str]:
    """`escape` of every value, in one call on the values joined by NUL when none holds a NUL.

    `escape` only replaces characters one by one (never NUL), so escaping the joined text and
    splitting it again is escaping each value.
    """
    texts = values if isinstance(values, list) else list(values)
    try:
        joined = "\0".join(texts)
    except TypeError:  # not all strings
        texts = ["" if v is None else str(v) for v in texts]
        joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):
        return [escape(v) for v in texts]
    return escape(joined).split("\0") if texts else []


def encode_points(
    frame: pd.DataFrame, lang: str, rich: bool, highlight: frozenset[str] = frozenset(), ref_prefix: str = ""
) -> dict[str, Any]:
    """Column arrays for the browser: coordinates, escaped names and codes into shared tables.

    `row` holds each point's index label in `frame`; the map reports it back on click
    (after `ref_prefix`, so that points of other layers are never taken for atlas rows).
    `pack_points` turns these arrays into the smaller form the page receives.
    """
    data = columns(frame, lang, rich, highlight, ref_prefix)
    return {key: value.tolist() if isinstance(value, np.ndarray) else value for key, value in data.items()}


def columns(
    frame: pd.DataFrame, lang: str, rich: bool, highlight: frozenset[str] = frozenset(), ref_prefix: str = ""
) -> dict[str, Any]:
    """`encode_points`, with numpy arrays where it has lists of numbers."""
    frame = frame[map_columns(frame, lang, rich, bool(highlight))]
    frame = frame[frame["lat"].notna().to_numpy() & frame["lon"].notna().to_numpy()]
    cities, city_codes = _table(frame["city"])
    countries, country_codes = _table(frame[_country_column(lang)])
    if _country_column(lang) == "country":  # codes: named here in the page's language
        countries = [country_name(c, lang) if c else "" for c in countries]
    codes, categories = pd.factorize(frame["category"], sort=False)  # missing: code -1, the appended 0
    style = np.array([CATEGORY_INDEX.get(c, 0) for c in categories] + [0], dtype=np.int64)[codes]
    kind = frame["kind"].to_numpy()
    planned = (kind == "odc") & (frame["status"].to_numpy() == "planned")
    style = np.where(planned, PLANNED_STYLE, style)
    style = np.where(kind == "place", PLACE_STYLE, style)
    data: dict[str, Any] = {
        "lat": np.rint(frame["lat"].to_numpy(dtype=float) * COORD_SCALE).astype(np.int64),
        "lon": np.rint(frame["lon"].to_numpy(dtype=float) * COORD_SCALE).astype(np.int64),
        "name": escape_all(frame["name"].tolist()),
        "city": city_codes,
        "country": country_codes,
        "style": style,
        "row": frame.index.to_numpy(),
        "ref": ref_prefix,
        "cities": escape_all(cities),
        "countries": escape_all(countries),
    }
    if highlight:
        data["hl"] = np.flatnonzero(frame["id"].isin(highlight).to_numpy())
    if rich:
        data["desc"] = escape_all(_short(d) for d in frame[f"description_{content_lang(lang)}"].fillna(""))
        data["web"] = escape_all(safe_url(w) for w in frame["website"].fillna(""))
    return data


def pack_points(data: dict[str, Any]) -> dict[str, Any]:
    """`encode_points` arrays in the compact form `decodePoints` (static/atlas/map.js) reads.

    - `pts`: base64 of 9 bytes a point, three 3-byte little-endian integers: latitude + `latOffset`
      and longitude + `lonOffset` in 1/`scale` degree, then the place code plus the style code
      × 2**`placeBits` (or, on huge maps, zero and the codes in `place` and `style`);
    - `places`: the escaped city of each place, `pc` its code into `countries` (escaped names);
    - `row0` when the rows are consecutive integer labels, `rowd` the differences between
      integer labels, else `rowv` the labels as escaped text.

    `name`, `ref`, `hl`, `desc` and `web` are passed on as they are.
    """
    lat = np.asarray(data["lat"], dtype=np.int64) + LAT_OFFSET
    lon = np.asarray(data["lon"], dtype=np.int64) + LON_OFFSET
    n_countries = max(len(data["countries"]), 1)
    pair = np.asarray(data["city"], dtype=np.int64) * n_countries + np.asarray(data["country"], dtype=np.int64)
    codes, uniques = pd.factorize(pair, sort=False)
    style = np.asarray(data["style"], dtype=np.int64)
    out: dict[str, Any] = {
        "scale": COORD_SCALE,
        "latOffset": LAT_OFFSET,
        "lonOffset": LON_OFFSET,
        "placeBits": PLACE_BITS,
        "name": data["name"],
        "ref": data["ref"],
    }
    if len(uniques) >= 2**PLACE_BITS or (style >= STYLE_LIMIT).any() or (style < 0).any():
        out.update(place=codes.tolist(), style=style.tolist())
        third = np.zeros(len(lat), dtype=np.int64)
    else:
        third = codes.astype(np.int64) | (style << PLACE_BITS)
    packed = np.empty((len(lat), 9), dtype=np.uint8)
    for k, values in ((0, lat), (3, lon), (6, third)):
        for b in range(3):
            packed[:, k + b] = (values >> (8 * b)) & 0xFF
    out["pts"] = base64.b64encode(packed.tobytes()).decode("ascii")
    out["places"] = [data["cities"][int(p) // n_countries] for p in uniques]
    out["pc"] = (uniques % n_countries).tolist()
    out["countries"] = data["countries"]
    rows = np.asarray(data["row"])
    if rows.dtype.kind in "iu" and (len(rows) < 2 or (np.diff(rows) == 1).all()):
        out["row0"] = int(rows[0]) if len(rows) else 0
    elif rows.dtype.kind in "iu":
        out["rowd"] = np.diff(rows, prepend=0).tolist()
    else:
        out["rowv"] = escape_all(rows.tolist())
    for key in ("hl", "desc", "web"):
        if key in data:
            out[key] = data[key].tolist() if isinstance(data[key], np.ndarray) else data[key]
    return out


def styles(lang: str) -> list[dict[str, Any]]:
    """Marker styles by code: one per category, then the planned-ODC style, then article places."""
    out: list[dict[str, Any]] = [
        {"colour": c.colour, "label": escape(c.label(lang)), "odc": c.id == ODC_CATEGORY} for c in CATEGORIES
    ]
    out.append({"colour": ODC_COLOUR, "label": escape(t("odc_planned", lang)), "odc": True, "planned": True})
    out.append({"colour": PLACE_COLOUR, "label": escape(t("kind_place", lang)), "place": True})
    return out


def _country_column(lang: str) -> str:
    """The frame's column of country names in `lang`, or of country codes when it has none in `lang`."""
    return f"country_name_{lang}" if lang in CONTENT_LANGS else "country"


def _table(values: pd.Series) -> tuple[list[str], np.ndarray]:
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return uniques.tolist(), codes


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
