"""The import benchmark runs end to end on a small synthetic atlas (each step in its own process)."""

from __future__ import annotations

import pytest

from bench import imports_bench


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ATLAS_GEOCODE_OFFLINE", "1")
    monkeypatch.setenv("ATLAS_GEOCODE_CACHE", str(tmp_path / "geocode.sqlite3"))


def test_the_import_benchmark_measures_every_step() -> None:
    results = imports_bench.run(300)
    assert [r["step"] for r in results] == ["import", "re-import", "dry-run", "dedup"]
    assert results[0]["new"] + results[0]["duplicate"] == 300
    assert results[1]["unchanged"] == 300 and results[2]["unchanged"] == 300
    assert all(r["seconds"] >= 0 and r["peak_mb"] > 0 for r in results)
