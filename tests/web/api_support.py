"""Fixtures of the read-API tests: the API's routes on a store seeded from a fixture folder.

`api_app(folder)` is the routes of atlas/web/api.py, ogc.py and hsds.py as a Starlette app
reading `folder` through a store on SQLite or PostgreSQL (`db_url`, parametrised by
tests/store/conftest.py's fixtures, imported here). The read model re-checks the data revision
on every request (interval 0), so a change made through the store shows at the next request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from atlas.store import open_store
from atlas.store.limits import Limits
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from atlas.web import api, hsds, ogc, published
from atlas.web.http import BODIES, set_limiter
from tests.store.conftest import db_url, postgres  # noqa: F401 (fixtures)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SMALL = FIXTURES / "small_atlas"
HOSTILE = FIXTURES / "hostile_atlas"
SMALL_IDS = sorted(
    [
        "alpha-civic",
        "beta-commons",
        "gamma-skills",
        "delta-network",
        "epsilon-fund",
        "odc-test-dakar",
        "odc-test-lux",
    ]
)


def api_routes() -> list:
    return [*api.ROUTES, *ogc.ROUTES, *hsds.ROUTES]


def serve(store: Store) -> TestClient:
    """A client of the API routes reading `store` (each request sees the store's current revision)."""
    BODIES.clear()
    published.use(DatabaseSource(store), interval=0)
    return TestClient(Starlette(routes=api_routes()))


@pytest.fixture()
def seeded(db_url: str) -> Iterator[Callable[[Path], Store]]:  # noqa: F811
    """`seeded(folder)`: a store on each database, seeded from `folder`."""
    opened: list[Store] = []

    def make(folder: Path) -> Store:
        store = open_store(
            db_url, seed_from=folder, limits=Limits(per_session=1000, per_client=1000, pending_per_hour=1000)
        )
        opened.append(store)
        return store

    yield make
    published.use(None)
    set_limiter(None)
    BODIES.clear()
    for store in opened:
        store.engine.dispose()


@pytest.fixture()
def api_store(seeded: Callable[[Path], Store]) -> Store:
    return seeded(SMALL)


@pytest.fixture()
def api_client(api_store: Store) -> TestClient:
    """The API on the small fixture atlas (SQLite and PostgreSQL)."""
    return serve(api_store)


@pytest.fixture()
def api_sqlite(tmp_path: Path) -> Iterator[TestClient]:
    """The API on the small fixture atlas, SQLite only (for the tests of parameters and shapes)."""
    store = open_store(f"sqlite:///{tmp_path / 'api.sqlite3'}", seed_from=SMALL)
    yield serve(store)
    published.use(None)
    set_limiter(None)
    BODIES.clear()
    store.engine.dispose()


def problem(response, status: int, parameter: str | None = None) -> dict:
    """Assert `response` is an RFC 9457 problem of `status` (naming `parameter`); return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"] == "about:blank"
    if parameter is not None:
        assert body.get("parameter") == parameter, body
    return body
