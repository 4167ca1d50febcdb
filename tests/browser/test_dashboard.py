"""The dashboard in a real browser: map, filters, language, download, shareable links."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import MAP_FRAME

TIMEOUT = 30_000


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_text(re.compile(r"entries shown|entrées affichées"))).to_be_visible(timeout=TIMEOUT)


def _markers(page: Page):
    return page.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster")


def _choose_country(page: Page, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name=re.compile(name)).click()
    page.keyboard.press("Escape")


def test_markers_and_clusters_appear_on_the_map(page: Page, small_app) -> None:
    _open(page, small_app.url)
    expect(page.get_by_text("7 of 7 entries shown (5 organisations, 2 ODCs)")).to_be_visible()
    expect(_markers(page).first).to_be_visible(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-legend")).to_contain_text("Civic tech")
    expect(frame.locator(".leaflet-control-layers")).to_contain_text("Organisations")
    assert page.blocked_requests == []  # ATLAS_ASSETS=local: nothing requested from a third party


def test_choosing_a_country_changes_the_count_and_the_map(page: Page, small_app) -> None:
    _open(page, small_app.url)
    expect(_markers(page).first).to_be_visible(timeout=TIMEOUT)
    _choose_country(page, "Belgium")
    expect(page.get_by_text("1 of 7 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin")).to_have_count(1, timeout=TIMEOUT)
    expect(frame.locator(".atlas-legend")).to_contain_text("Training & employment 1")
    expect(page).to_have_url(re.compile(r"country=BE"))


def test_french_switch_changes_labels(page: Page, small_app) -> None:
    _open(page, small_app.url)
    page.get_by_test_id("stSidebar").get_by_text("Français").click()
    expect(page.get_by_role("heading", name="Atlas de la Social Tech")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("7 entrées affichées sur 7")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("Pays", exact=True)).to_be_visible()
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-legend")).to_contain_text("Dans cette vue", timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"lang=fr"))


def test_spanish_switch_changes_labels(page: Page, small_app) -> None:
    _open(page, small_app.url)
    page.get_by_test_id("stSidebar").get_by_text("Español").click()
    expect(page.get_by_role("heading", name="Atlas de la Tecnología Social")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("7 de 7 entradas mostradas")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("País", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=TIMEOUT)
    legend = page.frame_locator(MAP_FRAME).locator(".atlas-legend")
    expect(legend).to_contain_text("En esta vista", timeout=TIMEOUT)
    expect(legend).to_contain_text("Tecnología cívica")  # the categories too
    expect(page).to_have_url(re.compile(r"lang=es"))


def test_csv_download_holds_only_the_filtered_rows(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?country=FR")
    expect(page.get_by_text("2 of 7 entries shown")).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert re.fullmatch(r"social-tech-atlas_FR_\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == ["alpha-civic", "beta-commons"]
    assert {r["country"] for r in rows} == {"FR"}


def test_shared_link_restores_the_filters(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?lang=fr&country=FR,BE&category=training")
    expect(page.get_by_text("1 entrées affichées sur 7")).to_be_visible(timeout=TIMEOUT)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(re.compile(r"^France \(\d+\)$"))).to_be_visible()
    expect(sidebar.get_by_text(re.compile(r"^Belgique \(\d+\)$"))).to_be_visible()
    expect(sidebar.get_by_text(re.compile(r"^Formation et insertion"))).to_be_visible()


def test_invalid_link_parameters_are_ignored_with_a_notice(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?country=ZZ,BE&view=999,1,2&lang=xx")
    expect(page.get_by_text(re.compile("were not understood and were ignored"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("1 of 7 entries shown")).to_be_visible()


def test_clicking_a_marker_shows_its_record(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?country=BE")
    pin = page.frame_locator(MAP_FRAME).locator(".atlas-pin").first
    expect(pin).to_be_visible(timeout=TIMEOUT)
    pin.click()
    expect(page.get_by_text("A test coding school in Liège.").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"Sources: test fixture"))).to_be_visible()


def test_selecting_a_table_row_focuses_the_map_and_shows_the_record(page: Page, small_app) -> None:
    _open(page, small_app.url)
    expect(_markers(page).first).to_be_visible(timeout=TIMEOUT)
    grid = page.get_by_test_id("stDataFrame")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * 4 + 17)  # the fifth row by name: Gamma Skills (Liège)
    expect(page.get_by_text("A test coding school in Liège.").first).to_be_visible(timeout=TIMEOUT)
    iframe = page.locator(MAP_FRAME)
    page.wait_for_function(
        "f => { const m = f.contentWindow.map; return m && Math.abs(m.getCenter().lat - 50.63) < 0.05; }",
        arg=iframe.element_handle(),
        timeout=TIMEOUT,
    )


def test_only_what_the_map_shows_follows_the_view(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?view=46.5,2.5,6")
    expect(_markers(page).first).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("stSidebar").get_by_text("Only what the map shows").click()
    expect(page.get_by_text(re.compile(r"^[1-6] of 7 entries shown"))).to_be_visible(timeout=TIMEOUT)  # Dakar is out
    expect(page).to_have_url(re.compile(r"inview=1"))
    iframe = page.locator(MAP_FRAME)
    iframe.evaluate("f => f.contentWindow.map.setView([45.76, 4.84], 11)")  # zoom onto Lyon
    expect(page.get_by_text("1 of 7 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin").first).to_be_visible()  # the map keeps its markers
