"""Moderation in headless Chromium, signed in through a real OpenID Connect provider.

The tests start `oidc-provider-mock` on loopback (its own process, predefined users: two moderators
and a visitor), write a secrets file (`[auth]` for `st.login`, `[atlas] moderators`) and start the
real app on it (tests/browser/moderation.py, shared with test_moderate_tabs.py). Signing in is what
a person does: Moderate → Sign in → the provider's page → the user's button → back to the app.
Pending entries are made through `Store.submit` on the app's database (the form itself is tested
with the Add page).

The refusal test also replays the Moderate page's widget messages with the websocket protocol
client (bench/load/protocol.py): the widget ids a moderator's session was given, sent from an
anonymous session, a signed-in visitor's session, and a moderator's session after the allow-list
dropped them — the store must not change.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from dataclasses import replace

from playwright.sync_api import BrowserContext, expect

from atlas.store.store import Store
from bench.load.protocol import StreamlitClient
from tests.browser.conftest import MAP_FRAME
from tests.browser.moderation import MOD1, MOD2, MODERATORS, TIMEOUT, VISITOR, Site, csv_rows, item, submit, visit


def test_a_moderator_signs_in_and_approves(chromium, browser_contexts, site: Site) -> None:
    rid, entry_id = submit(site.store, "Approved In The Browser")
    page = visit(chromium, browser_contexts, site, MOD1)
    card = item(page, rid)
    expect(card.get_by_text("Approved In The Browser", exact=True).first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("someone@example.org")).to_have_count(0)  # the contact only on demand
    card.get_by_text("Submitter's contact (private)").click()
    expect(card.get_by_text("someone@example.org")).to_be_visible(timeout=TIMEOUT)
    card.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved: it is on the map.")).to_be_visible(timeout=TIMEOUT)
    expect(item(page, rid)).to_have_count(0)

    page.goto(site.app.url + "/?q=Approved+In+The+Browser")
    expect(page.get_by_text("1 of 8 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin")).to_have_count(1, timeout=TIMEOUT)
    assert [r["id"] for r in csv_rows(page)] == [entry_id]

    history = site.store.history(entry_id, public=False)
    assert [(h.action, h.status, h.author, h.decided_by) for h in history] == [
        ("submission", "applied", "anonymous", "moderator:mod1@example.org")
    ]
    public = site.store.history(entry_id)
    assert [(h.action, h.author, h.decided_by, h.note) for h in public] == [("submission", "anonymous", "", "")]


def test_a_rejected_submission_is_nowhere_public(chromium, browser_contexts, site: Site) -> None:
    rid, entry_id = submit(site.store, "Rejected In The Browser")
    page = visit(chromium, browser_contexts, site, MOD2)
    card = item(page, rid)
    expect(card.get_by_text("Rejected In The Browser", exact=True).first).to_be_visible(timeout=TIMEOUT)
    card.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Not saved: a value is not accepted")).to_be_visible(timeout=TIMEOUT)
    card.get_by_label("Reason or note").fill("Not an organisation")
    card.get_by_role("button", name="Reject").click()
    expect(page.get_by_text(re.compile("^Rejected: it will not be published"))).to_be_visible(timeout=TIMEOUT)

    page.goto(site.app.url + "/?q=Rejected+In+The+Browser")
    expect(page.get_by_text(re.compile(r"^0 of \d+ entries shown"))).to_be_visible(timeout=TIMEOUT)
    page.goto(site.app.url)
    expect(page.get_by_text(re.compile(r"entries shown"))).to_be_visible(timeout=TIMEOUT)
    rows = csv_rows(page)
    assert "alpha-civic" in {r["id"] for r in rows} and entry_id not in {r["id"] for r in rows}
    assert "Rejected In The Browser" not in site.store.published_atlas().frame["name"].tolist()
    assert site.store.history(entry_id) == []  # no public history either
    decided = site.store.history(entry_id, public=False)[-1]
    assert (decided.status, decided.decided_by, decided.decision_note) == (
        "rejected",
        "moderator:mod2@example.org",
        "Not an organisation",
    )


def _state(store: Store, entry_id: str) -> tuple:
    entry = store.entry(entry_id)
    assert entry is not None
    return entry["state"], entry["version"], [(h.status, h.decided_by) for h in store.history(entry_id, public=False)]


def _cookies(context: BrowserContext) -> dict[str, str]:
    return {c["name"]: c["value"] for c in context.cookies()}


async def _replay(site: Site, keys: list[str], cookies: dict[str, str], leaked: dict) -> list[str]:
    """A session with `cookies` on /moderate; sends the widgets `leaked` (a moderator's ids and
    values) as if it had drawn them. Returns the keys this session was itself given."""
    client = StreamlitClient(site.app.url, keys)
    for name, value in cookies.items():
        client.set_cookie(name, value)
    try:
        await client.connect(page="moderate")
        own = sorted(client.widgets)
        client.widgets = {k: replace(w) for k, w in leaked.items()}
        await client.rerun()
        return own
    finally:
        await client.close()


async def _moderator_widgets(site: Site, keys: list[str], cookies: dict[str, str]):
    client = StreamlitClient(site.app.url, keys)
    for name, value in cookies.items():
        client.set_cookie(name, value)
    await client.connect(page="moderate")
    return client


def test_non_moderators_are_refused_also_by_url_and_by_replayed_messages(
    chromium, browser_contexts, site: Site
) -> None:
    rid, entry_id = submit(site.store, "Must Stay Pending")
    keys = [f"mod_note_{rid}", f"mod_approve_{rid}", f"mod_reject_{rid}"]
    before = _state(site.store, entry_id)

    anonymous = visit(chromium, browser_contexts, site, None)  # by direct URL: a sign-in button only
    expect(anonymous.get_by_text("Must Stay Pending")).to_have_count(0)
    expect(anonymous.get_by_role("button", name="Approve")).to_have_count(0)
    expect(anonymous.get_by_role("tab")).to_have_count(0)

    visitor = visit(chromium, browser_contexts, site, VISITOR)
    expect(visitor.get_by_text(re.compile("^This account may not moderate the atlas"))).to_be_visible()
    expect(visitor.get_by_text("Must Stay Pending")).to_have_count(0)
    expect(visitor.get_by_role("button", name="Approve")).to_have_count(0)
    expect(visitor.get_by_role("tab")).to_have_count(0)

    moderator = visit(chromium, browser_contexts, site, MOD1)
    expect(item(moderator, rid)).to_be_visible(timeout=TIMEOUT)
    visitor_cookies = _cookies(visitor.context)
    moderator_cookies = _cookies(moderator.context)
    assert "_streamlit_user" in visitor_cookies and "_streamlit_user" in moderator_cookies

    async def scenario() -> None:
        mod = await _moderator_widgets(site, keys, moderator_cookies)
        try:
            assert sorted(mod.widgets) == sorted(keys)  # the ids a moderator's page holds
            for action in (f"mod_approve_{rid}", f"mod_reject_{rid}"):
                leaked = {k: replace(w) for k, w in mod.widgets.items()}
                leaked[f"mod_note_{rid}"].value = "replayed"
                leaked[action].value = True  # a click
                assert await _replay(site, keys, {}, leaked) == []  # anonymous: given none of them
                assert _state(site.store, entry_id) == before
                assert await _replay(site, keys, visitor_cookies, leaked) == []  # signed-in visitor
                assert _state(site.store, entry_id) == before

            # A moderator taken off the list while their page is open: the next run refuses, and
            # so does the action's own check (the click reaches the callback, which asks again).
            site.write_secrets(["mod2@example.org"])
            try:
                mod.widgets[f"mod_note_{rid}"].value = "replayed"
                assert mod.click(f"mod_approve_{rid}")
                await mod.rerun()
                assert _state(site.store, entry_id) == before
            finally:
                site.write_secrets(MODERATORS)

            # The same message from a moderator's session does decide: the replay is well-formed.
            await mod.connect(page="moderate")
            mod.widgets[f"mod_note_{rid}"].value = "replayed by a moderator"
            assert mod.click(f"mod_reject_{rid}")
            await mod.rerun()
            assert site.store.entry(entry_id)["state"] == "rejected"
        finally:
            await mod.close()

    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        thread.submit(asyncio.run, scenario()).result(timeout=300)


def test_two_moderators_on_one_item_the_second_is_told_who_decided(chromium, browser_contexts, site: Site) -> None:
    rid, entry_id = submit(site.store, "Decided Twice")
    first = visit(chromium, browser_contexts, site, MOD1)
    second = visit(chromium, browser_contexts, site, MOD2)
    for page in (first, second):
        expect(item(page, rid).get_by_text("Decided Twice", exact=True).first).to_be_visible(timeout=TIMEOUT)
    item(first, rid).get_by_role("button", name="Approve").click()
    expect(first.get_by_text("Approved: it is on the map.")).to_be_visible(timeout=TIMEOUT)

    card = item(second, rid)  # the second page still shows the item
    card.get_by_label("Reason or note").fill("Duplicate spam")
    card.get_by_role("button", name="Reject").click()
    expect(second.get_by_text("Someone decided first: nothing was changed.")).to_be_visible(timeout=TIMEOUT)
    expect(
        second.get_by_text(re.compile(r"^Already decided by mod1@example\.org at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"))
    ).to_be_visible()
    assert _state(site.store, entry_id)[0] == "published"
    assert [h.status for h in site.store.history(entry_id, public=False)] == ["applied"]
