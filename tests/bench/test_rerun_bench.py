"""The rerun benchmark drives the map page through new and returning views and marker clicks (no timing
is asserted)."""

from __future__ import annotations

from bench import rerun


def test_the_benchmark_reruns_the_page_with_new_and_returning_views(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")  # main() sets it: undone after the test
    figures = rerun.main(["--reps", "2", "--json", str(tmp_path / "rerun.json")])
    assert figures["reps"] == 2
    assert figures["new_view_cpu_s"] > 0 and figures["returning_view_cpu_s"] > 0
    assert figures["marker_click_cpu_s"] > 0  # the click selected its entry (the benchmark checks it)
    assert (tmp_path / "rerun.json").is_file()
