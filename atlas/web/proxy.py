"""Who the visitor is, as the limits on anonymous proposals count them: an ASGI middleware.

Two things, on every HTTP request and websocket of the app (`app.py` registers `middleware()`):

- **The client address** (`scope["client"]`, which Streamlit reports as `st.context.ip_address`)
  is the direct peer's, unless `ATLAS_TRUSTED_PROXY` says how many proxies of ours stand in front
  (`config.trusted_proxies()`): then it is the entry those N proxies vouch for, the N-th
  `X-Forwarded-For` entry from the right. uvicorn, which Streamlit runs, applies `X-Forwarded-For`
  itself before the app sees anything whenever the peer is on loopback (its `FORWARDED_ALLOW_IPS`,
  default `127.0.0.1,::1`), so any local client could choose its address; this middleware runs
  after it, recognises its rewrite (the address is exactly the one uvicorn would have taken from
  the header) and puts the trusted peer back. Set `FORWARDED_ALLOW_IPS=` (empty) in the app's
  environment to switch uvicorn's rewrite off altogether.
- **The visitor cookie** (`atlas_visitor`): a random token set on the page's HTML responses when
  the browser has none, which the Contribute page sends to the store as the visitor's session. A
  Streamlit session ends at every reload; the cookie does not, so the per-session limit survives
  a reload. A browser that drops it is counted by its address instead (never by nothing).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from starlette.middleware import Middleware

from atlas import config

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

VISITOR_COOKIE = "atlas_visitor"
VISITOR_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
VISITOR_MAX_AGE = 7 * 24 * 3600
TRUSTED_PEER = "127.0.0.1"  # what uvicorn trusts by default; st.context reports it as None (loopback)
LOST_PEER = "unknown"  # FORWARDED_ALLOW_IPS=*: uvicorn rewrote any peer, and the real one is lost


# The read routes of atlas/web (the API, the entry and country pages, feeds, discovery): public and
# cookie-less, so that any replica, and nginx's cache, can answer them (the same list as the nginx
# template's location for them).
READ_ROUTES = re.compile(r"^/(api|ogc|hsds|entry|fr|country|feeds)(/|$)|^/(sitemap\.xml|robots\.txt|oembed)$")


def visitor_token(value: object) -> str:
    """The visitor cookie's value when it is one of ours in form, else ""."""
    return value if isinstance(value, str) and VISITOR_TOKEN.fullmatch(value) else ""


def _forwarded_for(scope: Scope) -> str:
    values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
    return ", ".join(values)


def _host(value: str) -> str:
    """An X-Forwarded-For entry without its port (`[2001:db8::1]:443`, `192.0.2.1:80`)."""
    value = value.strip()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def _uvicorn_rewrote(client: tuple[str, int] | None, forwarded: str) -> str | None:
    """The peer before uvicorn's proxy-headers rewrite, when `client` is what that rewrite made of
    `forwarded`; None when uvicorn left the peer alone."""
    if not forwarded or client is None:
        return None
    try:
        from uvicorn.middleware.proxy_headers import _TrustedHosts
    except ImportError:  # another ASGI server: it did not rewrite anything
        return None
    allowed = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    trusted = _TrustedHosts(allowed)
    anyone = trusted.always_trust or trusted.trusted_hosts or trusted.trusted_networks
    if not (anyone or trusted.trusted_literals - {""}):
        return None  # FORWARDED_ALLOW_IPS= (empty): uvicorn trusts nobody, rewrites nothing
    if tuple(client) != trusted.get_trusted_client_address(forwarded):
        return None
    return LOST_PEER if trusted.always_trust else TRUSTED_PEER


def resolve_client(client: tuple[str, int] | None, forwarded: str, trusted: int) -> tuple[str, int] | None:
    """The visitor's address: the peer's (as it was before uvicorn), or — behind `trusted` proxies
    of ours — the `trusted`-th X-Forwarded-For entry from the right. A request with fewer entries
    than that did not come through the proxies: the peer is the visitor."""
    before = _uvicorn_rewrote(client, forwarded)
    peer = (before, 0) if before is not None else client
    if trusted > 0:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= trusted:
            return (_host(hops[-trusted])[:100], 0)
    return peer


class VisitorMiddleware:
    """The ASGI middleware described in the module's docstring."""

    def __init__(self, app: ASGIApp, trusted: int | None = None) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        trusted = config.trusted_proxies() if self.trusted is None else self.trusted
        scope = dict(scope)
        scope["client"] = resolve_client(scope.get("client"), _forwarded_for(scope), trusted)
        if scope["type"] != "http" or self._has_cookie(scope) or READ_ROUTES.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers.append((b"set-cookie", self._cookie(secure).encode("latin-1")))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    def _has_cookie(scope: Scope) -> bool:
        for key, value in scope.get("headers", []):
            if key == b"cookie":
                jar: SimpleCookie = SimpleCookie()
                try:
                    jar.load(value.decode("latin-1"))
                except Exception:  # a malformed Cookie header: as if there were none of ours
                    continue
                if VISITOR_COOKIE in jar and visitor_token(jar[VISITOR_COOKIE].value):
                    return True
        return False

    @staticmethod
    def _cookie(secure: bool) -> str:
        token = secrets.token_urlsafe(24)
        attributes = f"Path=/; Max-Age={VISITOR_MAX_AGE}; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        return f"{VISITOR_COOKIE}={token}; {attributes}"


def middleware() -> list[Middleware]:
    """What `app.py` hands to `streamlit.starlette.App(middleware=...)`."""
    from atlas.web.signin import SignInReturn

    return [Middleware(VisitorMiddleware), Middleware(SignInReturn)]
