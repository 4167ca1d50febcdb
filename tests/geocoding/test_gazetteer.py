"""The offline gazetteer: matching rules, ranking, centroids and its stored index."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atlas.geocoding.gazetteer import Gazetteer, get_gazetteer, name_key
from atlas.text import fold_key


def best(gazetteer: Gazetteer, name: str, country: str | None = None, admin1: str | None = None):
    places = gazetteer.find(name, country, admin1)
    assert places, f"{name} ({country}) not found"
    return places[0]


def test_singleton_is_the_session_index(gazetteer):
    assert get_gazetteer() is gazetteer
    assert len(gazetteer) > 200_000  # cities500


@pytest.mark.parametrize("spelling", ["Chișinău", "Chisinau", "CHIŞINĂU", "chisinau "])
def test_accents_and_case_do_not_matter(gazetteer, spelling):
    assert best(gazetteer, spelling, "MD").name == "Chisinau"


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Autrêches", "FR", "Autrêches"),
        ("Autreches", "France", "Autrêches"),
        ("Montefalco", "IT", "Montefalco"),
        ("Bègles", "FR", "Bègles"),
    ],
)
def test_small_places(gazetteer, name, country, expected):
    place = best(gazetteer, name, country)
    assert place.name == expected and place.population < 50_000


@pytest.mark.parametrize(
    ("alternate", "country", "expected"),
    [
        ("Bruxelles", "BE", "Brussels"),
        ("Brussel", None, "Brussels"),
        ("Lisboa", "PT", "Lisbon"),
        ("Lisbonne", "PT", "Lisbon"),
        ("Roma", None, "Rome"),
        ("Saint-Ouen-sur-Seine", "FR", "Saint-Ouen"),
    ],
)
def test_alternate_names(gazetteer, alternate, country, expected):
    assert best(gazetteer, alternate, country).name == expected


@pytest.mark.parametrize(
    ("name", "country", "lat"),
    [
        ("Paris", "FR", 48.85),
        ("Paris", "US", 33.66),
        ("Valencia", "ES", 39.47),
        ("Valencia", "VE", 10.16),
        ("Lille", "FR", 50.63),
        ("Lille", "BE", 51.24),
    ],
)
def test_homonyms_are_told_apart_by_country(gazetteer, name, country, lat):
    place = best(gazetteer, name, country)
    assert place.country == country and place.lat == pytest.approx(lat, abs=0.05)


def test_without_country_the_most_populous_wins(gazetteer):
    assert best(gazetteer, "Paris").country == "FR"
    assert best(gazetteer, "Lille").country == "FR"


@pytest.mark.parametrize(
    ("admin1", "expected_code"),
    [
        (None, "11"),  # no region: the most populous Saint-Ouen (Seine-Saint-Denis)
        ("Île-de-France", "11"),
        ("ile de france", "11"),
        ("FR-IDF", "11"),
        ("Seine-Saint-Denis", "11"),
        ("Centre-Val de Loire", "24"),
        ("Loir-et-Cher", "24"),
        ("24", "24"),
        ("Hauts-de-France", "32"),
        ("Somme", "32"),
        ("Atlantis", "11"),  # a region nobody knows does not change the ranking
    ],
)
def test_saint_ouen_by_region_then_population(gazetteer, admin1, expected_code):
    places = gazetteer.find("Saint-Ouen", "FR", admin1)
    assert len({p.admin1 for p in places}) >= 3  # several communes of that name
    assert places[0].name == "Saint-Ouen" and places[0].admin1 == expected_code


def test_region_codes_reused_from_iso(gazetteer):
    assert best(gazetteer, "Lille", "BE", "Vlaams Gewest").admin1 == "VLG"


def test_saint_abbreviation(gazetteer):
    assert best(gazetteer, "St-Maur-des-Fossés", "FR").name == "Saint-Maur-des-Fossés"


def test_overseas_departments_under_france(gazetteer):
    place = best(gazetteer, "Mamoudzou", "FR")
    assert place.country == "YT" and place.lat == pytest.approx(-12.78, abs=0.05)


def test_geonames_only_country_code(gazetteer):
    assert best(gazetteer, "Pristina", "XK").country == "XK"


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Nowhereville-sur-Mer", "FR"),
        ("", None),
        ("Paris", "Atlantis"),
        ("Montefalco", "FR"),
    ],
)
def test_unknown_places(gazetteer, name, country):
    assert gazetteer.find(name, country) == []


def test_airport_codes_are_not_names(gazetteer):
    assert "Brussels" not in {p.name for p in gazetteer.find("BRU")}


def test_has_name(gazetteer):
    assert gazetteer.has_name("Autrêches") and gazetteer.has_name("bruxelles") and gazetteer.has_name("Chisinau")
    assert not gazetteer.has_name("Nowhereville-sur-Mer") and not gazetteer.has_name("")


def test_country_centroids(gazetteer):
    assert gazetteer.country_centroid("FR") == pytest.approx((46, 2), abs=1)
    assert gazetteer.country_centroid("md") == pytest.approx((47, 29), abs=1)
    assert gazetteer.country_centroid("XK") == pytest.approx((42.67, 21.17), abs=0.1)  # capital: no countryinfo entry
    assert gazetteer.country_centroid("ZZ") is None


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_fast_path_equals_fold_key(text):
    assert name_key(text) == fold_key(text)


@given(st.text(max_size=20))
def test_name_key_equals_fold_key(text):
    assert name_key(text) == fold_key(text)


def test_stored_index_round_trip(gazetteer, tmp_path, monkeypatch):
    path = tmp_path / "index.pickle"
    gazetteer.save(path)
    monkeypatch.setattr(Gazetteer, "build", classmethod(lambda cls: pytest.fail("must load, not build")))
    loaded = Gazetteer.load_or_build(path)
    assert loaded.find("Montefalco", "IT") == gazetteer.find("Montefalco", "IT")
    assert loaded.country_centroid("FR") == gazetteer.country_centroid("FR")


def test_stored_index_of_another_version_or_corrupt_is_ignored(gazetteer, tmp_path):
    stale = tmp_path / "stale.pickle"
    stale.write_bytes(pickle.dumps((("0.0", 0), {})))
    corrupt = tmp_path / "corrupt.pickle"
    corrupt.write_bytes(b"\x80\x05garbage")
    assert Gazetteer.load(stale) is None
    assert Gazetteer.load(corrupt) is None
    assert Gazetteer.load(tmp_path / "missing.pickle") is None


def test_unwritable_index_folder_is_not_fatal(gazetteer, tmp_path, monkeypatch):
    monkeypatch.setattr(Gazetteer, "build", classmethod(lambda cls: gazetteer))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert Gazetteer.load_or_build(blocker / "index.pickle") is gazetteer
    assert not Path(blocker / "index.pickle").exists()
