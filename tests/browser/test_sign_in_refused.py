"""A forged sign-in cookie opens nothing (issue 21, item 5), in Chromium against the real app: with
`cookie_secret` left at the value the example secrets file used to ship, a visitor signs their own
`_streamlit_user` cookie naming a moderator — the Moderate page says sign-in is switched off and
shows no queue. With a long random secret the same forged cookie is simply not accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

from atlas.i18n import t
from tests.browser.moderation import MOD1, MODERATORS, TIMEOUT, Site, new_context
from tests.store.records import new_org

OLD_EXAMPLE = "replace-me-with-a-long-random-string"


class ExampleSecretSite(Site):
    """The Moderate page's site, with the cookie secret the example file used to hold."""

    def write_secrets(self, moderators: list[str]) -> None:
        self.cookie_secret = OLD_EXAMPLE
        super().write_secrets(moderators)


@pytest.fixture(scope="module")
def weak_site(chromium, tmp_path_factory) -> Iterator[Site]:
    s = ExampleSecretSite(tmp_path_factory.mktemp("weak-site"))
    yield s
    s.stop()


def forged_cookie(site: Site, secret: str) -> dict[str, object]:
    payload = {
        "email": MOD1.email,
        "email_verified": True,
        "sub": MOD1.sub,
        "origin": site.app.url,
        "is_logged_in": True,
        "provider": "default",
    }
    value = create_signed_value(secret, "_streamlit_user", json.dumps(payload)).decode("latin-1")
    return {"name": "_streamlit_user", "value": value, "url": site.app.url}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_cookie_forged_with_the_example_secret_opens_nothing(chromium, weak_site: Site, lang: str) -> None:
    weak_site.store.submit("organisation", new_org(name="Secret Waiting Org"))
    context = new_context(chromium)
    try:
        context.add_cookies([forged_cookie(weak_site, OLD_EXAMPLE)])
        page = context.new_page()
        page.goto(weak_site.app.url + "/moderate" + ("" if lang == "en" else "?lang=fr"))
        refusal = t("moderate_sign_in_refused", lang, problem=t("moderate_secret_example", lang))
        expect(page.get_by_text(refusal)).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_role("button", name=t("moderate_sign_in", lang))).to_have_count(0)
        expect(page.get_by_text("Secret Waiting Org")).to_have_count(0)
        expect(page.get_by_text(t("moderate_signed_in_as", lang, email=MOD1.email))).to_have_count(0)
    finally:
        context.close()
    assert "Sign-in refused: [auth] cookie_secret is a published example value" in weak_site.app.log_tail()


def test_with_a_random_secret_the_forged_cookie_is_not_accepted(chromium, site: Site) -> None:
    assert len(site.cookie_secret) >= 32 and site.cookie_secret != OLD_EXAMPLE
    site.write_secrets(MODERATORS)
    context = new_context(chromium)
    try:
        context.add_cookies([forged_cookie(site, OLD_EXAMPLE)])
        page = context.new_page()
        page.goto(site.app.url + "/moderate")
        expect(page.get_by_role("button", name=t("moderate_sign_in", "en"))).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_text(t("moderate_signed_in_as", "en", email=MOD1.email))).to_have_count(0)
    finally:
        context.close()
