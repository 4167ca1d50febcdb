"""Errors shared across the atlas: by the command-line tools and by the data sources."""

from __future__ import annotations


class UnusableInput(ValueError):
    """The input cannot be used at all (unreadable, empty, wrong format, missing columns).

    Commands report it with the file's name and exit with code 2; problems in single rows are
    reported and counted instead, never raised.
    """


class SourceUnavailable(RuntimeError):
    """The source cannot be read right now (say, the database is down); the app keeps its last copy."""
