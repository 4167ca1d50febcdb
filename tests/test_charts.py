"""Charts follow the rows they are given and speak the current language."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from atlas import charts
from atlas.data import load_atlas

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_atlas(FIXTURES / "small_atlas").frame


def _values(chart) -> list[dict]:
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    return next(iter(datasets.values())) if datasets else spec["data"]["values"]


def test_by_country_counts_rows_with_names_in_the_language(frame) -> None:
    values = {v["country"]: v["n"] for v in _values(charts.by_country(frame, "fr"))}
    assert values["France"] == 2 and values["Sénégal"] == 1


def test_by_category_uses_labels_and_category_colours(frame) -> None:
    spec = charts.by_category(frame, "fr").to_dict()
    assert "Formation et insertion" in spec["encoding"]["color"]["scale"]["domain"]
    assert "#D55E00" in spec["encoding"]["color"]["scale"]["range"]


def test_odc_openings_by_year_and_none_without_dates(frame) -> None:
    chart = charts.odc_openings(frame, "en")
    assert chart is not None
    assert charts.odc_openings(frame[frame["kind"] == "organisation"], "en") is None


def test_choropleth_counts_per_country_from_bundled_shapes(frame) -> None:
    spec = charts.choropleth(frame[frame["country"] == "FR"], "fr")
    shapes = {f["id"]: f["properties"]["name"] for f in spec["data"]["values"]}
    assert shapes["BE"] == "Belgique" and "US" not in shapes  # outside the region and without entries
    counts = {r["iso"]: r["n"] for r in spec["layer"][1]["transform"][0]["from"]["data"]["values"]}
    assert counts == {"FR": 2}
    us = frame.assign(country="US")
    assert "US" in {f["id"] for f in charts.choropleth(us, "en")["data"]["values"]}


def test_choropleth_spec_is_valid_vega_lite(frame) -> None:
    import altair as alt

    alt.Chart.from_dict(charts.choropleth(frame, "en"))  # raises on an invalid spec
