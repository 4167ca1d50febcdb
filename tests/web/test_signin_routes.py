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
