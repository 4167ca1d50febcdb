"""The map people can read and use (issue 18): place names with no tile server, phones, a view
that stays put, markers for keyboards, readable overlays, French controls, find-as-you-type."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from bench.server import AppServer
from tests.browser.conftest import (
    AXE_TAGS,
    FIXTURES,
    MAP_FRAME,
    frames,
    idle,
    map_settled,
    map_state,
    take_map,
    warm_up,
)
from tests.support import AXE, require

TIMEOUT = 30_000

LABELS = """f => Array.from(f.contentWindow.document.querySelectorAll('.atlas-label')).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, box: [r.left, r.top, r.right, r.bottom]};
})"""


@pytest.fixture(scope="module")
def tiles_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """The app with its default base map: OpenStreetMap tiles (which the tests' browser cannot reach)."""
    app = AppServer(FIXTURES / "small_atlas", tmp_path_factory.mktemp("tiles"), env={"ATLAS_ASSETS": "local"})
    try:
        warm_up(chromium, app.url)
        yield app
    finally:
        app.stop()


def _map(page: Page, url: str):
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    return frame, page.locator(MAP_FRAME).element_handle()


def _labels_at(page: Page, iframe, lat: float, lon: float, zoom: int) -> list[dict]:
    map_settled(page)  # the first update applied, the first framing made
    take_map(iframe)  # (and not made again over the view set here)
    iframe.evaluate(f"f => f.contentWindow.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    page.wait_for_function(
        f"f => f.contentWindow.map.getZoom() === {zoom} && f.contentWindow.document.querySelector('.atlas-label')",
        arg=iframe,
        timeout=TIMEOUT,
    )
    map_settled(page)
    return iframe.evaluate(LABELS)


def _top_icon(iframe, box: dict) -> str:
    """Class of the marker icon drawn on top at the middle of `box` (page coordinates)."""
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return iframe.evaluate(
        """(f, [x, y]) => { const r = f.getBoundingClientRect(), d = f.contentWindow.document;
            return d.elementFromPoint(x - r.x, y - r.y).closest('.leaflet-marker-icon').className; }""",
        [x, y],
    )


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 1 and a[2] > b[0] + 1 and a[1] < b[3] - 1 and a[3] > b[1] + 1


@pytest.mark.parametrize(
    ("lang", "zoom", "centre", "expected"),
    [
        ("en", 4, (50.0, 10.0), {"Paris", "London", "Berlin"}),
        ("fr", 4, (50.0, 10.0), {"Paris", "Londres", "Varsovie"}),
        ("en", 8, (45.76, 4.84), {"Lyon", "Saint-Étienne", "Grenoble"}),
        ("en", 12, (45.76, 4.84), {"Lyon", "Villeurbanne", "Bron"}),
    ],
)
def test_place_names_are_drawn_offline_at_every_zoom(page: Page, small_app, lang, zoom, centre, expected) -> None:
    _, iframe = _map(page, small_app.url + ("/?lang=fr" if lang == "fr" else ""))
    labels = _labels_at(page, iframe, *centre, zoom)
    names = {label["text"] for label in labels}
    assert expected <= names, names
    assert not any(  # names never overlap one another
        _overlap(a["box"], b["box"]) for i, a in enumerate(labels) for b in labels[i + 1 :]
    )
    assert not page.blocked_requests  # no third party asked (ATLAS_TILES=none)


def test_default_tiles_are_openstreetmap_with_the_outlines_and_names_when_they_fail(page: Page, tiles_app) -> None:
    frame, iframe = _map(page, tiles_app.url)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap contributors")
    assert any("tile.openstreetmap.org" in url for url in page.blocked_requests)
    labels = _labels_at(page, iframe, 45.76, 4.84, 12)  # the tiles failed: the names show
    assert "Villeurbanne" in {label["text"] for label in labels}
    assert iframe.evaluate("f => f.contentWindow.document.querySelectorAll('.leaflet-atlasBase-pane path').length") > 50


SCROLL_TOP = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
# the page's scroll position, unchanged over 5 consecutive frames (a fling has stopped)
SCROLL_STILL = """key => {
    const top = document.querySelector('[data-testid="stMain"]').scrollTop;
    const same = window[key + 'top'] === top;
    window[key + 'top'] = top;
    window[key] = same ? (window[key] || 0) + 1 : 0;
    return window[key] >= 5;
}"""
_scrolls = iter(range(1_000_000))


def _scroll_still(page: Page) -> None:
    page.wait_for_function(SCROLL_STILL, arg=f"__still{next(_scrolls)}", polling="raf", timeout=TIMEOUT)


@pytest.fixture()
def phone(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
    )
    pg = context.new_page()
    yield pg
    context.close()


def _swipe(page: Page, x: float, y: float, dy: float) -> None:
    """One finger on (x, y) moved up by `dy` pixels, as a touch screen sends it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 11):  # one move a frame, as a finger
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - dy * k / 10}]})
        frames(page, 1)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    _scroll_still(page)  # the page's fling has stopped


def _two_fingers(page: Page, x: float, y: float, dx: float) -> None:
    """Two fingers 60 px apart moved right together by `dx` pixels (over the map)."""
    cdp = page.context.new_cdp_session(page)

    def points(shift: float) -> list[dict]:
        return [{"x": x - 30 + shift, "y": y, "id": 1}, {"x": x + 30 + shift, "y": y, "id": 2}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for k in range(1, 11):  # one move a frame, as fingers
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(dx * k / 10)})
        frames(page, 1)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    map_settled(page)  # the drag and its inertia are over


def test_on_a_phone_a_swipe_scrolls_the_page_and_a_tap_opens_the_marker(phone: Page, small_app) -> None:
    frame, iframe = _map(phone, small_app.url)
    expect(frame.locator(".leaflet-control-layers")).not_to_have_class(re.compile("expanded"))  # folded
    assert frame.locator(".atlas-legend details").evaluate("d => d.open") is False
    phone.locator(MAP_FRAME).scroll_into_view_if_needed()
    _scroll_still(phone)
    map_settled(phone)
    box = phone.locator(MAP_FRAME).bounding_box()
    assert box is not None
    before, centre = phone.evaluate(SCROLL_TOP), iframe.evaluate("f => f.contentWindow.map.getCenter()")
    _swipe(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, 250)
    assert phone.evaluate(SCROLL_TOP) > before + 100  # the page scrolled
    assert iframe.evaluate("f => f.contentWindow.map.getCenter()") == centre  # the map did not move

    box = phone.locator(MAP_FRAME).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    _two_fingers(phone, x, y, 120)  # two fingers move the map
    assert iframe.evaluate("f => f.contentWindow.map.getCenter()") != centre

    pin = frame.locator(".atlas-pin").first
    pin.scroll_into_view_if_needed()
    pb = pin.bounding_box()
    assert pb is not None
    phone.touchscreen.tap(pb["x"] + pb["width"] / 2, pb["y"] + pb["height"] / 2)
    expect(frame.locator(".atlas-sheet")).to_be_visible(timeout=TIMEOUT)  # (a phone's record: a bottom sheet, issue 25)
    expect(phone.get_by_text("Click a marker or a table row")).to_be_hidden(timeout=TIMEOUT)  # the record shows


def test_no_filter_moves_the_view_while_the_view_is_a_filter(page: Page, small_app) -> None:
    _, iframe = _map(page, small_app.url + "/?view=46.5,2.5,6")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Only what the map shows").click()
    expect(page).to_have_url(re.compile(r"inview=1"), timeout=TIMEOUT)
    iframe.evaluate("f => f.contentWindow.map.setView([45.76, 4.84], 11)")  # zoom onto Lyon
    expect(page.get_by_text("1 of 7 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    map_settled(page)
    before = map_state(page)
    sidebar.get_by_test_id("stMultiSelect").first.click()  # a country elsewhere: would frame Perugia
    page.get_by_role("option", name=re.compile("^Italy")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile(r"^0 of 7 entries shown"))).to_be_visible(timeout=TIMEOUT)
    map_settled(page, before)  # the map applied the empty result (and did not move)
    centre = iframe.evaluate(  # (the same frame: an empty result no longer remakes the map)
        "f => { const m = f.contentWindow.map; return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }"
    )
    assert abs(centre[0] - 45.76) < 0.01 and abs(centre[1] - 4.84) < 0.01 and centre[2] == 11, centre


def test_markers_are_named_keyboard_stops_and_enter_selects_the_entry(page: Page, small_app) -> None:
    frame, _ = _map(page, small_app.url + "/?view=45.76,4.84,11")  # Lyon: one organisation, alone
    pin = frame.locator(".leaflet-marker-icon.atlas-pin").first
    expect(pin).to_have_attribute("aria-label", "Alpha Civic Lab", timeout=TIMEOUT)
    expect(pin).to_have_attribute("tabindex", "0")
    expect(frame.get_by_role("button", name="Alpha Civic Lab")).to_have_count(1)
    pin.focus()
    page.keyboard.press("Enter")
    expect(frame.locator(".leaflet-popup")).to_contain_text("Alpha Civic Lab", timeout=TIMEOUT)
    expect(page.get_by_text("Click a marker or a table row")).to_be_hidden(timeout=TIMEOUT)  # selected
    expect(frame.locator(".leaflet-popup")).to_be_visible()  # Leaflet's own Enter did not close it again


def test_clusters_are_named_and_the_map_frame_passes_axe(page: Page, small_app) -> None:
    """axe-core inside the map's frame. Markers that lie closer than 24 px apart fail axe's
    target-size; WCAG 2.5.8 exempts them (a target's place is essential on a map), so that rule
    is waived for markers alone; each marker still takes a 24 px click."""
    require("axe-core")
    frame, iframe = _map(page, small_app.url)
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", "Zoom in")
    map_settled(page)
    take_map(iframe)  # (its first framing is not made again over the view set below)
    target = iframe.content_frame()
    target.add_script_tag(path=str(AXE))
    violations = target.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, elementRef: true});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.filter(n => !(v.id === 'target-size' && n.element.matches('.leaflet-marker-icon')))
                    .map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }""",
        AXE_TAGS,
    )
    assert [v for v in violations if v["impact"] in ("serious", "critical") and v["nodes"]] == [], violations
    iframe.evaluate("f => f.contentWindow.map.setView([30, 10], 2, {animate: false})")  # the organisations cluster
    expect(frame.locator(".marker-cluster").first).to_have_attribute(
        "aria-label", re.compile(r"^\d+ entries: zoom in$"), timeout=TIMEOUT
    )


def test_odc_squares_are_clustered_under_the_organisation_clusters(page: Page, small_app) -> None:
    frame, iframe = _map(page, small_app.url + "/?view=30,10,2")
    cluster = frame.locator(".leaflet-marker-pane .marker-cluster").first
    expect(cluster).to_be_visible(timeout=TIMEOUT)
    assert iframe.evaluate(
        "f => f.contentWindow.L.atlas.layer('odcs')._group instanceof f.contentWindow.L.MarkerClusterGroup"
    )
    z = iframe.evaluate("f => ['markerPane', 'atlasOdc'].map(p => +f.contentWindow.map.getPane(p).style.zIndex || 600)")
    assert z[1] < z[0]  # ODCs under the organisations
    # the planned ODC in Luxembourg lies beside the French cluster: the cluster's count is on top
    box = cluster.bounding_box()
    assert box is not None
    top = _top_icon(iframe, box)
    assert "marker-cluster" in top and "atlas-square-cluster" not in top


def _intersects(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


def test_show_on_map_keeps_the_places_clear_of_the_overlays_and_above_the_rings(page: Page, small_app) -> None:
    frame, iframe = _map(page, small_app.url)
    map_settled(page)
    before = map_state(page)
    card = page.get_by_test_id("stVerticalBlock").filter(has_text="A test meeting in Umbria").last
    card.get_by_role("button", name="Show on map").click()
    expect(frame.locator(".atlas-place")).to_have_count(1, timeout=TIMEOUT)
    expect(frame.locator(".atlas-hl")).to_have_count(1)
    map_settled(page, before)  # the framing on the place and the entry is done
    overlays = [frame.locator(s).bounding_box() for s in (".atlas-legend", ".leaflet-top.leaflet-left")]
    overlays += [frame.locator(".leaflet-top.leaflet-right .leaflet-control").first.bounding_box()]
    for marker in (frame.locator(".atlas-place").first, frame.locator(".atlas-hl").first):
        box = marker.bounding_box()
        assert box is not None
        assert not any(o and _intersects(box, o) for o in overlays), (box, overlays)
    place = frame.locator(".atlas-place").first.bounding_box()
    assert "atlas-place" in _top_icon(iframe, place)  # the place is drawn above the highlighted entry's ring
    frame.locator(".atlas-hl").first.click(position={"x": 4, "y": 17})  # its ring, beside the place
    expect(page.get_by_text("Click a marker or a table row")).to_be_hidden(timeout=TIMEOUT)  # selected
    # the page is wide: the record is beside the map
    expect(frame.locator(".leaflet-popup")).to_contain_text("Full record beside the map", timeout=TIMEOUT)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_find_as_you_type_on_the_map(page: Page, small_app, lang: str) -> None:
    frame, _ = _map(page, small_app.url + ("/?lang=fr" if lang == "fr" else ""))
    box = frame.get_by_role("combobox", name="Trouver sur la carte" if lang == "fr" else "Find on the map")
    box.press_sequentially("alp", delay=50)
    options = frame.get_by_role("option")
    expect(options).to_have_count(1, timeout=TIMEOUT)
    expect(options.first).to_contain_text("Alpha Civic Lab")
    box.press("Enter")
    expect(frame.locator(".leaflet-popup")).to_contain_text("Alpha Civic Lab", timeout=TIMEOUT)
    hint = "Click a marker or a table row" if lang == "en" else "Cliquez sur un marqueur"
    expect(page.get_by_text(hint)).to_be_hidden(timeout=TIMEOUT)  # the entry is selected
    box.fill("")
    box.press_sequentially("zzzz")
    expect(frame.get_by_role("listbox")).to_contain_text("Aucune entrée" if lang == "fr" else "No entry of that name")


def test_the_french_map_speaks_french(page: Page, small_app) -> None:
    frame, _ = _map(page, small_app.url + "/?lang=fr")
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoomer")
    expect(frame.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Dézoomer")
    expect(frame.locator(".leaflet-control-layers-toggle")).to_have_attribute("title", "Calques")
    expect(frame.locator(".leaflet-control-zoom-fullscreen")).to_have_attribute("title", "Plein écran")
    expect(frame.locator(".leaflet-control-scale-line")).to_have_count(1)  # metric only
    expect(frame.locator(".leaflet-control-scale-line")).to_have_text(re.compile(r"^\d+ k?m$"))
    titles = frame.locator("[title], [aria-label], [placeholder]").evaluate_all(
        "els => els.map(e => [e.title, e.getAttribute('aria-label'), e.placeholder].filter(Boolean).join(' | '))"
    )
    english = ("Zoom in", "Zoom out", "Layers", "Full Screen", "Find on the map", "entries: zoom in")
    assert not [t for t in titles if any(word in t for word in english)], titles


def test_a_click_on_an_article_place_shows_it_with_its_articles(page: Page, small_app) -> None:
    frame, _ = _map(page, small_app.url)
    map_settled(page)
    before = map_state(page)
    card = page.get_by_test_id("stVerticalBlock").filter(has_text="A test meeting in Umbria").last
    card.get_by_role("button", name="Show on map").click()
    expect(frame.locator(".atlas-place")).to_have_count(1, timeout=TIMEOUT)
    map_settled(page, before)  # framed on the place
    frame.locator(".atlas-place").first.click()
    panel = page.get_by_text("Articles that name this place")
    expect(panel).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name="A test meeting in Umbria").last).to_be_visible()
    expect(page.get_by_text("Click a marker or a table row")).to_be_hidden()


def test_the_spanish_map_speaks_spanish(page: Page, small_app) -> None:
    frame, _ = _map(page, small_app.url + "/?lang=es")
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Acercar")
    expect(frame.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Alejar")
    expect(frame.locator(".leaflet-control-layers-toggle")).to_have_attribute("title", "Capas")
    expect(frame.locator(".leaflet-control-zoom-fullscreen")).to_have_attribute("title", "Pantalla completa")
    titles = frame.locator("[title], [aria-label], [placeholder]").evaluate_all(
        "els => els.map(e => [e.title, e.getAttribute('aria-label'), e.placeholder].filter(Boolean).join(' | '))"
    )
    english = ("Zoom in", "Zoom out", "Layers", "Full Screen", "Find on the map", "entries: zoom in")
    assert not [t for t in titles if any(word in t for word in english)], titles
