"""Import runs: list them, undo one, publish a reviewed one's pending rows (`atlas import undo|publish`).

Every run of `atlas import` that writes is recorded in `import_runs` with a journal of what it
changed (`atlas.imports.run.plan_and_apply`). Undoing the latest run of a source reverts it through
revisions, never by deleting what people see:

- the entries it created are withdrawn (a `state` revision) and their pending submissions rejected;
- the fields it changed are set back (a pending entry's in place; a published entry's through an
  applied revision, only where no one changed the field since), its pending corrections rejected
  (or set back to what they proposed before);
- the rows it flagged as gone are no longer flagged; the links it created are removed and the
  links it refreshed get their former values, so that the next import sees the source as before;
- the duplicate pairs it proposed that are still pending are removed.

The undo is itself a run (kind `undo`), and the run undone says by which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from atlas.store.errors import StoreError
from atlas.store.models import DuplicatePair, Entry, ImportRun, ImportSource, Revision, SourceLink
from atlas.store.records import same_value
from atlas.store.store import PUBLISHED_REVISION, Store

IMPORTS = "imports"  # the meta counter imports lock (atlas.imports.run)


class RunError(StoreError):
    """The run cannot be undone or published (unknown, already undone, not the latest…)."""


@dataclass(frozen=True)
class RunSummary:
    id: int
    kind: str
    of_run: int | None
    started_at: dt.datetime
    author: str
    counts: dict[str, Any]


def runs(store: Store, source: str) -> list[RunSummary]:
    """The runs of `source`, newest first."""
    with store.reading() as s:
        found = _source(s, source)
        rows = s.scalars(select(ImportRun).where(ImportRun.source_id == found.id).order_by(ImportRun.id.desc()))
        return [RunSummary(r.id, r.kind, r.of_run, r.started_at, r.author, dict(r.counts)) for r in rows]


def _source(s: Session, name: str) -> ImportSource:
    found = s.scalar(select(ImportSource).where(ImportSource.name == name))
    if found is None:
        raise RunError(f"no import source named {name!r}")
    return found


def _run(s: Session, source: ImportSource, run_id: int | None) -> ImportRun:
    query = select(ImportRun).where(ImportRun.source_id == source.id, ImportRun.kind == "import")
    latest = s.scalar(query.where(ImportRun.undone_by.is_(None)).order_by(ImportRun.id.desc()).limit(1))
    if run_id is None:
        if latest is None:
            raise RunError(f"{source.name}: no import run left to act on")
        return latest
    run = s.scalar(query.where(ImportRun.id == run_id))
    if run is None:
        raise RunError(f"{source.name}: no import run {run_id}")
    return run


def _at(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def undo_run(store: Store, source: str, run_id: int | None = None, who: str = "") -> dict[str, int]:
    """Revert import run `run_id` of `source` (default: its latest not undone); returns the counts."""
    author = f"import-undo:{source}"
    counts = {"withdrawn": 0, "reverted": 0, "rejected": 0, "gone_cleared": 0}
    with store.writing() as s:
        store._bump(s, IMPORTS)  # one import (or undo) at a time
        src = _source(s, source)
        run = _run(s, src, run_id)
        if run.undone_by is not None:
            raise RunError(f"{source}: run {run.id} was already undone (by run {run.undone_by})")
        later = s.scalar(
            select(ImportRun.id).where(
                ImportRun.source_id == src.id,
                ImportRun.kind == "import",
                ImportRun.id > run.id,
                ImportRun.undone_by.is_(None),
            )
        )
        if later is not None:
            raise RunError(f"{source}: run {later} came after run {run.id}: undo it first")
        now = store.clock()
        journal = run.journal
        note = f"import run {run.id} of {source} undone"
        published = False
        restored = journal.get("revisions_before", {})
        for rid in journal.get("revisions", []):
            revision = s.get(Revision, rid)
            if revision is None:
                continue
            if str(rid) in restored:
                before = restored[str(rid)]
                revision.changes = before["changes"]
                revision.base_version = before["base_version"]
                revision.created_at = _at(before["created_at"]) or revision.created_at
            elif revision.status == "pending":
                revision.status = "rejected"
                revision.decided_by, revision.decided_at, revision.decision_note = author, now, note
                counts["rejected"] += 1
        for rid, before in restored.items():
            if int(rid) in journal.get("revisions", []):
                continue
            revision = s.get(Revision, int(rid))
            if revision is not None and revision.status == "pending":
                revision.changes = before["changes"]
                revision.base_version = before["base_version"]
                revision.created_at = _at(before["created_at"]) or revision.created_at
        for entry_id in journal.get("new_entries", []):
            entry = s.scalar(select(Entry).where(Entry.id == entry_id))
            if entry is None or entry.state not in ("pending", "published"):
                continue
            published |= entry.state == "published"
            s.add(_state_revision(entry, "withdrawn", author, note, now))
            entry.state, entry.updated_at = "withdrawn", now
            counts["withdrawn"] += 1
        for entry_id, change in journal.get("entries_before", {}).items():
            entry = s.scalar(select(Entry).where(Entry.id == entry_id))
            if entry is None:
                continue
            back = {
                f: [change["after"][f], old]
                for f, old in change["before"].items()
                if same_value(getattr(entry, f), change["after"][f])
            }
            if not back:
                continue
            for f, (_new, old) in back.items():
                setattr(entry, f, old)
            entry.updated_at = now
            counts["reverted"] += 1
            if entry.state == "published":
                published = True
                s.add(
                    Revision(
                        entry_id=entry.id,
                        action="import",
                        status="applied",
                        author=author,
                        created_at=now,
                        changes=back,
                        reason=note,
                        decided_by=author,
                        decided_at=now,
                        decision_note=note,
                    )
                )
        table = SourceLink.__table__
        created = journal.get("links_created", [])
        for start in range(0, len(created), 500):
            s.execute(delete(table).where(table.c.id.in_(created[start : start + 500])))  # type: ignore[arg-type]
        for link_id, before in journal.get("links_before", {}).items():
            current = s.scalar(select(SourceLink.gone_since).where(SourceLink.id == int(link_id)))
            if current is not None and before["gone_since"] is None:
                counts["gone_cleared"] += 1
            values: dict[str, Any] = {
                "last_seen_at": _at(before["last_seen_at"]),
                "gone_since": _at(before["gone_since"]),
            }
            if "data" in before:
                values.update(data=before["data"], url=before["url"])
            s.execute(update(table).where(table.c.id == int(link_id)).values(**values))  # type: ignore[arg-type]
        pairs = journal.get("pairs", [])
        if pairs:
            pair_table = DuplicatePair.__table__
            s.execute(
                delete(pair_table).where(  # type: ignore[arg-type]
                    pair_table.c.id.in_(pairs), pair_table.c.status == "pending"
                )
            )
        if published:
            store._bump(s, PUBLISHED_REVISION)
        undo = ImportRun(
            source_id=src.id,
            kind="undo",
            of_run=run.id,
            author=f"{who or 'unknown'} as {author}"[:200],
            started_at=now,
            file=run.file,
            file_hash=run.file_hash,
            format=run.format,
            counts=counts,
            journal={},
        )
        s.add(undo)
        s.flush()
        run.undone_by = undo.id
        src.last_summary = {**(src.last_summary or {}), "undone_by": undo.id}
    return {**counts, "run": run.id}


def _state_revision(entry: Entry, state: str, author: str, note: str, now: dt.datetime) -> Revision:
    return Revision(
        entry_id=entry.id,
        action="state",
        status="applied",
        author=author,
        created_at=now,
        changes={"state": [entry.state, state]},
        reason=note,
        decided_by=author,
        decided_at=now,
        decision_note=note,
    )


def publish_run(store: Store, source: str, run_id: int | None, moderator: str) -> dict[str, int]:
    """Publish every row of run `run_id` still pending (new entries, corrections), in one transaction."""
    done = 0
    with store.writing() as s:
        src = _source(s, source)
        run = _run(s, src, run_id)
        if run.undone_by is not None:
            raise RunError(f"{source}: run {run.id} was undone: nothing to publish")
        note = f"import run {run.id} of {source} published after review"
        for rid in run.journal.get("revisions", []):
            revision = s.get(Revision, rid)
            if revision is None or revision.status != "pending":
                continue
            store._decide_in(s, rid, revision.version, moderator, note, store._approval(None))
            done += 1
        s.add(
            ImportRun(
                source_id=src.id,
                kind="publish",
                of_run=run.id,
                author=f"moderator:{moderator}"[:200],
                started_at=store.clock(),
                file=run.file,
                file_hash=run.file_hash,
                format=run.format,
                counts={"published": done},
                journal={},
            )
        )
    return {"published": done, "run": run.id}


@dataclass(frozen=True)
class ReviewRun:
    """An import run a moderator can act on from the Moderate page (its Sources tab)."""

    id: int
    started_at: dt.datetime
    author: str
    pending: int  # its rows still waiting for a moderator: what `publish_run` would publish now
    latest: bool  # the source's latest import run not undone: the one `undo_run` may revert


@dataclass(frozen=True)
class SourceReview:
    """A source's licence and attribution (as stored, "" when not given) and its runs to act on."""

    name: str
    licence: str
    attribution: str
    runs: tuple[ReviewRun, ...]  # newest first: the runs with pending rows, and the latest one


