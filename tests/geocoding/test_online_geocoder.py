"""The online path with a fake geopy geocoder: rate limit, retries, failures and their fallback."""

from __future__ import annotations

import logging
from itertools import pairwise
from types import SimpleNamespace

import pytest
from geofakes import FakeClock, FakeGeocoder, location, raising
from geopy.exc import (
    ConfigurationError,
    GeocoderAuthenticationFailure,
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders import Nominatim, Photon

from atlas.geocoding.online import DEFAULT_USER_AGENT, OnlineError, OnlineSource, precision_of, source_from_env
from atlas.geocoding.pipeline import Geocoder

SECRET = "s3cr3t-key-123"


@pytest.fixture
def geopy_log_filters():
    """Restore geopy's logger filters (source_from_env adds one when an API key is set)."""
    logger = logging.getLogger("geopy")
    saved = list(logger.filters)
    yield
    logger.filters[:] = saved


def make(answer, clock=None, **options):
    clock = clock or FakeClock()
    fake = FakeGeocoder(answer, clock)
    return (
        fake,
        clock,
        Geocoder(options.pop("cache"), online=fake, online_name="nominatim", clock=clock, sleep=clock.sleep, **options),
    )


def test_rate_limit_one_request_per_second(tmp_path):
    fake, _, geocoder = make(lambda q: location(45.0, 5.0), cache=tmp_path / "c.sqlite3")
    for city in ("Lyon", "Grenoble", "Annecy", "Valence"):
        assert geocoder.geocode(city, "FR").geo_source == "nominatim"
    times = [t for t, _, _ in fake.calls]
    assert len(times) == 4
    assert all(b - a >= 1.0 for a, b in pairwise(times))
    assert fake.calls[0][2] == 10.0  # the timeout reaches geopy


def test_timeouts_retry_with_back_off_then_fall_back_to_the_gazetteer(tmp_path):
    fake, clock, geocoder = make(raising(GeocoderTimedOut("Service timed out")), cache=tmp_path / "c.sqlite3")
    first = geocoder.geocode("Montefalco", "IT")
    assert first.geo_source == "gazetteer" and first.geo_precision == "city"
    assert len(fake.calls) == 3  # bounded
    assert [s for s in clock.sleeps if s >= 1.0][:2] == [1.0, 2.0]  # back-off between tries
    assert geocoder.geocode("Foligno", "IT").geo_source == "gazetteer"
    assert len(fake.calls) == 3  # given up for the rest of the run
    assert geocoder.notes() == [
        "online geocoder nominatim unavailable after 3 tries: timed out; used the gazetteer for 2 queries"
    ]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (GeocoderRateLimited("Too many requests", retry_after=5), "rate limited (HTTP 429)"),
        (GeocoderServiceError("HTTP Error 500: Internal Server Error"), "500"),
        (GeocoderTimedOut("HTTP Error 503: Service Unavailable"), "timed out"),
        (GeocoderUnavailable("Name or service not known"), "unreachable (Name or service not known)"),
        (ConnectionRefusedError("refused"), "refused"),
    ],
)
def test_service_errors_fall_back(tmp_path, error, reason):
    fake, _, geocoder = make(raising(error), cache=tmp_path / "c.sqlite3")
    result = geocoder.geocode("Autrêches", "FR")
    assert result.geo_source == "gazetteer"
    assert len(fake.calls) == 3
    assert reason in geocoder.notes()[0]


def test_rate_limited_answer_waits_as_asked(tmp_path):
    _, clock, geocoder = make(raising(GeocoderRateLimited("429", retry_after=7)), cache=tmp_path / "c.sqlite3")
    geocoder.geocode("Lille", "FR")
    assert 7 in clock.sleeps


def test_failure_is_not_cached_as_not_found(tmp_path):
    cache = tmp_path / "c.sqlite3"
    _, _, down = make(raising(GeocoderUnavailable("down")), cache=cache)
    assert down.geocode("Nowhereville-sur-Mer", "FR") is None
    assert down.cache.get("city|FR||nowhereville sur mer").source == "gazetteer"  # the gazetteer's own answer
    fake, _, up = make(lambda q: location(49.0, 2.0), cache=cache)
    assert up.geocode("Nowhereville-sur-Mer", "FR").geo_source == "nominatim"  # asked again once online
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    "garbage",
    [
        ["not", "a", "location"],
        "<html>",
        location(0.0, 0.0),
        SimpleNamespace(latitude=float("nan"), longitude=2.0),
        SimpleNamespace(latitude=95.0, longitude=2.0),
        SimpleNamespace(latitude="48.8", longitude="2.3"),
    ],
)
def test_garbage_answers_fall_back(tmp_path, garbage):
    _, _, geocoder = make(lambda q: garbage, cache=tmp_path / "c.sqlite3")
    assert geocoder.geocode("Montefalco", "IT").geo_source == "gazetteer"
    assert "garbage" in geocoder.notes()[0]
    assert geocoder.cache.get("city|IT||montefalco").source == "gazetteer"


