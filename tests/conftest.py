"""Settings every test starts from: its own database, never the developer's `var/atlas.sqlite3`."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'atlas-test.sqlite3'}")
    monkeypatch.delenv("ATLAS_SOURCE", raising=False)
