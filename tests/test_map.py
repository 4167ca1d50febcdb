"""Map building: compact arrays, escaping, layers, legend, front-end files, published files,
the update a rerun sends, branca's rendering."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit_folium

from atlas import assets
from atlas.articles.focus import article_focus
from atlas.articles.linking import article_places_frame, article_places_points
from atlas.config import OSM_TILES
from atlas.data import load_atlas
from atlas.filters import Filters, apply_filters
from atlas.map import MapOptions, View, atlas_layers, build_map, files, frame_key, map_update, update_group, view_bounds
from atlas.map.legend import legend_html
from atlas.map.points import COORD_SCALE, PLANNED_STYLE, encode_points
from atlas.map.update import encode_mask
from atlas.ui.map_events import clicked_place, clicked_row

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_atlas(FIXTURES / "small_atlas").frame


@pytest.fixture(scope="module")
def hostile() -> pd.DataFrame:
    return load_atlas(FIXTURES / "hostile_atlas").frame


def make_map(frame: pd.DataFrame, directory: Path, **options) -> str:
    """The page of the map of `frame` (its frame only: the points are in the published file)."""
    return (
        build_map(atlas_layers(frame, options.get("lang", "en"), directory), MapOptions(**options)).get_root().render()
    )


def update_of(frame, rows, directory, view=None, **kwargs) -> dict:
    layers = atlas_layers(frame, "en", directory)
    return map_update(layers, rows, "en", view or View("k", view_bounds(rows)), **kwargs)


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


def test_every_string_is_escaped_before_it_reaches_the_page(hostile, tmp_path) -> None:
    layers = atlas_layers(hostile, "en", tmp_path)
    page = build_map(layers, MapOptions(local_assets=True)).get_root().render()
    places = article_places_points(article_places_frame([]), {}, "en")
    spec = json.dumps(update_of(hostile, hostile, tmp_path, places=places))
    for text in (layers.text, page, spec):
        for raw in ("<img src=x", "</script><script>", "`${alert", "<svg onload", "<iframe", 'href="javascript:'):
            assert raw not in text, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in layers.text
    data = encode_points(hostile, "en", rich=True)
    assert all("<" not in n and "`" not in n and "$" not in n for n in data["name"] + data["desc"])
    assert data["web"][list(hostile["id"]).index("xss-img")] == ""  # javascript: link refused


def test_local_assets_make_no_third_party_request(frame, tmp_path) -> None:
    html = make_map(frame, tmp_path, local_assets=True, tiles=None)
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    assert urls and all(u.startswith(("/app/static/vendor/", "/app/static/atlas/")) for u in urls), urls
    fetched = re.findall(r'"url":"([^"]+)"|L\.atlas\.outlines\("([^"]+)"\)', html)
    assert fetched and all(u.startswith(("/app/static/generated/", str(tmp_path))) for f in fetched for u in f if u)
    assert "tile.openstreetmap" not in html and "jquery" not in html


def test_own_files_come_from_this_server_with_a_content_hash(frame, tmp_path) -> None:
    for local in (True, False):
        html = make_map(frame, tmp_path, local_assets=local, tiles=None if local else OSM_TILES)
        for name in ("map.js", "map.css"):
            digest = hashlib.sha256((assets.OWN_DIR / name).read_bytes()).hexdigest()[:12]
            assert f'"/app/static/atlas/{name}?v={digest}"' in html
    assert "/app/static/vendor/" not in html  # CDN mode: only third-party files come from CDNs


def test_cdn_mode_keeps_only_what_the_map_needs(frame, tmp_path) -> None:
    html = make_map(frame, tmp_path, local_assets=False, tiles=OSM_TILES)
    assert "leaflet.js" in html and "leaflet.markercluster" in html and "L.atlas.pointLayer" in html
    assert "bootstrap" not in html and "awesome-markers" not in html and "jquery" not in html


def test_layers_are_toggleable_and_named_in_the_language(frame, tmp_path) -> None:
    html = make_map(frame, tmp_path, lang="fr")
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
    assert clicked_place("Foligno, Italy#place-3") == 3 and clicked_place("Name#42") is None
    assert clicked_row(None) is None


# --- the published file and the map's frame ----------------------------------------------------


def test_the_points_file_holds_every_located_entry_by_layer(frame, tmp_path) -> None:
    layers = atlas_layers(frame, "en", tmp_path)
    published = json.loads(files.url_path(layers.url, tmp_path).read_text(encoding="utf-8"))
    assert json.loads(layers.text) == published
    assert published["organisations"]["name"][0] == "Alpha Civic Lab"
    assert len(published["organisations"]["name"]) == 5 and len(published["odcs"]["name"]) == 2
    assert list(layers.rows["odcs"]) == list(frame.index[frame["kind"] == "odc"])
    assert list(layers.ids["organisations"]) == list(frame.loc[frame["kind"] == "organisation", "id"])


def test_the_map_script_is_the_same_whatever_the_filters(frame, tmp_path) -> None:
    """streamlit-folium keys the map's iframe by a hash of its script: the filters must not change it."""
    layers = atlas_layers(frame, "en", tmp_path)
    scripts = set()
    for filters in (Filters(), Filters(countries=("FR",)), Filters(query="lab", kinds=("odc",))):
        fmap = build_map(layers, MapOptions())
        fmap.get_root().render()
        group = update_group(update_of(frame, apply_filters(frame, filters), tmp_path))
        script = streamlit_folium._get_map_string(fmap)
        streamlit_folium._get_feature_group_string(group, fmap)
        scripts.add(streamlit_folium.generate_js_hash(script, "atlas_map"))
    assert len(scripts) == 1
    assert make_map(frame, tmp_path, lang="fr") != make_map(frame, tmp_path, lang="en")


