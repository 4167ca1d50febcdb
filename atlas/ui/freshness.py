"""Open pages follow the data: a published change reaches every session within a few seconds."""

from __future__ import annotations

import streamlit as st

from atlas.sources import SourceUnavailable
from atlas.ui.loaders import current_source

CHECK_EVERY_S = 5


@st.fragment(run_every=CHECK_EVERY_S)
def watch_revision(shown: str, live: bool = True) -> None:
    """Every few seconds, compare the source's revision with the one the page shows (a cheap
    read: one row of the database); rerun the page when it changed, or when a source that was
    unreachable answers again."""
    try:
        now = current_source().revision()
    except SourceUnavailable:
        return
    if now != shown or not live:
        st.rerun(scope="app")