def review(store: Store) -> list[SourceReview]:
    """Every import source with its licence, attribution and the runs a moderator may publish or undo.

    A run's pending rows are counted from its journal only when the source has a pending revision at
    all (one query for every source), so that a page listing settled sources reads no journal."""
    found = []
    with store.reading() as s:
        sources = s.execute(
            select(ImportSource.id, ImportSource.name, ImportSource.licence, ImportSource.attribution).order_by(
                ImportSource.name
            )
        ).all()
        waiting = set(
            s.scalars(
                select(SourceLink.source_id)
                .join(Revision, Revision.entry_id == SourceLink.entry_id)
                .where(Revision.status == "pending")
                .distinct()
            )
        )
        for source in sources:
            live = s.execute(
                select(ImportRun.id, ImportRun.started_at, ImportRun.author)
                .where(ImportRun.source_id == source.id, ImportRun.kind == "import", ImportRun.undone_by.is_(None))
                .order_by(ImportRun.id.desc())
            ).all()
            runs = []
            for index, run in enumerate(live):
                pending = _pending(s, run.id) if source.id in waiting else 0
                if pending or index == 0:
                    runs.append(ReviewRun(run.id, run.started_at, run.author, pending, index == 0))
            found.append(SourceReview(source.name, source.licence or "", source.attribution or "", tuple(runs)))
    return found


def _pending(s: Session, run_id: int) -> int:
    """How many of run `run_id`'s revisions are still pending."""
    ids = (s.scalar(select(ImportRun.journal).where(ImportRun.id == run_id)) or {}).get("revisions", [])
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(func.count()).select_from(Revision).where(Revision.id.in_(chunk), Revision.status == "pending")
        total += int(s.scalar(query) or 0)
    return total
