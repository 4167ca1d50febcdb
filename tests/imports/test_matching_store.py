"""Candidates among the entries waiting in the queue too (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from atlas.imports.run import run_import
from atlas.matching import LIKELY
from atlas.store.store import Store
from tests.store.records import new_org

PLACE = {
    "name": "Fabrique Numérique de Clerval",
    "city": "Clerval",
    "address": "Place de l'Hôtel de Ville, 25340",
    "lat": 47.3935,
    "lon": 6.4972,
    "geo_precision": "address",
    "website": "",
}


def test_a_second_submission_is_matched_with_the_first_still_in_the_queue(store: Store) -> None:
    first = store.submit("organisation", new_org(**PLACE))
    second = {**PLACE, "name": "Fabrique Numerique de Clervall", "lat": 47.3949, "lon": 6.4990}
    found = store.similar(second, pending=True)
    assert [c.id for c in found] == [first.entry_id] and found[0].score >= LIKELY
    assert store.similar(second) == []  # the public form lists published entries only


def test_dedup_pairs_two_pending_listings_of_one_place(store: Store) -> None:
    first = store.submit("organisation", new_org(**PLACE))
    other = store.submit(
        "organisation", new_org(**{**PLACE, "name": "FABRIQUE NUMÉRIQUE DE CLERVAL", "lat": "", "lon": ""})
    )
    pairs = {(p.entry_a, p.entry_b) for p in store.propose_duplicates(dry_run=True)}
    assert tuple(sorted((first.entry_id, other.entry_id))) in pairs


def test_an_imported_row_without_coordinates_matches_a_pending_entry_at_its_street_address(
    store: Store, tmp_path: Path
) -> None:
    waiting = store.submit("organisation", new_org(**PLACE))
    path = tmp_path / "places.csv"
    path.write_text(
        "id,name,category,country,city,address\n"
        'p1,FABRIQUE NUMERIQUE DE CLERVAL,civic_tech,FR,Clerval,"Place de l\'Hôtel de Ville, 25340"\n'
        'p2,Ecole primaire,civic_tech,FR,Mathay,"1 rue de l\'Ecole, 25700"\n',
        encoding="utf-8",
    )
    report = run_import(store, path, "csv", "villages", dry_run=True)
    by_id = {r.source_id: r for r in report.rows}
    assert by_id["p1"].action == "duplicate" and by_id["p1"].match == waiting.entry_id
    assert by_id["p2"].action == "new"
