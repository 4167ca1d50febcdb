"""Sidebar: the language switch (every page) and the map's filters, each option labelled with its count."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import labels
from atlas.categories import CATEGORY_IDS, category_label
from atlas.countries import country_name
from atlas.filters import Filters, option_counts
from atlas.i18n import LANGS, LANGUAGE_NAMES, t
from atlas.regions import region_name, regions, regions_of
from atlas.schema import KINDS, ODC_STATUSES
from atlas.ui.state import Key, clear_filters, keep_known

SEARCH_PAUSE = "400ms"  # typing pause after which the search applies (Streamlit's `live` text input)


def render_language() -> None:
    """The language switch, on every page (its value lives in session state)."""
    st.sidebar.radio(
        "Language / Langue / Idioma",
        LANGS,
        key=Key.LANG,
        horizontal=True,
        format_func=lambda c: LANGUAGE_NAMES[c],
        persist_state="session",  # kept when a button switches page (`st.switch_page` sends no widget values)
    )


def render_filters(frame: pd.DataFrame, lang: str, filters: Filters) -> None:
    """Draw every filter widget of the map page (values live in session state)."""
    sb = st.sidebar
    sb.header(t("filters", lang))

    counts = option_counts(frame, filters)  # every option's count in one pass over integer codes
    countries, per_region = counts.countries, counts.regions
    codes = sorted(set(frame["country"]), key=lambda c: country_name(c, lang))
    keep_known(Key.COUNTRIES, set(codes))
    sb.multiselect(
        t("country", lang),
        codes,
        key=Key.COUNTRIES,
        placeholder=t("choose", lang),
        format_func=lambda c: f"{country_name(c, lang)} ({int(countries.get(c, 0))})",
    )
    # A region chosen in a link stays an option even when the data has no country in it.
    chosen = [r for r in filters.regions if r in regions()]
    region_codes = list(dict.fromkeys([*regions_of(codes, lang), *chosen]))
    keep_known(Key.REGIONS, set(region_codes))
    sb.multiselect(
        t("region", lang),
        region_codes,
        key=Key.REGIONS,
        placeholder=t("choose", lang),
        help=t("region_help", lang),
        format_func=lambda r: f"{region_name(r, lang)} ({per_region.get(r, 0)})",
    )

    cats = counts.categories
    keep_known(Key.CATEGORIES, set(CATEGORY_IDS))
    sb.multiselect(
        t("category", lang),
        list(CATEGORY_IDS),
        key=Key.CATEGORIES,
        placeholder=t("choose", lang),
        format_func=lambda c: f"{category_label(c, lang)} ({int(cats.get(c, 0))})",
    )

    kinds = counts.kinds
    keep_known(Key.KINDS, set(KINDS))
    sb.pills(
        t("kind", lang),
        list(KINDS),
        key=Key.KINDS,
        selection_mode="multi",
        format_func=lambda k: f"{t(labels.KIND[k], lang)} ({int(kinds.get(k, 0))})",
    )

    statuses = counts.statuses
    keep_known(Key.STATUSES, set(ODC_STATUSES))
    sb.pills(
        t("odc_status", lang),
        list(ODC_STATUSES),
        key=Key.STATUSES,
        selection_mode="multi",
        format_func=lambda s: f"{t(labels.STATUS[s], lang)} ({int(statuses.get(s, 0))})",
    )

    # Filters while the visitor types (after a short pause), like the search boxes of other maps.
    sb.text_input(
        t("search", lang),
        key=Key.QUERY,
        help=t("search_help", lang),
        placeholder=t("search_placeholder", lang),
        max_chars=200,
        type="search",
        live=SEARCH_PAUSE,
    )
    sb.toggle(t("only_map_view", lang), key=Key.IN_VIEW, help=t("only_map_view_help", lang))
    sb.button(t("clear_filters", lang), on_click=clear_filters, disabled=filters.is_empty(), key="clear_sidebar")
