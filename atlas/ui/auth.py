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
from urllib.parse import urlencode, urlsplit

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
    """Translation key of the Moderate page's title: one name in the menu and on the page, signed
    in or out (issue 25: "Moderators" signed out and "Moderate" signed in read as two pages)."""
    return N_("page_moderate")


# -- the way in: the configured address, and back to the page the visitor signed in from ----------
#
# The identity provider sends the browser back to `[auth] redirect_uri`; Streamlit then answers
# with its home page. A page opened at another address (127.0.0.1 for localhost, http for https)
# loses the sign-in on the way back: its cookies stay with that other address, and Streamlit only
# logs "Missing provider for OAuth callback". So the Moderate page compares the two before sending
# anyone away (`host_mismatch`), and says where to go instead.
#
# After a sign-in the visitor should be where they started, not on the map: `sign_in` goes through
# `/signin/start` (atlas/web/signin.py), which keeps the page and language in a short-lived cookie
# before Streamlit's own login; Streamlit's `/oauth2callback` answer then leads to `/signin/return`
# (the `SignInReturn` middleware), which clears the cookie and opens the page: exactly once.

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> str:
    """`scheme://host[:port]` of `url`, lower-case, without the scheme's default port ("" when unusable)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    shown_port = "" if port in (None, DEFAULT_PORTS[parts.scheme]) else f":{port}"
    return f"{parts.scheme}://{host}{shown_port}"


def configured_origin() -> str:
    """Where sign-in works: the origin of `[auth] redirect_uri` (Streamlit's `{port}` filled in)."""
    try:
        section = st.secrets["auth"]
        uri = section.get("redirect_uri") if isinstance(section, Mapping) else None
    except (KeyError, FileNotFoundError):
        return ""
    if not isinstance(uri, str):
        return ""
    return _origin(uri.replace("{port}", str(st.get_option("server.port"))))


def page_origin() -> str:
    """The origin of the page as the visitor's browser opened it ("" when Streamlit does not say)."""
    url = st.context.url
    return _origin(url) if isinstance(url, str) else ""


def host_mismatch() -> tuple[str, str] | None:
    """(where sign-in works, where this page is) when they differ; None when they agree or are unknown."""
    configured, here = configured_origin(), page_origin()
    if configured and here and configured != here:
        return configured, here
    return None


def _base_path() -> str:
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{prefix}/" if prefix else "/"


def page_url_at(origin: str, page: str, lang: str) -> str:
    """The page `page` (a navigation url path) in `lang` at `origin`, under the base path."""
    return f"{origin}{_base_path()}{page}?{urlencode({'lang': lang})}"


def _navigate(url: str) -> None:
    """Send the browser to `url` (same tab) — the message `st.login` itself sends for its redirect."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = url
    ctx.enqueue(message)


def sign_in(page: str, lang: str) -> None:
    """`st.login`, then back to `page` in `lang` (see above)."""
    try:
        from streamlit.auth_util import validate_auth_credentials
        from streamlit.user_info import generate_login_redirect_url

        validate_auth_credentials("default")
        login = generate_login_redirect_url("default")
    except ImportError:  # another Streamlit: its own sign-in, back to its home page
        st.login()
        return
    _navigate(f"{_base_path()}signin/start?{urlencode({'next': page, 'lang': lang, 'to': login})}")
