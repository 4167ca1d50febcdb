"""Social Tech Atlas — the Streamlit page. Run with `make run` (or `streamlit run app.py`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.articles.linking import article_places_frame, article_places_points
from atlas.filters import apply_filters
from atlas.i18n import normalise_lang, t
from atlas.map import view_bounds
from atlas.ui.articles_panel import render_articles
from atlas.ui.charts_panel import render_charts
from atlas.ui.details import render_details
from atlas.ui.loaders import current_articles, current_atlas
from atlas.ui.map_panel import render_map
from atlas.ui.notices import render_empty, render_notices, render_summary
from atlas.ui.sidebar import render_sidebar
from atlas.ui.state import current_filters, init_from_url, sync_url
from atlas.ui.table_panel import render_table

st.set_page_config(page_title="Social Tech Atlas", page_icon="🗺️", layout="wide")
init_from_url()
lang = normalise_lang(st.session_state.get("lang"))
atlas = current_atlas()
full = atlas.frame
articles, article_problems = current_articles()
filters = current_filters(st.session_state.get("map_bounds"))

render_sidebar(full, lang, filters)
st.title(t("app_title", lang))
st.caption(t("app_subtitle", lang))
render_notices([*atlas.problems, *article_problems], lang)

shown = apply_filters(full, filters)
on_map = shown if filters.bounds is None else apply_filters(full, filters.without_bounds())  # the view filters the rest
render_summary(shown, full, lang)
if shown.empty:
    render_empty(lang)

chosen = next((a for a in articles if a.id == st.session_state.get("article")), None)
places = article_places_frame([chosen] if chosen else articles)
places_points = article_places_points(places, {a.id: a.title(lang) for a in articles}, lang)
highlight = frozenset((*chosen.organisations, *chosen.odcs)) if chosen else frozenset()

map_col, side_col = st.columns([3, 2], gap="medium")
with side_col:
    details_box = st.container()
    render_articles(articles, full, filters, lang)
charts_box = st.container()
table_focus = render_table(shown, lang, filters)
with map_col:
    focus_rows = pd.concat([on_map[on_map["id"].isin(highlight)], places_points]) if chosen else None
    render_map(
        on_map,
        full,
        lang,
        highlight,
        places_points,
        table_focus,
        view_bounds(focus_rows) if focus_rows is not None else None,
    )
with details_box:
    render_details(full, lang, articles)
with charts_box:
    render_charts(shown, lang)
sync_url()
