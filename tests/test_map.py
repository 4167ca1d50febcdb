"""Map building: compact arrays, escaping, layers, legend, front-end files, branca's rendering."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from atlas import assets
from atlas.data import load_atlas
from atlas.map import MapOptions, build_map, view_bounds
from atlas.map.legend import legend_html
from atlas.map.points import COORD_SCALE, PLANNED_STYLE, encode_points
from atlas.ui.map_events import clicked_row

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
    assert urls and all(u.startswith(("/app/static/vendor/", "/app/static/atlas/")) for u in urls), urls
    assert "tile.openstreetmap" not in html


def test_own_files_come_from_this_server_with_a_content_hash(frame) -> None:
    for local in (True, False):
        html = build_map(frame, MapOptions(local_assets=local, tiles=not local)).get_root().render()
        for name in ("map.js", "map.css"):
            digest = hashlib.sha256((assets.OWN_DIR / name).read_bytes()).hexdigest()[:12]
            assert f'"/app/static/atlas/{name}?v={digest}"' in html
    assert "/app/static/vendor/" not in html  # CDN mode: only third-party files come from CDNs


def test_cdn_mode_keeps_only_what_the_map_needs(frame) -> None:
    html = build_map(frame, MapOptions(local_assets=False, tiles=True)).get_root().render()
    assert "leaflet.js" in html and "leaflet.markercluster" in html and "L.atlas.pointLayer" in html
    assert "bootstrap" not in html and "awesome-markers" not in html


def test_layers_are_toggleable_and_named_in_the_language(frame) -> None:
    html = build_map(frame, MapOptions(lang="fr")).get_root().render()
    assert '"Organisations"' in html and '"Orange Digital Centers"' in html
    assert '"clustered":true' in html and "Dans cette vue" in html


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
    payload, settings = re.search(r"L\.atlas\.pointLayer\((\{.*?\}), (\{.*?\})\);\n", html).groups()
    assert json.loads(payload)["name"][0] == "Alpha Civic Lab"
    assert json.loads(settings)["styles"][0]["label"] == "Civic tech"


def test_data_in_the_page_is_never_read_as_a_template(frame) -> None:
    frame = frame.copy()
    frame.loc[frame.index[0], "name"] = "A{{ 7*7 }}B"
    frame.loc[frame.index[1], "name"] = "broken {% if"
    html = build_map(frame, MapOptions()).get_root().render()
    assert "A{{ 7*7 }}B" in html and "A49B" not in html and "broken {% if" in html
    for call, times in (("L.atlas.pointLayer(", 2), ("L.atlas.legend(", 1), ("L.atlas.fitBounds(", 1)):
        assert html.count(call) == times, call  # each script once: none left as branca placed it
    assert html.count("L.atlas.outlines(") == 1


def test_branca_renders_scripts_the_way_place_script_as_text_expects() -> None:
    """Fails on the folium/branca release that changes what `place_script_as_text` relies on."""
    from branca.element import Figure, MacroElement
    from folium.template import Template

    from atlas.map.elements import RenderedText, place_script_as_text

    class Probe(MacroElement):
        _template = Template("{% macro script(this, kwargs) %}var x = {{ this.value }};{% endmacro %}")

    figure, probe = Figure(), Probe()
    probe.value = "'{{ 1 + 1 }}'"
    figure.add_child(probe)
    MacroElement.render(probe)
    placed = figure.script._children[probe.get_name()]  # branca files the script under the element's name…
    assert placed.render() == "var x = '2';"  # …as a template, rendered again (why the workaround exists)
    place_script_as_text(probe, {})
    assert isinstance(figure.script._children[probe.get_name()], RenderedText)
    assert figure.script.render().count("var x") == 1 and "var x = '{{ 1 + 1 }}';" in figure.script.render()
