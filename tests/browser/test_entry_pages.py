"""The entry pages in Chromium: readable with JavaScript off, in the atlas's look, previews that name
the entry, "Open on the map" opening the record on the map; the Streamlit page names its feed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe

TIMEOUT = 30_000


@pytest.fixture()
def no_js_page(chromium):
    context = chromium.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.messages = []
    page.on("console", lambda message: page.messages.append(f"{message.type}: {message.text}"))
    yield page
    context.close()


@pytest.mark.parametrize(
    ("path", "lang", "button"), [("", "en", "Open on the map"), ("/fr", "fr", "Ouvrir sur la carte")]
)
def test_an_entry_page_renders_without_javascript(no_js_page: Page, small_app, path, lang, button, site) -> None:
    page = no_js_page
    response = page.goto(f"{small_app.url}{path}/entry/alpha-civic")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Alpha Civic Lab")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page).to_have_title(
        "Alpha Civic Lab · " + ("Social Tech Atlas" if lang == "en" else "Atlas de la Social Tech")
    )
    expect(page.locator('meta[property="og:title"]')).to_have_attribute("content", "Alpha Civic Lab")
    expect(page.locator('meta[name="twitter:title"]')).to_have_attribute("content", "Alpha Civic Lab")
    expect(page.locator('meta[property="og:url"]')).to_have_attribute(
        "content", f"{small_app.url}{path}/entry/alpha-civic"
    )
    link = page.get_by_role("link", name=button)
    expect(link).to_be_visible()
    # the stylesheet loaded under the strict CSP: the atlas's green button
    expect(link).to_have_css("background-color", "rgb(31, 111, 92)")
    expect(page.get_by_role("link", name=re.compile("A test lab opens in Lyon|Un laboratoire de test"))).to_be_visible()
    assert not [m for m in page.messages if "Content Security Policy" in m or m.startswith("error")], page.messages


def test_a_country_page_links_to_its_entries(no_js_page: Page, small_app) -> None:
    page = no_js_page
    page.goto(f"{small_app.url}/fr/country/FR")
    expect(page.locator("h1")).to_have_text("France dans l'Atlas de la Social Tech")
    page.get_by_role("link", name="Beta Commons").click()
    expect(page).to_have_url(f"{small_app.url}/fr/entry/beta-commons")
    expect(page.locator("h1")).to_have_text("Beta Commons")


def test_an_unknown_entry_is_a_404_page(no_js_page: Page, small_app) -> None:
    response = no_js_page.goto(f"{small_app.url}/entry/no-such-entry")
    assert response is not None and response.status == 404
    expect(no_js_page.locator("h1")).to_have_text("Page not found")


def test_open_on_the_map_opens_the_record(page: Page, small_app) -> None:
    page.goto(f"{small_app.url}/fr/entry/delta-network")
    page.get_by_role("link", name="Ouvrir sur la carte").click()
    expect(page).to_have_url(re.compile(r"/\?lang=fr&entry=delta-network"), timeout=TIMEOUT)
    expect(page.get_by_text("Un réseau de test à Pérouse.").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("entrées affichées", exact=False)).to_be_visible(timeout=TIMEOUT)
    # the page's own script named the Atom feed of the view in the head
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", f"{small_app.url}/feeds/entries.atom?lang=fr", timeout=TIMEOUT)


@pytest.mark.parametrize("path", ["/entry/alpha-civic", "/fr/entry/delta-network", "/fr/country/FR", "/entry/nope"])
def test_axe_finds_no_violation_on_the_pages(chromium, small_app, path: str) -> None:
    context = chromium.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)  # to inject axe
    try:
        page = context.new_page()
        page.goto(f"{small_app.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        violations = axe(page)
        assert violations == [], violations
    finally:
        context.close()
