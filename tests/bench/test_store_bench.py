"""The store benchmark seeds a synthetic atlas and reruns the page on both sources (no timing asserted)."""

from __future__ import annotations

import json

from bench import store


def test_the_benchmark_seeds_and_reruns_on_both_sources(monkeypatch, tmp_path) -> None:
    for name in ("ATLAS_SOURCE", "ATLAS_DATA_DIR", "ATLAS_DATABASE_URL", "ATLAS_ASSETS", "ATLAS_TILES"):
        monkeypatch.setenv(name, "")  # rerun_seconds() sets them: undone after the test
    out = tmp_path / "store.json"
    [figures] = store.main(["--sizes", "300", "--reps", "1", "--json", str(out)])
    assert figures["rows"] == 300
    assert figures["rerun_files_s"] > 0 and figures["rerun_database_s"] > 0
    assert json.loads(out.read_text(encoding="utf-8")) == [figures]
