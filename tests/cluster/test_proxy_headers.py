"""The visitor's address and cookie (atlas/web/proxy.py) under the real uvicorn that Streamlit runs,
and behind the deployment's nginx: a direct client's spoofed X-Forwarded-For changes nothing unless
ATLAS_TRUSTED_PROXY says proxies of ours stand in front (issue 21, item 4)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from atlas.web.proxy import VISITOR_COOKIE, VisitorMiddleware, middleware, resolve_client, visitor_token
from bench.cluster import Balancer, free_port
from tests.cluster.conftest import require


async def echo(scope, receive, send) -> None:
    """An app that answers the client address it was given, as an HTML page."""
    client = scope.get("client")
    body = (client[0] if client else "none").encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
    await send({"type": "http.response.body", "body": body})


@contextmanager
def serve(app) -> Iterator[str]:
    """uvicorn as Streamlit configures it (proxy headers on, FORWARDED_ALLOW_IPS as the environment
    says), on loopback."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(autouse=True)
def uvicorn_defaults(monkeypatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("ATLAS_TRUSTED_PROXY", raising=False)


def test_uvicorn_alone_takes_a_spoofed_header_from_a_loopback_client() -> None:
    """What the middleware is for: without it, a local client chooses its own address."""
    with serve(echo) as url:
        assert httpx.get(url, headers={"X-Forwarded-For": "6.6.6.6"}).text == "6.6.6.6"


def test_a_spoofed_header_from_a_direct_client_changes_nothing() -> None:
    app = middleware()[0].cls(echo)  # as app.py registers it; ATLAS_TRUSTED_PROXY unset: no proxy
    with serve(app) as url:
        assert httpx.get(url).text == "127.0.0.1"
        for spoofed in ("6.6.6.6", "6.6.6.6, 7.7.7.7", "[2001:db8::1]:443", "127.0.0.1, 6.6.6.6:80"):
            assert httpx.get(url, headers={"X-Forwarded-For": spoofed}).text == "127.0.0.1", spoofed


def test_exactly_the_trusted_proxies_are_believed(monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_TRUSTED_PROXY", "1")
    with serve(VisitorMiddleware(echo)) as url:
        # what the visitor sent, then what our proxy saw: the proxy's entry wins
        assert httpx.get(url, headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}).text == "203.0.113.9"
        assert httpx.get(url).text == "127.0.0.1"  # not through the proxy: the peer
    monkeypatch.setenv("ATLAS_TRUSTED_PROXY", "2")
    with serve(VisitorMiddleware(echo)) as url:
        assert httpx.get(url, headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.0.0.2"}).text == "203.0.113.9"
        assert httpx.get(url, headers={"X-Forwarded-For": "203.0.113.9"}).text == "127.0.0.1"  # too short


def test_with_uvicorns_rewrite_switched_off_the_peer_is_kept(monkeypatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")
    with serve(VisitorMiddleware(echo)) as url:
        assert httpx.get(url, headers={"X-Forwarded-For": "6.6.6.6"}).text == "127.0.0.1"


def test_resolution_without_a_server() -> None:
    assert resolve_client(("198.51.100.7", 40000), "6.6.6.6", 0) == ("198.51.100.7", 40000)  # not rewritten
    assert resolve_client(("6.6.6.6", 0), "6.6.6.6", 0) == ("127.0.0.1", 0)  # uvicorn's rewrite, undone
    assert resolve_client(None, "", 0) is None


def test_the_visitor_cookie_is_set_once_on_pages() -> None:
    with serve(VisitorMiddleware(echo)) as url:
        first = httpx.get(url)
        token = first.cookies.get(VISITOR_COOKIE)
        assert token and visitor_token(token) == token
        set_cookie = first.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/" in set_cookie
        again = httpx.get(url, cookies={VISITOR_COOKIE: token})
        assert "set-cookie" not in again.headers  # the browser keeps its own
        forged = httpx.get(url, cookies={VISITOR_COOKIE: "<not ours>"})
        assert visitor_token(forged.cookies.get(VISITOR_COOKIE)) != ""  # replaced by one of ours


@pytest.fixture()
def nginx_folder(tmp_path: Path) -> Iterator[Path]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="atlas-nginx-proxy-") as folder:
        Path(folder).chmod(0o711)
        yield Path(folder)


def test_behind_nginx_a_spoofed_header_is_the_visitors_own_problem(monkeypatch, nginx_folder: Path) -> None:
    """nginx appends the address it saw; with ATLAS_TRUSTED_PROXY=1 (compose.yaml's) that one counts."""
    require("nginx")
    monkeypatch.setenv("ATLAS_TRUSTED_PROXY", "1")
    with serve(VisitorMiddleware(echo)) as url:
        balancer = Balancer(url.removeprefix("http://"), nginx_folder / "nginx")
        balancer.start()
        try:
            assert httpx.get(balancer.url + "/", headers={"X-Forwarded-For": "6.6.6.6"}).text == "127.0.0.1"
            assert httpx.get(balancer.url + "/").text == "127.0.0.1"
        finally:
            balancer.stop()
