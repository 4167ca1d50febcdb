"""The session guard of tests/conftest.py sees what a test leaves in var/, data/ or static/ (issue 22)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tree_changes, tree_state


def test_the_guard_names_what_was_created_changed_or_removed(tmp_path: Path) -> None:
    for name in ("data/organisations.csv", "static/atlas/map.js", "static/generated/p.json", "static/vendor/l.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    before = tree_state(tmp_path)
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "atlas.sqlite3").write_bytes(b"SQLite format 3\0")  # `make test` seeding var/
    (tmp_path / "data" / "organisations.csv").write_text("xy", encoding="utf-8")
    (tmp_path / "static" / "atlas" / "map.js").unlink()
    (tmp_path / "static" / "generated" / "q.json").write_text("{}", encoding="utf-8")  # the app's own
    (tmp_path / "static" / "vendor" / "l.js").write_text("changed", encoding="utf-8")  # `make assets`
    changes = tree_changes(before, tree_state(tmp_path))
    assert "created: var/atlas.sqlite3" in changes and "created: var" in changes
    assert "changed: data/organisations.csv" in changes
    assert "removed: static/atlas/map.js" in changes
    assert not [c for c in changes if "generated" in c or "vendor" in c], changes
