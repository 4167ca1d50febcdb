"""Filtering the atlas frame: OR within a filter, AND across filters."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    for word in fold(f.query).split():
        mask &= frame[SEARCH_COLUMN].str.contains(word, regex=False).to_numpy()
    if f.bounds is not None:
        mask &= in_bounds(frame, f.bounds)
    return mask


def apply_filters(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of `frame` that pass `f` (index kept, so rows stay traceable to the full frame)."""
    return frame[filter_mask(frame, f)]


def in_bounds(frame: pd.DataFrame, bounds: Bounds) -> np.ndarray:
    """Rows whose coordinates lie inside `bounds`; handles views across the antimeridian."""
    south, west, north, east = bounds
    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
    inside_lat = (lat >= south) & (lat <= north)
    inside_lon = (lon >= west) & (lon <= east) if west <= east else (lon >= west) | (lon <= east)
    return inside_lat & inside_lon


def option_counts(frame: pd.DataFrame, f: Filters, column: str, field: str) -> pd.Series:
    """Counts per value of `column` under every filter except the one on `field` (for option labels)."""
    return apply_filters(frame, replace(f, **{field: ()})).groupby(column, sort=False).size()
