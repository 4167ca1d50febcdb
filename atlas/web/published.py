"""The published atlas as every web route reads it: one immutable snapshot per data revision.

For the routes' authors (API, OGC, HSDS, entry pages, feeds, sitemap, oEmbed):

    from atlas.web.published import published, Query

    snap = published()              # the current `Published` snapshot (never None, never raises)
    snap.revision                   # the data revision it was built from (use it in ETags)
    snap.etag("path", "query")      # a weak ETag for this revision and the parts you give
    snap.last_modified              # the newest change of any published entry (aware UTC datetime)
    snap.live                       # False: the database is unreachable and this is the last copy
    snap.frame                      # every published entry, public columns only, sorted by id
    snap.entry("alpha-civic")       # one entry's public record (dict) or None
    snap.rows("alpha-civic")        # its row of `frame`, as a one-row frame (for `atlas.opendata` mappings)
    snap.record(row)                # the public record of a row of `snap.frame` (or of `snap.select(...)`)
    snap.select(Query(countries=("FR",), q="lyon"))   # the rows passing the page's own filters
    snap.updated_at("alpha-civic")  # the entry's last change (from the revision history)
    snap.articles                   # the published articles, newest first (`atlas.articles.model.Article`)
    snap.article("lyon-lab")        # one article or None
    snap.mentioning("alpha-civic")  # the articles that mention an entry
    snap.article_record(article)    # an article's public fields (dict)
    snap.source_pages("alpha-civic")# the entry's pages in the directories it was imported from
    snap.licence                    # the data's licence (`atlas.opendata.Licence`)

    peek()                          # the snapshot if no revision check is due (no I/O), else None:
                                    # `snap = peek() or await run_in_threadpool(published)` in async routes

What is in it: published entries only (pending, rejected, withdrawn and duplicate entries never
are: the store gives only `state == "published"`), with the columns of the atlas files
(`atlas.data.FRAME_COLUMNS`) and `updated_at`; nothing else. Submitters' contacts, notes and
moderators' names live in other tables and are never read here.

Where it comes from: the configured source, opened once per process exactly as the page opens it
(`atlas.sources.configured_source`: the database, migrated and seeded from the data folder on its
first start, or the data folder itself, read-only, with `ATLAS_SOURCE=files`). The source's
revision is asked at most every `CHECK_EVERY` seconds (one primary-key read); a new revision is
loaded once, then shared by every request; while it loads, requests get the previous one. When the
database cannot be reached the last snapshot stays in use (`live=False`); before any, the data
folder's files are served.

Tests and benchmarks point the process at a source of their own with `use(source)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from atlas import config
from atlas.articles.model import Article
from atlas.data import FRAME_COLUMNS, SEARCH_COLUMN
from atlas.filters import Bounds, Filters, filter_mask
from atlas.opendata import Licence, data_licence
from atlas.schema import SCHEMAS
from atlas.sources import AtlasSource, CsvFolder, SourceUnavailable, configured_source

CHECK_EVERY = 2.0  # seconds between two checks of the source's revision
KEEP_MATCHES = 64  # queries whose matching positions a snapshot keeps
UPDATED = "updated_at"
PUBLIC_COLUMNS = (*FRAME_COLUMNS, UPDATED)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Query:
    """What a web route asks for: the page's filters (`atlas.filters.Filters`) plus the last change's
    bounds `updated_since` and `updated_until`.

    `bbox` is (min lon, min lat, max lon, max lat), as in GeoJSON and OGC APIs.
    """

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    q: str = ""
    bbox: tuple[float, float, float, float] | None = None
    updated_since: dt.datetime | None = None
    updated_until: dt.datetime | None = None  # (inclusive)

    def filters(self) -> Filters:
        bounds: Bounds | None = None
        if self.bbox is not None:
            west, south, east, north = self.bbox
            bounds = (south, west, north, east)
        return Filters(
            countries=self.countries,
            categories=self.categories,
            kinds=self.kinds,
            statuses=self.statuses,
            query=self.q,
            bounds=bounds,
            regions=self.regions,
        )


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _coordinate(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def iso(moment: dt.datetime, precise: bool = False) -> str:
    """An aware datetime as RFC 3339 in UTC with a `Z` (to the second; `precise`: to the microsecond)."""
    moment = moment.astimezone(dt.UTC)
    return (moment if precise else moment.replace(microsecond=0)).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Published:
    """One revision of the published atlas (see the module's docstring). Never modify `frame`."""

    revision: str
    frame: pd.DataFrame
    articles: tuple[Article, ...] = ()
    mentions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    licence: Licence = field(default_factory=data_licence)
    live: bool = True
    loaded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    _by_id: Mapping[str, int] = field(default_factory=dict, repr=False)
    _articles_by_id: Mapping[str, Article] = field(default_factory=dict, repr=False)
    _columns: Mapping[str, Any] = field(default_factory=dict, repr=False)  # column -> numpy array (records)
    _matches: dict[Query, np.ndarray] = field(default_factory=dict, repr=False, compare=False)  # `positions`

    @classmethod
    def build(
        cls,
        revision: str,
        frame: pd.DataFrame,
        updated: Mapping[str, dt.datetime],
        articles: list[Article],
        pages: Mapping[str, list[str]] | None = None,
        live: bool = True,
        default_time: dt.datetime | None = None,
    ) -> Published:
        """The snapshot of an atlas frame (`Atlas.frame`), its entries' last changes and its articles."""
        fallback = default_time or EPOCH
        frame = frame[[*FRAME_COLUMNS, SEARCH_COLUMN]].sort_values("id", kind="stable").reset_index(drop=True)
        stamps = [updated.get(i, fallback) for i in frame["id"]]
        frame[UPDATED] = (
            pd.to_datetime(pd.Series(stamps, dtype=object), utc=True)
            if stamps
            else pd.Series([], dtype="datetime64[ns, UTC]")
        )
        ids = set(frame["id"])
        mentions: dict[str, list[str]] = {}
        for article in articles:
            for entry_id in dict.fromkeys((*article.organisations, *article.odcs)):
                if entry_id in ids:
                    mentions.setdefault(entry_id, []).append(article.id)
        return cls(
            revision=revision,
            frame=frame,
            articles=tuple(articles),
            mentions={k: tuple(v) for k, v in mentions.items()},
            pages={k: tuple(v) for k, v in (pages or {}).items() if k in ids},
            licence=data_licence(),
            live=live,
            _by_id={str(i): n for n, i in enumerate(frame["id"])},
            _articles_by_id={a.id: a for a in articles},
            _columns=_column_arrays(frame),
        )

    # -- entries ----------------------------------------------------------------------------------

    @property
    def last_modified(self) -> dt.datetime:
        """The newest change of any published entry (the load time when there are none)."""
        if self.frame.empty:
            return self.loaded_at
        newest = self.frame[UPDATED].max()
        return newest.to_pydatetime() if not pd.isna(newest) else self.loaded_at

    def etag(self, *parts: str) -> str:
        """A weak ETag for this revision and `parts` (the route and its normalised query)."""
        digest = hashlib.blake2b("\0".join((self.revision, *parts)).encode("utf-8", "surrogatepass"), digest_size=12)
        return f'W/"{digest.hexdigest()}"'

    def has(self, entry_id: str) -> bool:
        return entry_id in self._by_id

    def entry(self, entry_id: str) -> dict[str, Any] | None:
        """The public record of a published entry, or None."""
        position = self._by_id.get(entry_id)
        return None if position is None else self.record_at(position)

    def rows(self, entry_id: str) -> pd.DataFrame:
        """The entry's row of `frame` as a one-row frame (no rows when it is not published)."""
        position = self._by_id.get(entry_id)
        return self.frame.iloc[[] if position is None else [position]]

    def updated_at(self, entry_id: str) -> dt.datetime | None:
        position = self._by_id.get(entry_id)
        return None if position is None else self.frame[UPDATED].iloc[position].to_pydatetime()

    def select(self, query: Query | None = None) -> pd.DataFrame:
        """The entries passing `query` (the page's filters, and `updated_since`), in id order."""
        if query is None:
            return self.frame
        mask = self.mask(query)
        return self.frame if mask.all() else self.frame[mask]

    def mask(self, query: Query) -> np.ndarray:
        """Which rows of `frame` pass `query` (a boolean array)."""
        mask = filter_mask(self.frame, query.filters())
        if query.updated_since is not None:
            mask &= self._columns[UPDATED] >= _naive_utc(query.updated_since)
        if query.updated_until is not None:
            mask &= self._columns[UPDATED] <= _naive_utc(query.updated_until)
        return mask

    def positions(self, query: Query | None = None) -> np.ndarray:
        """The positions in `frame` (id order) of the entries passing `query`: a page is a slice of it,
        its records `record_at(p)` — no frame is copied (the fast path of the API's lists). The last
        `KEEP_MATCHES` queries' positions are kept: the next pages of a query (a GIS client walking
        a layer) do not filter every row again."""
        if query is None:
            query = Query()
        found = self._matches.get(query)
        if found is None:
            found = np.arange(len(self.frame)) if query == Query() else np.flatnonzero(self.mask(query))
            found.flags.writeable = False
            if len(self._matches) >= KEEP_MATCHES:
                self._matches.clear()
            self._matches[query] = found
        return found

    def after(self, positions: np.ndarray, entry_id: str) -> int:
        """Where in `positions` the entries after `entry_id` (in id order) begin (for cursors)."""
        return int(np.searchsorted(positions, self.frame["id"].searchsorted(entry_id, side="right")))

    def record_at(self, position: int) -> dict[str, Any]:
        """The public record of the entry at `position` in `frame` (see `record`)."""
        return self.records_at([position])[0]

    def records_at(self, positions: Any) -> list[dict[str, Any]]:
        """The public records of the entries at `positions` in `frame`, column by column (a page of
        the API: nothing of the frame is copied but these rows' values)."""
        index = np.asarray(positions, dtype=np.intp)
        if not len(index):
            return []
        c = self._columns
        text = {name: [v if type(v) is str else _text(v) for v in c[name].take(index)] for name in _TEXT_COLUMNS}
        coordinates = {name: c[name][index] for name in _COORDINATES}
        stamps = np.datetime_as_string(c[UPDATED][index], unit="us")
        out = []
        for n in range(len(index)):
            record: dict[str, Any] = {}
            for name in FRAME_COLUMNS:  # the atlas's own columns, in their order
                if name in _COORDINATES:
                    value = coordinates[name][n]
                    record[name] = None if value != value else float(value)
                else:
                    record[name] = text[name][n]
            record["aliases"] = _aliases(record["aliases"])
            # to the microsecond: `updated_since` with this value gives this entry and the later ones only
            record["updated_at"] = f"{stamps[n]}Z"
            out.append(record)
        return out

    @staticmethod
    def record(row: Mapping[Any, Any] | pd.Series) -> dict[str, Any]:
        """The public fields of one row of `frame`: plain strings, numbers or None (JSON as is)."""
        stamp = row[UPDATED]
        out = {name: _coordinate(row[name]) if name in _COORDINATES else _text(row[name]) for name in FRAME_COLUMNS}
        return {
            **out,
            "aliases": _aliases(_text(row["aliases"])),
            # to the microsecond: `updated_since` with this value gives this entry and the later ones only
            "updated_at": stamp.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            if isinstance(stamp, pd.Timestamp)
            else None,
        }

    def records(self, rows: pd.DataFrame) -> list[dict[str, Any]]:
        """`record` of every row of `rows` (rows of `frame`, in any order, their index kept)."""
        return self.records_at(rows.index.to_numpy())

    def source_pages(self, entry_id: str) -> tuple[str, ...]:
        return self.pages.get(entry_id, ())

    # -- articles ---------------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        return self._articles_by_id.get(article_id)

    def mentioning(self, entry_id: str) -> list[Article]:
        """The published articles that mention the entry, newest first."""
        return [self._articles_by_id[a] for a in self.mentions.get(entry_id, ())]

    def article_record(self, article: Article) -> dict[str, Any]:
        """An article's public fields (its editorial notes and body are not among them)."""
        return {
            "id": article.id,
            "title_en": article.title_en,
            "title_fr": article.title_fr,
            "summary_en": article.summary_en,
            "summary_fr": article.summary_fr,
            "source": article.source,
            "author": article.author,
            "published": article.published,
            "published_precision": article.published_precision,
            "topics": list(article.topics),
            "organisations": [i for i in article.organisations if i in self._by_id],
            "odcs": [i for i in article.odcs if i in self._by_id],
            "places": [
                {
                    "name": p.name,
                    "country": p.country,
                    "role": p.role,
                    "lat": p.lat,
                    "lon": p.lon,
                    "geo_precision": p.geo_precision,
                }
                for p in article.places
            ],
        }


def _naive_utc(moment: dt.datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "us")


_COORDINATES = ("lat", "lon")
_TEXT_COLUMNS = tuple(name for name in FRAME_COLUMNS if name not in _COORDINATES)


def _aliases(text: str) -> list[str]:
    """A row's `aliases` cell (`|`-separated) as a list of names."""
    return [a for a in text.split("|") if a.strip()]


def _column_arrays(frame: pd.DataFrame) -> dict[str, Any]:
    """The frame's public columns for `records_at`: its own arrays (not copied) for the text, numpy
    arrays for the coordinates (NaN: none) and the last changes (UTC, microseconds)."""
    columns: dict[str, Any] = {name: frame[name].array for name in _TEXT_COLUMNS}
    for name in _COORDINATES:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        columns[name] = np.where(np.isfinite(values), values, np.nan)
    stamps = frame[UPDATED].dt.tz_convert("UTC").dt.tz_localize(None)
    columns[UPDATED] = stamps.to_numpy(dtype="datetime64[us]")
    return columns


# -- loading --------------------------------------------------------------------------------------


def _file_times(folder: Path) -> dict[str, dt.datetime]:
    """Kind -> the modification time of its CSV file (a folder of files keeps no history)."""
    times = {}
    for kind, schema in SCHEMAS.items():
        try:
            times[kind] = dt.datetime.fromtimestamp((folder / schema.filename).stat().st_mtime, dt.UTC)
        except OSError:
            continue
    return times


def _entry_times(source: AtlasSource) -> dict[str, dt.datetime]:
    """Entry id -> its last change: the newest applied revision (or the row's own date)."""
    from sqlalchemy import func, select

    from atlas.store.models import Entry, Revision
    from atlas.store.source import DatabaseSource

    if not isinstance(source, DatabaseSource):
        return {}
    stamp = func.max(func.coalesce(Revision.decided_at, Revision.created_at))
    with source.store.reading() as s:
        times = {i: t for i, t in s.execute(select(Entry.id, Entry.updated_at).where(Entry.state == "published"))}
        rows = s.execute(
            select(Revision.entry_id, stamp)
            .join(Entry, Entry.id == Revision.entry_id)
            .where(Entry.state == "published", Revision.status == "applied")
            .group_by(Revision.entry_id)
        )
        for entry_id, moment in rows:
            if isinstance(moment, str):  # SQLite without the column type (an aggregate): parse it
                moment = dt.datetime.fromisoformat(moment)
            if moment is not None and moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            if moment is not None and (entry_id not in times or moment > times[entry_id]):
                times[entry_id] = moment
    return times


def load(source: AtlasSource, revision: str | None = None, live: bool = True) -> Published:
    """A snapshot of everything `source` publishes (at `revision`, asked when not given)."""
    from atlas.store.source import DatabaseSource

    revision = revision if revision is not None else source.revision()
    atlas = source.load()
    frame = atlas.frame
    kinds = frame.groupby("kind")["id"].agg(frozenset)
    articles, _problems = source.articles(kinds.get("organisation", frozenset()), kinds.get("odc", frozenset()))
    pages: dict[str, list[str]] = {}
    if isinstance(source, DatabaseSource):
        times = _entry_times(source)
        pages = source.store.source_pages()
    else:
        folder = source.folder if isinstance(source, CsvFolder) else None
        by_kind = _file_times(folder) if folder is not None else {}
        times = {str(i): by_kind[k] for i, k in zip(frame["id"], frame["kind"], strict=True) if k in by_kind}
    return Published.build(revision, frame, times, articles, pages, live=live)


class Reader:
    """Keeps the current snapshot of a source, asking its revision at most every `interval` seconds."""

    def __init__(
        self,
        opener: Callable[[], AtlasSource],
        interval: float = CHECK_EVERY,
        clock: Callable[[], float] = time.monotonic,
        fallback: Callable[[], AtlasSource] | None = None,
    ) -> None:
        self._opener = opener
        self._fallback = fallback or (lambda: CsvFolder(config.data_dir()))
        self._interval = interval
        self._clock = clock
        self._source: AtlasSource | None = None
        self._snapshot: Published | None = None
        self._checked = -math.inf
        self._lock = threading.Lock()

    def peek(self) -> Published | None:
        """The snapshot when no check of the source is due (no I/O at all), else None."""
        snapshot = self._snapshot
        if snapshot is not None and self._clock() - self._checked < self._interval:
            return snapshot
        return None

    def current(self) -> Published:
        snapshot = self._snapshot
        if snapshot is not None and self._clock() - self._checked < self._interval:
            return snapshot
        if snapshot is None:
            self._lock.acquire()
        elif not self._lock.acquire(blocking=False):
            return snapshot  # another thread is checking or loading: the last snapshot meanwhile
        try:
            if self._snapshot is not None and self._clock() - self._checked < self._interval:
                return self._snapshot
            self._snapshot = self._refresh(self._snapshot)
            self._checked = self._clock()
            return self._snapshot
        finally:
            self._lock.release()

    def _refresh(self, previous: Published | None) -> Published:
        try:
            if self._source is None:
                self._source = self._opener()
            revision = self._source.revision()
            if previous is not None and previous.live and previous.revision == revision:
                return previous
            return load(self._source, revision)
        except SourceUnavailable:
            if previous is not None:
                return previous if not previous.live else _replace_live(previous, False)
            fallback = self._fallback()
            return load(fallback, f"files:{fallback.revision()}", live=False)


def _replace_live(snapshot: Published, live: bool) -> Published:
    from dataclasses import replace

    return replace(snapshot, live=live)


_reader_lock = threading.Lock()
_reader: Reader | None = None


def published() -> Published:
    """The published atlas at its current revision (the configured source, opened on first use)."""
    global _reader
    reader = _reader
    if reader is None:
        with _reader_lock:
            if _reader is None:
                _reader = Reader(configured_source)
            reader = _reader
    return reader.current()


def peek() -> Published | None:
    """`published()` when it would do no I/O (no revision check due), else None: an async route
    calls `published()` in a worker thread only then, so the event loop never waits on the database."""
    reader = _reader
    return reader.peek() if reader is not None else None


def use(source: AtlasSource | None, interval: float = CHECK_EVERY) -> None:
    """Serve `source` from now on in this process (tests, benchmarks); None: the configured source again."""
    global _reader
    with _reader_lock:
        _reader = None if source is None else Reader(lambda: source, interval=interval)
