"""The moderation page: sign-in, the queue of pending changes, decisions, and the audit log."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.ui import auth, state


def render() -> None:
    st.title(t(auth.moderate_page_title(), state.lang()))
