"""Duplicate pairs on SQLite and PostgreSQL: proposed by imports and `atlas dedup`, merged or told apart."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from atlas.cli import main
from atlas.imports.mapping import SourceMapping
from atlas.imports.run import run_import
from atlas.store import open_store
from atlas.store.errors import AlreadyDecided, StoreError
from atlas.store.models import SourceLink
from atlas.store.store import Store
from tests.imports.conftest import FIXTURES
from tests.store.records import new_org

GOGO = FIXTURES / "gogocarto_elements.json"
GOGO_MAPPING = SourceMapping.load(FIXTURES / "gogocarto_mapping.yaml")


def imported_pair(store: Store):
    run_import(store, GOGO, "gogocarto", mapping=GOGO_MAPPING)
    page = store.duplicate_pairs()
    assert page.total == 1
    return page.items[0]


def test_the_seed_atlas_has_no_likely_duplicates(store: Store) -> None:
    assert store.propose_duplicates(dry_run=True) == []


def test_an_imported_duplicate_is_a_pair_for_the_moderators(store: Store) -> None:
    pair = imported_pair(store)
    sides = {pair.a["id"], pair.b["id"]}
    assert "emmaus-connect" in sides and pair.status == "pending" and pair.proposed_by == "import:transiscope"
    new = next(side for side in (pair.a, pair.b) if side["id"] != "emmaus-connect")
    assert new["state"] == "pending" and new["sources"][0]["source_id"] == "c3D4"
    assert "name" in pair.differing and pair.score >= 0.85 and pair.reasons
    assert store.duplicate_pair(pair.pair_id) == pair


def test_merge_keeps_one_entry_with_both_sources_and_records_it(store: Store) -> None:
    pair = imported_pair(store)
    other = pair.b["id"] if pair.a["id"] == "emmaus-connect" else pair.a["id"]
    revision = store.revision()
    store.merge(pair.pair_id, pair.version, "mod@example.org", keep="emmaus-connect", take={"city": other})
    kept, gone = store.entry("emmaus-connect"), store.entry(other)
    assert kept["state"] == "published" and gone["state"] == "duplicate" and gone["duplicate_of"] == "emmaus-connect"
    assert store.revision() != revision
    with store.reading() as s:
        links = list(s.scalars(select(SourceLink.external_id).where(SourceLink.entry_id == "emmaus-connect")))
    assert links == ["c3D4"]  # the import's link moved to the kept entry
    history = store.history("emmaus-connect", public=False)
    assert history[-1].action == "merge" and history[-1].author == "moderator:mod@example.org"
    assert "merged" in history[-1].fields
    assert [h.action for h in store.history(other, public=False)][-1] == "state"
    assert all(i.entry_id != other for i in store.queue(size=100).items)  # its submission left the queue
    assert store.duplicate_pairs().total == 0 and store.duplicate_pair(pair.pair_id).status == "merged"
    with pytest.raises(AlreadyDecided):
        store.merge(pair.pair_id, pair.version, "other@example.org", keep="emmaus-connect")
    again = run_import(store, GOGO, "gogocarto", mapping=GOGO_MAPPING)  # the source comes back: no new entry
    row = next(r for r in again.rows if r.source_id == "c3D4")
    assert row.action in ("unchanged", "update") and row.match == "emmaus-connect"


def test_merge_checks_its_arguments(store: Store) -> None:
    pair = imported_pair(store)
    with pytest.raises(StoreError):
        store.merge(pair.pair_id, pair.version, "mod@example.org", keep="bayes-impact")
    with pytest.raises(StoreError):
        store.merge(pair.pair_id, pair.version, "mod@example.org", keep=pair.a["id"], take={"email": pair.b["id"]})
    assert store.duplicate_pair(pair.pair_id).status == "pending"  # nothing half-done


def test_not_the_same_is_remembered(store: Store) -> None:
    first = store.submit("organisation", new_org(name="Tech for Good Lyon"))
    second = store.submit("organisation", new_org(name="Tech for Good Lyon", website="https://tfgl.example.org"))
    found = store.propose_duplicates()
    assert [(p.entry_a, p.entry_b) for p in found] == [tuple(sorted((first.entry_id, second.entry_id)))]
    pair = store.duplicate_pairs().items[0]
    store.not_same(pair.pair_id, pair.version, "mod@example.org", "two chapters")
    with pytest.raises(AlreadyDecided):
        store.not_same(pair.pair_id, pair.version, "mod@example.org")
    assert [p.new for p in store.propose_duplicates()] == [False]  # found again, never queued again
    assert store.duplicate_pairs().total == 0


def test_two_moderators_on_one_pair(store: Store, db_url: str) -> None:
    pair = imported_pair(store)
    stores = [open_store(db_url) for _ in range(2)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2, timeout=60)

    def decide(s: Store, merge: bool) -> None:
        barrier.wait()
        try:
            if merge:
                s.merge(pair.pair_id, pair.version, "a@example.org", keep="emmaus-connect")
            else:
                s.not_same(pair.pair_id, pair.version, "b@example.org")
            outcomes.append("done")
        except AlreadyDecided:
            outcomes.append("refused")

    threads = [threading.Thread(target=decide, args=(s, i == 0)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is still running after 120 s"
    assert sorted(outcomes) == ["done", "refused"]
    assert store.duplicate_pair(pair.pair_id).status in ("merged", "not_same")
    for s in stores:
        s.engine.dispose()


def test_atlas_dedup_queues_pairs(store: Store, db_url: str, capsys) -> None:
    store.submit("organisation", new_org(name="Bayes Impakt", city="Paris", lat=48.8566, lon=2.3522))
    assert main(["dedup", "--dry-run", "--url", db_url]) == 0
    assert "bayes-impact" in capsys.readouterr().out and store.duplicate_pairs().total == 0
    assert main(["dedup", "--url", db_url]) == 0
    assert store.duplicate_pairs().total == 1
