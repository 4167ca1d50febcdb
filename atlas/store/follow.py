"""A contributor's private follow link (issue 25): what became of the proposal they sent.

After a submission or a correction the contributor gets a link `/follow/<token>`. The token is
`<revision id>-<secret>`: the secret comes from `secrets.token_urlsafe` (256 bits), only its
SHA-256 is stored (a copy of the database gives no working link), and it is compared in constant
time (`hmac.compare_digest`). The page it opens shows the proposal's state and the moderator's
public reason, and nothing of anyone else: no contact, no moderator's address, no other proposal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from atlas.i18n import normalise_lang
from atlas.store.models import Entry, FollowLink, Revision
from atlas.store.store import Store

SECRET_BYTES = 32
TOKEN = re.compile(r"(?P<rid>[1-9][0-9]{0,11})-(?P<secret>[A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class Followed:
    """What the follow page shows of one proposal."""

    reference: int
    action: str  # submission | correction
    state: str  # pending | approved | rejected | duplicate
    name: str  # the entry's name as the contributor proposed it (a correction: the entry's)
    entry_id: str  # the entry's id, for a link to it once it is published
    published: bool  # the entry is on the map now
    reason: str  # the moderator's public reason ("" when none)
    sent_at: dt.datetime
    decided_at: dt.datetime | None
    lang: str  # the contributor's language


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create(store: Store, revision_id: int, lang: str) -> str:
    """A new follow token for the revision `revision_id` (one per revision: a second call replaces it)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with store.writing() as s:
        link = s.get(FollowLink, revision_id)
        if link is None:
            s.add(FollowLink(revision_id=revision_id, digest=_digest(secret), lang=normalise_lang(lang)))
        else:
            link.digest, link.lang = _digest(secret), normalise_lang(lang)
    return f"{revision_id}-{secret}"


def find(store: Store, token: str) -> Followed | None:
    """The proposal `token` follows, or None for a malformed, unknown or wrong token (all alike)."""
    match = TOKEN.fullmatch(token or "")
    if match is None:
        return None
    revision_id = int(match["rid"])
    with store.reading() as s:
        link = s.get(FollowLink, revision_id)
        expected = link.digest if link is not None else _digest("")  # compare anyway: same time either way
        if not hmac.compare_digest(expected, _digest(match["secret"])) or link is None:
            return None
        revision = s.get(Revision, revision_id)
        entry = s.scalar(select(Entry).where(Entry.id == revision.entry_id)) if revision else None
        if revision is None or entry is None:
            return None
        proposed = (revision.changes or {}).get("name")
        name = str(proposed[1]) if revision.action == "submission" and proposed else entry.name
        return Followed(
            reference=revision.id,
            action=revision.action,
            state=_state(revision, entry),
            name=name,
            entry_id=entry.id,
            published=entry.state == "published",
            reason=_public_reason(revision, entry),
            sent_at=revision.created_at,
            decided_at=revision.decided_at,
            lang=normalise_lang(link.lang),
        )


def _state(revision: Revision, entry: Entry) -> str:
    if revision.status == "pending":
        return "pending"
    if revision.status == "applied":
        return "approved"
    if revision.action == "submission" and entry.state == "duplicate":
        return "duplicate"
    return "rejected"


def _public_reason(revision: Revision, entry: Entry) -> str:
    """The moderator's reason, as the entry's public history shows it; not the store's own note
    naming the entry a duplicate was matched with (it may be another contributor's pending one)."""
    if revision.status == "pending":
        return ""
    note = revision.decision_note or ""
    if entry.state == "duplicate" and entry.duplicate_of and note == f"duplicate of {entry.duplicate_of}":
        return ""
    return note


def pending_corrections(store: Store, entry_id: str) -> int:
    """How many corrections of the entry `entry_id` wait for a moderator."""
    with store.reading() as s:
        count = s.scalar(
            select(func.count())
            .select_from(Revision)
            .where(Revision.entry_id == entry_id, Revision.action == "correction", Revision.status == "pending")
        )
    return int(count or 0)
