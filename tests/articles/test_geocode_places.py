"""Filling article place coordinates: only the geocoding fields change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from atlas.articles.frontmatter import render_front_matter, split_front_matter
from atlas.articles.geocode_places import geocode_articles


@dataclass
class Result:
    lat: float
    lon: float
    geo_precision: str
    geo_source: str


def fake_geocode(city: str | None, country: str) -> Result | None:
    known = {
        ("Foligno", "IT"): Result(42.956123456, 12.7, "city", "gazetteer"),
        (None, "KE"): Result(1.0, 38.0, "country", "cache:gazetteer"),
    }
    return known.get((city, country))


def test_only_place_coordinates_change(tmp_path: Path) -> None:
    data = {
        "id": "a",
        "title_en": "T",
        "summary_en": "S",
        "places": [
            {
                "name": "Foligno",
                "country": "IT",
                "lat": None,
                "lon": None,
                "geo_precision": "",
                "geo_source": "",
                "role": "venue",
            },
            {"name": "Kenya", "country": "KE", "lat": None, "lon": None, "geo_precision": "", "geo_source": ""},
            {"name": "Atlantis", "country": "GR", "lat": None, "lon": None, "geo_precision": "", "geo_source": ""},
            {
                "name": "Hand placed",
                "country": "FR",
                "lat": 1.5,
                "lon": 2.5,
                "geo_precision": "address",
                "geo_source": "manual",
            },
        ],
        "source": "test",
    }
    path = tmp_path / "a.md"
    path.write_text(render_front_matter(data, "Body."), encoding="utf-8")
    report = geocode_articles(tmp_path, fake_geocode)
    assert report.changed_files == ["a.md"] and report.resolved == 2
    assert report.unresolved == ["a.md: Atlantis (GR)"]
    after, body = split_front_matter(path.read_text(encoding="utf-8"))
    foligno, kenya, atlantis, manual = after["places"]
    assert (foligno["lat"], foligno["lon"], foligno["geo_source"]) == (42.95612, 12.7, "gazetteer")
    assert foligno["role"] == "venue"
    assert (kenya["lat"], kenya["geo_precision"], kenya["geo_source"]) == (1.0, "country", "gazetteer")
    assert atlantis["lat"] is None and manual == data["places"][3]
    assert {k: v for k, v in after.items() if k != "places"} == {k: v for k, v in data.items() if k != "places"}
    assert body == "Body."
    # A second run has nothing to change.
    assert geocode_articles(tmp_path, fake_geocode).changed_files == []
