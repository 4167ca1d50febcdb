"""The offline pipeline: cache first, gazetteer, country centroids, "not found", --force, geocode_place."""

from __future__ import annotations

import pytest
from geofakes import FakeClock, FakeGeocoder, location

from atlas.geocoding import GeoResult, geocode_place
from atlas.geocoding.pipeline import Geocoder


@pytest.fixture
def geocoder(tmp_path):
    return Geocoder(tmp_path / "c.sqlite3")


def test_gazetteer_then_cache(geocoder):
    first = geocoder.geocode("Chișinău", "Moldova")
    assert (first.geo_precision, first.geo_source) == ("city", "gazetteer")
    assert first.lat == pytest.approx(47.01, abs=0.05) and first.label == "Chisinau, MD"
    second = geocoder.geocode("chisinau", "MD")
    assert second.geo_source == "cache:gazetteer"
    assert (second.lat, second.lon, second.geo_precision) == (first.lat, first.lon, first.geo_precision)


def test_not_found_is_cached(geocoder, monkeypatch):
    assert geocoder.geocode("Nowhereville-sur-Mer", "FR") is None
    monkeypatch.setattr(geocoder.gazetteer, "find", lambda *a, **k: pytest.fail("must come from the cache"))
    answer = geocoder.resolve(geocoder.query("Nowhereville-sur-Mer", "FR"))
    assert answer.result is None and answer.cached


def test_country_only_rows_get_the_centroid(geocoder):
    result = geocoder.geocode(None, "Burkina Faso")
    assert (result.geo_precision, result.geo_source) == ("country", "gazetteer")
    assert (result.lat, result.lon) == pytest.approx((13, -2), abs=1)


def test_unknown_country_or_nothing_to_ask(geocoder):
    assert geocoder.query("Paris", "Atlantis") is None
    assert geocoder.geocode("Paris", "Atlantis") is None
    assert geocoder.geocode("", "") is None


def test_offline_address_falls_back_to_the_city(geocoder):
    result = geocoder.geocode("Saint-Ouen-sur-Seine", "FR", address="12 rue des Rosiers")
    assert (result.geo_precision, result.geo_source) == ("city", "gazetteer")
    assert geocoder.cache.get("address|FR||saint ouen sur seine|12 rue des rosiers") is None  # nothing claimed
    assert geocoder.geocode(None, "FR", address="12 rue des Rosiers") is None  # no city to fall back to


def test_admin1_disambiguates(geocoder):
    idf = geocoder.geocode("Saint-Ouen", "FR", admin1="Île-de-France")
    centre = geocoder.geocode("Saint-Ouen", "FR", admin1="Centre-Val de Loire")
    assert idf.lat == pytest.approx(48.91, abs=0.05) and centre.lat == pytest.approx(47.81, abs=0.05)


def test_force_ignores_and_overwrites_the_cache(geocoder):
    geocoder.cache.put("city|FR||lille", GeoResult(0.5, 0.5, "city", "gazetteer", "stale"), "gazetteer")
    assert geocoder.geocode("Lille", "FR").label == "stale"
    fresh = geocoder.resolve(geocoder.query("Lille", "FR"), force=True)
    assert not fresh.cached and fresh.result.lat == pytest.approx(50.63, abs=0.05)
    assert geocoder.cache.get("city|FR||lille").result.lat == fresh.result.lat


def test_offline_not_found_is_asked_again_online_but_online_not_found_is_trusted(tmp_path):
    cache = tmp_path / "c.sqlite3"
    Geocoder(cache).geocode("Nowhereville-sur-Mer", "FR")
    clock = FakeClock()
    fake = FakeGeocoder(lambda q: None, clock)
    online = Geocoder(cache, online=fake, online_name="nominatim", clock=clock, sleep=clock.sleep)
    assert online.geocode("Nowhereville-sur-Mer", "FR") is None
    assert online.geocode("Nowhereville-sur-Mer", "FR") is None
    assert len(fake.calls) == 1
    assert online.cache.get("city|FR||nowhereville sur mer").source == "nominatim,gazetteer"


def test_online_answer_is_preferred_and_cached(tmp_path):
    clock = FakeClock()
    fake = FakeGeocoder(lambda q: location(42.89, 12.65, "village", 19, "Montefalco, Umbria, Italia"), clock)
    geocoder = Geocoder(tmp_path / "c.sqlite3", online=fake, online_name="nominatim", clock=clock, sleep=clock.sleep)
    assert geocoder.geocode("Montefalco", "IT") == GeoResult(
        42.89, 12.65, "city", "nominatim", "Montefalco, Umbria, Italia"
    )
    assert geocoder.geocode("Montefalco", "IT").geo_source == "cache:nominatim"
    assert len(fake.calls) == 1 and fake.calls[0][1] == "Montefalco, Italy"


def test_geocode_place_uses_the_configured_cache(_isolated_cache):
    result = geocode_place("Montefalco", "IT")
    assert result.geo_source == "gazetteer" and _isolated_cache.exists()
    assert geocode_place("Montefalco", "Italy").geo_source == "cache:gazetteer"
    assert geocode_place("Nowhereville-sur-Mer", "FR") is None
