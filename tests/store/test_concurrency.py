"""Many people at once, and a process killed mid-write: no lost or doubled revision, on both databases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from atlas.store import open_store
from atlas.store.errors import AlreadyDecided
from atlas.store.limits import Limits
from atlas.store.models import Entry, Revision
from atlas.store.store import Store
from tests.store.records import new_org

ROOT = Path(__file__).resolve().parents[2]
GENEROUS = Limits(per_session=10_000, per_client=10_000, pending_per_hour=10_000)


def _run_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count, timeout=60)

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is still running after 120 s"
    return errors


def test_many_submitters_at_once_lose_nothing_and_double_nothing(db_url: str) -> None:
    store = open_store(db_url, limits=GENEROUS)
    per_thread = 8

    def submit(i: int) -> None:
        for j in range(per_thread):
            # the same name from every thread: ids must still be unique
            store.submit(
                "organisation",
                new_org(name="Same Name Collective", description_en=f"{i}-{j}"),
                client=f"10.0.0.{i}",
                session=f"s{i}",
            )

    assert _run_threads(6, submit) == []
    with store.reading() as s:
        entries = s.scalar(select(func.count()).select_from(Entry)) or 0
        revisions = s.scalar(select(func.count()).select_from(Revision)) or 0
        ids = list(s.scalars(select(Entry.id)))
        described = sorted(s.scalars(select(Entry.description_en)))
    assert entries == revisions == 6 * per_thread
    assert len(set(ids)) == len(ids) and "same-name-collective" in ids
    assert described == sorted(f"{i}-{j}" for i in range(6) for j in range(per_thread))
    assert store.queue(size=200).total == 6 * per_thread
    store.engine.dispose()


def test_two_moderators_racing_on_the_same_items(db_url: str) -> None:
    store = open_store(db_url, limits=GENEROUS)
    for i in range(12):
        store.submit("organisation", new_org(name=f"Race {i}"))
    items = store.queue(size=50).items
    outcomes: dict[int, list[str]] = {item.revision_id: [] for item in items}
    lock = threading.Lock()

    def decide(i: int) -> None:
        for item in items:
            try:
                if i == 0:
                    store.approve(item.revision_id, item.version, "first@example.org")
                else:
                    store.reject(item.revision_id, item.version, "second@example.org", "no")
                result = "done"
            except AlreadyDecided:
                result = "told"
            with lock:
                outcomes[item.revision_id].append(result)

    assert _run_threads(2, decide) == []
    assert all(sorted(v) == ["done", "told"] for v in outcomes.values()), outcomes
    with store.reading() as s:
        decided = s.execute(select(Revision.status, func.count()).group_by(Revision.status)).all()
    assert sum(n for _, n in decided) == 12 and "pending" not in dict(decided)
    for item in items:
        (history,) = store.history(item.entry_id, public=False)
        state = store.entry(item.entry_id)["state"]
        assert (history.status, state) in {("applied", "published"), ("rejected", "rejected")}
    store.engine.dispose()


CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from atlas.store import open_store
    from atlas.store.store import AlreadyDecided

    store = open_store(sys.argv[1])

    @event.listens_for(store.engine, "commit")
    def slow_commit(conn):  # widens the window in which the kill lands inside a transaction
        time.sleep(0.02)

    print("ready", flush=True)
    while True:
        page = store.queue(size=5)
        if not page.items:
            break
        for item in page.items:
            try:
                store.approve(item.revision_id, item.version, "robot@example.org", note="bulk")
            except AlreadyDecided:
                pass
    print("done", flush=True)
    """
)


def _consistent(store: Store) -> None:
    with store.reading() as s:
        rows = s.execute(
            select(Revision.status, Entry.state)
            .join(Entry, Entry.id == Revision.entry_id)
            .where(Revision.action == "submission")
        ).all()
        if store.engine.dialect.name == "sqlite":
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    for status, state in rows:
        assert (status, state) in {("pending", "pending"), ("applied", "published")}, (status, state)


def test_a_process_killed_mid_approval_leaves_the_database_consistent(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url, limits=GENEROUS)
    for i in range(60):
        store.submit("organisation", new_org(name=f"Killed {i}"))
    script = tmp_path / "approve.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    for delay in (0.35, 0.5, 0.8, 1.1):
        child = subprocess.Popen([sys.executable, str(script), db_url], stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait(timeout=30)
        _consistent(store)
        if store.queue().total == 0:
            break
    assert kills >= 1
    applied_before = store.queue(size=200).total
    # the survivors finish the work: nothing was left half-done or locked
    for item in store.queue(size=200).items:
        store.approve(item.revision_id, item.version, "mod@example.org")
    _consistent(store)
    assert store.queue().total == 0
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(Revision).where(Revision.status == "applied")) == 60
        assert s.scalar(select(func.count()).select_from(Entry).where(Entry.state == "published")) == 60
    assert applied_before <= 60
    store.engine.dispose()


@pytest.mark.parametrize("workers", [3])
def test_concurrent_corrections_of_one_entry_are_all_kept(db_url: str, workers: int) -> None:
    store = open_store(db_url, limits=GENEROUS)
    store.submit("organisation", new_org(name="Target Org"))
    item = store.queue().items[0]
    store.approve(item.revision_id, item.version, "mod@example.org")

    def correct(i: int) -> None:
        for j in range(4):
            store.propose_correction(item.entry_id, {"description_en": f"Version {i}.{j}"})

    assert _run_threads(workers, correct) == []
    assert store.queue(action="correction", size=50).total == workers * 4
    store.engine.dispose()