def test_rejected_query_only_affects_that_query(tmp_path):
    answers = {"Bad, France": GeocoderQueryError("HTTP 400")}

    def answer(query):
        if query in answers:
            raise answers[query]
        return location(45.0, 5.0)

    fake, _, geocoder = make(answer, cache=tmp_path / "c.sqlite3")
    assert geocoder.geocode("Bad", "FR") is None
    assert geocoder.geocode("Lyon", "FR").geo_source == "nominatim"
    assert len(fake.calls) == 2
    assert "rejected 1 queries" in geocoder.notes()[0]


def test_refused_credentials_give_up_at_once(tmp_path):
    fake, _, geocoder = make(raising(GeocoderAuthenticationFailure("bad key")), cache=tmp_path / "c.sqlite3")
    assert geocoder.geocode("Lyon", "FR").geo_source == "gazetteer"
    assert len(fake.calls) == 1 and "refused" in geocoder.notes()[0]


def test_api_key_never_shows_in_messages():
    clock = FakeClock()
    fake = FakeGeocoder(raising(GeocoderServiceError(f"HTTP 500 for https://x/?key={SECRET}&q=Lyon")), clock)
    source = OnlineSource(fake, "opencage", clock=clock, sleep=clock.sleep, secret=SECRET)
    with pytest.raises(OnlineError) as caught:
        source.lookup("Lyon, France", "FR", "city")
    assert SECRET not in caught.value.reason and "***" in caught.value.reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"addresstype": "house", "place_rank": 30}, "address"),
        ({"addresstype": "road", "place_rank": 26}, "address"),
        ({"addresstype": "village", "place_rank": 19}, "city"),
        ({"addresstype": "city", "place_rank": 16}, "city"),
        ({"addresstype": "suburb", "place_rank": 20}, "city"),
        ({"addresstype": "state", "place_rank": 8}, "region"),
        ({"addresstype": "county", "place_rank": 12}, "region"),
        ({"addresstype": "country", "place_rank": 4}, "country"),
        ({"class": "amenity", "type": "cafe", "place_rank": 30}, "address"),
        ({}, "city"),
        (None, "address"),
    ],
)
def test_precision_from_nominatim_answers(raw, expected):
    assert precision_of(raw, "address" if raw is None else "city") == expected


def test_address_goes_online_at_address_precision(tmp_path):
    fake, _, geocoder = make(lambda q: location(48.91, 2.33, "building", 30, "12 Rue X"), cache=tmp_path / "c.sqlite3")
    result = geocoder.geocode("Saint-Ouen", "FR", address="12 rue X")
    assert (result.geo_precision, result.geo_source, result.label) == ("address", "nominatim", "12 Rue X")
    assert fake.calls[0][1] == "12 rue X, Saint-Ouen, France"


def test_address_not_found_online_falls_back_to_the_city(tmp_path):
    answers = {"12 rue Imaginaire, Saint-Ouen, France": None}
    _, _, geocoder = make(lambda q: answers.get(q, location(48.9, 2.33)), cache=tmp_path / "c.sqlite3")
    result = geocoder.geocode("Saint-Ouen", "FR", address="12 rue Imaginaire")
    assert (result.geo_precision, result.geo_source) == ("city", "nominatim")
    assert geocoder.cache.get("address|FR||saint ouen|12 rue imaginaire").result is None


def test_nominatim_is_configured_from_the_environment(monkeypatch):
    source = source_from_env()
    assert isinstance(source.geocoder, Nominatim) and source.name == "nominatim"
    assert source.geocoder.headers["User-Agent"] == DEFAULT_USER_AGENT
    monkeypatch.setenv("ATLAS_GEOCODER_USER_AGENT", "atlas-test/1.0 (someone@example.org)")
    assert source_from_env().geocoder.headers["User-Agent"] == "atlas-test/1.0 (someone@example.org)"


def test_other_geopy_services_and_keys(monkeypatch, geopy_log_filters):
    monkeypatch.setenv("ATLAS_GEOCODER", "photon")
    assert isinstance(source_from_env().geocoder, Photon)
    monkeypatch.setenv("ATLAS_GEOCODER_API_KEY", SECRET)
    with pytest.raises(ConfigurationError) as caught:
        source_from_env()  # Photon takes no key
    assert SECRET not in str(caught.value)
    monkeypatch.setenv("ATLAS_GEOCODER", "opencage")
    source = source_from_env()
    assert source.geocoder.api_key == SECRET and source.name == "opencage"
    monkeypatch.setenv("ATLAS_GEOCODER", "no-such-service")
    with pytest.raises(ConfigurationError, match="no-such-service"):
        source_from_env()


def test_api_key_is_masked_in_geopy_logs(monkeypatch, caplog, geopy_log_filters):
    monkeypatch.setenv("ATLAS_GEOCODER", "opencage")
    monkeypatch.setenv("ATLAS_GEOCODER_API_KEY", SECRET)
    source_from_env()
    with caplog.at_level(logging.DEBUG, logger="geopy"):
        logging.getLogger("geopy").debug("%s.geocode: %s", "OpenCage", f"https://x.example/?key={SECRET}&q=Lyon")
    assert SECRET not in caplog.text and "key=***" in caplog.text
