"""Who is signed in (Streamlit's `st.login` with OpenID Connect) and who may moderate.

Nobody is signed in at all while the secret that signs the sign-in cookie (`[auth] cookie_secret`)
is missing, shorter than 32 characters, or a value the project or Streamlit's docs published
(`config.cookie_secret_problem`): with such a key anyone can forge the cookie and name themselves.
The Moderate page then says so, and the log says it once.

Moderators are an allow-list of e-mail addresses in the configuration (`config.moderators()`);
the address comes from the identity provider's token, never from anything the browser sends, and
counts only when the provider says it is verified (`email_verified` is the boolean true: a
missing claim, `"false"` or `"true"` as text do not count). Providers that never verify addresses
(Microsoft Entra ID) name moderators by account instead: `issuer|subject`
(`config.moderator_subjects()`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache

import streamlit as st

from atlas import config
from atlas.i18n import N_

log = logging.getLogger(__name__)


def auth_configured() -> bool:
    """True when `[auth]` is set in the secrets (without it `st.login` cannot work)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def secret_problem() -> str:
    """Why sign-in is refused on this server (`missing`, `short`, `example`), "" when it is not."""
    if not auth_configured():
        return ""
    try:
        section = st.secrets["auth"]
        secret = section.get("cookie_secret") if isinstance(section, Mapping) else None
    except (KeyError, FileNotFoundError):
        secret = None
    problem = config.cookie_secret_problem(secret)
    if problem:
        _log_refusal(problem)
    return problem


@cache
def _log_refusal(problem: str) -> None:
    log.error(
        "Sign-in refused: [auth] cookie_secret is %s; anyone could forge the sign-in cookie. Set a long "
        "random secret (python3 -c 'import secrets; print(secrets.token_urlsafe(32))').",
        {"missing": "missing", "short": "shorter than 32 characters", "example": "a published example value"}[problem],
    )


def signed_in() -> bool:
    return auth_configured() and not secret_problem() and bool(st.user.get("is_logged_in"))


def email() -> str:
    """The signed-in person's verified e-mail address, lower-case ("" when there is none)."""
    if not signed_in():
        return ""
    address = st.user.get("email")
    if not isinstance(address, str) or st.user.get("email_verified") is not True:
        return ""
    return address.strip().lower()


def subject() -> str:
    """The signed-in account as `issuer|subject` (its token's `iss` and `sub`), "" when unknown."""
    if not signed_in():
        return ""
    issuer, sub = st.user.get("iss"), st.user.get("sub")
    if not isinstance(issuer, str) or not isinstance(sub, str) or not issuer or not sub:
        return ""
    return f"{issuer}|{sub}"


def identity() -> str:
    """Who the moderator is, as decisions record it: the verified address, else the account."""
    return email() or subject()


def is_moderator() -> bool:
    address = email()
    if address and address in config.moderators():
        return True
    account = subject()
    return bool(account) and account in config.moderator_subjects()


def moderate_page_title() -> str:
    """Translation key of the Moderate page's title: what it offers this visitor."""
    return N_("page_moderate") if is_moderator() else N_("page_moderators")
