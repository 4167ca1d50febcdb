"""The import benchmark runs end to end on a small synthetic atlas (each step in its own process)."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_the_command_line_runs_a_small_atlas_and_writes_its_figures(tmp_path) -> None:
    out = tmp_path / "figures.json"
    imports_bench.main(["--rows", "200", "--steps", "import,dedup", "--no-precision", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["rows"] == 200 and "dedup_real" not in report
    assert [r["step"] for r in report["results"]] == ["import", "dedup"]
    assert report["results"][0]["new"] + report["results"][0]["duplicate"] == 200


def test_compare_takes_a_revision_and_runs_import_and_dedup_by_default(monkeypatch, tmp_path) -> None:
    seen: dict[str, object] = {}

    def fake(rows, rev, seed, steps):
        seen.update(rows=rows, rev=rev, seed=seed, steps=steps)
        return {"compare": rev, "steps": []}

    monkeypatch.setattr(imports_bench, "compare", fake)
    imports_bench.main(["--rows", "500", "--compare", "2ae93b7", "--no-precision"])
    assert seen == {"rows": 500, "rev": "2ae93b7", "seed": None, "steps": ("import", "dedup")}
    imports_bench.main(["--rows", "10", "--compare", "HEAD~1", "--steps", "import,re-import", "--no-precision"])
    assert seen["rev"] == "HEAD~1" and seen["steps"] == ("import", "re-import")
    with pytest.raises(SystemExit):
        imports_bench.main(["--steps", "import,undo", "--no-precision"])


def test_compare_runs_both_trees_in_turns_and_gives_ratios(monkeypatch) -> None:
    # the revision's worktree stood in for by this checkout (no git here): the pairing, the order and
    # the ratios are what is checked, on 100 rows
    made: list[str] = []

    def worktree(rev: str, where: Path) -> Path:
        made.append(rev)
        return imports_bench.ROOT

    monkeypatch.setattr(imports_bench, "_worktree", worktree)
    monkeypatch.setattr(imports_bench, "_drop_worktree", lambda where: made.append("dropped"))
    report = imports_bench.compare(100, "OLD", steps=("import",))
    assert made == ["OLD", "dropped"]
    assert [p["step"] for p in report["steps"]] == ["import"]
    first = report["steps"][0]
    assert first["old"]["new"] + first["old"]["duplicate"] == 100 == first["new"]["new"] + first["new"]["duplicate"]
    assert first["cpu_ratio"] == round(first["new"]["cpu_s"] / first["old"]["cpu_s"], 2)
    assert report["load_start"] and report["load_end"]
