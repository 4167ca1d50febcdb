"""Sidebar: the language switch (every page) and the map's filters, each option labelled with its count."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.categories import CATEGORY_IDS, category_label
from atlas.countries import country_name
from atlas.filters import Filters, option_counts
from atlas.i18n import LANGS, t
from atlas.schema import KINDS, ODC_STATUSES
from atlas.ui.state import Key, clear_filters, keep_known


def render_language() -> None:
    """The language switch, on every page (its value lives in session state)."""
    st.sidebar.radio(
        "Language / Langue",
        LANGS,
        key=Key.LANG,
        horizontal=True,
        format_func=lambda c: {"en": "English", "fr": "Français"}[c],
        persist_state="session",  # kept when a button switches page (`st.switch_page` sends no widget values)
    )


def render_filters(frame: pd.DataFrame, lang: str, filters: Filters) -> None:
    """Draw every filter widget of the map page (values live in session state)."""
    sb = st.sidebar
    sb.header(t("filters", lang))

    countries = option_counts(frame, filters, "country", "countries")
    codes = sorted(set(frame["country"]), key=lambda c: country_name(c, lang))
    keep_known(Key.COUNTRIES, set(codes))
    sb.multiselect(
        t("country", lang),
        codes,
        key=Key.COUNTRIES,
        placeholder=t("choose", lang),
        format_func=lambda c: f"{country_name(c, lang)} ({int(countries.get(c, 0))})",
    )

    cats = option_counts(frame, filters, "category", "categories")
    keep_known(Key.CATEGORIES, set(CATEGORY_IDS))
    sb.multiselect(
        t("category", lang),
        list(CATEGORY_IDS),
        key=Key.CATEGORIES,
        placeholder=t("choose", lang),
        format_func=lambda c: f"{category_label(c, lang)} ({int(cats.get(c, 0))})",
    )

    kinds = option_counts(frame, filters, "kind", "kinds")
    keep_known(Key.KINDS, set(KINDS))
    sb.pills(
        t("kind", lang),
        list(KINDS),
        key=Key.KINDS,
        selection_mode="multi",
        format_func=lambda k: f"{t('kind_' + k, lang)} ({int(kinds.get(k, 0))})",
    )

    odcs = frame[frame["kind"] == "odc"]
    statuses = option_counts(odcs, filters, "status", "statuses")
    keep_known(Key.STATUSES, set(ODC_STATUSES))
    sb.pills(
        t("odc_status", lang),
        list(ODC_STATUSES),
        key=Key.STATUSES,
        selection_mode="multi",
        format_func=lambda s: f"{t('status_' + s, lang)} ({int(statuses.get(s, 0))})",
    )

    sb.text_input(t("search", lang), key=Key.QUERY, help=t("search_help", lang), max_chars=200)
    sb.toggle(t("only_map_view", lang), key=Key.IN_VIEW, help=t("only_map_view_help", lang))
    sb.button(t("clear_filters", lang), on_click=clear_filters, disabled=filters.is_empty(), key="clear_sidebar")