def test_data_in_the_page_is_never_read_as_a_template(frame, tmp_path) -> None:
    frame = frame.copy()
    frame.loc[frame.index[0], "name"] = "A{{ 7*7 }}B"
    frame.loc[frame.index[1], "name"] = "broken {% if"
    layers = atlas_layers(frame, "en", tmp_path)
    assert "A{{ 7*7 }}B" in layers.text and "broken {% if" in layers.text
    places = pd.DataFrame(
        {
            "id": ["p1"],
            "name": ["P{{ 7*7 }}Q {% if"],
            "country": ["FR"],
            "lat": [45.0],
            "lon": [5.0],
            "article_ids": [["x"]],
        }
    )
    spec = update_of(frame, frame, tmp_path, places=article_places_points(places, {"x": "T{{ 1 }}"}, "en"))
    fmap = build_map(layers, MapOptions())
    update_group(spec).add_to(fmap)
    html = fmap.get_root().render()
    assert "P{{ 7*7 }}Q {% if" in html and "P49Q" not in html and "T{{ 1 }}" in html
    for call, times in (("L.atlas.pointLayer(", 2), ("L.atlas.legend(", 1), ("L.atlas.update(", 1)):
        assert html.count(call) == times, call  # each script once: none left as branca placed it
    assert html.count("L.atlas.outlines(") == 1


def test_published_files_are_named_by_their_content_and_pruned(tmp_path) -> None:
    first = files.publish('{"a":1}', "points", tmp_path)
    assert files.publish('{"a":1}', "points", tmp_path) == first
    assert re.fullmatch(r".*/points-[0-9a-f]{16}\.json", first)
    assert Path(first).stat().st_mtime == files.LAST_MODIFIED  # long-lived in browser caches
    for k in range(files.KEEP + 5):
        os.utime(tmp_path, None)
        files.publish(json.dumps({"k": k}), "points", tmp_path)
    # A burst (other processes publishing into the same folder): nothing a page was just given goes.
    assert len(list(tmp_path.glob("points-*.json"))) == files.KEEP + 6
    newest = Path(files.publish(json.dumps({"k": files.KEEP + 4}), "points", tmp_path))
    later = time.time() + files.MIN_AGE_S + 60  # an hour on: the oldest beyond KEEP are deleted
    assert len(files.prune(tmp_path, "points", files.KEEP, newest, now=later)) == 6
    left = sorted(tmp_path.glob("points-*.json"))
    assert len(left) == files.KEEP and newest in left  # the newest stay


def test_a_missing_file_is_published_again(frame, tmp_path) -> None:
    layers = atlas_layers(frame, "en", tmp_path)
    files.url_path(layers.url, tmp_path).unlink()
    layers.ensure(tmp_path)
    assert files.url_path(layers.url, tmp_path).read_text(encoding="utf-8") == layers.text


# --- the update a rerun sends ------------------------------------------------------------------


def test_the_update_shows_exactly_the_filtered_rows(frame, tmp_path) -> None:
    layers = atlas_layers(frame, "en", tmp_path)
    rows = apply_filters(frame, Filters(countries=("FR", "SN")))
    spec = map_update(layers, rows, "en", View("k", view_bounds(rows)))
    kinds = {"organisations": "organisation", "odcs": "odc"}
    for key, kind in kinds.items():
        mask = base64.b64decode(spec["layers"][key]["mask"])
        bits = np.unpackbits(np.frombuffer(mask, dtype=np.uint8), bitorder="little")[: len(layers.rows[key])]
        assert set(layers.rows[key][bits.astype(bool)]) == set(rows.index[rows["kind"] == kind])
    everything = map_update(layers, frame, "en", View("k", view_bounds(frame)))
    assert all(part["mask"] is None for part in everything["layers"].values())  # all shown: no bits sent
    assert len(json.dumps(spec)) < 1_000


