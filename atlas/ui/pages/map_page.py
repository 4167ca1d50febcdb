"""The map page: filters, map, articles, details, charts, table and downloads.

Two things in the order below are deliberate:

- The filters run twice. `shown` applies every filter, the map's view included ("only what the
  map shows"): it feeds the table, the charts and the downloads. `on_map` ignores the view: the
  map must keep its own markers while the visitor pans, or panning would empty it.
- The table is drawn (in code) before the map, although it sits below it on the page: a row
  selected in the table returns the point the map must centre on, and the map needs that value
  when it is built. The containers made first (`map_col`, `side_col`, `charts_box`) keep the
  visual order.
"""

from __future__ import annotations

import streamlit as st

from atlas.articles.focus import article_focus
from atlas.filters import apply_filters
from atlas.i18n import t
from atlas.ui import state
from atlas.ui.articles_panel import render_articles
from atlas.ui.charts_panel import render_charts
from atlas.ui.details import render_details
from atlas.ui.freshness import watch_revision
from atlas.ui.loaders import current_snapshot
from atlas.ui.map_panel import MapRequest, render_map
from atlas.ui.notices import render_empty, render_notices, render_source_notice, render_summary
from atlas.ui.sidebar import render_filters
from atlas.ui.table_panel import render_table


def render() -> None:
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
    on_map = shown if filters.bounds is None else apply_filters(full, filters.without_bounds())
    render_summary(shown, full, lang)
    if shown.empty:
        render_empty(lang)

    focus = article_focus(articles, state.chosen_article(), on_map, lang)

    map_col, side_col = st.columns([3, 2], gap="medium")
    with side_col:
        details_box = st.container()
        render_articles(articles, full, filters, lang)
    charts_box = st.container()
    table_focus = render_table(shown, lang, filters)
    with map_col:
        render_map(MapRequest(on_map, full, lang, focus, table_focus))
    with details_box:
        render_details(full, lang, articles)
    with charts_box:
        render_charts(shown, lang)
    state.sync_url()
