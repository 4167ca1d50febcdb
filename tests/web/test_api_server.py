"""End to end: `streamlit run app.py` serves the read API beside the page, on the same port."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bench.server import AppServer
from tests.web.api_support import SMALL, SMALL_IDS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    app = AppServer(SMALL, tmp_path_factory.mktemp("api-server"), env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"})
    yield app
    app.stop()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_the_real_server_answers_the_api(server: AppServer) -> None:
    status, headers, body = get(f"{server.url}/api/v1/entries")
    assert status == 200, server.log_tail()
    assert headers["content-type"] == "application/json"
    assert [e["id"] for e in json.loads(body)["entries"]] == SMALL_IDS
    status, headers, _ = get(f"{server.url}/api/v1/entries", {"If-None-Match": headers["etag"]})
    assert status == 304

    status, headers, body = get(f"{server.url}/ogc/collections")
    assert status == 200 and headers["content-type"] == "application/json"
    collections = json.loads(body)["collections"]
    assert [c["id"] for c in collections] == ["organisations", "odc"]
    items = [link["href"] for link in collections[1]["links"] if link["rel"] == "items"]
    assert items == [f"{server.url}/ogc/collections/odc/items"]
    status, headers, body = get(items[0])
    assert status == 200 and headers["content-type"] == "application/geo+json"
    assert json.loads(body)["numberMatched"] == 2

    status, headers, body = get(f"{server.url}/api/v1/nothing-here")
    assert status == 404 and headers["content-type"] == "application/problem+json"
    status, _, body = get(f"{server.url}/_stcore/health")  # the page's server is the same process
    assert status == 200
    assert server.log_errors() == []


def test_connections_accepted_on_a_socket_bound_like_streamlits_send_without_delay() -> None:
    """Streamlit binds its listening socket with `socket.socket(family)` (proto 0), for which asyncio
    leaves Nagle's algorithm on: every answer on a kept-alive connection waited ~40 ms for the
    client's delayed ACK. Building the routes makes asyncio set TCP_NODELAY on such connections."""
    import asyncio
    import concurrent.futures
    import socket

    from atlas.web import routes

    routes()

    async def accepted_nodelay() -> int:
        listener = socket.socket(family=socket.AF_INET)  # as streamlit's _bind_socket does
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport) -> None:  # type: ignore[override]
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _reader, writer = await asyncio.open_connection(*listener.getsockname())
        value = await asyncio.wait_for(seen, 10)
        writer.close()
        server.close()
        return value

    # In a thread of its own: a test of the same worker may have left an event loop running in this one
    # (Playwright's sync API does), and asyncio.run refuses to start under it.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, accepted_nodelay()).result(timeout=60) != 0
