"""The errors a visitor or moderator can be told about, raised by the store's operations."""

from __future__ import annotations

import datetime as dt

from atlas.schema import Problem


class StoreError(Exception):
    """Base of the errors a visitor or moderator can be told about."""


class InvalidRecord(StoreError):
    """The record breaks the schema's rules; `problems` name each field and value."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class NotFound(StoreError):
    pass


class NothingChanged(StoreError):
    """A correction that changes no field."""


class AlreadyDecided(StoreError):
    """Someone else decided this item first (or changed the entry meanwhile)."""

    def __init__(self, by: str | None, at: dt.datetime | None, status: str) -> None:
        super().__init__(f"already {status} by {by or 'someone'} at {at.isoformat() if at else 'an unknown time'}")
        self.by, self.at, self.status = by, at, status


class Refused(StoreError):
    """A submission refused to protect the moderators: `reason` is `session`, `client`, `network`,
    `queue`, or `challenge` (the queue is under pressure and no valid proof of work came with it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"submission refused ({reason} limit reached)")
        self.reason = reason
