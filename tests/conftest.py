"""Settings every test starts from: its own database, never the developer's `var/atlas.sqlite3`;
and `app`, the map page under AppTest on the small fixture atlas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

FIXTURES = Path(__file__).parent / "fixtures"
APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'atlas-test.sqlite3'}")
    monkeypatch.delenv("ATLAS_SOURCE", raising=False)


@pytest.fixture()
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`app(**params)`: the page opened with these URL parameters, run once, without an exception."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))
    monkeypatch.setenv("ATLAS_ASSETS", "local")

    def make(**params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return make
