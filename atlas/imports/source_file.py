"""What every reader of a source file shares: the row it yields, the error that stops a file, the size
an import takes (ATLAS_IMPORT_MAX_BYTES) and the text encoding of a file (atlas/imports/readers.py,
atlas/imports/mednum.py)."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_BYTES = 1024 * 1024 * 1024  # a file larger than this is refused outright (ATLAS_IMPORT_MAX_BYTES)


class InputError(Exception):
    """The input cannot be read at all (exit code 2)."""


@dataclass
class RawRow:
    row: int
    values: dict[str, Any]
    point: tuple[float, float] | None = None  # (lon, lat) as the file gives it (GeoJSON order)
    has_geometry: bool = False
    notes: list[str] = field(default_factory=list)  # what the reader changed (a value cut…)


def max_bytes() -> int:
    try:
        return int(os.environ.get("ATLAS_IMPORT_MAX_BYTES") or MAX_BYTES)
    except ValueError:
        return MAX_BYTES


def check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    limit = max_bytes()
    if size > limit:
        raise InputError(
            f"{path}: the file is {size / 1e6:.1f} MB, more than the {limit / 1e6:.0f} MB an import takes "
            "(ATLAS_IMPORT_MAX_BYTES); split it into smaller files"
        )
    if size == 0:
        raise InputError(f"{path}: the file is empty")


def detect_encoding(path: Path) -> str:
    """utf-8-sig (with a BOM), utf-8 when every byte decodes, else cp1252, else latin-1."""
    with path.open("rb") as fh:
        head = fh.read(3)
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := fh.read(1024 * 1024):
                cp1252.decode(chunk)
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
