"""The living atlas: entries with states, every change a revision, moderation decisions.

Rules the code below keeps:
- Every change is one transaction, and is recorded as a revision (who, when, which fields
  old → new, why). Nothing is deleted: withdrawing or rejecting is a state.
- A visitor's submission or correction waits as a *pending* revision until a moderator
  approves (possibly after editing), rejects (with a reason) or marks it as a duplicate.
- Two moderators deciding the same item: the second gets `AlreadyDecided` naming who decided
  and when (optimistic locking on the revision's version number); nothing is overwritten.
- Records are checked by `atlas.schema.validate_record`: the rules and messages of a file row.
- The published data has a revision counter (`revision()`), bumped in the same transaction as
  any change the public can see, so that every app process notices it at its next check.
- Submitters' e-mail addresses live in their own table, read only by `contact()` (moderators).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from atlas.data import Atlas, Part, combine
from atlas.matching import Candidate
from atlas.schema import SCHEMAS, Problem, show_value, validate_record, validate_rows
from atlas.store import pairs
from atlas.store.engine import WRITE
from atlas.store.errors import AlreadyDecided, InvalidRecord, NotFound, NothingChanged, Refused, StoreError
from atlas.store.limits import Challenge, Limits, address_keys, proof_holds
from atlas.store.models import DATA_FIELDS, Contact, Entry, Meta, RateEvent, Revision
from atlas.store.records import (
    Change,
    HistoryItem,
    QueueItem,
    QueuePage,
    Submitted,
    cells,
    data_of,
    public_author,
    record_of,
    same_value,
)
from atlas.text import fold_key

PUBLISHED_REVISION = "published_revision"
SUBMISSIONS = "submissions"  # counter bumped by every submission (serialises them on PostgreSQL)
RATE_SALT = "rate_salt"
SEEDED = "seeded_from"  # the folder the database was first loaded from
EMAIL = re.compile(r"[^@\s<>\"'`]{1,64}@[^@\s<>\"'`]{1,190}\.[^@\s<>\"'`.]{2,}")
MAX_NOTE = 2000
MAX_EMAIL = 254


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """The atlas database. Methods that change it run one transaction each."""

    def __init__(self, engine: Engine, limits: Limits | None = None, clock: Callable[[], dt.datetime] = _now) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**WRITE)
        self.limits = limits or Limits()
        self.clock = clock

    # -- sessions -------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction (committed at the end, rolled back on any error)."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def _meta(self, session: Session, key: str, lock: bool = False) -> Meta:
        row = session.get(Meta, key, with_for_update=lock)
        if row is None:
            row = Meta(key=key, value="")
            session.add(row)
            session.flush()
        return row

    def _bump(self, session: Session, key: str = PUBLISHED_REVISION) -> int:
        row = self._meta(session, key, lock=True)
        row.value = str(int(row.value or 0) + 1)
        return int(row.value)

    # -- reading --------------------------------------------------------------------------------

    def revision(self) -> str:
        """Changes whenever the published data changes (one primary-key read)."""
        with self.reading() as s:
            value = s.scalar(select(Meta.value).where(Meta.key == PUBLISHED_REVISION))
        return value or "0"

    def count(self, state: str | None = None) -> int:
        with self.reading() as s:
            query = select(func.count()).select_from(Entry)
            if state:
                query = query.where(Entry.state == state)
            return int(s.scalar(query) or 0)

    def published_atlas(self, label: str = "database") -> Atlas:
        """Every published entry as the atlas frame, checked by the same rules as the files."""
        columns = [Entry.seq, Entry.id, Entry.kind, *(getattr(Entry, f) for f in DATA_FIELDS)]
        with self.engine.connect() as conn:
            rows = pd.read_sql(
                select(*columns).where(Entry.state == "published").order_by(Entry.seq), conn, dtype=object
            )
        problems: list[Problem] = []
        parts = []
        for kind, schema in SCHEMAS.items():
            mine = rows[rows["kind"] == kind]
            table = pd.DataFrame({col: cells(mine, col) for col in schema.columns}, index=mine.index)
            table["_line"] = mine["seq"].astype("int64")
            frame, found = validate_rows(table, schema, f"{label} ({kind})")
            problems += found
            parts.append(Part(kind, frame, f"{label} ({kind})"))
        return Atlas(combine(parts, problems), problems)

    def entry(self, entry_id: str) -> dict[str, object] | None:
        """An entry in any state: its record plus kind, state, version and dates."""
        with self.reading() as s:
            entry = s.scalar(select(Entry).where(Entry.id == entry_id))
            if entry is None:
                return None
            return {
                **record_of(entry),
                "kind": entry.kind,
                "state": entry.state,
                "duplicate_of": entry.duplicate_of or "",
                "version": entry.version,
                "created_at": entry.created_at,
                "updated_at": entry.updated_at,
            }

    def similar(
        self, record: Mapping[str, object], limit: int = 5, exclude: str = "", pending: bool = False
    ) -> list[Candidate]:
        """Entries that may be the one `record` describes ("Is it one of these?"): published ones,
        and with `pending` those waiting in the queue too (`atlas.store.pairs.similar_entries`)."""
        return pairs.similar_entries(self, record, limit=limit, exclude=exclude, pending=pending)

    def history(self, entry_id: str, public: bool = True) -> list[HistoryItem]:
        """The entry's revisions, oldest first; publicly only the applied ones, without names or notes."""
        with self.reading() as s:
            query = select(Revision).where(Revision.entry_id == entry_id).order_by(Revision.id)
            if public:
                query = query.where(Revision.status == "applied")
            revisions = list(s.scalars(query))
        return [self._history_item(r, public) for r in revisions]

    @staticmethod
    def _changes(changes: Mapping[str, Any] | None) -> tuple[Change, ...]:
        return tuple(Change(f, old, new) for f, (old, new) in (changes or {}).items())

    def _history_item(self, r: Revision, public: bool) -> HistoryItem:
        return HistoryItem(
            revision_id=r.id,
            at=r.decided_at or r.created_at,
            action=r.action,
            status=r.status,
            author=public_author(r.author) if public else r.author,
            fields=tuple((r.changes or {}).keys()),
            changes=() if public else self._changes(r.changes),
            note="" if public else r.reason,
            decided_by="" if public else (r.decided_by or ""),
            decision_note=r.decision_note or "",
            entry_id=r.entry_id,
        )

    def queue(self, page: int = 0, size: int = 20, action: str = "", text: str = "") -> QueuePage:
        """Pending revisions, oldest first, `size` a page; `action` and `text` (name or id) filter."""
        size = max(1, min(size, 200))
        conditions = [Revision.status == "pending"]
        if action:
            conditions.append(Revision.action == action)
        needle = text.strip()
        if needle:
            like = f"%{_escape_like(needle)}%"
            conditions.append(or_(Entry.name.ilike(like, escape="\\"), Entry.id.ilike(like, escape="\\")))
        join = and_(Entry.id == Revision.entry_id)
        with self.reading() as s:
            total = int(s.scalar(select(func.count()).select_from(Revision).join(Entry, join).where(*conditions)) or 0)
            rows = s.execute(
                select(Revision, Entry)
                .join(Entry, join)
                .where(*conditions)
                .order_by(Revision.created_at, Revision.id)
                .offset(max(page, 0) * size)
                .limit(size)
            ).all()
            ids = [r.id for r, _ in rows]
            with_contact = (
                set(s.scalars(select(Contact.revision_id).where(Contact.revision_id.in_(ids)))) if ids else set()
            )
        items = tuple(
            QueueItem(
                revision_id=r.id,
                version=r.version,
                action=r.action,
                entry_id=e.id,
                kind=e.kind,
                name=e.name,
                entry_state=e.state,
                submitted_by=f"{public_author(r.author)} #{r.id}",
                created_at=r.created_at,
                changes=self._changes(r.changes),
                note=r.reason,
                has_contact=r.id in with_contact,
                stale=r.action == "correction" and r.base_version is not None and r.base_version != e.version,
            )
            for r, e in rows
        )
        return QueuePage(items, total, page, size)

    def audit(self, text: str = "", page: int = 0, size: int = 50) -> tuple[list[HistoryItem], int]:
        """Every revision, newest first, for moderators; `text` searches author, entry, notes."""
        conditions = []
        needle = text.strip()
        if needle:
            like = f"%{_escape_like(needle)}%"
            conditions.append(
                or_(
                    Revision.author.ilike(like, escape="\\"),
                    Revision.entry_id.ilike(like, escape="\\"),
                    Revision.reason.ilike(like, escape="\\"),
                    Revision.decided_by.ilike(like, escape="\\"),
                    Revision.decision_note.ilike(like, escape="\\"),
                )
            )
        with self.reading() as s:
            total = int(s.scalar(select(func.count()).select_from(Revision).where(*conditions)) or 0)
            rows = list(
                s.scalars(
                    select(Revision).where(*conditions).order_by(Revision.id.desc()).offset(page * size).limit(size)
                )
            )
        return [self._history_item(r, public=False) for r in rows], total

    def contact(self, revision_id: int) -> str:
        """The e-mail a submitter left for the moderators ("" when none). Never shown publicly."""
        with self.reading() as s:
            return s.scalar(select(Contact.email).where(Contact.revision_id == revision_id)) or ""

    # -- submissions ----------------------------------------------------------------------------

    def check(self, kind: str, record: Mapping[str, object]) -> tuple[dict[str, object] | None, list[Problem]]:
        """The schema's verdict on a record typed in the form (no id needed yet)."""
        if kind not in SCHEMAS:
            raise ValueError(f"unknown kind {kind!r}")
        return validate_record({**record, "id": record.get("id") or "new-entry"}, SCHEMAS[kind], "form")

    def submit(
        self,
        kind: str,
        record: Mapping[str, object],
        *,
        contact: str = "",
        note: str = "",
        client: str = "",
        session: str = "",
        proof: str = "",
    ) -> Submitted:
        """A new entry proposed by a visitor: stored as pending, with its revision.

        `client` and `session` say who the visitor is for the limits (`_admit`); `proof` is the
        answer to `challenge()` when the queue is under pressure."""
        clean = self._valid(kind, record, contact, note)
        with self.writing() as s:
            self._admit(s, client, session, proof)
            entry_id = self._new_id(s, kind, clean)
            data = data_of(clean)
            s.add(
                Entry(id=entry_id, kind=kind, state="pending", created_at=self.clock(), updated_at=self.clock(), **data)
            )
            s.flush()
            changes = {f: [None, v] for f, v in data.items() if v not in ("", None)}
            return self._pending(s, entry_id, "submission", changes, note, contact, None)

    def propose_correction(
        self,
        entry_id: str,
        record: Mapping[str, object],
        *,
        contact: str = "",
        note: str = "",
        client: str = "",
        session: str = "",
        proof: str = "",
    ) -> Submitted:
        """A visitor's correction of a published entry: a pending revision holding the changed fields."""
        with self.writing() as s:
            entry = s.scalar(select(Entry).where(Entry.id == entry_id))
            if entry is None or entry.state != "published":
                raise NotFound(entry_id)
            current = record_of(entry)
            clean = self._valid(entry.kind, {**current, **record, "id": entry_id}, contact, note)
            changes = {f: [current[f], v] for f, v in data_of(clean).items() if not same_value(current[f], v)}
            if not changes:
                raise NothingChanged(entry_id)
            self._admit(s, client, session, proof)
            return self._pending(s, entry_id, "correction", changes, note, contact, entry.version)

    def _valid(self, kind: str, record: Mapping[str, object], contact: str, note: str) -> dict[str, object]:
        clean, problems = self.check(kind, record)
        problems = [p for p in problems if p.severity == "error"]
        if contact and (len(contact) > MAX_EMAIL or not EMAIL.fullmatch(contact.strip())):
            problems.append(Problem("form", None, "contact", contact, "is not an e-mail address"))
        if len(note) > MAX_NOTE:
            problems.append(Problem("form", None, "note", note[:60], f"is longer than {MAX_NOTE} characters"))
        if problems or clean is None:
            raise InvalidRecord(problems)
        return clean

    def _pending(
        self, s: Session, entry_id: str, action: str, changes: dict, note: str, contact: str, base: int | None
    ) -> Submitted:
        revision = Revision(
            entry_id=entry_id,
            action=action,
            status="pending",
            author="anonymous",
            created_at=self.clock(),
            changes=changes,
            reason=note.strip(),
            base_version=base,
        )
        s.add(revision)
        s.flush()
        if contact.strip():
            s.add(Contact(revision_id=revision.id, email=contact.strip()))
        return Submitted(revision.id, entry_id)

    def _admit(self, s: Session, client: str, session: str, proof: str = "") -> None:
        """Apply the anonymous-submission limits (raises `Refused`) and count this one.

        A visitor always has keys: its address (`address_keys`: loopback and unknown addresses are
        keys of their own) and its session — the page's visitor cookie, else the address itself, so
        that a reload (a new Streamlit session) is the same visitor. Only a caller that gives
        neither (scripts, tests, the command line: not a visitor) is counted by the queue alone.
        """
        self._bump(s, SUBMISSIONS)  # a row lock: submissions are counted one at a time
        now = self.clock()
        hour = now - dt.timedelta(hours=1)
        s.execute(delete(RateEvent).where(RateEvent.at < now - dt.timedelta(days=1)))  # keep no more than a day
        visitor = bool(client or session)
        address, network = address_keys(client)
        network_key = self.rate_key(s, "net:" + network)[:16]
        client_key = network_key + self.rate_key(s, "addr:" + address)  # 48 characters: prefix = network
        session_key = self.rate_key(s, "session:" + session) if session else client_key
        recent = select(func.count()).select_from(RateEvent).where(RateEvent.at >= hour)
        if visitor:
            if (s.scalar(recent.where(RateEvent.session == session_key)) or 0) >= self.limits.per_session:
                raise Refused("session")
            if (s.scalar(recent.where(RateEvent.client == client_key)) or 0) >= self.limits.per_client:
                raise Refused("client")
            in_network = recent.where(RateEvent.client.startswith(network_key, autoescape=True))
            if (s.scalar(in_network) or 0) >= self.limits.network:
                raise Refused("network")
        pending = self._pending_in_hour(s, hour)
        if pending >= self.limits.pending_per_hour:
            raise Refused("queue")
        if visitor and pending >= self.limits.pressure:
            seeds = [self._challenge(s, client, session, now, back) for back in (0, 1)]
            if not any(proof_holds(c.seed, proof, c.bits) for c in seeds):
                raise Refused("challenge")
        s.add(RateEvent(at=now, client=client_key, session=session_key))

    @staticmethod
    def _pending_in_hour(s: Session, hour: dt.datetime) -> int:
        pending = (
            select(func.count())
            .select_from(Revision)
            .where(Revision.status == "pending", Revision.author == "anonymous", Revision.created_at >= hour)
        )
        return int(s.scalar(pending) or 0)

    def challenge(self, client: str = "", session: str = "") -> Challenge | None:
        """The proof of work this visitor's next submission needs, or None (the queue is calm).

        Its seed is a keyed hash of the visitor's keys and the current ten minutes: it cannot be
        computed ahead by anyone else, nor used for another visitor; one found stays good for the
        ten minutes it was made in and the next (the visitor's other limits still apply)."""
        with self.writing() as s:
            now = self.clock()
            if self._pending_in_hour(s, now - dt.timedelta(hours=1)) < self.limits.pressure:
                return None
            return self._challenge(s, client, session, now)

    def _challenge(self, s: Session, client: str, session: str, now: dt.datetime, back: int = 0) -> Challenge:
        window = int(now.timestamp()) // 600 - back
        seed = self.rate_key(s, f"challenge:{window}:{address_keys(client)[0]}:{session}")
        return Challenge(seed, self.limits.challenge_bits)

    def rate_key(self, s: Session, value: str) -> str:
        """A keyed hash of a client address or session id: limits work without storing either."""
        salt = self._meta(s, RATE_SALT)
        if not salt.value:
            salt.value = secrets.token_hex(16)
        return hmac.new(salt.value.encode(), value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]

    def _new_id(self, s: Session, kind: str, record: Mapping[str, object]) -> str:
        base = slug(str(record.get("name") or ""))
        if kind == "odc":
            base = "odc-" + "-".join(
                p for p in (str(record.get("country") or "").lower(), slug(str(record.get("city") or ""))) if p
            )
        base = base[:80].strip("-") or "entry"
        taken = set(s.scalars(select(Entry.id).where(or_(Entry.id == base, Entry.id.like(f"{base}-%")))))
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    # -- decisions ------------------------------------------------------------------------------

    def approve(
        self, revision_id: int, version: int, moderator: str, edits: Mapping[str, object] | None = None, note: str = ""
    ) -> None:
        """Publish a pending submission or apply a pending correction (after the moderator's `edits`)."""
        self._decide(revision_id, version, moderator, note, self._approval(edits))

    def _approval(self, edits: Mapping[str, object] | None) -> Callable[[Session, Revision, Entry], None]:
        """What approving a revision does (inside `_decide`'s transaction, or another decision's)."""

        def apply(s: Session, revision: Revision, entry: Entry) -> None:
            current = record_of(entry)
            if revision.action == "submission":
                base = {**current}
                before: dict[str, object] = {f: None for f in DATA_FIELDS}
            else:
                if entry.state != "published":
                    raise AlreadyDecided(None, entry.updated_at, f"made {entry.state}")
                base = {**current, **{f: new for f, (_old, new) in revision.changes.items()}}
                before = current
            merged = {**base, **(edits or {}), "id": entry.id}
            clean = self._valid(entry.kind, merged, "", "")
            data = data_of(clean)
            changes = {f: [before[f], v] for f, v in data.items() if not same_value(before[f], v)}
            if changes != revision.changes:
                revision.proposed = revision.changes
                revision.changes = changes
            for field, value in data.items():
                setattr(entry, field, value)
            entry.state = "published"
            entry.updated_at = self.clock()
            revision.status = "applied"
            self._bump(s)

        return apply

    def reject(self, revision_id: int, version: int, moderator: str, note: str) -> None:
        """Refuse a pending submission or correction, with the reason (kept, never deleted)."""
        if not note.strip():
            raise InvalidRecord([Problem("form", None, "reason", "", "is required to reject")])
        self._decide(revision_id, version, moderator, note, self._rejection)

    def _rejection(self, s: Session, revision: Revision, entry: Entry) -> None:
        revision.status = "rejected"
        if revision.action == "submission":
            entry.state = "rejected"
            entry.updated_at = self.clock()

    def mark_duplicate(self, revision_id: int, version: int, moderator: str, of: str, note: str = "") -> None:
        """A pending submission is an entry the atlas has already (`of`): not published, kept as such."""

        def apply(s: Session, revision: Revision, entry: Entry) -> None:
            target = s.scalar(select(Entry).where(Entry.id == of))
            if target is None or target.id == entry.id:
                raise NotFound(of)
            if revision.action != "submission":
                raise StoreError("only a new entry can be marked as a duplicate")
            revision.status = "rejected"
            entry.state = "duplicate"
            entry.duplicate_of = target.id
            entry.updated_at = self.clock()

        self._decide(revision_id, version, moderator, note or f"duplicate of {of}", apply)

    def _decide(
        self,
        revision_id: int,
        version: int,
        moderator: str,
        note: str,
        apply: Callable[[Session, Revision, Entry], None],
    ) -> None:
        try:
            with self.writing() as s:
                self._decide_in(s, revision_id, version, moderator, note, apply)
        except StaleDataError:
            with self.reading() as s:
                revision = s.get(Revision, revision_id)
                raise AlreadyDecided(
                    revision.decided_by if revision else None,
                    revision.decided_at if revision else None,
                    revision.status if revision else "changed",
                ) from None

    def _decide_in(
        self,
        s: Session,
        revision_id: int,
        version: int,
        moderator: str,
        note: str,
        apply: Callable[[Session, Revision, Entry], None],
    ) -> None:
        """A decision on a pending revision inside the caller's transaction `s`."""
        revision = s.get(Revision, revision_id)
        if revision is None:
            raise NotFound(str(revision_id))
        if revision.status != "pending" or revision.version != version:
            raise AlreadyDecided(revision.decided_by, revision.decided_at, revision.status)
        entry = s.scalar(select(Entry).where(Entry.id == revision.entry_id))
        assert entry is not None  # foreign key
        apply(s, revision, entry)
        revision.decided_by = f"moderator:{moderator}"
        revision.decided_at = self.clock()
        revision.decision_note = note.strip()

    def edit(self, entry_id: str, record: Mapping[str, object], moderator: str, note: str, version: int) -> None:
        """A moderator's own change to a published entry (applied at once, recorded as a revision)."""
        self._applied(entry_id, version, moderator, note, "edit", lambda current: record)

    def set_state(self, entry_id: str, state: str, moderator: str, note: str, version: int, of: str = "") -> None:
        """Withdraw an entry, publish it again, or mark it as a duplicate of `of` — recorded, never deleted."""
        if state not in ("published", "withdrawn", "duplicate"):
            raise ValueError(state)
        if not note.strip():
            raise InvalidRecord([Problem("form", None, "reason", "", "is required")])

        def change(s: Session, entry: Entry) -> dict[str, list]:
            changes: dict[str, list] = {"state": [entry.state, state]}
            if state == "duplicate":
                target = s.scalar(select(Entry).where(Entry.id == of))
                if target is None or target.id == entry.id:
                    raise NotFound(of)
                changes["duplicate_of"] = [entry.duplicate_of, of]
                entry.duplicate_of = of
            entry.state = state
            return changes

        self._transition(entry_id, version, moderator, note, "state", change)

    def _applied(
        self,
        entry_id: str,
        version: int,
        author: str,
        note: str,
        action: str,
        update: Callable[[dict[str, object]], Mapping[str, object]],
    ) -> None:
        def change(s: Session, entry: Entry) -> dict[str, list]:
            current = record_of(entry)
            clean = self._valid(entry.kind, {**current, **update(current), "id": entry.id}, "", "")
            changes = {f: [current[f], v] for f, v in data_of(clean).items() if not same_value(current[f], v)}
            if not changes:
                raise NothingChanged(entry_id)
            for field, (_old, new) in changes.items():
                setattr(entry, field, new)
            return changes

        self._transition(entry_id, version, author, note, action, change)

    def _transition(
        self,
        entry_id: str,
        version: int,
        moderator: str,
        note: str,
        action: str,
        change: Callable[[Session, Entry], dict],
    ) -> None:
        try:
            with self.writing() as s:
                entry = s.scalar(select(Entry).where(Entry.id == entry_id))
                if entry is None:
                    raise NotFound(entry_id)
                if entry.version != version:
                    raise AlreadyDecided(None, entry.updated_at, "changed")
                was_public = entry.state == "published"
                changes = change(s, entry)
                now = self.clock()
                entry.updated_at = now
                s.add(
                    Revision(
                        entry_id=entry_id,
                        action=action,
                        status="applied",
                        author=f"moderator:{moderator}",
                        created_at=now,
                        changes=changes,
                        reason="",
                        decided_by=f"moderator:{moderator}",
                        decided_at=now,
                        decision_note=note.strip(),
                    )
                )
                if was_public or entry.state == "published":
                    self._bump(s)
        except StaleDataError:
            raise AlreadyDecided(None, None, "changed") from None

    def source_pages(self) -> dict[str, list[str]]:
        """Entry id -> the pages of that entry in the directories it was imported from (JSON-LD sameAs)."""
        from atlas.store.models import SourceLink

        pages: dict[str, list[str]] = {}
        with self.reading() as s:
            rows = s.execute(
                select(SourceLink.entry_id, SourceLink.url).where(SourceLink.url != "").order_by(SourceLink.id)
            )
            for entry_id, url in rows:
                pages.setdefault(entry_id, []).append(url)
        return pages

    # -- duplicates (atlas.store.pairs) --------------------------------------------------------------

    def duplicate_pairs(self, page: int = 0, size: int = 20) -> pairs.PairPage:
        """Pending duplicate pairs (both entries still live), best score first."""
        return pairs.pending_pairs(self, page, size)

    def duplicate_pair(self, pair_id: int) -> pairs.PairItem | None:
        """One pair with both records and the fields that differ, or None."""
        return pairs.get_pair(self, pair_id)

    def merge(
        self,
        pair_id: int,
        version: int,
        moderator: str,
        keep: str,
        take: Mapping[str, str] | None = None,
        note: str = "",
    ) -> None:
        """Merge a pair into `keep`; `take` = {field: entry id whose value wins}. See `pairs.merge`."""
        pairs.merge(self, pair_id, version, moderator, keep, take, note)

    def not_same(self, pair_id: int, version: int, moderator: str, note: str = "") -> None:
        """The pair are different organisations: remembered, never proposed again."""
        pairs.not_same(self, pair_id, version, moderator, note)

    def propose_duplicates(self, dry_run: bool = False) -> list:
        """Run the matcher over the whole atlas and queue the likely pairs (`atlas dedup`)."""
        return pairs.propose_duplicates(self, dry_run)


def slug(text: str) -> str:
    """A slug from any text: "Emmaüs Connect!" -> "emmaus-connect"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold_key(text)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def describe_problem(problem: Problem) -> str:
    """A problem for a person: the field, the value they gave, what is wrong (no file, no row)."""
    value = f" {show_value(problem.value)}" if problem.value not in (None, "") else ""
    return f"{problem.column or ''}{value} {problem.message}".strip()
