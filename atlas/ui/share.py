"""Sharing: the link to the current view, a permalink to the open record, the code to embed the map,
and the Atom feed that follows the view (its filters: `atlas/web/feeds.py`)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from atlas import config
from atlas.i18n import t
from atlas.ui import safe, state
from atlas.urlstate import EMBED_HEIGHT, EMBED_WIDTH, UrlState, embed_code, encode, share_url

FALLBACK_BASE = "http://localhost:8501/"  # when Streamlit does not know the page's address (tests)
EMBED_KEYS = ("share_embed_width", "share_embed_height")  # the embed's frame size, as the visitor sets it
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


def embed_state(current: UrlState) -> UrlState:
    """What the embed code's link carries: the view's filters and language, and the map's position
    only when no filter is set — with filters, the embed frames what they show, at whatever size the
    partner gives the frame (a position chosen on the atlas's own, taller map would not fit it)."""
    return replace(current, in_view=False, view=current.view if current.filters.is_empty() else None)


def render_share(lang: str) -> None:
    """A "Share" button opening the link to this view (to copy), the entry's permalink, the
    `<iframe>` code of the embeddable map (its frame's width and height chosen there), the feed that
    follows this view ("Follow this view"), and the open entry's own page."""
    current = state.url_state()
    base = page_base()
    with st.popover(t("share", lang), icon=":material/share:"):
        st.caption(t("share_link", lang))
        safe.code(share_url(base, current))
        if current.entry:
            st.caption(t("share_entry", lang))
            safe.code(share_url(base, UrlState(lang=current.lang, entry=current.entry)))
        st.caption(t("share_embed_sized", lang))
        width, height = st.columns(2)
        size = (
            width.number_input(t("share_embed_width", lang), 240, 2000, EMBED_WIDTH, 10, key=EMBED_KEYS[0]),
            height.number_input(t("share_embed_height", lang), 240, 2000, EMBED_HEIGHT, 10, key=EMBED_KEYS[1]),
        )
        safe.code(embed_code(share_url(base, embed_state(current), embed=True), t("app_title", lang), *size))
        st.caption(t("share_follow", lang))
        safe.code(feed_url(site_root(base), current))
        if current.entry:
            st.caption(t("share_entry_page", lang))
            safe.code(entry_page_url(site_root(base), current.entry, lang))
