"""The map page: filters, map, articles, details, charts, table and downloads.

Two things in the order below are deliberate:

- The filters run twice. `shown` applies every filter, the map's view included ("only what the
  map shows"): it feeds the table, the charts and the downloads. `on_map` ignores the view: the
  map must keep its own markers while the visitor pans, or panning would empty it.
- The table is drawn (in code) before the map, although it sits below it on the page: a row
  selected in the table returns the point the map must centre on, and the map needs that value
  when it is built. The containers made first (`map_col`, `side_col`, `charts_box`) keep the
  visual order.

In a partner's frame (`?embed=true`, Streamlit's own parameter, which hides Streamlit's chrome)
the page is the map first, for a 600×450 frame: a compact filter, the map with its legend, and the
record of a clicked entry in a dialog; no sidebar, articles, charts or table.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import labels
from atlas.articles.focus import article_focus
from atlas.articles.model import Article
from atlas.filters import Filters, apply_filters, option_counts
from atlas.i18n import t
from atlas.schema import KINDS
from atlas.ui import record_focus, state, views
from atlas.ui.articles_panel import render_articles
from atlas.ui.charts_panel import render_charts
from atlas.ui.details import render_details
from atlas.ui.freshness import watch_revision
from atlas.ui.loaders import current_snapshot, current_source
from atlas.ui.map_panel import MapRequest, render_map
from atlas.ui.notices import render_empty, render_notices, render_source_notice, render_summary
from atlas.ui.page_script import MAP_BOX
from atlas.ui.share import page_base, render_share
from atlas.ui.sidebar import render_filters
from atlas.ui.state import Key, keep_known
from atlas.ui.table_panel import render_table
from atlas.urlstate import UrlState, share_url


def embedded() -> bool:
    """True in a partner's frame (`?embed=true`)."""
    return bool(st.context.is_embedded)


def entry_focus(full: pd.DataFrame) -> tuple[float, float] | None:
    """Where the entry of a permalink (`?entry=ID`) is, while its record is open."""
    entry = state.link_entry()
    rows = full[full["id"] == entry] if entry else full.iloc[0:0]
    if rows.empty or pd.isna(rows.iloc[0]["lat"]):
        return None
    return float(rows.iloc[0]["lat"]), float(rows.iloc[0]["lon"])


def render() -> None:
    if embedded():
        render_embed()
        return
    lang = state.lang()
    data = current_snapshot()
    full = data.atlas.frame
    articles = data.articles
    filters = state.page_filters()

    render_filters(full, lang, filters)
    st.title(t("app_title", lang))
    st.caption(t("app_subtitle", lang))
    render_source_notice(data, lang)
    render_notices([*data.atlas.problems, *data.article_problems], lang)
    watch_revision(data.revision, data.live)

    shown = apply_filters(full, filters)
    view = views.view(current_source().key, data.revision, filters, lang)  # names `shown`
    on_map = shown if filters.bounds is None else apply_filters(full, filters.without_bounds())
    main_box = st.container()  # the summary, the map and the record: drawn last, above the rest
    charts_box = st.container()
    table_focus = render_table(shown, lang, filters, view)
    with main_box:
        _map_and_record(shown, on_map, full, articles, filters, lang, (state.selected_id(), table_focus))
    with charts_box:
        render_charts(shown, lang, view)


@st.fragment
def _map_and_record(
    shown: pd.DataFrame,
    on_map: pd.DataFrame,
    full: pd.DataFrame,
    articles: list[Article],
    filters: Filters,
    lang: str,
    table_pick: tuple[str, tuple[float, float] | None],
) -> None:
    """The summary and share link, the map, the record panel and the articles: what a click on a
    marker, an article's "Show on map" or the record's own buttons change. They rerun this
    fragment only, never the charts and the table; a filter change reruns the page.

    The table's selection comes from the last full run; it still frames the map while its entry
    is the one selected (a marker clicked since selects another).
    """
    summary, share = st.columns([5, 1], vertical_alignment="center")
    with summary:
        render_summary(shown, full, lang)
    with share:
        share_box = st.container()
    with st.container():  # always there, so that the map keeps its place in the page (and its frame)
        if shown.empty:
            render_empty(lang)

    focus = article_focus(articles, state.chosen_article(), on_map, lang)
    picked, table_focus = table_pick
    map_col, side_col = st.columns([3, 2], gap="medium")
    with side_col:
        details_box = st.container()
        articles_box = st.container()  # filled after the map: see below
    with map_col, st.container(key=MAP_BOX):
        focus_point = table_focus if table_focus and picked == state.selected_id() else entry_focus(full)
        request = MapRequest(on_map, full, lang, focus, focus_point, state.selected_id())
        render_map(request)
    with details_box:
        render_details(full, lang, articles)
        record_focus.mount(full, lang)  # announced, focused from the keyboard, "Back to the map" (issue 25)
    state.sync_url()
    with share_box:
        render_share(lang)  # last: the link holds the map's view and the record as this run leaves them
    with articles_box:  # after the map in code: a marker click's first run stops at the map (it reruns
        render_articles(articles, full, filters, lang)  # the fragment to mark the entry), before the cards


def render_embed() -> None:
    """The map-first layout of a partner's frame (see the module's docstring)."""
    lang = state.lang()
    data = current_snapshot()
    full = data.atlas.frame
    filters = state.page_filters()
    watch_revision(data.revision, data.live)

    kinds = option_counts(full, filters).kinds
    keep_known(Key.KINDS, set(KINDS))
    bar = st.container(horizontal=True, vertical_alignment="center", gap="small")  # one row, even in 600 px
    bar.pills(
        t("kind", lang),
        list(KINDS),
        key=Key.KINDS,
        selection_mode="multi",
        label_visibility="collapsed",
        format_func=lambda k: f"{t(labels.KIND[k], lang)} ({int(kinds.get(k, 0))})",
    )
    bar.link_button(
        t("embed_open_atlas", lang),
        share_url(page_base(), UrlState(lang=lang, filters=filters.without_bounds(), entry=state.selected_id())),
        icon=":material/open_in_new:",
        type="tertiary",
    )
    on_map = apply_filters(full, filters.without_bounds())
    focus = article_focus(data.articles, state.chosen_article(), on_map, lang)
    with st.container(key=MAP_BOX):
        request = MapRequest(on_map, full, lang, focus, entry_focus(full), state.selected_id(), click_reruns="app")
        st.fragment(render_map)(request)  # a pan reruns the map only; a click the page (its record's dialog)
    if state.new_record_shown():
        st.dialog(t("details", lang), width="medium")(render_details)(full, lang, data.articles, embedded=True)
    state.sync_url()
