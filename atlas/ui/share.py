"""Sharing: the link to the current view, a permalink to the open record, the code to embed the map,
and the Atom feed that follows the view (its filters: `atlas/web/feeds.py`)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from atlas import config
from atlas.i18n import t
from atlas.ui import safe, state
from atlas.urlstate import UrlState, embed_code, encode, share_url

FALLBACK_BASE = "http://localhost:8501/"  # when Streamlit does not know the page's address (tests)
FEED_PARAMETERS = ("country", "region", "category", "kind", "status", "q", "lang")  # what a feed follows


def page_base() -> str:
    """The address of this page without its query, as the visitor's browser sees it."""
    url = st.context.url
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else FALLBACK_BASE


def site_root(page: str) -> str:
    """The atlas's root address (ending with `/`), where its feeds and pages live: `ATLAS_PUBLIC_URL`,
    else the page's own server under Streamlit's base path."""
    configured = config.public_url()
    if configured:
        return configured
    parts = urlsplit(page)
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}/" + (f"{prefix}/" if prefix else "")


def feed_url(root: str, current: UrlState) -> str:
    """The Atom feed of the new and changed entries of the view `current` (its filters and language;
    not its map position or open record), on the atlas at `root`."""
    params = {k: v for k, v in encode(current).items() if k in FEED_PARAMETERS}
    query = urlencode(params, quote_via=quote, safe=",")
    return f"{root}feeds/entries.atom" + (f"?{query}" if query else "")


def entry_page_url(root: str, entry_id: str, lang: str) -> str:
    """The entry's own page (`atlas/web/pages.py`): readable without the map, and what search
    engines and link previews read."""
    return f"{root}{'fr/' if lang == 'fr' else ''}entry/{quote(entry_id, safe='')}"


def render_share(lang: str) -> None:
    """A "Share" button opening the link to this view (to copy), the entry's permalink, the
    `<iframe>` code of the embeddable map, the feed that follows this view ("Follow this view"), and
    the open entry's own page."""
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
        st.caption(t("share_follow", lang))
        safe.code(feed_url(site_root(base), current))
        if current.entry:
            st.caption(t("share_entry_page", lang))
            safe.code(entry_page_url(site_root(base), current.entry, lang))
