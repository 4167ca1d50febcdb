"""What the Moderate page's Sources tab reads (`atlas.store.imports.review`): each source's licence
and attribution, the runs with pending rows and the latest run (the one an undo may revert), on
SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from atlas.imports.mapping import SourceMapping
from atlas.imports.run import run_import
from atlas.store.imports import publish_run, review, undo_run
from atlas.store.store import Store

HEADER = "id,name,lat,lon\n"
ROWS = ["p1,Fablab Lille,50.6292,3.0573\n", "p2,Hackerspace Gent,51.0543,3.7174\n"]
LICENSED = SourceMapping.from_dict(
    {"default_category": "network", "licence": "ODbL-1.0", "attribution": "© Les contributeurs"}
)


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_runs_to_act_on_and_the_licence(store: Store, tmp_path: Path) -> None:
    first = run_import(store, write(tmp_path, "a.csv", ROWS), "csv", "places", LICENSED).run
    more = [*ROWS, "p3,Makerspace Oslo,59.9139,10.7522\n"]
    second = run_import(store, write(tmp_path, "b.csv", more), "csv", "places", LICENSED).run
    (source,) = review(store)
    assert (source.name, source.licence, source.attribution) == ("places", "ODbL-1.0", "© Les contributeurs")
    assert [(r.id, r.pending, r.latest) for r in source.runs] == [(second, 1, True), (first, 2, False)]
    assert publish_run(store, "places", first, "mod@example.org")["published"] == 2
    (source,) = review(store)
    assert [(r.id, r.pending, r.latest) for r in source.runs] == [(second, 1, True)]  # nothing left in run 1
    undo_run(store, "places", second, who="moderator:mod@example.org")
    (source,) = review(store)
    assert [(r.id, r.pending, r.latest) for r in source.runs] == [(first, 0, True)]  # the next one to undo


def test_a_source_without_a_licence_says_nothing_of_its_own(store: Store, tmp_path: Path) -> None:
    mapping = SourceMapping.from_dict({"default_category": "network"})
    run_import(store, write(tmp_path, "a.csv", ROWS[:1]), "csv", "bare", mapping)
    (source,) = review(store)
    assert (source.licence, source.attribution) == ("", "")
