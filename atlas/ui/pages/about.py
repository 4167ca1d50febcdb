"""About the data: where it comes from, how it is checked, how to contribute, what stays private."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.categories import CATEGORIES
from atlas.i18n import t
from atlas.opendata import data_licence
from atlas.text import safe_url
from atlas.ui import safe, state
from atlas.ui.loaders import current_snapshot


def render() -> None:
    lang = state.lang()
    data = current_snapshot()
    frame = data.atlas.frame
    kinds = frame["kind"].value_counts()
    st.title(t("page_about", lang))
    st.write(
        t(
            "about_counts",
            lang,
            orgs=int(kinds.get("organisation", 0)),
            odcs=int(kinds.get("odc", 0)),
            countries=int(frame["country"].nunique()),
            articles=len(data.articles),
        )
    )
    st.subheader(t("about_sources_title", lang))
    st.write(t("about_sources", lang))
    licence = data_licence()
    safe.small(licence.text(lang))  # a name, URL and attribution from the configuration: shown as text
    if safe_url(licence.url):
        st.link_button(t("licence_link", lang), safe_url(licence.url))
    st.subheader(t("about_categories_title", lang))
    counts = frame["category"].value_counts()
    st.dataframe(
        pd.DataFrame(
            {
                t("category", lang): [c.label(lang) for c in CATEGORIES],
                t("about_entries", lang): [int(counts.get(c.id, 0)) for c in CATEGORIES],
            }
        ),
        hide_index=True,
    )
    st.subheader(t("about_checks_title", lang))
    st.write(t("about_checks", lang))
    st.subheader(t("about_contribute_title", lang))
    st.write(t("about_contribute", lang))
    st.page_link(state.page("contribute"), label=t("page_contribute", lang))
    st.subheader(t("about_privacy_title", lang))
    st.write(t("about_privacy", lang))
