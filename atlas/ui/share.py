"""Sharing: the link to the current view, a permalink to the open record, and the code to embed the map."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from atlas.i18n import t
from atlas.ui import safe, state
from atlas.urlstate import UrlState, embed_code, share_url

FALLBACK_BASE = "http://localhost:8501/"  # when Streamlit does not know the page's address (tests)


def page_base() -> str:
    """The address of this page without its query, as the visitor's browser sees it."""
    url = st.context.url
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else FALLBACK_BASE


def render_share(lang: str) -> None:
    """A "Share" button opening the link to this view (to copy), the entry's permalink, and the
    `<iframe>` code of the embeddable map."""
    current = state.url_state()
    base = page_base()
    with st.popover(t("share", lang), icon=":material/share:"):
        st.caption(t("share_link", lang))
        safe.code(share_url(base, current))
        if current.entry:
            st.caption(t("share_entry", lang))
            safe.code(share_url(base, UrlState(lang=current.lang, entry=current.entry)))
        st.caption(t("share_embed", lang))
        embedded = replace(current, in_view=False)
        safe.code(embed_code(share_url(base, embedded, embed=True), t("app_title", lang)))
