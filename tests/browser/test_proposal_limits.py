"""The proposal limits through the page, in Chromium against the real app (issue 21, item 4): a
reload does not give a visitor a fresh allowance, and a busy queue asks the browser for a proof of
work that the page's own script finds, after which the proposal goes through."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atlas.store.limits import Limits
from atlas.web.proxy import VISITOR_COOKIE
from tests.browser.test_contribute import TIMEOUT, FormApp, _fill_good, _form_app, _open_form, gazetteer_index
from tests.store.records import new_org

__all__ = ["gazetteer_index"]  # the fixture, used here too


@pytest.fixture(scope="module")
def limits_app(chromium, tmp_path_factory, gazetteer_index: Path) -> Iterator[FormApp]:
    yield from _form_app("small_atlas", chromium, tmp_path_factory, gazetteer_index)


def _visitor_cookie(page: Page) -> str:
    [cookie] = [c for c in page.context.cookies() if c["name"] == VISITOR_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    return cookie["value"]


def _send(page: Page) -> None:
    page.get_by_role("button", name="Send for review").click()


def test_a_reload_does_not_reset_the_visitors_allowance(page: Page, limits_app: FormApp) -> None:
    _open_form(page, limits_app.url)
    cookie = _visitor_cookie(page)  # set by atlas/web/proxy.py with the page
    store = limits_app.store()
    try:
        # four proposals already sent by this visitor (this browser, on loopback: no address)
        for n in range(4):
            store.submit("organisation", new_org(name=f"Earlier {n}"), client="loopback", session=cookie)
    finally:
        store.engine.dispose()
    _fill_good(page, "Fifth Proposal")
    _send(page)
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    page.reload()  # a new Streamlit session, the same browser
    _open_form(page, limits_app.url)
    assert _visitor_cookie(page) == cookie
    _fill_good(page, "Sixth Proposal")
    _send(page)
    expect(page.get_by_text("You have sent several proposals in the last hour")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("textbox", name="Name *", exact=True)).to_have_value("Sixth Proposal")


def test_a_busy_queue_asks_the_browser_for_a_proof_of_work(page: Page, limits_app: FormApp) -> None:
    store = limits_app.store()
    try:
        pressure = Limits().pressure
        pending = store.queue().total
        for n in range(max(0, pressure - pending)):  # the queue under pressure, from many networks
            store.submit("organisation", new_org(name=f"Busy {n}"), client=f"10.{n}.0.1", session=f"other-{n}")
    finally:
        store.engine.dispose()
    _open_form(page, limits_app.url)
    page.context.clear_cookies()  # a new visitor (the previous test's allowance is spent)
    page.reload()
    _open_form(page, limits_app.url)
    _fill_good(page, "Proposal Under Pressure")
    _send(page)
    # The page asks its script for the proof: the "working" notice, or already the "ready" one when the
    # script was faster than this check (a quiet machine finds 18 bits in well under a second).
    asked = re.compile(r"your browser is doing a short computation|Ready: send your proposal again\.")
    expect(page.get_by_text(asked)).to_be_visible(timeout=TIMEOUT)
    started = time.monotonic()
    expect(page.get_by_text("Ready: send your proposal again.")).to_be_visible(timeout=60_000)
    print(f"proof of work found in the page in about {time.monotonic() - started:.1f} s")
    _send(page)
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    store = limits_app.store()
    try:
        assert [i for i in store.queue(size=200).items if i.name == "Proposal Under Pressure"]
    finally:
        store.engine.dispose()
