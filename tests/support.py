"""What the tests need from outside Python, in one place: `require(tool)`.

A test that needs a real component (Chromium, node, PostgreSQL, nginx, axe-core, Leaflet's files,
the bundled data…) calls `require("name")`. When the component is missing, the test is skipped on a
developer's machine and FAILS in CI (CI=true), saying what is missing and how `.ci/run` provides it:
CI must never pass by skipping. See docs/develop/index.md.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CLDR = ROOT / "node_modules" / "cldr-core" / "package.json"


def _leaflet() -> bool:
    from atlas.assets import local_assets_present

    return local_assets_present()


def _postgresql() -> bool:
    from bench.pg import available

    return available()


def _nginx() -> bool:
    from bench.cluster import nginx_binary

    return bool(nginx_binary())


def _envsubst() -> bool:
    return shutil.which("envsubst") is not None


# name -> (is it there?, what it is and how .ci/run gets it)
TOOLS: dict[str, tuple[Callable[[], bool], str]] = {
    "chromium": (
        lambda: Path(CHROMIUM).exists(),
        "Debian's chromium (/usr/bin/chromium): .ci/run installs the Debian package chromium",
    ),
    "node": (lambda: shutil.which("node") is not None, "node: .ci/run installs the Debian package nodejs"),
    "npm": (lambda: shutil.which("npm") is not None, "npm: .ci/run installs the Debian package npm"),
    "axe-core": (
        AXE.exists,
        "axe-core (node_modules/axe-core): `npm ci`, which `make test` runs through `make assets`",
    ),
    "cldr-core": (
        CLDR.exists,
        "cldr-core (node_modules/cldr-core): `npm ci`, which `make test` runs through `make assets`",
    ),
    "leaflet": (
        _leaflet,
        "Leaflet's files in static/vendor: `make assets`, which `make test` runs (.ci/run installs npm)",
    ),
    "postgresql": (
        _postgresql,
        "PostgreSQL's initdb, pg_ctl and postgres: .ci/run installs the Debian package postgresql",
    ),
    "nginx": (_nginx, "nginx: .ci/run installs the Debian package nginx"),
    "envsubst": (_envsubst, "envsubst: .ci/run installs the Debian package gettext-base"),
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> None:
    """Skip (locally) or fail (CI=true) because of `reason`, something the test needs and lacks."""
    if in_ci():
        pytest.fail(f"missing in CI (CI=true), where nothing may be skipped: {reason}", pytrace=False)
    pytest.skip(reason)


def require(tool: str, *, present: bool | None = None) -> None:
    """Go on when `tool` is there; else skip locally, fail in CI. `tool` is a name of TOOLS, or
    (with `present`) any description of what is needed and how to get it ("data/odc.csv: bundled
    with the repository")."""
    if tool in TOOLS:
        check, how = TOOLS[tool]
        if present is None:
            present = check()
        if not present:
            missing(f"{tool} is not installed — {how}")
        return
    if present is None:
        raise ValueError(f"require({tool!r}): not a known tool ({', '.join(TOOLS)}); pass present=")
    if not present:
        missing(tool)


def gazetteer_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests keep the offline gazetteer's index (built once: tens of seconds): pytest's cache
    folder, so later runs skip the build; without the cache (`-p no:cacheprovider`), one folder for the
    whole run, shared by pytest-xdist's workers (the index is saved atomically)."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("atlas-geocoding"))
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "atlas-geocoding"
    folder.mkdir(exist_ok=True)
    return folder
