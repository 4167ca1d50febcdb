"""Shared fixtures: the real gazetteer (built once, kept in pytest's cache folder), fakes for the online path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.geocoding import gazetteer as gazetteer_module
from atlas.geocoding.gazetteer import Gazetteer, index_path
from tests.support import gazetteer_folder

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def index_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding the stored gazetteer index (pytest's cache, so later sessions skip the build)."""
    return gazetteer_folder(request, tmp_path_factory)


@pytest.fixture(scope="session")
def gazetteer(index_dir: Path) -> Gazetteer:
    """The real gazetteer, installed as the per-process singleton for the whole session."""
    path = index_dir / index_path().name
    instance = Gazetteer.load_or_build(path)
    previous, gazetteer_module._instance = gazetteer_module._instance, instance
    yield instance
    gazetteer_module._instance = previous


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer) -> Path:
    """Every test gets its own cache path and no online geocoder from the environment."""
    path = tmp_path / "geocode.sqlite3"
    monkeypatch.setenv("ATLAS_GEOCODE_CACHE", str(path))
    for name in ("ATLAS_GEOCODER", "ATLAS_GEOCODER_API_KEY", "ATLAS_GEOCODER_USER_AGENT", "ATLAS_GEOCODE_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def child_env(index_dir: Path, gazetteer: Gazetteer) -> dict[str, str]:
    """Environment for child processes: they find the stored gazetteer index instead of rebuilding it."""
    return {**os.environ, "ATLAS_GEOCODE_CACHE": str(index_dir / "geocode.sqlite3")}


@pytest.fixture
def run_cli(child_env: dict[str, str]):
    """Run `python -m atlas.cli ...` in a child process."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "atlas.cli", *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            env={**child_env, **(env or {})},
            timeout=timeout,
        )

    return run
