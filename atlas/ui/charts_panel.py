"""Charts following the filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import charts
from atlas.i18n import t


def render_charts(shown: pd.DataFrame, lang: str) -> None:
    """Four charts in two rows: by country, by category, ODC openings, choropleth."""
    st.subheader(t("charts", lang))
    left, right = st.columns(2)
    left.altair_chart(charts.by_country(shown, lang), width="stretch")
    right.altair_chart(charts.by_category(shown, lang), width="stretch")
    left, right = st.columns(2)
    openings = charts.odc_openings(shown, lang)
    if openings is None:
        _, unknown = charts.opening_dates(shown)
        left.caption(t("chart_openings_unknown_all", lang, n=int(unknown)) if unknown else t("chart_no_dates", lang))
    else:
        left.altair_chart(openings, width="stretch")
    right.vega_lite_chart(charts.choropleth(shown, lang), width="stretch")
