"""Map building: compact arrays, escaping, layers, legend, offline assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from atlas.data import load_atlas
from atlas.maps import (
    COORD_SCALE,
    PLANNED_STYLE,
    MapOptions,
    build_map,
    clicked_row,
    encode_points,
    legend_html,
    view_bounds,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_atlas(FIXTURES / "small_atlas").frame


@pytest.fixture(scope="module")
def hostile() -> pd.DataFrame:
    return load_atlas(FIXTURES / "hostile_atlas").frame


def test_points_travel_as_quantised_columns(frame) -> None:
    data = encode_points(frame, "en", rich=False)
    assert len(data["lat"]) == len(frame)
    assert data["lat"][0] == round(frame["lat"].iloc[0] * COORD_SCALE)
    assert "desc" not in data and "web" not in data  # compact popups without descriptions
    assert data["cities"][data["city"][2]] == "Liège"
    assert data["style"][list(frame["id"]).index("odc-test-lux")] == PLANNED_STYLE
    assert data["row"] == list(frame.index)


def test_rows_without_coordinates_are_not_sent(frame) -> None:
    missing = frame.copy()
    missing.loc[0, ["lat", "lon"]] = np.nan
    assert len(encode_points(missing, "en", rich=True)["lat"]) == len(frame) - 1


def test_every_string_is_escaped_before_it_reaches_the_page(hostile) -> None:
    html = build_map(hostile, MapOptions(local_assets=True)).get_root().render()
    for raw in ("<img src=x", "</script><script>", "`${alert", "<svg onload", "<iframe", 'href="javascript:'):
        assert raw not in html, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    data = encode_points(hostile, "en", rich=True)
    assert all("<" not in n and "`" not in n and "$" not in n for n in data["name"] + data["desc"])
    assert data["web"][list(hostile["id"]).index("xss-img")] == ""  # javascript: link refused


def test_local_assets_make_no_third_party_request(frame) -> None:
    fmap = build_map(frame, MapOptions(local_assets=True, tiles=False))
    html = fmap.get_root().render()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert "tile.openstreetmap" not in html


def test_cdn_mode_keeps_only_what_the_map_needs(frame) -> None:
    html = build_map(frame, MapOptions(local_assets=False, tiles=True)).get_root().render()
    assert "leaflet.js" in html and "leaflet.markercluster" in html
    assert "bootstrap" not in html and "awesome-markers" not in html


def test_layers_are_toggleable_and_named_in_the_language(frame) -> None:
    html = build_map(frame, MapOptions(lang="fr")).get_root().render()
    assert '"Organisations"' in html and '"Orange Digital Centers"' in html
    assert "L.markerClusterGroup" in html and "Dans cette vue" in html


def test_legend_counts_each_style_present(frame) -> None:
    html = legend_html(frame, "en")
    assert 'Civic tech <b data-style="0">1</b>' in html
    assert re.search(r"ODC open <b data-style=\"\d+\">1</b>", html)
    assert re.search(r"ODC planned <b data-style=\"\d+\">1</b>", html)
    assert "Tech companies" not in html  # absent categories are not listed


def test_view_fits_the_rows_and_falls_back_to_europe(frame) -> None:
    (s, w), (n, e) = view_bounds(frame)
    assert s < frame["lat"].min() and n > frame["lat"].max() and w < frame["lon"].min() and e > frame["lon"].max()
    assert view_bounds(frame.iloc[0:0]) == [[34.0, -12.0], [62.0, 32.0]]


def test_clicked_marker_is_read_back_from_its_tooltip() -> None:
    assert clicked_row("Name #1 with hashCity, Country#42") == 42
    assert clicked_row("Foligno, Italy#place-3") is None
    assert clicked_row(None) is None


def test_map_script_is_valid_json_payload(frame) -> None:
    html = build_map(frame, MapOptions()).get_root().render()
    payload = re.search(r"_data = (\{.*?\});\n", html).group(1)
    assert json.loads(payload)["name"][0] == "Alpha Civic Lab"
