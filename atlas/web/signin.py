"""Sign-in that returns to where it started (issue 25, item 4).

Streamlit's sign-in (`st.login`) sends the browser to the identity provider, and the provider's
answer to `/oauth2callback`, which ends on the app's home page: a moderator who signed in from the
Moderate page found themselves on the map. Two small routes keep the page they came from:

    /signin/start?next=moderate&lang=fr&to=/auth/login?provider=…
        keeps `moderate` and `fr` in a short-lived cookie, then goes on to Streamlit's own login
        address `to` (only that: a path ending in `auth/login?provider=…`, never another site)
    /signin/return
        clears the cookie and leads to the page it named (the Moderate page, in its language)

The page script calls the first when the visitor presses "Sign in" and the second when a page
opens with the cookie (`atlas.ui.auth`). The cookie holds a page name and a language from fixed
lists, nothing else: it is no credential (Streamlit's own signed cookie is).
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

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
