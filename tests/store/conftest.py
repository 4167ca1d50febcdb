"""Every store test runs on SQLite and on PostgreSQL (a throwaway server from Debian's package).

Without PostgreSQL installed the PostgreSQL runs are skipped locally, and fail in CI (CI=true).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from atlas.store import open_store
from atlas.store.limits import Limits
from atlas.store.store import Store
from bench.pg import TemporaryPostgres, available
from tests.support import require

DATA = Path(__file__).resolve().parents[2] / "data"
_names = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    require("postgresql", present=available())
    with TemporaryPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    """A new, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    server = request.getfixturevalue("postgres")
    return server.create_database(f"atlas_test_{os.getpid()}_{next(_names)}")


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    """A store seeded with the bundled data, with generous limits (the limit tests set their own)."""
    s = open_store(db_url, seed_from=DATA, limits=Limits(per_session=1000, per_client=1000, pending_per_hour=1000))
    yield s
    s.engine.dispose()


@pytest.fixture()
def empty_store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    yield s
    s.engine.dispose()
