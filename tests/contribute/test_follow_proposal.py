"""A contributor following their proposal (issue 25, item 8), through AppTest on the real app and
its own database: the private follow link after sending (and by e-mail on a loopback SMTP server),
"a correction is waiting for review" on the record, and the correction form's sources as a reader
reads them, never the store's own notation."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from streamlit.testing.v1 import AppTest

from atlas.i18n import t
from atlas.store import follow
from atlas.store.store import Store
from bench.oidc import free_port
from tests.contribute.conftest import APP
from tests.contribute.test_contribute_page import fill, good, html_texts, send, texts, value

INTERNAL = 'seed: "A test lab opens in Lyon"; research: odc.md (alpha.example.org; legal notice, high)'


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls the handler by this name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture()
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("ATLAS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ATLAS_SMTP_PORT", str(port))
    monkeypatch.setenv("ATLAS_SMTP_FROM", "atlas@example.org")
    monkeypatch.setenv("ATLAS_SMTP_STARTTLS", "0")
    try:
        yield box
    finally:
        controller.stop()


def _follow_url(at: AppTest) -> str:
    (code,) = [c.value for c in at.code if "/follow/" in c.value]
    return code


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_after_sending_the_contributor_gets_a_private_follow_link_and_the_mail(
    env, inbox: Inbox, store: Store, lang: str
) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    from tests.contribute.conftest import open_page

    open_page(at, "contribute")
    send(good(at, contact="me@example.org"))
    assert not at.exception, at.exception
    assert t("contribute_follow_heading", lang) in [s.value for s in at.subheader]
    url = _follow_url(at)
    token = url.rsplit("/follow/", 1)[1]
    seen = follow.find(store, token)
    assert seen is not None and seen.state == "pending" and seen.lang == lang
    assert seen.reference == store.queue().items[0].revision_id
    assert t("contribute_follow_mailed", lang) in [c.value for c in at.caption]
    (message,) = inbox.messages
    assert message["To"] == "me@example.org" and url in message.get_content()
    assert message["Subject"] == t("follow_mail_subject", lang, ref=seen.reference)


def test_without_an_address_the_link_is_shown_and_no_mail_is_sent(env, inbox: Inbox, store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    from tests.contribute.conftest import open_page

    open_page(at, "contribute")
    send(good(at))
    assert follow.find(store, _follow_url(at).rsplit("/follow/", 1)[1]) is not None
    assert t("contribute_follow_mailed", "en") not in [c.value for c in at.caption]
    assert inbox.messages == []


def _with_internal_source(store: Store, entry_id: str) -> None:
    entry = store.entry(entry_id)
    assert entry is not None
    store.edit(entry_id, {"source": INTERNAL}, "mod@example.org", "test", int(str(entry["version"])))


def _correct(store: Store, entry_id: str, lang: str = "en") -> AppTest:
    """The entry's record on the map (its first run seeds the database), its sources then written
    in the store's notation (as the bundled data's are), and "Suggest a correction"."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.session_state["selected"] = entry_id
    at.run()
    _with_internal_source(store, entry_id)
    at.run()
    at.button(key="suggest_correction").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_correction_form_shows_sources_as_a_reader_reads_them(env, store: Store, lang: str) -> None:
    at = _correct(store, "alpha-civic", lang)
    assert value(at, "source") == ""  # no internal notation to edit
    shown = " ".join(html_texts(at))
    article = "A test lab opens in Lyon" if lang == "en" else "Un laboratoire de test ouvre à Lyon"
    assert t("source_article", lang, title=article) in shown
    assert "alpha.example.org" in shown
    page = " ".join([shown, *texts(at), *(c.value for c in at.caption), *(m.value for m in at.markdown)])
    assert "seed:" not in page and "research:" not in page and "odc.md" not in page
    fill(at, website="https://alpha-lab.example.org", source="https://alpha-lab.example.org/about")
    page = " ".join([*texts(at), *html_texts(at)])
    assert "seed:" not in page and "research:" not in page
    send(at)
    (item,) = store.queue().items
    new_source = {c.field: c.new for c in item.changes}["source"]
    assert new_source == f"https://alpha-lab.example.org/about; {INTERNAL}"  # the old sources kept


def test_a_correction_without_a_new_source_keeps_the_sources(env, store: Store) -> None:
    at = _correct(store, "alpha-civic")
    fill(at, website="https://alpha-lab.example.org")
    send(at)
    (item,) = store.queue().items
    assert [c.field for c in item.changes] == ["website"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_record_with_a_pending_correction_says_so(env, store: Store, lang: str) -> None:
    def record() -> list[str]:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.session_state["selected"] = "gamma-skills"
        at.run()
        assert not at.exception, at.exception
        return [c.value for c in at.caption]

    assert t("details_correction_pending", lang) not in record()
    store.propose_correction("gamma-skills", {"city": "Elsewhere"})
    assert t("details_correction_pending", lang) in record()
    item = store.queue().items[0]
    store.reject(item.revision_id, item.version, "mod@example.org", "no")
    assert t("details_correction_pending", lang) not in record()


def test_the_follow_link_is_not_guessable() -> None:
    assert re.fullmatch(follow.TOKEN.pattern, "71-" + "a" * 43)
    assert follow.SECRET_BYTES >= 32
