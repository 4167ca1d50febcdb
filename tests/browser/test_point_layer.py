"""The atlas's Leaflet plugin in the real page: a point layer changes which of its points it shows
without being made again (what in-place filtering will use), and the legend follows."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import MAP_FRAME

TIMEOUT = 30_000

# Calls `setVisible(indices)` on the point layer of `n` points (5 organisations, 2 ODCs here).
SET_VISIBLE = """([f, n, indices]) => {
    const w = f.contentWindow, found = [];
    w.map.eachLayer(l => { if (l instanceof w.L.atlas.PointLayer && l.points.n === n) { found.push(l); } });
    found[0].setVisible(indices);
    return found.length;
}"""


def test_a_layer_shows_another_set_of_points_and_the_legend_follows(page: Page, small_app) -> None:
    page.goto(small_app.url + "/?view=46,3,4")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    legend = frame.locator(".atlas-legend")
    expect(legend).to_contain_text(re.compile(r"Civic tech 1"), timeout=TIMEOUT)
    iframe = page.locator(MAP_FRAME).element_handle()

    assert page.evaluate(SET_VISIBLE, [iframe, 2, []]) == 1  # no ODC
    expect(frame.locator(".atlas-odc")).to_have_count(0)
    expect(legend).to_contain_text("ODC planned 0")
    assert page.evaluate(SET_VISIBLE, [iframe, 5, [2]]) == 1  # one organisation: Gamma Skills, Liège
    expect(frame.locator(".atlas-pin")).to_have_count(1)
    expect(frame.locator(".marker-cluster")).to_have_count(0)
    expect(legend).to_contain_text("Civic tech 0")
    expect(legend).to_contain_text("Training & employment 1")

    page.evaluate(SET_VISIBLE, [iframe, 5, None])
    page.evaluate(SET_VISIBLE, [iframe, 2, None])
    expect(legend).to_contain_text("Civic tech 1")
    expect(legend).to_contain_text("ODC planned 1")
    expect(frame.locator(".atlas-odc")).to_have_count(2)  # both back (markers out of view stay in the page)
    frame.locator(".atlas-pin").first.click()
    expect(frame.locator(".leaflet-popup-content")).to_be_visible(timeout=TIMEOUT)
