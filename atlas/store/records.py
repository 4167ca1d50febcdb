"""What the store hands out: entries as schema records, stored values as CSV cells, and the items and
pages of the lists moderators go through (queue, history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd

from atlas.store.models import DATA_FIELDS, Entry

T = TypeVar("T")


@dataclass(frozen=True)
class Submitted:
    revision_id: int
    entry_id: str


@dataclass(frozen=True)
class Change:
    """One field of a revision: its value before and after."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class QueueItem:
    """A pending revision as the moderation queue shows it."""

    revision_id: int
    version: int
    action: str  # submission | correction
    entry_id: str
    kind: str
    name: str
    entry_state: str
    submitted_by: str  # "anonymous submission #N"
    created_at: dt.datetime
    changes: tuple[Change, ...]
    note: str
    has_contact: bool
    stale: bool  # a correction made against an older version of the entry


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a list the moderators go through (the queue, the drafts, the duplicate pairs)."""

    items: tuple[T, ...]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


QueuePage = Paged[QueueItem]


@dataclass(frozen=True)
class HistoryItem:
    """One revision in an entry's history."""

    revision_id: int
    at: dt.datetime
    action: str
    status: str
    author: str  # public: a role ("anonymous", "moderator", "seed", "import"); moderators: the full author
    fields: tuple[str, ...]
    changes: tuple[Change, ...]
    note: str  # the contributor's note (moderators only)
    decided_by: str  # moderators only
    decision_note: str  # the moderator's reason
    entry_id: str = ""  # the entry the revision is about (the audit log lists several entries)


def record_of(entry: Entry) -> dict[str, object]:
    """The entry's data as a schema record (`id` and every data field)."""
    return {"id": entry.id, **{f: getattr(entry, f) for f in DATA_FIELDS}}


def cell_text(value: object) -> str:
    """A stored value as a CSV cell would hold it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value == value else ""
    return str(value)


def cells(rows: pd.DataFrame, column: str) -> pd.Series:
    """A column of stored rows as the strings a CSV file would hold (`cell_text` of each value)."""
    if column not in rows:
        return pd.Series("", index=rows.index, dtype=str)
    if column in ("lat", "lon"):
        return rows[column].map(cell_text).astype(str)
    return rows[column].fillna("").astype(str)


def same_value(a: object, b: object) -> bool:
    return cell_text(a) == cell_text(b)


def data_of(record: Mapping[str, object]) -> dict[str, Any]:
    """Entry column values from a validated record (absent fields: empty)."""
    out: dict[str, Any] = {}
    for field in DATA_FIELDS:
        value = record.get(field)
        if field in ("lat", "lon"):
            out[field] = None if value is None or value == "" else float(value)  # type: ignore[arg-type]
        else:
            out[field] = "" if value is None else str(value)
    return out


def public_author(author: str) -> str:
    """The role behind an author string, which is all the public history shows."""
    return author.split(":", 1)[0]
