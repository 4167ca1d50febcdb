"""Duplicate pairs in the moderation queue: proposed by imports and `atlas dedup`, decided by moderators.

- `propose_duplicates` runs the matcher over every live entry (published or pending) and queues the
  likely pairs, except those already proposed (whatever became of them) or said "not the same".
- `merge` keeps one entry, takes each chosen field from either, makes the other a `duplicate` of
  it, moves the other's source links to it (both sources stay attached), closes the other's
  pending revisions — one transaction, recorded as revisions, optimistic locking on the pair's
  version (the second moderator gets `AlreadyDecided`).
- `not_same` remembers the decision: the pair is never proposed again.
- `similar_entries` lists the entries a record may be ("Is it one of these?"; the moderators'
  "duplicate of…" choice), among the published ones and, for moderators, the pending ones too.

The `Store` methods `duplicate_pairs`, `duplicate_pair`, `merge`, `not_same`, `propose_duplicates`
call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from atlas.matching import LIKELY, MATCH_FIELDS, Candidate, find_duplicates, prepare, similar
from atlas.store.errors import AlreadyDecided, NotFound, StoreError
from atlas.store.models import DATA_FIELDS, DuplicatePair, Entry, NotSamePair, Revision, SourceLink
from atlas.store.records import Paged, cell_text, data_of, record_of, same_value
from atlas.text import fold_key

if TYPE_CHECKING:
    from atlas.store.store import Store

LIVE = ("published", "pending")


@dataclass(frozen=True)
class ProposedPair:
    entry_a: str
    entry_b: str
    score: float
    reasons: tuple[str, ...]
    new: bool  # queued by this run (False: already known)

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_a": self.entry_a,
            "entry_b": self.entry_b,
            "score": self.score,
            "reasons": list(self.reasons),
            "new": self.new,
        }


@dataclass(frozen=True)
class PairItem:
    """A pair as the moderation page shows it: both records side by side and the fields that differ."""

    pair_id: int
    version: int
    score: float
    reasons: tuple[str, ...]
    status: str  # pending | merged | not_same
    proposed_by: str  # "import:<source>" or "dedup"
    created_at: dt.datetime
    a: dict[str, object]  # record + kind, state, version, sources
    b: dict[str, object]
    differing: tuple[str, ...]  # data fields whose values differ
    kept: str | None
    decided_by: str | None
    decided_at: dt.datetime | None


PairPage = Paged[PairItem]


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def propose_duplicates(store: Store, dry_run: bool = False, proposed_by: str = "dedup") -> list[ProposedPair]:
    """Likely duplicate pairs among live entries, best first; new ones queued unless `dry_run`."""

    with store.reading() as s:
        rows = s.execute(select(*(getattr(Entry, n) for n in MATCH_FIELDS)).where(Entry.state.in_(LIVE))).all()
        known = {ordered(a, b) for a, b in s.execute(select(DuplicatePair.entry_a, DuplicatePair.entry_b))}
        known |= {ordered(a, b) for a, b in s.execute(select(NotSamePair.entry_a, NotSamePair.entry_b))}
    records = [dict(zip(MATCH_FIELDS, r, strict=True)) for r in rows]
    prepared = [prepare(r) for r in records]
    found = []
    for i, j, score, reasons in find_duplicates(prepared, None, LIKELY):
        a, b = ordered(cell_text(records[i]["id"]), cell_text(records[j]["id"]))
        found.append(ProposedPair(a, b, score, reasons, (a, b) not in known))
    if dry_run:
        return found
    fresh = [p for p in found if p.new]
    if fresh:
        with store.writing() as s:
            now = store.clock()
            taken = {ordered(a, b) for a, b in s.execute(select(DuplicatePair.entry_a, DuplicatePair.entry_b))}
            for p in fresh:
                if (p.entry_a, p.entry_b) in taken:  # queued meanwhile by someone else
                    continue
                s.add(
                    DuplicatePair(
                        entry_a=p.entry_a,
                        entry_b=p.entry_b,
                        score=p.score,
                        reasons=list(p.reasons),
                        status="pending",
                        proposed_by=proposed_by,
                        created_at=now,
                    )
                )
    return found


def similar_entries(
    store: Store, record: Mapping[str, object], limit: int = 5, exclude: str = "", pending: bool = False
) -> list[Candidate]:
    """Entries that may be the one `record` describes, best first: published ones, and with
    `pending` those waiting in the queue too (for moderators: a second submission of a place
    still under review is a duplicate as much as a published one is; the public form shows
    published entries only, never an unreviewed one)."""

    if not fold_key(record.get("name")):
        return []
    states = LIVE if pending else ("published",)
    with store.reading() as s:
        query = select(Entry).where(Entry.state.in_(states), Entry.id != exclude)
        country = str(record.get("country") or "")
        if country:
            query = query.where(Entry.country == country)
        existing = [record_of(e) for e in s.scalars(query)]
    return similar(record, existing, limit=limit)


def _side(s: Any, entry: Entry) -> dict[str, object]:

    sources = s.execute(
        select(SourceLink.external_id, SourceLink.url, SourceLink.source_id).where(SourceLink.entry_id == entry.id)
    ).all()
    return {
        **record_of(entry),
        "kind": entry.kind,
        "state": entry.state,
        "version": entry.version,
        "sources": [{"source": src, "source_id": ext, "url": url} for ext, url, src in sources],
    }


def _item(s: Any, pair: DuplicatePair, a: Entry, b: Entry) -> PairItem:

    return PairItem(
        pair_id=pair.id,
        version=pair.version,
        score=pair.score,
        reasons=tuple(pair.reasons or ()),
        status=pair.status,
        proposed_by=pair.proposed_by,
        created_at=pair.created_at,
        a=_side(s, a),
        b=_side(s, b),
        differing=tuple(f for f in DATA_FIELDS if not same_value(getattr(a, f), getattr(b, f))),
        kept=pair.kept,
        decided_by=pair.decided_by,
        decided_at=pair.decided_at,
    )


def pending_pairs(store: Store, page: int = 0, size: int = 20) -> PairPage:
    """Pending pairs whose two entries are both still live, best score first (then oldest)."""
    size = max(1, min(size, 200))
    ea, eb = aliased(Entry), aliased(Entry)
    conditions = (DuplicatePair.status == "pending", ea.state.in_(LIVE), eb.state.in_(LIVE))
    joined = (
        select(DuplicatePair, ea, eb)
        .join(ea, ea.id == DuplicatePair.entry_a)
        .join(eb, eb.id == DuplicatePair.entry_b)
        .where(*conditions)
    )
    with store.reading() as s:
        total = int(
            s.scalar(
                select(func.count())
                .select_from(DuplicatePair)
                .join(ea, ea.id == DuplicatePair.entry_a)
                .join(eb, eb.id == DuplicatePair.entry_b)
                .where(*conditions)
            )
            or 0
        )
        rows = s.execute(
            joined.order_by(DuplicatePair.score.desc(), DuplicatePair.created_at, DuplicatePair.id)
            .offset(max(page, 0) * size)
            .limit(size)
        ).all()
        items = tuple(_item(s, pair, a, b) for pair, a, b in rows)
    return PairPage(items, total, page, size)


def get_pair(store: Store, pair_id: int) -> PairItem | None:
    with store.reading() as s:
        pair = s.get(DuplicatePair, pair_id)
        if pair is None:
            return None
        a = s.scalar(select(Entry).where(Entry.id == pair.entry_a))
        b = s.scalar(select(Entry).where(Entry.id == pair.entry_b))
        assert a is not None and b is not None  # foreign keys
        return _item(s, pair, a, b)


def merge(
    store: Store,
    pair_id: int,
    version: int,
    moderator: str,
    keep: str,
    take: Mapping[str, str] | None = None,
    note: str = "",
) -> None:
    """Merge the pair into `keep` (one of its two ids); `take` maps a field to the id whose value wins
    (fields not named keep the kept entry's value). One transaction; `AlreadyDecided` if the pair
    was decided (or either entry changed state) meanwhile."""

    who = f"moderator:{moderator}"
    try:
        with store.writing() as s:
            pair = s.get(DuplicatePair, pair_id)
            if pair is None:
                raise NotFound(str(pair_id))
            if pair.status != "pending" or pair.version != version:
                raise AlreadyDecided(pair.decided_by, pair.decided_at, pair.status)
            if keep not in (pair.entry_a, pair.entry_b):
                raise StoreError(f"{keep} is not one of the pair ({pair.entry_a}, {pair.entry_b})")
            other_id = pair.entry_b if keep == pair.entry_a else pair.entry_a
            kept = s.scalar(select(Entry).where(Entry.id == keep))
            other = s.scalar(select(Entry).where(Entry.id == other_id))
            assert kept is not None and other is not None  # foreign keys
            for entry in (kept, other):
                if entry.state not in LIVE:
                    raise AlreadyDecided(None, entry.updated_at, f"made {entry.state} ({entry.id})")
            chosen: dict[str, object] = {}
            for field, source in (take or {}).items():
                if field not in DATA_FIELDS:
                    raise StoreError(f"{field} is not a field of an entry")
                if source not in (keep, other_id):
                    raise StoreError(f"{source} is not one of the pair")
                chosen[field] = getattr(kept if source == keep else other, field)
            current = record_of(kept)
            clean = store._valid(kept.kind, {**current, **chosen, "id": kept.id}, "", "")
            changes: dict[str, list] = {
                f: [current[f], v] for f, v in data_of(clean).items() if not same_value(current[f], v)
            }
            now = store.clock()
            was_public = kept.state == "published" or other.state == "published"
            for field, (_old, new) in changes.items():
                setattr(kept, field, new)
            if kept.state == "pending" and other.state == "published":
                changes["state"] = ["pending", "published"]
                kept.state = "published"
                for revision in s.scalars(
                    select(Revision).where(Revision.entry_id == kept.id, Revision.status == "pending")
                ):
                    if revision.action == "submission":
                        revision.status, revision.decided_by, revision.decided_at = "applied", who, now
                        revision.decision_note = f"merged with {other.id}, which was published"
            changes["merged"] = [None, other.id]
            kept.updated_at = now
            reason = note.strip() or f"duplicate pair #{pair.id}"
            s.add(_applied(kept.id, "merge", who, changes, reason, now))
            for revision in s.scalars(
                select(Revision).where(Revision.entry_id == other.id, Revision.status == "pending")
            ):
                revision.status, revision.decided_by, revision.decided_at = "rejected", who, now
                revision.decision_note = f"duplicate of {kept.id} (merged)"
            s.add(
                _applied(
                    other.id,
                    "state",
                    who,
                    {"state": [other.state, "duplicate"], "duplicate_of": [other.duplicate_of, kept.id]},
                    reason,
                    now,
                )
            )
            other.state, other.duplicate_of, other.updated_at = "duplicate", kept.id, now
            for link in s.scalars(select(SourceLink).where(SourceLink.entry_id == other.id)):
                link.entry_id = kept.id
            pair.status, pair.kept, pair.decided_by, pair.decided_at = "merged", kept.id, who, now
            pair.decision_note = note.strip()
            if was_public:
                store._bump(s)
    except StaleDataError:
        raise AlreadyDecided(None, None, "changed") from None


def not_same(store: Store, pair_id: int, version: int, moderator: str, note: str = "") -> None:
    """The pair's entries are different organisations: remembered, never proposed again."""

    who = f"moderator:{moderator}"
    try:
        with store.writing() as s:
            pair = s.get(DuplicatePair, pair_id)
            if pair is None:
                raise NotFound(str(pair_id))
            if pair.status != "pending" or pair.version != version:
                raise AlreadyDecided(pair.decided_by, pair.decided_at, pair.status)
            now = store.clock()
            pair.status, pair.decided_by, pair.decided_at, pair.decision_note = "not_same", who, now, note.strip()
            known = s.get(NotSamePair, (pair.entry_a, pair.entry_b))
            if known is None:
                s.add(
                    NotSamePair(entry_a=pair.entry_a, entry_b=pair.entry_b, decided_by=who, decided_at=now, note=note)
                )
    except StaleDataError:
        raise AlreadyDecided(None, None, "changed") from None


def is_not_same(store: Store, a: str, b: str) -> bool:
    x, y = ordered(a, b)
    with store.reading() as s:
        return s.get(NotSamePair, (x, y)) is not None


def _applied(entry_id: str, action: str, who: str, changes: dict, note: str, now: dt.datetime) -> Revision:
    return Revision(
        entry_id=entry_id,
        action=action,
        status="applied",
        author=who,
        created_at=now,
        changes=changes,
        reason="",
        decided_by=who,
        decided_at=now,
        decision_note=note,
    )


__all__ = [
    "PairItem",
    "PairPage",
    "ProposedPair",
    "get_pair",
    "is_not_same",
    "merge",
    "not_same",
    "pending_pairs",
    "propose_duplicates",
    "similar_entries",
]
