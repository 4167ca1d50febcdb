"""Filtering the atlas frame: OR within a filter, AND across filters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from atlas.data import SEARCH_COLUMN
from atlas.text import fold

Bounds = tuple[float, float, float, float]  # south, west, north, east


@dataclass(frozen=True)
class Filters:
    """The user's choices; empty tuples mean "no restriction"."""

    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    query: str = ""
    bounds: Bounds | None = None

    def is_empty(self) -> bool:
        return self == Filters()

    def without_bounds(self) -> Filters:
        return replace(self, bounds=None)


def filter_mask(frame: pd.DataFrame, f: Filters) -> np.ndarray:
    """Boolean mask of the rows of `frame` that pass every filter in `f`.

    The ODC status filter restricts ODCs only: organisations have no status and pass it.
    """
    mask = np.ones(len(frame), dtype=bool)
    if f.countries:
        mask &= frame["country"].isin(f.countries).to_numpy()
    if f.categories:
        mask &= frame["category"].isin(f.categories).to_numpy()
    if f.kinds:
        mask &= frame["kind"].isin(f.kinds).to_numpy()
    if f.statuses:
        mask &= (frame["kind"].ne("odc") | frame["status"].isin(f.statuses)).to_numpy()
    if f.bounds is not None:
        mask &= in_bounds(frame, f.bounds)
    for word in dict.fromkeys(fold(f.query).split()):  # each word once; the text search (the slow part)
        rows = np.flatnonzero(mask)  # only looks at rows still in
        if not rows.size:
            break
        keys = frame[SEARCH_COLUMN] if rows.size == len(frame) else frame[SEARCH_COLUMN].iloc[rows]
        mask[rows] = keys.str.contains(literal_pattern(word), regex=True).to_numpy(dtype=bool)
    return mask


def literal_pattern(word: str) -> str:
    """A regular expression matching `word` literally, in Python's `re` and in RE2 alike.

    (For Arrow-backed text pandas searches with RE2, which finds a literal several times faster
    than a plain substring search.) Every ASCII character other than a letter or digit is
    preceded by a backslash, which both engines read as that character itself.
    """
    return "".join("\\" + c if c.isascii() and not c.isalnum() else c for c in word)


def apply_filters(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of `frame` that pass `f` (index kept, so rows stay traceable to the full frame)."""
    return frame[filter_mask(frame, f)]


def in_bounds(frame: pd.DataFrame, bounds: Bounds) -> np.ndarray:
    """Rows whose coordinates lie inside `bounds`; handles views across the antimeridian.

    Across the antimeridian a view comes either wrapped (west 170, east -170) or, as Leaflet
    reports it after a pan, unwrapped (west 170, east 190, or west -190, east -170); a view
    360° wide or more holds every longitude.
    """
    south, west, north, east = bounds
    lat, lon = frame["lat"].to_numpy(dtype=float), frame["lon"].to_numpy(dtype=float)
    inside_lat = (lat >= south) & (lat <= north)
    if -180 <= west <= east <= 180:
        inside_lon = (lon >= west) & (lon <= east)
    elif east - west >= 360:
        inside_lon = np.isfinite(lon)
    else:
        with np.errstate(invalid="ignore"):
            inside_lon = np.mod(lon - west, 360.0) <= (east - west) % 360.0
    return inside_lat & inside_lon


def option_counts(frame: pd.DataFrame, f: Filters, column: str, field: str) -> pd.Series:
    """Counts per value of `column` under every filter except the one on `field` (for option labels)."""
    unset: dict[str, Any] = {field: ()}
    return apply_filters(frame, replace(f, **unset)).groupby(column, sort=False).size()
