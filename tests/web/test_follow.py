"""The contributor's follow page /follow/{token} (issue 25, item 8): the state of their proposal and
the moderator's public reason, in their language; nothing for a wrong token; nothing private shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from atlas.i18n import t
from atlas.store import follow
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from atlas.web import follow as follow_route
from atlas.web import pages, published
from atlas.web.http import BODIES
from tests.store.records import new_org
from tests.web.api_support import SMALL

HOSTILE_NAME = "<script>alert(1)</script> Org"


@pytest.fixture()
def site(seeded: Callable[[Path], Store], monkeypatch: pytest.MonkeyPatch) -> tuple[Store, TestClient]:
    store = seeded(SMALL)
    BODIES.clear()
    published.use(DatabaseSource(store), interval=0)
    monkeypatch.setattr(follow_route, "_store", lambda: store)
    return store, TestClient(Starlette(routes=[*follow_route.ROUTES, *pages.ROUTES]))


def _text(response) -> str:
    return " ".join(lxml.html.document_fromstring(response.text).text_content().split())


def _decide(store: Store, revision_id: int, how: str, note: str) -> None:
    item = next(i for i in store.queue(size=100).items if i.revision_id == revision_id)
    if how == "approve":
        store.approve(revision_id, item.version, "secret-mod@example.org", None, note)
    else:
        store.reject(revision_id, item.version, "secret-mod@example.org", note)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_contributor_sees_waiting_then_the_reason_in_their_language(site, lang: str) -> None:
    store, client = site
    done = store.submit("organisation", new_org(name=HOSTILE_NAME), contact="private-me@example.org")
    token = follow.create(store, done.revision_id, lang)
    page = client.get(f"/follow/{token}")
    assert page.status_code == 200
    text = _text(page)
    assert t("follow_title", lang, ref=done.revision_id) in text
    assert t("follow_state_pending", lang) in text and HOSTILE_NAME in text
    assert "<script>alert" not in page.text  # the name is escaped
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in page.headers["x-robots-tag"]
    assert f'lang="{lang}"' in page.text

    _decide(store, done.revision_id, "reject", "Outside the atlas's scope")
    text = _text(client.get(f"/follow/{token}"))
    assert t("follow_state_rejected", lang) in text
    assert t("follow_reason", lang) in text and "Outside the atlas's scope" in text
    for private in ("private-me@example.org", "secret-mod@example.org"):
        assert private not in client.get(f"/follow/{token}").text


def test_an_approved_proposal_links_to_its_entry_and_the_other_language(site) -> None:
    store, client = site
    done = store.submit("organisation", new_org(name="Approved Follow Org"))
    token = follow.create(store, done.revision_id, "en")
    _decide(store, done.revision_id, "approve", "")
    page = client.get(f"/follow/{token}")
    doc = lxml.html.document_fromstring(page.text)
    assert t("follow_state_approved", "en") in _text(page)
    (entry,) = doc.xpath(f'//a[normalize-space()="{t("follow_open_entry", "en")}"]/@href')
    assert entry.endswith(f"/entry/{done.entry_id}")
    assert client.get(entry.replace("http://testserver", "")).status_code == 200
    french = client.get(f"/follow/{token}?lang=fr")
    assert t("follow_state_approved", "fr") in _text(french)


def test_a_wrong_token_is_a_plain_404(site) -> None:
    store, client = site
    done = store.submit("organisation", new_org(name="Someone Else Org"))
    token = follow.create(store, done.revision_id, "en")
    rid, secret = token.split("-", 1)
    for wrong in (f"{rid}-{secret[:-1]}A" if secret[-1] != "A" else f"{rid}-{secret[:-1]}B", rid, "x", f"1-{secret}"):
        page = client.get(f"/follow/{wrong}")
        assert page.status_code == 404
        assert "Someone Else Org" not in page.text
        assert page.headers["cache-control"] == "no-store"
