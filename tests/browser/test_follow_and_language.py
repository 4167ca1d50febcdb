"""What a contributor and a French-speaking visitor see (issue 25, items 7 and 8), in Chromium on the
real app (the Moderate site of tests/browser/moderation.py: the app on its own database).

- The follow page a contributor's private link opens: their proposal's state, then the moderator's
  reason, in their language, readable on a phone without sideways scrolling.
- A browser asking for French gets the French atlas on its first page; English chosen there stays
  English on a reload (the choice is in the address).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atlas.i18n import t
from atlas.store import follow
from tests.browser.moderation import TIMEOUT, Site, local_only
from tests.store.records import new_org

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


def _page(chromium, opened: list, viewport: dict[str, int], locale: str = "en-US") -> Page:
    context = chromium.new_context(viewport=viewport, locale=locale)
    opened.append(context)
    context.blocked_requests = local_only(context)
    return context.new_page()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("fr", DESKTOP), ("en", PHONE), ("fr", PHONE)])
def test_the_follow_page_shows_the_state_then_the_reason(
    chromium, browser_contexts, site: Site, lang: str, viewport: dict[str, int]
) -> None:
    done = site.store.submit("organisation", new_org(name=f"Followed {lang} {viewport['width']}"), contact="c@x.org")
    token = follow.create(site.store, done.revision_id, lang)
    page = _page(chromium, browser_contexts, viewport)
    page.goto(f"{site.app.url}/follow/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("follow_title", lang, ref=done.revision_id))
    expect(page.get_by_role("status")).to_have_text(t("follow_state_pending", lang))
    expect(page.get_by_text(f"Followed {lang} {viewport['width']}")).to_be_visible()
    _no_sideways_scroll(page)
    item = next(i for i in site.store.queue(size=100).items if i.revision_id == done.revision_id)
    reason = "Nous n'avons trouvé aucune trace publique" if lang == "fr" else "We found no public trace of it"
    site.store.reject(done.revision_id, item.version, "mod1@example.org", reason)
    page.reload()
    expect(page.get_by_role("status")).to_have_text(t("follow_state_rejected", lang))
    expect(page.get_by_role("heading", name=t("follow_reason", lang))).to_be_visible()
    expect(page.get_by_text(reason)).to_be_visible()
    expect(page.get_by_text("mod1@example.org")).to_have_count(0)
    expect(page.get_by_text("c@x.org")).to_have_count(0)
    _no_sideways_scroll(page)
    assert page.context.blocked_requests == []  # the page asks nothing of any other site


def test_a_wrong_follow_link_is_not_found(chromium, browser_contexts, site: Site) -> None:
    page = _page(chromium, browser_contexts, DESKTOP)
    answer = page.goto(f"{site.app.url}/follow/1-{'A' * 43}")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(t("web_not_found_title", "en"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_a_french_browser_gets_french_first(chromium, browser_contexts, site: Site, viewport: dict[str, int]) -> None:
    page = _page(chromium, browser_contexts, viewport, locale="fr-FR")
    page.goto(f"{site.app.url}/")
    expect(page.get_by_role("heading", name=t("app_title", "fr"), exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]lang=fr\b"), timeout=TIMEOUT)  # the address says it
    if viewport is PHONE:
        return
    # English, chosen in the French browser, is kept on a reload
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name=t("app_title", "en"), exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"), timeout=TIMEOUT)
    page.reload()
    expect(page.get_by_role("heading", name=t("app_title", "en"), exact=True)).to_be_visible(timeout=TIMEOUT)


def test_an_english_browser_gets_english(chromium, browser_contexts, site: Site) -> None:
    page = _page(chromium, browser_contexts, DESKTOP, locale="en-GB")
    page.goto(f"{site.app.url}/")
    expect(page.get_by_role("heading", name=t("app_title", "en"), exact=True)).to_be_visible(timeout=TIMEOUT)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_no_violation_on_the_follow_page(chromium, site: Site, lang: str) -> None:
    from tests.browser.conftest import axe

    done = site.store.submit("organisation", new_org(name=f"Axe {lang}"))
    token = follow.create(site.store, done.revision_id, lang)
    item = next(i for i in site.store.queue(size=100).items if i.revision_id == done.revision_id)
    site.store.reject(done.revision_id, item.version, "mod1@example.org", "A reason")
    context = chromium.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)  # to inject axe
    try:
        page = context.new_page()
        page.goto(f"{site.app.url}/follow/{token}")
        expect(page.locator("h1")).to_be_visible()
        violations = axe(page)
        assert violations == [], violations
    finally:
        context.close()
