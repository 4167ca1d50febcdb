"""Shared fakes for the articles tests: a tiny gazetteer and organisation list (no real data needed)."""

from __future__ import annotations

import pytest

from atlas.articles.orgs import KnownOrganisation
from atlas.geocoding.gazetteer import Place
from atlas.text import fold_key

# (name, country, lat, lon, population, alternate names)
PLACES = [
    ("Foligno", "IT", 42.95, 12.70, 56000, ()),
    ("Montefalco", "IT", 42.89, 12.65, 1300, ()),
    ("Lille", "FR", 50.63, 3.06, 230000, ()),
    ("Paris", "FR", 48.85, 2.35, 2100000, ()),
    ("Brussels", "BE", 50.85, 4.35, 1000000, ("Bruxelles", "Brussel")),
    ("Lisbon", "PT", 38.72, -9.14, 517000, ("Lisbonne", "Lisboa")),
    ("Saint-Ouen", "FR", 48.91, 2.33, 39000, ("Saint-Ouen-sur-Seine",)),
    ("Mannheim", "DE", 49.49, 8.47, 300000, ()),
    ("Toulouse", "FR", 43.60, 1.44, 430000, ()),
    ("Orange", "FR", 44.14, 4.81, 30000, ()),
    ("Orange", "AU", -33.28, 149.10, 42000, ()),
    ("Time", "NO", 58.72, 5.66, 19000, ()),
    ("Charlotte", "US", 35.23, -80.84, 900000, ()),
    ("Start", "US", 32.49, -91.86, 800, ()),
    ("Union", "US", 40.70, -74.26, 56000, ()),
    ("Nice", "FR", 43.70, 7.27, 340000, ()),
]


class FakeGazetteer:
    """Same interface as `atlas.geocoding.gazetteer.Gazetteer.find/has_name`, over `PLACES`."""

    def __init__(self) -> None:
        self.index: dict[str, list[Place]] = {}
        for name, country, lat, lon, pop, alternates in PLACES:
            place = Place(name, country, "", lat, lon, pop)
            for key in {fold_key(n) for n in (name, *alternates)}:
                self.index.setdefault(key, []).append(place)
        for places in self.index.values():
            places.sort(key=lambda p: -p.population)

    def find(self, name: str, country: str | None = None) -> list[Place]:
        return [p for p in self.index.get(fold_key(name), []) if country in (None, p.country)]

    def has_name(self, name: str) -> bool:
        return fold_key(name) in self.index


ORGANISATIONS = [
    KnownOrganisation("soga", ("Social Good Accelerator", "SOGA")),
    KnownOrganisation("emmaus-connect", ("Emmaüs Connect", "Emmaus Connect")),
    KnownOrganisation("openai", ("OpenAI", "Open-AI", "OpenIA")),
    KnownOrganisation("orange", ("Orange", "Groupe Orange")),
    KnownOrganisation("fondation-orange", ("Fondation Orange",)),
    KnownOrganisation("helloasso", ("HelloAsso",)),
    KnownOrganisation("vendredi", ("Vendredi",)),
    KnownOrganisation("openstreetmap-foundation", ("OpenStreetMap Foundation", "OpenStreetMap", "OSM")),
    KnownOrganisation("democratie-ouverte", ("Démocratie Ouverte", "Open Democracy")),
    KnownOrganisation("egina", ("EGInA",)),
]


@pytest.fixture
def gazetteer() -> FakeGazetteer:
    return FakeGazetteer()


@pytest.fixture
def organisations() -> list[KnownOrganisation]:
    return list(ORGANISATIONS)
