"""A filter change redraws the map in place (issue 15): the map's iframe and scripts stay, the
markers shown are exactly the filtered rows, and the view moves only when the filters ask for it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from atlas.data import load_atlas
from atlas.filters import Filters, apply_filters
from tests.browser.conftest import FIXTURES, MAP_FRAME, map_settled

TIMEOUT = 30_000

# Row labels of the points each keyed layer shows, from the layers themselves (not the DOM).
SHOWN_ROWS = """f => {
    const w = f.contentWindow, out = {};
    ['organisations', 'odcs'].forEach(key => {
        const layer = w.L.atlas.layer(key), rows = [];
        for (let i = 0; i < layer.points.n; i++) { if (layer._wanted[i]) { rows.push(layer.points.row[i]); } }
        out[key] = rows;
    });
    return out;
}"""

# Markers drawn in the DOM: single pins, plus the points inside each cluster (its label).
DRAWN = """f => {
    const d = f.contentWindow.document, panes = ['.leaflet-marker-pane', '.leaflet-atlasOdc-pane'];
    let n = d.querySelectorAll(panes.map(p => p + ' .atlas-pin').join(',')).length;
    d.querySelectorAll(panes.map(p => p + ' .marker-cluster').join(','))
        .forEach(c => { n += parseInt(c.textContent, 10); });
    return n;
}"""

LEAFLET_LOADS = """f => f.contentWindow.performance.getEntriesByType('resource')
    .filter(e => /leaflet\\.js|map\\.js|points-/.test(e.name)).length"""


def _frame_rows(filters: Filters) -> dict[str, list[int]]:
    frame = apply_filters(load_atlas(FIXTURES / "small_atlas").frame, filters)
    located = frame[frame["lat"].notna() & frame["lon"].notna()]
    return {
        "organisations": sorted(int(i) for i in located.index[located["kind"] == "organisation"]),
        "odcs": sorted(int(i) for i in located.index[located["kind"] == "odc"]),
    }


def _wait_drawn(page: Page, iframe, expected: int) -> None:
    page.wait_for_function(f"f => ({DRAWN})(f) === {expected}", arg=iframe, timeout=TIMEOUT)


def _center(iframe) -> tuple[float, float]:
    c = iframe.evaluate("f => f.contentWindow.map.getCenter()")
    return c["lat"], c["lng"]


def test_a_filter_change_keeps_the_iframe_and_shows_exactly_the_filtered_rows(page: Page, small_app) -> None:
    page.goto(small_app.url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    iframe = page.locator(MAP_FRAME).element_handle()
    _wait_drawn(page, iframe, 7)
    iframe.evaluate("f => { f.contentWindow.__kept = 'the same window'; }")
    loads = iframe.evaluate(LEAFLET_LOADS)

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name=re.compile("^France")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text("2 of 7 entries shown (2 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    _wait_drawn(page, iframe, 2)
    assert page.locator(MAP_FRAME).count() == 1
    assert iframe.evaluate("f => f.contentWindow.__kept") == "the same window"  # not reloaded
    assert iframe.evaluate(LEAFLET_LOADS) == loads  # no script or data fetched again
    assert iframe.evaluate(SHOWN_ROWS) == _frame_rows(Filters(countries=("FR",)))

    sidebar.get_by_test_id("stMultiSelect").filter(has_text="Category").click()  # civic tech, within France
    page.get_by_role("option", name=re.compile("^Civic tech")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text("1 of 7 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    _wait_drawn(page, iframe, 1)
    assert iframe.evaluate("f => f.contentWindow.__kept") == "the same window"
    assert iframe.evaluate(SHOWN_ROWS) == _frame_rows(Filters(countries=("FR",), categories=("civic_tech",)))
    expect(frame.locator(".atlas-legend")).to_contain_text("Civic tech 1")
    expect(frame.locator(".atlas-legend").get_by_text("Training & employment")).to_be_hidden()  # none shown


def test_a_search_keeps_the_view_and_a_country_frames_the_result(page: Page, small_app) -> None:
    page.goto(small_app.url + "/?view=46.5,2.5,6")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    iframe = page.locator(MAP_FRAME).element_handle()
    map_settled(page)  # the first update applied: the link's view
    lat, lon = _center(iframe)
    assert abs(lat - 46.5) < 0.05 and abs(lon - 2.5) < 0.05

    page.get_by_test_id("stSidebar").get_by_test_id("stTextInputField").fill("lab")  # Alpha Civic Lab, Lyon: in view
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"^1 of 7 entries shown"))).to_be_visible(timeout=TIMEOUT)
    _wait_drawn(page, iframe, 1)
    lat, lon = _center(iframe)
    assert abs(lat - 46.5) < 0.05 and abs(lon - 2.5) < 0.05  # the view stayed where it was

    page.get_by_test_id("stSidebar").get_by_test_id("stTextInputField").fill("")
    page.keyboard.press("Enter")
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name=re.compile("^Italy")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile(r"^1 of 7 entries shown"))).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function(  # framed on Perugia
        "f => { const c = f.contentWindow.map.getCenter(); return Math.abs(c.lat - 43.11) < 0.5 && "
        "Math.abs(c.lng - 12.39) < 0.5; }",
        arg=iframe,
        timeout=TIMEOUT,
    )


def test_choosing_an_article_highlights_in_place_and_shows_its_places(page: Page, small_app) -> None:
    page.goto(small_app.url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    iframe = page.locator(MAP_FRAME).element_handle()
    _wait_drawn(page, iframe, 7)
    iframe.evaluate("f => { f.contentWindow.__kept = 'the same window'; }")
    expect(frame.locator(".leaflet-control-layers")).to_contain_text("Article places")

    card = page.get_by_test_id("stVerticalBlock").filter(has_text="A test meeting in Umbria").last
    card.get_by_role("button", name="Show on map").click()
    expect(frame.locator(".atlas-hl")).to_have_count(1, timeout=TIMEOUT)  # Delta Network, big and in front
    expect(frame.locator(".atlas-place")).to_have_count(1)  # Perugia, the article's place, shown
    page.wait_for_function(  # framed on the article
        "f => { const c = f.contentWindow.map.getCenter(); return Math.abs(c.lat - 43.11) < 1 && "
        "Math.abs(c.lng - 12.39) < 1; }",
        arg=iframe,
        timeout=TIMEOUT,
    )
    assert iframe.evaluate("f => f.contentWindow.__kept") == "the same window"

    page.get_by_role("button", name="Clear article highlight").click()
    expect(frame.locator(".atlas-hl")).to_have_count(0, timeout=TIMEOUT)
    expect(frame.locator(".atlas-place")).to_have_count(0)  # the places of every article, hidden
    assert iframe.evaluate("f => f.contentWindow.__kept") == "the same window"
