"""Who is signed in (Streamlit's `st.login` with OpenID Connect) and who may moderate.

Moderators are an allow-list of e-mail addresses in the configuration (`config.moderators()`);
the address comes from the identity provider's token, never from anything the browser sends. An
address the provider says is not verified does not count.
"""

from __future__ import annotations

import streamlit as st

from atlas import config


def auth_configured() -> bool:
    """True when `[auth]` is set in the secrets (without it `st.login` cannot work)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def signed_in() -> bool:
    return auth_configured() and bool(st.user.get("is_logged_in"))


def email() -> str:
    """The signed-in person's verified e-mail address, lower-case ("" when there is none)."""
    if not signed_in():
        return ""
    address = st.user.get("email")
    if not isinstance(address, str) or st.user.get("email_verified") is False:
        return ""
    return address.strip().lower()


def is_moderator() -> bool:
    address = email()
    return bool(address) and address in config.moderators()


def moderate_page_title() -> str:
    """Translation key of the Moderate page's title: what it offers this visitor."""
    return "page_moderate" if is_moderator() else "page_moderators"
