"""Connecting to the atlas database: SQLite (embedded, the default) or PostgreSQL, same code.

SQLite is opened in WAL mode (readers never wait for the writer), with foreign keys on and a busy
timeout. Its Python driver's own transaction handling is switched off so that SQLAlchemy's
`BEGIN` is the one that counts, and writes take the database's write lock when they begin
(`BEGIN IMMEDIATE`): a transaction that first reads and then writes can otherwise fail with
"database is locked" when another writer commits in between, instead of waiting its turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 5
WRITE = {"atlas_write": True}  # execution option of the connections that write


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; an SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        if parsed.get_backend_name() == "postgresql":  # a server that is down answers fast, not never
            kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_S})
        return create_engine(url, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("atlas_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def describe(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
