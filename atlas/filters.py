"""Filtering the atlas frame: OR within a filter, AND across filters."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from atlas.data import SEARCH_COLUMN
from atlas.regions import countries_in, regions
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
    regions: tuple[str, ...] = ()  # UN M49 region codes: their countries join `countries` (OR)

    def is_empty(self) -> bool:
        return self == Filters()

    def without_bounds(self) -> Filters:
        return replace(self, bounds=None)


class Codes(NamedTuple):
    """A text column as integer codes (one per row; -1 where empty) and the values they stand for."""

    codes: np.ndarray
    values: tuple[str, ...]

    def allowed(self, chosen: Iterable[str]) -> np.ndarray:
        """The rows whose value is among `chosen` (a lookup by code, no string comparison)."""
        wanted = set(chosen)
        table = np.fromiter((v in wanted for v in self.values), dtype=bool, count=len(self.values))
        return np.append(table, False)[self.codes]  # code -1 (empty) reads the appended False

    def tally(self, mask: np.ndarray) -> dict[str, int]:
        """How many rows of `mask` hold each value (values with no row left out)."""
        counts = np.bincount(self.codes[mask & (self.codes >= 0)], minlength=len(self.values))
        return {v: int(n) for v, n in zip(self.values, counts, strict=True) if n}


class FrameIndex(NamedTuple):
    """The filtered columns of one atlas frame as codes: built once per frame (per data revision)."""

    country: Codes
    category: Codes
    kind: Codes
    status: Codes


def _codes(column: pd.Series) -> Codes:
    codes, uniques = pd.factorize(column.fillna("").astype(str).to_numpy(dtype=object))
    values = [str(v) for v in uniques]
    if "" in values:  # an empty cell is no value
        empty = values.index("")
        codes = np.where(codes == empty, -1, np.where(codes > empty, codes - 1, codes))
        values.pop(empty)
    return Codes(codes.astype(np.int32), tuple(values))


_INDEXES: dict[int, tuple[weakref.ref[pd.DataFrame], FrameIndex]] = {}
_TEXT: dict[tuple[int, str], tuple[weakref.ref[pd.DataFrame], np.ndarray]] = {}
_LOCK = threading.Lock()
_TEXT_KEEP = 64  # text masks kept (one per frame and word; a few hundred KB at 100,000 rows)


def frame_index(frame: pd.DataFrame) -> FrameIndex:
    """The codes of `frame`'s filtered columns, made on first use and kept while the frame lives.

    Frames are immutable here (the loaders share one frame per data revision), so the frame's
    identity is its key; a frame that is garbage-collected drops its index.
    """
    key = id(frame)
    with _LOCK:
        held = _INDEXES.get(key)
        if held is not None and held[0]() is frame:
            return held[1]
    index = FrameIndex(*(_codes(frame[c]) for c in ("country", "category", "kind", "status")))
    with _LOCK:
        _INDEXES[key] = (weakref.ref(frame, lambda _: _INDEXES.pop(key, None)), index)
    return index


def _word_mask(frame: pd.DataFrame, word: str) -> np.ndarray:
    """Rows whose search text contains `word` (folded), kept per frame and word: typing a longer
    query, or counting the options of a searched view, does not search again."""
    key = (id(frame), word)
    with _LOCK:
        held = _TEXT.get(key)
        if held is not None and held[0]() is frame:
            return held[1]
    mask = frame[SEARCH_COLUMN].str.contains(literal_pattern(word), regex=True).to_numpy(dtype=bool)
    mask.setflags(write=False)
    with _LOCK:
        while len(_TEXT) >= _TEXT_KEEP:
            _TEXT.pop(next(iter(_TEXT)))
        _TEXT[key] = (weakref.ref(frame), mask)
    return mask


class Parts:
    """Each filter's own mask over `frame`, computed once: a row passes when it passes every part.

    Counting the options of one filter means every part but that filter's: with the parts at hand
    each count is a few array operations (`counts`), not a filtering of the frame per option.
    """

    def __init__(self, frame: pd.DataFrame, f: Filters) -> None:
        self.size = len(frame)
        self.index = frame_index(frame)
        parts: dict[str, np.ndarray] = {}
        if f.countries or f.regions:
            parts["places"] = self.index.country.allowed(set(f.countries) | countries_in(f.regions))
        if f.categories:
            parts["categories"] = self.index.category.allowed(f.categories)
        if f.kinds:
            parts["kinds"] = self.index.kind.allowed(f.kinds)
        if f.statuses:
            parts["statuses"] = ~self.index.kind.allowed(("odc",)) | self.index.status.allowed(f.statuses)
        if f.bounds is not None:
            parts["bounds"] = in_bounds(frame, f.bounds)
        words = list(dict.fromkeys(fold(f.query).split()))
        if words:
            text = np.ones(self.size, dtype=bool)
            for word in words:
                text &= _word_mask(frame, word)
            parts["query"] = text
        self.parts = parts

    def mask(self, *without: str) -> np.ndarray:
        """Rows passing every part except those named (`places`, `categories`, `kinds`, `statuses`…)."""
        mask = np.ones(self.size, dtype=bool)
        for name, part in self.parts.items():
            if name not in without:
                mask &= part
        return mask


def filter_mask(frame: pd.DataFrame, f: Filters) -> np.ndarray:
    """Boolean mask of the rows of `frame` that pass every filter in `f`.

    The ODC status filter restricts ODCs only: organisations have no status and pass it. Countries
    and regions both choose places: a row passes when its country is chosen or lies in a chosen region.
    """
    return Parts(frame, f).mask()


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


class OptionCounts(NamedTuple):
    """The count beside every option of the filters: what choosing that option alone would show."""

    countries: dict[str, int]
    regions: dict[str, int]
    categories: dict[str, int]
    kinds: dict[str, int]
    statuses: dict[str, int]


def option_counts(frame: pd.DataFrame, f: Filters) -> OptionCounts:
    """Counts per option of every filter, each under every other filter (countries and regions
    choose places together, so both are left out of each other's counts)."""
    parts = Parts(frame, f)
    index = parts.index
    places = parts.mask("places")
    per_country = index.country.tally(places)
    codes = {code: i for i, code in enumerate(index.country.values)}
    by_code = np.bincount(index.country.codes[places & (index.country.codes >= 0)], minlength=len(codes))
    per_region = {
        code: int(sum(by_code[codes[c]] for c in region.countries if c in codes)) for code, region in regions().items()
    }
    odc = index.kind.allowed(("odc",))
    return OptionCounts(
        countries=per_country,
        regions=per_region,
        categories=index.category.tally(parts.mask("categories")),
        kinds=index.kind.tally(parts.mask("kinds")),
        statuses=index.status.tally(parts.mask("statuses") & odc),
    )


def place_counts(frame: pd.DataFrame, f: Filters) -> tuple[pd.Series, dict[str, int]]:
    """Counts per country and per region under every filter but the places (countries, regions).

    Both filters choose places together, so each option's count is what it would show alone.
    """
    counts = option_counts(frame, f)
    return pd.Series(counts.countries, dtype="int64"), counts.regions
