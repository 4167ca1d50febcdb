"""Add or correct an entry: a form checked by the schema, geocoded with a preview, sent to moderation."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.ui import state


def render() -> None:
    st.title(t("page_contribute", state.lang()))
