"""Smoke test of bench/geocoding_bench.py (its figures are not checked: no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from atlas.geocoding.gazetteer import Gazetteer

BENCH = Path(__file__).resolve().parents[2] / "bench" / "geocoding_bench.py"


def test_bench_runs_and_reports_every_figure(gazetteer, monkeypatch):
    spec = importlib.util.spec_from_file_location("geocoding_bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(Gazetteer, "build", classmethod(lambda cls: gazetteer))  # the cold build is the slow part
    figures = bench.run(quick=True)
    assert set(figures) == {
        "places",
        "index_cold_build_s",
        "index_stored_load_s",
        "distinct_names",
        "names_found",
        "lookups_per_s",
        "cache_hits",
        "cache_hits_per_s",
    }
    assert figures["distinct_names"] == figures["names_found"] == figures["cache_hits"] == 2_000
