"""Geocoding: "city, country" or a street address to coordinates, online (geopy) or offline.

Public API: `GeoResult`, `geocode_place`, `geocode_frame`; `gazetteer.get_gazetteer()`;
`pipeline.Geocoder`. The `atlas geocode` command lives in `cli`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from atlas import config
from atlas.geocoding.frame import GeocodeReport, geocode_frame
from atlas.geocoding.models import GeoResult
from atlas.geocoding.pipeline import Geocoder

__all__ = ["GeoResult", "GeocodeReport", "Geocoder", "geocode_frame", "geocode_place"]


@lru_cache(maxsize=4)
def _offline_geocoder(cache: Path) -> Geocoder:
    return Geocoder(cache)


def geocode_place(city: str | None, country: str | None, address: str | None = None) -> GeoResult | None:
    """Offline geocoding (cache at `config.cache_path()`, then the gazetteer); None when unknown."""
    return _offline_geocoder(config.cache_path()).geocode(city, country, address)
