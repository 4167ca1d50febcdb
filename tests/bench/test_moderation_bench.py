"""The moderation benchmark runs end to end on a small queue (no timing is asserted)."""

from __future__ import annotations

from atlas.store import open_store
from bench import moderation


def test_the_benchmark_fills_the_queue_and_renders_the_page(monkeypatch, tmp_path) -> None:
    for name in ("ATLAS_MODERATORS", "ATLAS_DATA_DIR"):  # measure() sets them: undone after the test
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("ATLAS_SECRETS", str(tmp_path / "none.toml"))
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    moderation.fill(url, 130, lambda _: None, submitted=5)
    store = open_store(url)
    page = store.queue(page=0, size=10)
    assert page.total == 130
    assert [i.name for i in page.items[:6]] == [f"Bench proposal {i:05d}" for i in range(6)]  # copies after
    store.engine.dispose()
    figures = moderation.measure(url, reps=1)
    assert figures["pending"] == 130 and figures["page_rerun_s"] > 0
