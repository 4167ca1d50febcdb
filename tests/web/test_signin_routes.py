"""The two routes that bring a sign-in back to where it began (atlas/web/signin.py, issue 25 item 4):
they go on to Streamlit's own login only, and lead back to a page from a fixed list."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from atlas.web import signin

LOGIN = "/auth/login?provider=eyJhbGciOi.J9eyJwcm92aWRlciI6.ImRlZmF1bHQif"


@pytest.fixture()
def client() -> TestClient:
    return TestClient(Starlette(routes=signin.ROUTES), follow_redirects=False)


def test_start_keeps_the_page_and_goes_on_to_the_login(client: TestClient) -> None:
    answer = client.get("/signin/start", params={"next": "moderate", "lang": "fr", "to": LOGIN})
    assert answer.status_code == 303 and answer.headers["location"] == LOGIN
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{signin.RETURN_COOKIE}=moderate.fr;")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=300" in cookie
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "params",
    [
        {"next": "moderate", "lang": "fr", "to": "https://attacker.example/auth/login?provider=x"},
        {"next": "moderate", "lang": "fr", "to": "//attacker.example/auth/login?provider=x"},
        {"next": "moderate", "lang": "fr", "to": "/auth/logout"},
        {"next": "https://attacker.example/", "lang": "fr", "to": LOGIN},
        {"next": "moderate", "lang": "de", "to": LOGIN},
    ],
)
def test_start_goes_nowhere_else(client: TestClient, params: dict[str, str]) -> None:
    answer = client.get("/signin/start", params=params)
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "set-cookie" not in answer.headers


def test_return_leads_to_the_page_once(client: TestClient) -> None:
    client.cookies.set(signin.RETURN_COOKIE, "moderate.fr")
    answer = client.get("/signin/return")
    assert answer.status_code == 303 and answer.headers["location"] == "../moderate?lang=fr&signin=1"
    assert 'atlas_return=""' in answer.headers["set-cookie"] and "Max-Age=0" in answer.headers["set-cookie"]


@pytest.mark.parametrize("value", ["", "https://attacker.example/.fr", "moderate.de", "map.en"])
def test_return_with_anything_else_leads_home(client: TestClient, value: str) -> None:
    if value:
        client.cookies.set(signin.RETURN_COOKIE, value)
    answer = client.get("/signin/return")
    assert answer.status_code == 303 and answer.headers["location"] == "../"


def _callback_app() -> TestClient:
    """Streamlit's end of a sign-in as it answers (a 302 to the root), behind the middleware."""
    from starlette.middleware import Middleware
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    async def callback(request):
        return RedirectResponse("/", status_code=302)

    async def home(request):
        return RedirectResponse("/elsewhere", status_code=302)

    app = Starlette(
        routes=[Route("/oauth2callback", callback), Route("/", home), *signin.ROUTES],
        middleware=[Middleware(signin.SignInReturn)],
    )
    return TestClient(app, follow_redirects=False)


def test_the_providers_return_goes_back_to_the_page_exactly_once() -> None:
    """The return happens at Streamlit's callback, never on a later visit: a visitor who went to
    another page before the home page's own redirect ran was sent to Moderate at their next visit
    to the home page (the browser tests' moderators were)."""
    client = _callback_app()
    assert client.get("/oauth2callback", params={"code": "x"}).headers["location"] == "/"  # no cookie: as it was
    client.cookies.set(signin.RETURN_COOKIE, "moderate.fr")
    answer = client.get("/oauth2callback", params={"code": "x", "state": "y"})
    assert answer.status_code == 302 and answer.headers["location"] == "/signin/return"
    assert client.get("/").headers["location"] == "/elsewhere"  # other answers untouched, cookie or not
