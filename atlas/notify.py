"""E-mail to contributors: their private follow link, sent through an SMTP server (issue 25).

Off by default: nothing is sent until `ATLAS_SMTP_HOST` and `ATLAS_SMTP_FROM` are set (see
docs/operate/smtp.md). The message is plain text in the contributor's language, from the
translation table. The recipient's address is never written to the log: a failure is logged
with the proposal's reference and the SMTP error's class only.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from atlas.i18n import normalise_lang, t

log = logging.getLogger(__name__)
TIMEOUT = 20.0  # seconds: the contributor waits for the confirmation while this runs


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool


def smtp_settings() -> SmtpSettings | None:
    """The SMTP server from the environment, or None when e-mail is off (no host or no sender)."""
    host = (os.environ.get("ATLAS_SMTP_HOST") or "").strip()
    sender = (os.environ.get("ATLAS_SMTP_FROM") or "").strip()
    if not host or not sender:
        return None
    try:
        port = int(os.environ.get("ATLAS_SMTP_PORT") or 587)
    except ValueError:
        port = 587
    starttls = (os.environ.get("ATLAS_SMTP_STARTTLS") or "1").strip().lower() not in ("0", "false", "no", "off")
    return SmtpSettings(
        host=host,
        port=port,
        user=(os.environ.get("ATLAS_SMTP_USER") or "").strip(),
        password=os.environ.get("ATLAS_SMTP_PASSWORD") or "",
        sender=sender,
        starttls=starttls,
    )


def follow_message(to: str, sender: str, link: str, reference: int, lang: str) -> EmailMessage:
    """The e-mail that gives a contributor their follow link, in `lang`."""
    lang = normalise_lang(lang)
    message = EmailMessage()
    message["Subject"] = t("follow_mail_subject", lang, ref=reference)
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(t("follow_mail_body", lang, ref=reference, link=link) + "\n")  # a text ends its last line
    message["Content-Language"] = lang  # after set_content, which replaces the Content-* headers
    return message


def send_follow_link(to: str, link: str, reference: int, lang: str, settings: SmtpSettings | None = None) -> bool:
    """Send the follow link to `to`; True when the server took it. Never raises: the proposal is
    stored already, and the page shows the link whatever happens here."""
    settings = settings or smtp_settings()
    if settings is None or not to.strip():
        return False
    message = follow_message(to.strip(), settings.sender, link, reference, lang)
    try:
        if settings.port == 465:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with client:
            if settings.port != 465 and (settings.starttls or settings.user):
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("follow link for proposal #%d not sent: %s", reference, type(exc).__name__)
        return False
    log.info("follow link for proposal #%d sent", reference)
    return True
