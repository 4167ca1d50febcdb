"""After sending a proposal in the browser, the contributor sees their private follow link and the
page it opens (issue 25, item 8): the real app, form and database of tests/browser/test_contribute.py."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from atlas.i18n import t
from tests.browser.test_contribute import (  # noqa: F401 (fixtures)
    TIMEOUT,
    FormApp,
    _fill_good,
    _open_form,
    _pending,
    _type,
    form_app,
    gazetteer_index,
)


def test_the_follow_link_after_sending_opens_the_proposal(page: Page, form_app: FormApp) -> None:  # noqa: F811
    _open_form(page, form_app.url)
    _fill_good(page, "Lambda Follow Café")
    _type(page, "Your e-mail address", "lambda@example.org")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=t("contribute_follow_heading", "en"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(t("contribute_follow_text", "en"))).to_be_visible()
    link = page.get_by_role("link", name=t("contribute_follow_open", "en"))
    href = link.get_attribute("href") or ""
    assert re.fullmatch(re.escape(form_app.url) + r"/follow/\d+-[A-Za-z0-9_-]{43}", href), href
    expect(page.get_by_text(href, exact=True)).to_be_visible()  # to copy
    with page.context.expect_page() as opened:
        link.click()
    follow_page = opened.value
    [item] = [i for i in _pending(form_app) if i.name == "Lambda Follow Café"]
    expect(follow_page.get_by_role("heading", level=1)).to_have_text(
        t("follow_title", "en", ref=item.revision_id), timeout=TIMEOUT
    )
    expect(follow_page.get_by_role("status")).to_have_text(t("follow_state_pending", "en"))
    expect(follow_page.get_by_text("Lambda Follow Café")).to_be_visible()
    expect(follow_page.get_by_text("lambda@example.org")).to_have_count(0)
