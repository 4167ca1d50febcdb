"""geocode_frame: deduplicated look-ups, manual rows left alone, the report."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.errors import UnusableInput
from atlas.geocoding import geocode_frame
from atlas.geocoding.pipeline import Geocoder


@pytest.fixture
def geocoder(tmp_path):
    return Geocoder(tmp_path / "c.sqlite3")


def test_ten_thousand_rows_in_300_places_cost_300_look_ups(geocoder, gazetteer, monkeypatch):
    names = ["Paris", "Lyon", "Lille", "Nancy", "Roubaix"] + [f"Hamlet {i}" for i in range(295)]
    rows = [
        {"name": f"org {i}", "country": "FR", "city": names[i % 300].upper() if i % 2 else names[i % 300]}
        for i in range(10_000)
    ]
    looked_up = []
    real_find = gazetteer.find
    monkeypatch.setattr(gazetteer, "find", lambda *a, **k: looked_up.append(a) or real_find(*a, **k))
    out, report = geocode_frame(pd.DataFrame(rows), geocoder)
    assert report.queries == 300 and len(looked_up) == 300
    assert report.rows == 10_000 and len(out) == 10_000


def test_fills_columns_keeps_everything_else(geocoder):
    df = pd.DataFrame(
        {
            "name": ["a", "b", "c", "d"],
            "Country": ["FR", "IT", "FR", "BE"],
            "City": ["Lille", "Montefalco", "Nowhereville-sur-Mer", "Bruxelles"],
            "extra": [1, 2, 3, 4],
        }
    )
    out, report = geocode_frame(df, geocoder)
    assert list(out.columns) == ["name", "Country", "City", "extra", "lat", "lon", "geo_precision", "geo_source"]
    assert out["extra"].tolist() == [1, 2, 3, 4] and out["name"].tolist() == ["a", "b", "c", "d"]
    assert out.loc[1, "geo_source"] == "gazetteer" and out.loc[1, "geo_precision"] == "city"
    assert out.loc[2, ["lat", "lon", "geo_precision", "geo_source"]].isna().all()
    assert report.resolved == 3 and report.unresolved == {"Nowhereville-sur-Mer, FR": [3]}
    assert "1 row unresolved" in report.summary() and "Nowhereville-sur-Mer, FR: row 3" in report.summary()
    assert "lat" not in df.columns  # the input frame is not modified


def test_manual_rows_are_never_touched(geocoder):
    df = pd.DataFrame(
        {
            "country": ["FR", "FR"],
            "city": ["Lille", "Lille"],
            "lat": ["1.5", "50.6"],
            "lon": ["2,5", "3.0"],
            "geo_precision": ["address", "city"],
            "geo_source": ["manual", "nominatim"],
        }
    )
    out, report = geocode_frame(df, geocoder, force=True)
    assert out.loc[0].tolist() == df.loc[0].tolist()
    assert out.loc[1, "geo_source"] == "gazetteer"
    assert report.manual == 1 and "1 manual row left untouched" in report.summary()


def test_region_column_and_country_only_rows(geocoder):
    df = pd.DataFrame(
        {
            "country": ["FR", "FR", "Mali"],
            "city": ["Saint-Ouen", "Saint-Ouen", ""],
            "region": ["Centre-Val de Loire", "", ""],
        }
    )
    out, report = geocode_frame(df, geocoder)
    assert out["lat"].tolist()[0] == pytest.approx(47.81, abs=0.05)
    assert out["lat"].tolist()[1] == pytest.approx(48.91, abs=0.05)
    assert out["geo_precision"].tolist() == ["city", "city", "country"]
    assert report.queries == 3 and not report.unresolved


def test_unknown_country_is_reported(geocoder):
    _, report = geocode_frame(pd.DataFrame({"country": ["Atlantis"], "city": ["Poseidonis"]}), geocoder)
    assert report.unresolved == {"Poseidonis, unknown country 'Atlantis'": [1]}


def test_missing_columns(geocoder):
    with pytest.raises(UnusableInput, match="country"):
        geocode_frame(pd.DataFrame({"town": ["Lille"], "country": ["FR"]}), geocoder)
    with pytest.raises(UnusableInput):
        geocode_frame(pd.DataFrame({"city": ["Lille"]}), geocoder)


def test_progress_is_reported_per_query(geocoder):
    seen = []
    geocode_frame(
        pd.DataFrame({"country": ["FR"] * 3, "city": ["Lille", "Nancy", "Lille"]}),
        geocoder,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 2), (2, 2)]
