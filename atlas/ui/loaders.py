"""Cached loading of the atlas data for the app (one copy per server process and data revision).

The loaded atlas is a shared, read-only resource (`st.cache_resource`): `st.cache_data`
would hand every rerun its own unpickled copy, about a second at 100,000 rows. Nothing in
the app modifies the frame; filters and exports derive new frames from it.

Each rerun asks the source for its revision (one primary-key read in the database, a few `stat`
calls for a folder): a change made elsewhere — a moderator's approval on another replica — is
loaded once, by the first session that sees it, and the old copy is dropped. When the source
cannot be reached, pages keep the last copy this process loaded (or the bundled files when it
never loaded one) and say so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from atlas import config
from atlas.articles.model import Article
from atlas.data import Atlas
from atlas.sources import AtlasSource, CsvFolder, SourceUnavailable, configured_source
from atlas.store.models import Meta
from atlas.store.source import DatabaseSource
from atlas.store.store import SEEDED, Store

KEEP = 2  # revisions kept in memory: the current one, and the previous for sessions mid-rerun


class Snapshot(NamedTuple):
    """Everything one rerun reads, from one revision of the source."""

    revision: str
    atlas: Atlas
    articles: list[Article]
    article_problems: list[str]
    live: bool = True  # False: the source is unreachable and this is the last copy (or the bundled files)
    as_of: dt.datetime | None = None  # when that copy was loaded


@st.cache_resource(show_spinner=False)
def _sources() -> dict[str, AtlasSource]:
    return {}


@st.cache_resource(show_spinner=False)
def _opened(kind: str, url: str, data_dir: str) -> AtlasSource:
    """The configured source, opened once per process (a database is migrated and seeded here)."""
    source = configured_source()
    _sources()[source.key] = source
    return source


def current_source() -> AtlasSource:
    """The configured source (raises `SourceUnavailable` when it cannot be opened)."""
    return _opened(config.data_source(), config.database_url(), str(config.data_dir()))


def current_store() -> Store | None:
    """The database behind the app, or None when the app serves a folder of files."""
    source = current_source()
    return source.store if isinstance(source, DatabaseSource) else None


@st.cache_resource(show_spinner=False)
def _seeded_from(url: str) -> str:
    """The folder the database was first filled from ("" when it never was), read once per process."""
    store = current_store()
    if store is None:
        return ""
    with store.reading() as s:
        row = s.get(Meta, SEEDED)
        return row.value if row is not None else ""


def seeded_elsewhere() -> str | None:
    """The folder the database was first filled from when it is not the folder the app is set to serve
    (`ATLAS_DATA_DIR`, default data/): a database filled by a test run or a trial. None otherwise."""
    try:
        folder = _seeded_from(config.database_url())
    except (SourceUnavailable, SQLAlchemyError):
        return None
    if not folder or Path(folder).resolve() == config.data_dir().resolve():
        return None
    return folder


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def cached_atlas(source_key: str, revision: str) -> Atlas:
    """The atlas frame and its problems for one revision of a source."""
    return _sources()[source_key].load()


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def cached_articles(source_key: str, revision: str) -> tuple[list[Article], list[str]]:
    """The articles of one revision of a source, checked against that revision's atlas ids."""
    frame = cached_atlas(source_key, revision).frame
    ids = frame.groupby("kind")["id"].agg(frozenset)
    return _sources()[source_key].articles(ids.get("organisation", frozenset()), ids.get("odc", frozenset()))


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, Snapshot]:
    return {}


def current_snapshot() -> Snapshot:
    """The atlas and articles of the configured source at its current revision (asked once).

    When the source is unreachable: the last snapshot this process loaded, else the bundled files,
    marked `live=False`.
    """
    try:
        source = current_source()
        revision = source.revision()
        articles, problems = cached_articles(source.key, revision)
        snapshot = Snapshot(
            revision, cached_atlas(source.key, revision), articles, problems, as_of=dt.datetime.now(dt.UTC)
        )
    except SourceUnavailable:
        last = _last_good().get("last")
        return last._replace(live=False) if last is not None else _files_snapshot()
    previous = _last_good().get("last")
    if previous is None or previous.revision != snapshot.revision:
        _last_good()["last"] = snapshot
    return snapshot


@st.cache_resource(show_spinner=False)
def _files(data_dir: str) -> Snapshot:
    folder = CsvFolder(Path(data_dir))
    atlas = folder.load()
    ids = atlas.frame.groupby("kind")["id"].agg(frozenset)
    articles, problems = folder.articles(ids.get("organisation", frozenset()), ids.get("odc", frozenset()))
    return Snapshot(f"files:{folder.revision()}", atlas, articles, problems, live=False)


def _files_snapshot() -> Snapshot:
    return _files(str(config.data_dir()))
