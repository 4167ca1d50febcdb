"""Values shared by the geocoding modules: results and the normalised query."""

from __future__ import annotations

from dataclasses import dataclass

from atlas.text import fold_key

PRECISIONS = ("address", "city", "region", "country")
MANUAL = "manual"
GAZETTEER = "gazetteer"
CACHE_PREFIX = "cache:"


@dataclass(frozen=True)
class GeoResult:
    """Coordinates with how precise they are and where they came from."""

    lat: float
    lon: float
    geo_precision: str  # address | city | region | country
    geo_source: str  # nominatim | gazetteer | manual | cache:<original source> | another geopy service name
    label: str


@dataclass(frozen=True)
class Query:
    """One place to geocode; `country` is an alpha-2 code (or None when the row gave none)."""

    country: str | None
    city: str = ""
    address: str = ""
    admin1: str = ""

    def key(self, level: str) -> str:
        """Cache key of this query at `level` (address | city | country), accent/case/punctuation-insensitive."""
        parts = {"address": (self.admin1, self.city, self.address), "city": (self.admin1, self.city), "country": ()}[
            level
        ]
        return "|".join((level, self.country or "", *(fold_key(p) for p in parts)))

    @property
    def normalised(self) -> tuple[str, str, str, str]:
        """What makes two queries the same look-up: country, admin1, city, address (folded)."""
        return self.country or "", fold_key(self.admin1), fold_key(self.city), fold_key(self.address)

    def describe(self) -> str:
        """Human-readable form for reports: "12 rue X, Saint-Ouen, FR"."""
        return ", ".join(p for p in (self.address, self.city, self.admin1, self.country) if p) or "(empty)"
