"""Persistent answer cache in SQLite: every answer, "not found" included, keyed by the normalised query.

WAL mode, a busy timeout and one transaction per answer make it safe for several
`atlas geocode` runs at once, and a run killed half-way keeps what it had resolved.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from atlas.geocoding.models import GeoResult

BUSY_TIMEOUT_MS = 30_000
_SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    lat REAL, lon REAL, precision TEXT, label TEXT,  -- all NULL for "not found"
    source TEXT NOT NULL,                            -- who answered; "a,b" when both said "not found"
    resolved_at REAL NOT NULL                        -- Unix time
)"""


@dataclass(frozen=True)
class CachedAnswer:
    """A stored answer: `result` is None for "not found"."""

    result: GeoResult | None
    source: str
    resolved_at: float


class GeoCache:
    """SQLite cache at `path` (created with its folder when missing); usable from several threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable across crashes of the process
        self._db.execute(_SCHEMA)

    def get(self, key: str) -> CachedAnswer | None:
        """The stored answer for `key`, or None when the query was never answered."""
        with self._lock:
            row = self._db.execute(
                "SELECT lat, lon, precision, label, source, resolved_at FROM answers WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        lat, lon, precision, label, source, resolved_at = row
        result = None if lat is None else GeoResult(lat, lon, precision, source, label or "")
        return CachedAnswer(result, source, resolved_at)

    def put(self, key: str, result: GeoResult | None, source: str) -> None:
        """Store (or replace) the answer for `key` in its own transaction; None means "not found"."""
        values = (
            (None, None, None, None) if result is None else (result.lat, result.lon, result.geo_precision, result.label)
        )
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)", (key, *values, source, time.time())
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        """Close the connection (also done when the object is garbage-collected)."""
        with self._lock:
            self._db.close()
