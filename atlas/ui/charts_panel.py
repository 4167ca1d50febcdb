"""Charts following the filters: four tabs, and only the open one is drawn.

A chart costs the server its data on every rerun (Vega-Lite's data travels with the chart), so the
charts sit in tabs that rerun when switched (`on_change="rerun"`), and a rerun draws the open tab
only. Their specifications are built once per view and shared (`views.chart`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.charts import opening_dates
from atlas.i18n import N_, t
from atlas.ui import views
from atlas.ui.state import Key

# The tabs in order: their title (a translation key) and their chart (`atlas.charts.CHARTS`).
TABS = (
    (N_("chart_tab_country"), "by_country"),
    (N_("chart_tab_category"), "by_category"),
    (N_("chart_tab_openings"), "openings"),
    (N_("chart_tab_map"), "choropleth"),
)


def render_charts(shown: pd.DataFrame, lang: str, view: views.View) -> None:
    """The charts' heading and tabs; the open tab's chart (the first one on a new visit)."""
    st.subheader(t("charts", lang))
    tabs = st.tabs([t(title, lang) for title, _ in TABS], key=Key.CHART_TAB, on_change="rerun")
    for tab, (_, which) in zip(tabs, TABS, strict=True):
        if tab.open is False:  # None: the tabs do not say which is open (draw them all)
            continue
        spec = views.chart(view, which, shown)
        with tab:
            if spec is not None:
                st.vega_lite_chart(spec, width="stretch")
            else:  # the openings chart of a view with no known opening date
                unknown = opening_dates(shown)[1]
                if unknown:
                    st.caption(t("chart_openings_unknown_all", lang, n=int(unknown)))
                else:
                    st.caption(t("chart_no_dates", lang))
