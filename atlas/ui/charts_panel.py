"""Charts following the filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.i18n import t
from atlas.ui import views


def render_charts(shown: pd.DataFrame, lang: str, view: views.View) -> None:
    """Four charts in two rows: by country, by category, ODC openings, choropleth (their
    specifications built once per view, `views.charts`)."""
    specs = views.charts(view, shown)
    st.subheader(t("charts", lang))
    left, right = st.columns(2)
    left.vega_lite_chart(specs.by_country, width="stretch")
    right.vega_lite_chart(specs.by_category, width="stretch")
    left, right = st.columns(2)
    if specs.openings is None:
        unknown = specs.openings_unknown
        left.caption(t("chart_openings_unknown_all", lang, n=int(unknown)) if unknown else t("chart_no_dates", lang))
    else:
        left.vega_lite_chart(specs.openings, width="stretch")
    right.vega_lite_chart(specs.choropleth, width="stretch")
