"""Sign-in that returns to where it started (issue 25, item 4).

Streamlit's sign-in (`st.login`) sends the browser to the identity provider, and the provider's
answer to `/oauth2callback`, which ends on the app's home page: a moderator who signed in from the
Moderate page found themselves on the map. Two small routes keep the page they came from:

    /signin/start?next=moderate&lang=fr&to=/auth/login?provider=…
        keeps `moderate` and `fr` in a short-lived cookie, then goes on to Streamlit's own login
        address `to` (only that: a path ending in `auth/login?provider=…`, never another site)
    /signin/return
        clears the cookie and leads to the page it named (the Moderate page, in its language)

The page script calls the first when the visitor presses "Sign in"; the second is where
Streamlit's own `/oauth2callback` answer leads when the cookie is there (`SignInReturn` rewrites
that one redirect, so the return happens exactly once, right after the provider, and never on a
later visit to the home page). The cookie holds a page name and a language from fixed
lists, nothing else: it is no credential (Streamlit's own signed cookie is).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atlas.i18n import LANGS

RETURN_COOKIE = "atlas_return"
RETURN_SECONDS = 300  # long enough to sign in at the provider; a late return only opens the page
PAGES = ("moderate",)  # where a sign-in may return to (navigation url paths)
LOGIN = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*auth/login\?provider=[A-Za-z0-9._~=-]+")
NO_STORE = {"Cache-Control": "no-store"}


def _value(page: str, lang: str) -> str:
    return f"{page}.{lang}"


def _parse(value: str) -> tuple[str, str] | None:
    page, _, lang = value.partition(".")
    return (page, lang) if page in PAGES and lang in LANGS else None


def start(request: Request) -> Response:
    page = request.query_params.get("next", "")
    lang = request.query_params.get("lang", "")
    to = request.query_params.get("to", "")
    if page not in PAGES or lang not in LANGS or not LOGIN.fullmatch(to):
        return Response("Bad sign-in request", status_code=400, media_type="text/plain", headers=NO_STORE)
    response = RedirectResponse(to, status_code=303, headers=NO_STORE)
    response.set_cookie(
        RETURN_COOKIE, _value(page, lang), max_age=RETURN_SECONDS, path="/", httponly=True, samesite="lax"
    )
    return response


def finish(request: Request) -> Response:
    found = _parse(request.cookies.get(RETURN_COOKIE, ""))
    page, lang = found if found else ("", "")
    # relative to /signin/return: the atlas's root, under any base path
    # `signin=1`: the page says so if the visitor came back signed out (the sign-in failed)
    target = f"../{page}?lang={lang}&signin=1" if found else "../"
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    response.delete_cookie(RETURN_COOKIE, path="/", httponly=True, samesite="lax")
    return response


ROUTES: list[BaseRoute] = [
    Route("/signin/start", start, methods=["GET"]),
    Route("/signin/return", finish, methods=["GET"]),
]


CALLBACK = "/oauth2callback"  # Streamlit's own end of the sign-in (under the base path)


class SignInReturn:
    """ASGI middleware: Streamlit's `/oauth2callback` ends with a redirect to the atlas's root; when
    the visitor began at `/signin/start` (the cookie is there), that redirect leads to
    `/signin/return` instead, which clears the cookie and opens the page the sign-in began on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).rstrip("/").endswith(CALLBACK):
            await self.app(scope, receive, send)
            return
        if not Request(scope).cookies.get(RETURN_COOKIE):
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (302, 303, 307):
                headers = MutableHeaders(scope=message)
                target = urlsplit(headers.get("location", ""))
                if not target.netloc and not target.query and target.path.endswith("/"):
                    headers["location"] = target.path + "signin/return"
            await send(message)

        await self.app(scope, receive, sending)
