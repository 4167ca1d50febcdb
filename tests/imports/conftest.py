"""Import tests: the store fixtures (SQLite and PostgreSQL), the offline geocoder with the stored gazetteer."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.geocoding.conftest import gazetteer, index_dir  # the gazetteer is built once per machine
from tests.store.conftest import db_url, empty_store, postgres, store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"

__all__ = ["db_url", "empty_store", "gazetteer", "index_dir", "postgres", "store"]


@pytest.fixture(autouse=True)
def _offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer) -> None:
    """Imports geocode offline (never online in the tests), with a cache of their own."""
    monkeypatch.setenv("ATLAS_GEOCODE_OFFLINE", "1")
    monkeypatch.setenv("ATLAS_GEOCODE_CACHE", str(tmp_path / "geocode.sqlite3"))
    for name in ("ATLAS_GEOCODER", "ATLAS_GEOCODER_API_KEY", "ATLAS_DATA_LICENCE", "ATLAS_DATA_ATTRIBUTION"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def other_url(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> str:
    """A second empty database of the same kind as `db_url` (round trips, a target to import into)."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.sqlite3'}"
    import os

    server = request.getfixturevalue("postgres")
    return server.create_database(f"atlas_other_{os.getpid()}_{next(_other_names)}")


_other_names = itertools.count()


def dump(store) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: what "changes nothing" is checked against."""
    from sqlalchemy import select

    from atlas.store.models import Base

    out = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out
