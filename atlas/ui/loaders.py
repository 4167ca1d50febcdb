"""Cached loading of the atlas data for the app (one copy per server process and data revision).

The loaded atlas is a shared, read-only resource (`st.cache_resource`): `st.cache_data`
would hand every rerun its own unpickled copy, about a second at 100,000 rows. Nothing in
the app modifies the frame; filters and exports derive new frames from it.

Each rerun asks the source for its revision (a few `stat` calls for the CSV folder): a change
made elsewhere is loaded once, by the first session that sees it, and the old copy is dropped.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from atlas.articles.model import Article
from atlas.data import Atlas
from atlas.sources import AtlasSource, configured_source

KEEP = 2  # revisions kept in memory: the current one, and the previous for sessions mid-rerun


@st.cache_resource(show_spinner=False)
def _sources() -> dict[str, AtlasSource]:
    return {}


def _source() -> AtlasSource:
    source = configured_source()
    return _sources().setdefault(source.key, source)


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


class Snapshot(NamedTuple):
    """Everything one rerun reads, from one revision of the source."""

    revision: str
    atlas: Atlas
    articles: list[Article]
    article_problems: list[str]


def current_snapshot() -> Snapshot:
    """The atlas and articles of the configured source at its current revision (asked once)."""
    source = _source()
    revision = source.revision()
    articles, problems = cached_articles(source.key, revision)
    return Snapshot(revision, cached_atlas(source.key, revision), articles, problems)
