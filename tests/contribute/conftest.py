"""The contribution form through AppTest: the real app and store (its own SQLite database per
test, seeded from the small test atlas), the real offline gazetteer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.geocoding import gazetteer as gazetteer_module
from atlas.geocoding.gazetteer import Gazetteer, index_path
from atlas.store import open_store
from atlas.store.store import Store
from tests.support import gazetteer_folder

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SMALL = ROOT / "tests" / "fixtures" / "small_atlas"


@pytest.fixture(scope="session")
def gazetteer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    """The real gazetteer, built once and kept in pytest's cache folder (shared with the geocoding tests)."""
    folder = gazetteer_folder(request, tmp_path_factory)
    instance = Gazetteer.load_or_build(folder / index_path().name)
    previous, gazetteer_module._instance = gazetteer_module._instance, instance
    yield instance
    gazetteer_module._instance = previous


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gazetteer: Gazetteer) -> Path:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(SMALL))
    monkeypatch.setenv("ATLAS_ASSETS", "local")
    monkeypatch.setenv("ATLAS_GEOCODE_CACHE", str(tmp_path / "geocode.sqlite3"))
    for name in ("ATLAS_FORM_GEOCODER", "ATLAS_TRUSTED_PROXY", "ATLAS_GEOCODER"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def open_page(at: AppTest, name: str) -> AppTest:
    """Go to the page `name` of `atlas.ui.navigation` (its pages are functions, not files: AppTest's
    `switch_page` cannot name them)."""
    path = "" if name == "map" else name  # the default page's URL path is the root
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == path)
    return at.run()


@pytest.fixture()
def contribute(env: Path) -> AppTest:
    """The app on its Add-or-correct page."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    open_page(at, "contribute")
    assert not at.exception, at.exception
    return at


@pytest.fixture()
def store(env: Path) -> Iterator[Store]:
    """A second connection to the app's own database (as a moderator's process would have)."""
    s = open_store(os.environ["ATLAS_DATABASE_URL"])
    yield s
    s.engine.dispose()
