"""Sign-in that never fails silently and ends where it began (issue 25, item 4), in Chromium with a
real OpenID Connect provider on loopback (tests/browser/moderation.py).

- A moderator who signs in from the Moderate page is back on the Moderate page (its queue), in the
  page's language, without typing an address; the map afterwards stays the map.
- The menu names the page "Moderate" signed out and signed in.
- Opened at an address other than the configured `redirect_uri` (127.0.0.1 for localhost), the
  page says where sign-in works and links there, instead of a button that would end signed out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from atlas.i18n import t
from bench.oidc import secrets_toml
from tests.browser.conftest import warm_up
from tests.browser.moderation import MOD1, TIMEOUT, Site, new_context

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


class LocalhostSite(Site):
    """The same site, but its secrets say the app is at `localhost` (the tests open 127.0.0.1)."""

    def write_secrets(self, moderators: list[str]) -> None:
        self.secrets.write_text(
            secrets_toml(
                self.provider.metadata_url,
                moderators,
                app_url="http://localhost:{port}",
                cookie_secret=self.cookie_secret,
            ),
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def localhost_site(chromium, tmp_path_factory) -> Iterator[Site]:
    s = LocalhostSite(tmp_path_factory.mktemp("localhost"))
    try:
        warm_up(chromium, s.app.url)
        yield s
        errors = s.app.log_errors()
    finally:
        s.stop()
    assert errors == []


def _open(chromium, opened: list, url: str, viewport: dict[str, int]) -> Page:
    context = new_context(chromium, viewport)
    opened.append(context)
    page = context.new_page()
    page.goto(url)
    return page


def _menu(page: Page):
    return page.get_by_test_id("stSidebarNav")


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("fr", DESKTOP), ("en", PHONE), ("fr", PHONE)])
def test_a_moderator_is_back_on_the_queue_after_signing_in(
    chromium, browser_contexts, site: Site, lang: str, viewport: dict[str, int]
) -> None:
    page = _open(chromium, browser_contexts, f"{site.app.url}/moderate?lang={lang}", viewport)
    sign_in = page.get_by_role("button", name=t("moderate_sign_in", lang))
    expect(sign_in).to_be_visible(timeout=TIMEOUT)
    if viewport is DESKTOP:  # one name for the page, signed out…
        expect(_menu(page).get_by_text(t("page_moderate", lang), exact=True)).to_be_visible(timeout=TIMEOUT)
    sign_in.click()
    page.wait_for_url(re.compile(re.escape(site.provider.url)), timeout=TIMEOUT)
    page.get_by_role("button", name=MOD1.sub, exact=True).click()
    # back from the provider: on the Moderate page, in the language it was in — no address typed
    page.wait_for_url(re.compile(re.escape(site.app.url) + rf"/moderate\?lang={lang}\b"), timeout=TIMEOUT)
    expect(page.get_by_text(t("moderate_signed_in_as", lang, email=MOD1.email))).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(re.escape(site.app.url) + rf"/moderate\?lang={lang}$"), timeout=TIMEOUT)
    expect(page.get_by_text(t("moderate_sign_in_failed", lang))).to_have_count(0)
    expect(page.get_by_role("tab", name=t("moderate_tab_queue", lang))).to_be_visible(timeout=TIMEOUT)
    if viewport is DESKTOP:  # …and signed in
        expect(_menu(page).get_by_text(t("page_moderate", lang), exact=True)).to_be_visible(timeout=TIMEOUT)
        old_name = {"en": "Moderators", "fr": "Modération"}[lang]  # the signed-out name the menu once had
        expect(_menu(page).get_by_text(old_name, exact=True)).to_have_count(0)
    # the way back was used once: the map, opened now, stays the map
    page.goto(f"{site.app.url}/?lang={lang}")
    expect(page.get_by_role("heading", name=t("app_title", lang))).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(re.escape(site.app.url) + r"/(\?.*)?$"))


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("fr", PHONE)])
def test_another_address_than_the_configured_one_says_where_to_sign_in(
    chromium, browser_contexts, localhost_site: Site, lang: str, viewport: dict[str, int]
) -> None:
    port = localhost_site.app.port
    configured, here = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
    page = _open(chromium, browser_contexts, f"{localhost_site.app.url}/moderate?lang={lang}", viewport)
    expect(page.get_by_text(t("moderate_host_mismatch", lang))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(t("moderate_address_configured", lang, address=configured))).to_be_visible()
    expect(page.get_by_text(t("moderate_address_here", lang, address=here))).to_be_visible()
    link = page.get_by_role("link", name=t("moderate_open_configured", lang))
    expect(link).to_be_visible(timeout=TIMEOUT)
    expect(link).to_have_attribute("href", f"{configured}/moderate?lang={lang}")
    expect(page.get_by_role("button", name=t("moderate_sign_in", lang))).to_have_count(0)
