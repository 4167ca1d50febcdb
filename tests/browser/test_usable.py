"""A page people can read and use (issue 18), in a real browser: the page's language, the record
panel's sources and articles, search while typing, sharing, the embed layout, and axe-core."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import MAP_FRAME, axe, drawn, idle, map_settled
from tests.support import require

TIMEOUT = 30_000


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_text(re.compile(r"entries shown|entrées affichées"))).to_be_visible(timeout=TIMEOUT)


def test_html_lang_follows_the_page_language(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?lang=fr")
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=TIMEOUT)
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    expect(page.get_by_text("7 of 7 entries shown", exact=False)).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=TIMEOUT)
    page.goto(small_app.url + "/about?lang=fr")
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=TIMEOUT)


def _focused(page: Page) -> list[str]:
    return page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent]")


@pytest.mark.parametrize(
    ("tabs", "link", "target"),
    [(1, "Skip to the table", "atlas-table"), (2, "Skip to the downloads", "atlas-downloads")],
)
def test_the_first_tabs_are_skip_links_to_the_table_and_the_downloads(
    page: Page, small_app, tabs: int, link: str, target: str
) -> None:
    _open(page, small_app.url)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    idle(page)
    for _ in range(tabs):  # from the top of a freshly opened page
        page.keyboard.press("Tab")
    assert _focused(page) == ["A", link]
    expect(page.get_by_role("link", name=link)).to_be_visible()  # seen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == target
    inside = "() => document.activeElement.closest('[data-testid=stDataFrame]') !== null"
    search = "() => document.activeElement.getAttribute('aria-label') === 'Search the table'"
    for _ in range(3):  # past the heading's own link
        page.keyboard.press("Tab")
        if target == "atlas-table" and (page.evaluate(inside) or page.evaluate(search)):  # its search, or the grid
            break
        if target == "atlas-downloads" and _focused(page) == ["BUTTON", "Download CSV"]:
            break
    else:
        pytest.fail(f"{link} does not lead to it: {_focused(page)}")


def test_the_map_frame_has_a_name_people_understand(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?lang=fr")
    expect(page.locator(MAP_FRAME)).to_have_attribute(
        "aria-label", "Carte des organisations et des Orange Digital Centers", timeout=TIMEOUT
    )


def test_a_permalink_opens_the_record_whose_articles_open_their_cards(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?entry=delta-network")
    expect(page.get_by_text("A test network in Perugia.").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Sources: test fixture")).to_be_visible(timeout=TIMEOUT)
    # the record's "Mentioned in" list (the articles panel beside it has its own card of it)
    article = page.locator(".atlas-choices").get_by_role("button", name="A test meeting in Umbria")
    expect(article).to_have_count(1, timeout=TIMEOUT)  # each article once
    article.click()
    expect(page).to_have_url(re.compile(r"article=perugia-meeting"), timeout=TIMEOUT)
    card = page.locator(".st-key-article_card_chosen")
    expect(card).to_contain_text("A test meeting in Umbria", timeout=TIMEOUT)
    expect(card).to_contain_text("Clear article highlight")
    expect(page).to_have_url(re.compile(r"entry=delta-network"))  # the record stays open, in the link too


def test_search_applies_while_typing(page: Page, small_app) -> None:
    _open(page, small_app.url)
    idle(page)
    page.get_by_test_id("stSidebar").get_by_placeholder("Type to search").press_sequentially("liege", delay=50)
    expect(page.get_by_text("1 of 7 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"q=liege"))


def test_the_share_control_gives_the_link_to_this_view_and_the_embed_code(page: Page, small_app) -> None:
    _open(page, small_app.url + "/?lang=fr&region=155&entry=gamma-skills")
    expect(page.get_by_text("4 entrées affichées sur 7")).to_be_visible(timeout=TIMEOUT)  # Western Europe
    idle(page)
    page.get_by_role("button", name=re.compile("Partager")).click()
    codes = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode")
    expect(codes).to_have_count(5, timeout=TIMEOUT)
    link, entry, embed, feed, entry_page = (c.inner_text().strip() for c in codes.all())
    assert link.startswith(small_app.url + "/?lang=fr&region=155") and "entry=gamma-skills" in link
    assert entry == small_app.url + "/?lang=fr&entry=gamma-skills"
    assert embed.startswith(f'<iframe src="{small_app.url}/?lang=fr&amp;region=155') and "embed=true" in embed
    assert 'width="600" height="450"' in embed
    assert feed == small_app.url + "/feeds/entries.atom?lang=fr&region=155"  # "Follow this view"
    assert entry_page == small_app.url + "/fr/entry/gamma-skills"
    page.goto(entry)  # the permalink opens the record
    expect(page.get_by_text("Une école de code de test à Liège.").first).to_be_visible(timeout=TIMEOUT)


class _Partner(BaseHTTPRequestHandler):
    """A partner's page on another loopback port, embedding the atlas."""

    atlas = ""

    def do_GET(self) -> None:
        body = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner</title></head><body>"
            "<h1>A partner's page</h1>"
            f"<iframe src='{self.atlas}/?embed=true&amp;lang=fr&amp;region=002' title='Social Tech Atlas'"
            " width='600' height='450'"
            " style='border:0'></iframe></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def partner(small_app) -> Iterator[str]:
    handler = type("Partner", (_Partner,), {"atlas": small_app.url})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_atlas_embedded_in_a_partner_page(page: Page, small_app, partner: str) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(partner)
    atlas = page.frame_locator("iframe[title='Social Tech Atlas']")
    pin = atlas.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first
    expect(pin).to_be_visible(timeout=TIMEOUT)
    expect(atlas.get_by_test_id("stSidebar")).to_have_count(0)  # no sidebar, charts or table
    expect(atlas.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    expect(atlas.get_by_test_id("stDataFrame")).to_have_count(0)
    odcs = atlas.get_by_role("button", name=re.compile(r"Orange Digital Center \(1\)"))  # in Africa (region=002)
    expect(odcs).to_be_visible(timeout=TIMEOUT)
    inner = page.locator("iframe[title='Social Tech Atlas']").element_handle().content_frame()
    odcs.click()  # the compact filter (in the map itself: no rerun)
    pins = atlas.frame_locator(MAP_FRAME).locator(".atlas-pin")
    expect(pins).to_have_count(1, timeout=TIMEOUT)
    pins.first.scroll_into_view_if_needed()
    dialog = atlas.get_by_role("dialog")
    for _ in range(3):  # a first click right after the map moved can be lost (the map's side: see the report)
        map_settled(inner)
        pins.first.click()
        try:
            dialog.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    expect(dialog).to_contain_text("Test Digital Center Dakar", timeout=TIMEOUT)
    expect(dialog).to_contain_text("Entrée sélectionnée")  # the frame's language, from its link
    box = page.locator("iframe[title='Social Tech Atlas']").bounding_box()
    map_box = atlas.locator(MAP_FRAME).bounding_box()
    assert map_box["y"] - box["y"] < 120, "the map comes first in the frame"
    assert errors == [], errors
    assert small_app.log_errors() == [], small_app.log_tail()


@pytest.mark.parametrize("path", ["/?entry=delta-network", "/?lang=fr&entry=delta-network", "/contribute", "/about"])
def test_axe_finds_no_serious_or_critical_violation(page: Page, small_app, path: str) -> None:
    """Page level (the map frame's own content is the map's: reported, not judged, here)."""
    require("axe-core")
    page.goto(small_app.url + path)
    expect(page.locator("h1").first).to_be_visible(timeout=TIMEOUT)
    if path.startswith("/?"):
        expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first).to_be_visible(
            timeout=TIMEOUT
        )
        expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelector('link[data-atlas-page]')", timeout=TIMEOUT)
    drawn(page)  # the charts' and the table's first draw (the stylesheet is in: above)
    violations = axe(page)
    for v in violations:
        print(f"axe {path}: {v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}")
        for node in v["nodes"][:5]:
            print("    ", node.replace("\n", " "))
    if path.startswith("/?"):
        frame = page.locator(MAP_FRAME).element_handle().content_frame()
        for v in axe(page, frame):
            print(f"axe {path} map frame: {v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}")
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
