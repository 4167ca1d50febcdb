"""Cached loading of the atlas data for the app (one copy per server process)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from atlas import config
from atlas.articles.model import Article, load_articles
from atlas.data import Atlas, load_atlas


@st.cache_data(show_spinner=False)
def cached_atlas(data_dir: str) -> Atlas:
    """The atlas frame and its problems for `data_dir` (reloaded when the cache is cleared)."""
    return load_atlas(data_dir)


def current_atlas() -> Atlas:
    """The atlas of the configured data folder."""
    return cached_atlas(str(config.data_dir()))


@st.cache_data(show_spinner=False)
def cached_articles(data_dir: str, org_ids: frozenset[str], odc_ids: frozenset[str]) -> tuple[list[Article], list[str]]:
    """The bundled articles, checked against the atlas ids, and their problems (none without a folder)."""
    folder = Path(data_dir) / "articles"
    return load_articles(folder, org_ids, odc_ids) if folder.is_dir() else ([], [])


def current_articles(frame: pd.DataFrame) -> tuple[list[Article], list[str]]:
    """The articles of the configured data folder."""
    ids = frame.groupby("kind")["id"].agg(frozenset)
    return cached_articles(str(config.data_dir()), ids.get("organisation", frozenset()), ids.get("odc", frozenset()))
