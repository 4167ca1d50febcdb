"""Permalinks, shared views and records on the map (issue 25, items 2 and 3), on the bundled atlas:
`/?entry=ID` takes the map to the entry (its ring, out of any cluster, its popup open); a shared
view comes back at exactly its zoom and centre; a popup's title is never under a control; on a
phone the record opens as a bottom sheet the width of the screen."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import MAP_FRAME, idle, local_only, map_settled, take_map

TIMEOUT = 30_000

# In the map's frame: whether an atlas:* mark was made
MARKED = "name => performance.getEntriesByName(name).length > 0"
# The map, its popup or sheet and its controls, in the map frame's coordinates
LOOK = """() => {
    const box = e => {
        if (!e) { return null; }
        const r = e.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    };
    const popup = document.querySelector('.leaflet-popup .atlas-popup');
    const sheet = document.querySelector('.atlas-sheet:not([hidden])');
    const title = (sheet || document).querySelector(sheet ? '.atlas-popup-title' : '.leaflet-popup .atlas-popup-title');
    const hit = title ? (() => { const r = title.getBoundingClientRect();
        return document.elementFromPoint(r.left + 4, r.top + r.height / 2); })() : null;
    return {
        zoom: map.getZoom(), center: [map.getCenter().lat, map.getCenter().lng], map: box(map.getContainer()),
        marked: Array.from(document.querySelectorAll('.atlas-hl')).map(e => e.getAttribute('aria-label')),
        popupFirst: popup ? popup.firstElementChild.className : null,
        title: title ? title.textContent : null, titleBox: box(title), titleOnTop: !!(hit && title.contains(hit)),
        sheet: box(sheet), popups: document.querySelectorAll('.leaflet-popup').length,
        controls: Array.from(document.querySelectorAll('.leaflet-top .leaflet-control')).map(box),
    };
}"""
# the map has stopped moving (an autopan) for 3 frames in a row
STILL = """key => {
    const m = map, moving = m._animatingZoom || (m._panAnim && m._panAnim._inProgress) || !!m._flyToFrame;
    window[key] = moving ? 0 : (window[key] || 0) + 1;
    return window[key] >= 3;
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (
        inner[0] >= outer[0] - 0.5
        and inner[1] >= outer[1] - 0.5
        and inner[2] <= outer[2] + 0.5
        and inner[3] <= outer[3] + 0.5
    )


def _opened(page: Page, url: str, mark: str = "atlas:open"):
    """Open `url`; once the map has opened the entry's record (`mark`), its frame."""
    page.goto(url)
    expect(page.locator(MAP_FRAME)).to_be_attached(timeout=TIMEOUT)
    idle(page)
    map_settled(page)
    frame = page.locator(MAP_FRAME).last.element_handle().content_frame()
    with contextlib.suppress(PlaywrightTimeout):  # (if it never comes, the assertions say what is missing)
        frame.wait_for_function(MARKED, arg=mark, timeout=15_000)
    frame.wait_for_function(STILL, arg="__still_open", polling="raf", timeout=TIMEOUT)
    return frame


def _title_clear(look: dict) -> None:
    """The record's title is shown, inside the map, on top, and under no control."""
    assert look["titleBox"] and _inside(look["titleBox"], look["map"]), look
    assert look["titleOnTop"], look
    assert not any(_overlap(look["titleBox"], c) for c in look["controls"]), look


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("entry=becode", "BeCode"),
        ("lang=fr&entry=becode", "BeCode"),
        ("entry=odc-sn-dakar", "Orange Digital Center Dakar"),
    ],
)
def test_a_permalink_shows_the_entry_marked_with_its_popup_open(page: Page, bundled_app, query: str, name: str) -> None:
    frame = _opened(page, f"{bundled_app.url}/?{query}")
    look = frame.evaluate(LOOK)
    assert look["zoom"] >= 12, look  # the town, not the world
    assert look["marked"] == [name], look  # its ring: drawn on its own, never in a cluster
    expect(frame.locator(f'.atlas-hl[aria-label="{name}"]')).to_be_in_viewport()
    assert look["title"] == name and look["popupFirst"] == "atlas-popup-title", look  # the name first
    _title_clear(look)


def test_a_shared_view_comes_back_exactly(page: Page, bundled_app) -> None:
    frame = _opened(page, f"{bundled_app.url}/?view=50.8466,4.3528,14&entry=becode")
    look = frame.evaluate(LOOK)
    assert look["zoom"] == 14, look  # (it was 12: the entry's own zoom won over the link's)
    assert look["center"] == pytest.approx([50.8466, 4.3528], abs=1e-4), look
    assert look["marked"] == ["BeCode"], look
    expect(frame.locator('.atlas-hl[aria-label="BeCode"]')).to_be_in_viewport()
    expect(page).to_have_url(
        re.compile(r"view=50\.8466(%2C|,)4\.3528(%2C|,)14"), timeout=TIMEOUT
    )  # shared again as it came


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_popup_opened_beside_the_controls_keeps_its_title_clear(page: Page, bundled_app, lang: str) -> None:
    frame = _opened(page, f"{bundled_app.url}/?lang={lang}&entry=becode")
    iframe = page.locator(MAP_FRAME).last.element_handle()
    take_map(iframe)
    # the marker just right of the zoom buttons and under the search box, its popup closed
    frame.evaluate(
        """() => {
            map.closePopup();
            const icon = document.querySelector('.atlas-hl').getBoundingClientRect();
            map.panBy([(icon.left + icon.right) / 2 - 80, (icon.top + icon.bottom) / 2 - 190], {animate: false});
        }"""
    )
    frame.locator('.atlas-hl[aria-label="BeCode"]').click()
    expect(frame.locator(".leaflet-popup .atlas-popup-title")).to_have_text("BeCode", timeout=TIMEOUT)
    frame.wait_for_function(STILL, arg="__still_click", polling="raf", timeout=TIMEOUT)
    look = frame.evaluate(LOOK)
    assert look["popupFirst"] == "atlas-popup-title", look
    _title_clear(look)


@pytest.fixture()
def phone(chromium) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    local_only(context)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("lang", "close"), [("en", "Close the record"), ("fr", "Fermer la fiche")])
def test_on_a_phone_the_record_opens_as_a_bottom_sheet(phone: Page, bundled_app, lang: str, close: str) -> None:
    frame = _opened(phone, f"{bundled_app.url}/?lang={lang}&entry=becode", mark="atlas:sheet")
    look = frame.evaluate(LOOK)
    assert look["popups"] == 0, look  # no popup under the zoom buttons and the search box
    assert look["title"] == "BeCode", look
    _title_clear(look)
    assert _inside(look["sheet"], look["map"]), look  # the whole width, nothing cut on the right
    map_box = phone.locator(MAP_FRAME).last.bounding_box()
    assert map_box["x"] >= 0 and map_box["x"] + look["sheet"][2] <= 390, (map_box, look)
    assert look["sheet"][1] > look["map"][1] + (look["map"][3] - look["map"][1]) / 3, look  # along the bottom
    expect(frame.locator('.atlas-hl[aria-label="BeCode"]')).to_be_in_viewport()  # the entry in sight above it
    frame.get_by_role("button", name=close).click()
    expect(frame.locator(".atlas-sheet")).to_be_hidden()
