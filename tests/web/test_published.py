"""The read model of the web routes (atlas/web/published.py): when it asks the source, what it keeps."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from atlas.data import Atlas
from atlas.sources import CsvFolder, SourceUnavailable
from atlas.web.published import Query, Reader
from tests.web.api_support import SMALL, SMALL_IDS


@dataclass(frozen=True)
class Counting(CsvFolder):
    """The small atlas's folder, counting revision checks; `revisions` set what it answers."""

    calls: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=lambda: ["1"])
    gate: threading.Event = field(default_factory=threading.Event)
    down: list[bool] = field(default_factory=lambda: [False])

    def revision(self) -> str:
        self.calls.append("revision")
        if self.down[0]:
            raise SourceUnavailable("down")
        return self.revisions[-1]

    def load(self) -> Atlas:
        self.calls.append("load")
        if len([c for c in self.calls if c == "load"]) > 1:
            self.gate.wait(10)  # a second load waits until the test lets it go
        return super().load()


def test_revision_asked_at_most_every_interval_and_loaded_once_per_revision() -> None:
    now = [0.0]
    source = Counting(SMALL)
    source.gate.set()
    reader = Reader(lambda: source, interval=2.0, clock=lambda: now[0])
    first = reader.current()
    assert [e for e in first.frame["id"]] == SMALL_IDS and first.revision == "1"
    now[0] = 1.9
    assert reader.current() is first and reader.peek() is first
    assert source.calls.count("revision") == 1  # no check within the interval
    now[0] = 2.1
    assert reader.peek() is None  # a check is due: an async route goes to a worker thread
    assert reader.current() is first  # same revision: not loaded again
    assert source.calls.count("load") == 1 and source.calls.count("revision") == 2
    source.revisions.append("2")
    now[0] = 4.5
    second = reader.current()
    assert second.revision == "2" and second is not first and source.calls.count("load") == 2


def test_requests_get_the_previous_snapshot_while_a_new_one_loads() -> None:
    now = [0.0]
    source = Counting(SMALL)
    reader = Reader(lambda: source, interval=2.0, clock=lambda: now[0])
    first = reader.current()
    source.revisions.append("2")
    now[0] = 3.0
    loading = threading.Thread(target=reader.current)
    loading.start()
    while source.calls.count("load") < 2:
        threading.Event().wait(0.01)
    assert reader.current() is first  # the loader holds the lock: no waiting
    source.gate.set()
    loading.join(10)
    assert reader.current().revision == "2"


def test_an_unreachable_source_keeps_the_last_snapshot_marked_not_live() -> None:
    now = [0.0]
    source = Counting(SMALL)
    source.gate.set()
    reader = Reader(lambda: source, interval=0.0, clock=lambda: now[0])
    assert reader.current().live
    source.down[0] = True
    kept = reader.current()
    assert not kept.live and list(kept.frame["id"]) == SMALL_IDS


def test_never_reached_falls_back_to_the_data_folder(tmp_path: Path) -> None:
    def unreachable() -> CsvFolder:
        raise SourceUnavailable("no database")

    reader = Reader(unreachable, fallback=lambda: CsvFolder(SMALL))
    snapshot = reader.current()
    assert not snapshot.live and snapshot.revision.startswith("files:")
    assert list(snapshot.frame["id"]) == SMALL_IDS


def test_positions_and_records_match_the_frame_filters() -> None:
    source = Counting(SMALL)
    source.gate.set()
    snapshot = Reader(lambda: source).current()
    query = Query(countries=("FR", "BE"))
    positions = snapshot.positions(query)
    assert [snapshot.record_at(int(p))["id"] for p in positions] == list(snapshot.select(query)["id"])
    assert snapshot.records(snapshot.select(query)) == [snapshot.record_at(int(p)) for p in positions]
    assert snapshot.after(positions, "alpha-civic") == 1
    assert snapshot.after(positions, "a") == 0 and snapshot.after(positions, "zzz") == len(positions)
    record = snapshot.entry("odc-test-lux")
    assert record is not None and record["city"] == "" and record["status"] == "planned"


def test_a_querys_matches_are_kept_for_its_next_pages() -> None:
    source = Counting(SMALL)
    source.gate.set()
    snapshot = Reader(lambda: source).current()
    first = snapshot.positions(Query(countries=("FR",)))
    assert snapshot.positions(Query(countries=("FR",))) is first  # not filtered again
    assert not first.flags.writeable
    assert list(snapshot.positions(Query(countries=("BE",)))) != list(first)
    assert len(snapshot.positions()) == len(SMALL_IDS)