def test_masks_are_bits_in_numpy_order() -> None:
    assert encode_mask(np.ones(5, bool)) is None
    mask = np.array([1, 0, 0, 1, 0, 0, 0, 0, 1], bool)
    assert base64.b64decode(encode_mask(mask)) == bytes([0b00001001, 0b00000001])
    assert encode_mask(np.zeros(0, bool)) is None


def test_an_article_highlights_its_entries_and_brings_its_places(frame, tmp_path) -> None:
    from atlas.sources import CsvFolder

    articles, _ = CsvFolder(FIXTURES / "small_atlas").articles(set(frame["id"]), set())
    focus = article_focus(articles, "perugia-meeting", frame, "en")
    spec = update_of(frame, frame, tmp_path, highlight=focus.highlight, places=focus.places, places_shown=True)
    layers = atlas_layers(frame, "en", tmp_path)
    highlighted = {layers.ids[k][i] for k, part in spec["layers"].items() for i in part.get("hl", [])}
    assert highlighted == set(focus.highlight) & set(frame["id"])
    assert spec["places"]["show"] and spec["places"]["payload"]["ref"] == "place-"
    assert spec["places"]["settings"]["key"] == "places"


def test_the_filters_that_ask_to_frame_the_result() -> None:
    assert frame_key(["FR", "BE"]) == frame_key(["BE", "FR"])  # countries: the same choice in any order
    assert frame_key(["FR"]) != frame_key(["FR", "BE"]) != frame_key([])
    assert frame_key(["FR"], "an-article") != frame_key(["FR"])  # choosing an article frames it


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


def test_without_a_writable_static_folder_the_points_travel_in_the_script(frame, tmp_path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")  # (root may write anywhere: a file in the way fails for everyone)
    layers = atlas_layers(frame, "en", blocked)
    assert layers.url is None
    layers.ensure(blocked)  # nothing to publish again
    html = build_map(layers, MapOptions()).get_root().render()
    assert html.count('L.atlas.pointLayer({"scale":') == 2 and "Alpha Civic Lab" in html


def test_tiles_default_to_openstreetmap_none_means_none_and_a_template_is_yours(monkeypatch) -> None:
    from atlas.config import tile_source

    monkeypatch.delenv("ATLAS_TILES", raising=False)
    assert tile_source() == OSM_TILES and "openstreetmap.org/copyright" in OSM_TILES.attribution
    monkeypatch.setenv("ATLAS_TILES", "none")
    assert tile_source() is None
    monkeypatch.setenv("ATLAS_TILES", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("ATLAS_TILES_ATTRIBUTION", "<b>Our</b> tiles")
    ours = tile_source()
    assert ours is not None and ours.url == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert ours.attribution == "&lt;b&gt;Our&lt;/b&gt; tiles"  # plain text, never markup
    for bad in ("javascript:alert(1)//{z}{x}{y}", "https://tiles.example.org/tile.png", "maybe"):
        monkeypatch.setenv("ATLAS_TILES", bad)
        assert tile_source() is None


def test_the_outlines_lie_under_the_tiles_and_place_names_in_the_language(frame, tmp_path) -> None:
    html = make_map(frame, tmp_path, local_assets=True, tiles=OSM_TILES, lang="fr")
    assert "L.atlas.outlines(" in html and "tile.openstreetmap.org" in html
    labels = r'L\.atlas\.labels\(map_\w+, "/app/static/generated/labels-\w+\.json", '
    assert re.search(labels + r'\{"name":"Noms de lieux","tiles":true\}\)', html)
    html = make_map(frame, tmp_path, local_assets=True, tiles=None)
    assert '"tiles":false' in html and "tile.openstreetmap" not in html


def test_place_names_take_a_zoom_by_size_and_french_names_from_the_cldr() -> None:
    from atlas.map.labels import local_name, min_zoom

    assert min_zoom(20_000_000) < min_zoom(2_000_000) < min_zoom(200_000) < min_zoom(20_000) <= 8
    assert local_name("London", "Europe/London", "fr") == "Londres"
    assert local_name("Moscow", "Europe/Moscow", "fr") == "Moscou"
    assert local_name("London", "America/Toronto", "fr") == "London"  # London, Ontario
    assert (
        local_name("Lyon", "Europe/Paris", "fr") == "Lyon" and local_name("London", "Europe/London", "en") == "London"
    )
