"""The deployment's files and `make cluster` (bench/cluster.py: PostgreSQL, replicas, nginx in front).

Without nginx or PostgreSQL these tests are skipped locally, and fail in CI (CI=true): .ci/run
installs them. The cluster in a browser is tests/browser/test_cluster.py (it shares the browser
tests' Chromium: one Playwright per test session).
"""

from __future__ import annotations

import pytest

from tests.support import require


@pytest.fixture(scope="session")
def can_cluster() -> None:
    require("nginx")
    require("postgresql")
