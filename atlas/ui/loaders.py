"""Cached loading of the atlas data for the app (one copy per server process).

The loaded atlas is a shared, read-only resource (`st.cache_resource`): `st.cache_data`
would hand every rerun its own unpickled copy, about a second at 100,000 rows. Nothing in
the app modifies the frame; filters and exports derive new frames from it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas import config
from atlas.articles.model import Article, load_articles
from atlas.data import Atlas, load_atlas


@st.cache_resource(show_spinner=False)
def cached_atlas(data_dir: str) -> Atlas:
    """The atlas frame and its problems for `data_dir` (reloaded when the cache is cleared)."""
    return load_atlas(data_dir)


def current_atlas() -> Atlas:
    """The atlas of the configured data folder."""
    return cached_atlas(str(config.data_dir()))


@st.cache_resource(show_spinner=False)
def cached_articles(data_dir: str) -> tuple[list[Article], list[str]]:
    """The articles of `data_dir`, checked against its atlas ids, and their problems (none without a folder)."""
    folder = Path(data_dir) / "articles"
    if not folder.is_dir():
        return [], []
    frame = cached_atlas(data_dir).frame
    ids = frame.groupby("kind")["id"].agg(frozenset)
    return load_articles(folder, ids.get("organisation", frozenset()), ids.get("odc", frozenset()))


def current_articles() -> tuple[list[Article], list[str]]:
    """The articles of the configured data folder."""
    return cached_articles(str(config.data_dir()))
