"""The page's own script (static/atlas/page.mjs), mounted on every page as a Streamlit component.

Streamlit writes `<html lang="en">` whatever the page's language and has no element for skip
links, for naming a component's frame or for the `<link rel="alternate">` of the view's Atom feed;
`page.mjs` does these in the page (st.components.v2
runs a component's module in the page itself, not in a frame). The module is a real file with its
lint (`make js-lint`); this file only reads it and hands it the page's texts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import streamlit as st

from atlas import assets
from atlas.i18n import N_, t
from atlas.ui import share, state

KEY = "atlas_page"  # the component's key: page.css hides its (empty) element by it
MAP_BOX = "atlas_map_box"  # key of the container around the map: its frame is named by page.mjs
TABLE_ANCHOR = "atlas-table"  # id of the table's heading, where a skip link leads
DOWNLOADS_ANCHOR = "atlas-downloads"  # id of the downloads' heading, where the other leads
TOOLBAR_KEYS = (  # Streamlit's toolbar buttons, by the translation key of their name
    N_("toolbar_show_data"),
    N_("toolbar_download_png"),
    N_("toolbar_copy_spec"),
    N_("toolbar_fullscreen"),
    N_("toolbar_close_fullscreen"),
    N_("toolbar_columns"),
    N_("toolbar_download_csv"),
    N_("toolbar_search"),
)
RECORD_ANCHOR = "atlas-record"  # id of the selected entry's heading (static/atlas/record.mjs sets it)


@cache
def _component() -> Any:
    return st.components.v2.component(
        "atlas_page", js=(assets.OWN_DIR / "page.mjs").read_text(encoding="utf-8"), isolate_styles=False
    )


def mount(lang: str) -> None:
    """Run page.mjs with this page's language and texts (cheap: only `data` travels on a rerun)."""
    _component()(
        key=KEY,
        data={
            "lang": lang,
            # relative to the page, so that it also works under a base path (server.baseUrlPath)
            "css": assets.own_url("page.css").lstrip("/"),
            "skipsLabel": t("skip_links", lang),
            "skips": [
                {"target": RECORD_ANCHOR, "label": t("skip_to_entry", lang)},  # shown while an entry is open
                {"target": TABLE_ANCHOR, "label": t("skip_to_table", lang)},
                {"target": DOWNLOADS_ANCHOR, "label": t("skip_to_downloads", lang)},
            ],
            "frames": [{"selector": f".st-key-{MAP_BOX} iframe", "label": t("map_frame_title", lang)}],
            # Streamlit's toolbar buttons in the page's language; the charts' out of the tab order
            "toolbar": {
                "labels": {t(key, "en"): t(key, lang) for key in TOOLBAR_KEYS},
                "untab": '[data-testid="stVegaLiteChart"]',
            },
            # each article's "Show on map" named by its article (atlas/ui/articles_panel.py)
            "named": [
                {
                    "selector": '[class*="st-key-art_"] button',
                    "text": t("article_show_on_map", lang),
                    "card": '[data-testid="stVerticalBlock"]',
                    "title": '[data-testid="stHtml"]',
                    "pattern": t("article_show_on_map_named", lang, title="{title}"),
                }
            ],
            # in a partner's frame (`?embed=true`) the map fills what the frame leaves it: no scrolling
            "embed": {"map": f".st-key-{MAP_BOX} iframe"} if st.context.is_embedded else None,
            # the feed of this view's new and changed entries, for feed readers (atlas/web/feeds.py)
            "feed": {
                "href": share.feed_url(share.site_root(share.page_base()), state.url_state()),
                "title": t("web_feed_entries_title", lang),
            },
        },
        height="content",
    )
