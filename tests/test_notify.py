"""The follow link by e-mail (atlas/notify.py, issue 25): sent through a real SMTP server on
loopback (aiosmtpd), in the contributor's language; off without settings; the address never logged."""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from atlas import notify
from atlas.i18n import t
from bench.oidc import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls the handler by this name
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _ours(caplog: pytest.LogCaptureFixture) -> str:
    """What the atlas logged (every logger but the test SMTP server's)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail"))


@pytest.fixture()
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture()
def settings_env(smtp, monkeypatch: pytest.MonkeyPatch) -> Inbox:
    inbox, port = smtp
    monkeypatch.setenv("ATLAS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ATLAS_SMTP_PORT", str(port))
    monkeypatch.setenv("ATLAS_SMTP_FROM", "atlas@example.org")
    monkeypatch.setenv("ATLAS_SMTP_STARTTLS", "0")
    return inbox


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_follow_link_reaches_the_contributor_in_their_language(
    settings_env: Inbox, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    link = "https://atlas.example.org/follow/71-secretpart"
    with caplog.at_level(logging.DEBUG):
        assert notify.send_follow_link("contributor@example.net", link, 71, lang)
    (message,) = settings_env.messages
    assert settings_env.envelopes == [("atlas@example.org", ["contributor@example.net"])]
    assert message["Subject"] == t("follow_mail_subject", lang, ref=71)
    body = message.get_content()
    assert link in body and body.replace("\r\n", "\n") == t("follow_mail_body", lang, ref=71, link=link) + "\n"
    assert message["Content-Language"] == lang
    ours = _ours(caplog)  # (the test's SMTP server logs its own dialogue, as a real one would)
    assert "contributor@example.net" not in ours  # the address is never logged
    assert "#71" in ours


def test_no_setting_no_mail(smtp, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, _ = smtp
    monkeypatch.delenv("ATLAS_SMTP_HOST", raising=False)
    monkeypatch.delenv("ATLAS_SMTP_FROM", raising=False)
    assert notify.smtp_settings() is None
    assert not notify.send_follow_link("contributor@example.net", "https://x/follow/1-a", 1, "en")
    assert inbox.messages == []


def test_a_server_that_is_down_is_logged_without_the_address(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ATLAS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ATLAS_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("ATLAS_SMTP_FROM", "atlas@example.org")
    with caplog.at_level(logging.DEBUG):
        assert not notify.send_follow_link("contributor@example.net", "https://x/follow/2-a", 2, "en")
    assert "contributor@example.net" not in _ours(caplog) and "#2" in _ours(caplog)
