"""`atlas geocode INPUT.csv`: fill lat, lon, geo_precision and geo_source of a CSV.

Exit codes: 0 all rows resolved, 1 some rows left unresolved (listed), 2 unusable input or setup.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

import pandas as pd
from geopy.exc import ConfigurationError

from atlas import config
from atlas.errors import UnusableInput
from atlas.geocoding.frame import geocode_frame
from atlas.geocoding.pipeline import Geocoder

PROGRESS_MIN_QUERIES = 200


class _Progress:
    """A progress bar on `stream`: redrawn in place on a terminal, a line per 10% otherwise.

    Shown when `stream` is a terminal or the run has more than PROGRESS_MIN_QUERIES queries.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._drawn_at = 0.0
        self._decile = -1
        self._open = False

    def __call__(self, done: int, total: int) -> None:
        if not (self.tty or total > PROGRESS_MIN_QUERIES):
            return
        if self.tty:
            now = time.monotonic()
            if done < total and now - self._drawn_at < 0.1:
                return
            self._drawn_at = now
            filled = 30 * done // total
            self.stream.write(f"\rgeocoding [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} queries")
            self._open = True
        elif done * 10 // total != self._decile:
            self._decile = done * 10 // total
            self.stream.write(f"geocoding: {done}/{total} queries ({100 * done // total}%)\n")
        self.stream.flush()

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()


def _read(path: Path) -> tuple[pd.DataFrame, str]:
    """(table, line terminator) of a UTF-8 CSV, every cell kept as text."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise UnusableInput(f"cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UnusableInput(
            f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); save it as UTF-8 and try again"
        ) from None
    try:
        df = pd.read_csv(io.StringIO(text.removeprefix("\ufeff")), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise UnusableInput("the file is empty") from None
    except pd.errors.ParserError as exc:
        raise UnusableInput(f"not a readable CSV: {exc}") from None
    first_line_end = text.find("\n")
    return df, "\r\n" if first_line_end > 0 and text[first_line_end - 1] == "\r" else "\n"


def _write(df: pd.DataFrame, path: Path, newline: str) -> None:
    """Write `df` as UTF-8 CSV atomically: a temporary file in the same folder, then a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            df.to_csv(f, index=False, lineterminator=newline)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Geocode `args.input`; returns the exit code."""

    def fail(message: str) -> int:
        print(f"atlas geocode: {message}", file=sys.stderr)
        return 2

    try:
        df, newline = _read(args.input)
    except UnusableInput as exc:
        return fail(f"{args.input}: {exc}")
    offline = args.offline or os.environ.get("ATLAS_GEOCODE_OFFLINE", "").strip().lower() in {"1", "true", "yes"}
    cache = args.cache or config.cache_path()
    try:
        geocoder = Geocoder.from_env(offline=offline, cache=cache)
    except ConfigurationError as exc:
        return fail(f"online geocoder not usable ({exc}); fix it or pass --offline")
    except (OSError, sqlite3.Error) as exc:
        return fail(f"cannot open the geocoding cache {cache}: {exc}")
    progress = _Progress(sys.stderr)
    try:
        out, report = geocode_frame(df, geocoder, force=args.force, progress=progress)
    except UnusableInput as exc:
        return fail(f"{args.input}: {exc}")
    finally:
        progress.close()
    target = args.output or args.input
    try:
        _write(out, target, newline)
    except OSError as exc:
        return fail(f"cannot write {target}: {exc}")
    mode = "offline" if geocoder.online is None else f"online: {geocoder.online.name}, then the gazetteer"
    print(f"Geocoded {args.input} into {target} ({mode}).\n{report.summary()}")
    return 1 if report.unresolved else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `geocode` sub-command."""
    parser = subparsers.add_parser(
        "geocode",
        help="fill lat/lon/geo_precision/geo_source of a CSV",
        description="Fill lat, lon, geo_precision and geo_source of a UTF-8 CSV with `country` and `city` "
        "and/or `address` columns (optional: admin1 or region). Order: cache, online geocoder "
        "(ATLAS_GEOCODER, default Nominatim), offline gazetteer. Rows whose geo_source is "
        "'manual' are never changed. Exit 0: all resolved; 1: some unresolved; 2: unusable input.",
    )
    parser.add_argument("input", type=Path, metavar="INPUT.csv")
    parser.add_argument("--output", "-o", type=Path, metavar="OUT.csv", help="write here (default: in place)")
    parser.add_argument(
        "--offline", action="store_true", help="no online geocoder, gazetteer only (also ATLAS_GEOCODE_OFFLINE=1)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="PATH",
        help="SQLite answer cache (default: ATLAS_GEOCODE_CACHE or .cache/geocode.sqlite3)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="ignore cached answers, re-resolve and overwrite them (manual rows stay untouched)",
    )
    parser.set_defaults(func=run)
