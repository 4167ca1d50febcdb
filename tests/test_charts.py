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


def _bundled() -> pd.DataFrame:
    return load_atlas(Path(__file__).parents[1] / "data").frame


def test_by_country_says_how_many_countries_are_cut() -> None:
    full = _bundled()
    total = full["country"].nunique()
    assert total > charts.TOP_COUNTRIES
    spec = charts.by_country(full, "en").to_dict()
    assert spec["title"]["subtitle"] == [f"15 of {total} countries shown; the rest in the table"]
    fr = charts.by_country(full, "fr").to_dict()
    assert fr["title"]["subtitle"] == [f"15 pays affichés sur {total} ; les autres dans le tableau"]
    few = charts.by_country(full[full["country"].isin(["FR", "BE"])], "en").to_dict()
    assert few["title"] == "Entries by country"  # nothing cut, nothing said


def test_the_openings_chart_says_how_many_open_centres_have_no_date() -> None:
    full = _bundled()
    dated, unknown = charts.opening_dates(full)
    assert unknown > 0
    spec = charts.odc_openings(full, "en").to_dict()
    assert spec["title"]["subtitle"] == [
        f"{unknown} open ODCs have no known opening date:",
        f"the line counts the {dated} that have one",
    ]
    assert max(v["total"] for v in next(iter(spec["datasets"].values()))) == dated


def test_counts_are_whole_numbers_in_the_page_language() -> None:
    full = _bundled()
    spec = charts.choropleth(full, "fr")
    legend = spec["layer"][1]["encoding"]["color"]["legend"]
    assert legend["format"] == ",d" and legend["tickMinStep"] == 1
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    for chart in (charts.by_country(full, "fr"), charts.by_category(full, "fr")):
        axis = chart.to_dict()["encoding"]["x"]["axis"]
        assert axis["format"] == ",d" and axis["tickMinStep"] == 1


def test_chart_descriptions_are_in_the_page_language() -> None:
    """Vega writes these into the SVG for screen readers; without them it writes English ones."""
    full = _bundled()
    by_country = charts.by_country(full, "fr").to_dict()
    assert by_country["description"] == "Diagramme en barres des entrées par pays, les plus représentés d'abord."
    assert by_country["encoding"]["y"]["axis"]["description"] == "Axe vertical : Pays"
    values = next(iter(by_country["datasets"].values()))
    assert {"country": "France", "n": values[0]["n"], "desc": f"France : {values[0]['n']} entrées"} == values[0]
    openings = charts.odc_openings(full, "fr").to_dict()
    assert openings["description"].startswith("Barres : Orange Digital Centers")
    choropleth = charts.choropleth(full, "fr")
    assert choropleth["description"] == "Carte des pays, colorés selon leur nombre d'entrées."
    assert choropleth["layer"][1]["encoding"]["color"]["legend"]["description"] == "Échelle de couleurs : Entrées"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_long_category_names_wrap_on_the_axis_and_stay_whole_in_the_tooltip(frame, lang: str) -> None:
    """Issue 25: on a phone the category axis cut "Orange Digital Ce…"."""
    spec = charts.by_category(frame, lang).to_dict()
    axis = spec["encoding"]["y"]["axis"]
    assert '"Orange Digital Centers": ["Orange Digital", "Centers"]' in axis["labelExpr"]
    assert axis["labelExpr"].endswith("[datum.label] || datum.label")  # a short name drawn as it is
    assert {"field": "label", "type": "nominal", "title": charts.t("category", lang)} in spec["encoding"]["tooltip"]
    assert charts._wrapped_labels(["Civic tech", "France"]) == "datum.label"
