"""The deployment's topology on loopback (bench/cluster.py): PostgreSQL, replicas, nginx in front.

Without nginx or PostgreSQL (or, for the browser tests, Chromium and the fetched Leaflet files)
these tests are skipped locally, and fail in CI (CI=true): .ci/run installs all of them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.cluster import Cluster, available
from tests.browser.conftest import chromium  # noqa: F401 (the browser, shared with the browser tests)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"cluster tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def can_cluster() -> None:
    why = available()
    require(why is None, why or "")


@pytest.fixture(scope="module")
def cluster(can_cluster, chromium) -> Iterator[Cluster]:  # noqa: F811
    """Two replicas of the small fixture atlas on one PostgreSQL, behind nginx."""
    with Cluster(2, data_dir=FIXTURES / "small_atlas") as running:
        yield running
