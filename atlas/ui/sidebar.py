"""Sidebar: language switch and the filters, each option labelled with its count."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.categories import CATEGORY_IDS, category_label
from atlas.countries import country_name
from atlas.filters import Filters, option_counts
from atlas.i18n import LANGS, t
from atlas.schema import KINDS, ODC_STATUSES
from atlas.ui.state import clear_filters


def _keep_known(key: str, allowed: set[str]) -> None:
    """Drop values (e.g. from an old link) that are no longer options, so the widget never fails."""
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in allowed]


def render_sidebar(frame: pd.DataFrame, lang: str, filters: Filters) -> None:
    """Draw the language switch and every filter widget (values live in session state)."""
    sb = st.sidebar
    sb.radio(
        "Language / Langue",
        LANGS,
        key="lang",
        horizontal=True,
        format_func=lambda c: {"en": "English", "fr": "Français"}[c],
    )
    sb.header(t("filters", lang))

    countries = option_counts(frame, filters, "country", "countries")
    codes = sorted(set(frame["country"]), key=lambda c: country_name(c, lang))
    _keep_known("f_country", set(codes))
    sb.multiselect(
        t("country", lang),
        codes,
        key="f_country",
        placeholder=t("choose", lang),
        format_func=lambda c: f"{country_name(c, lang)} ({int(countries.get(c, 0))})",
    )

    cats = option_counts(frame, filters, "category", "categories")
    _keep_known("f_category", set(CATEGORY_IDS))
    sb.multiselect(
        t("category", lang),
        list(CATEGORY_IDS),
        key="f_category",
        placeholder=t("choose", lang),
        format_func=lambda c: f"{category_label(c, lang)} ({int(cats.get(c, 0))})",
    )

    kinds = option_counts(frame, filters, "kind", "kinds")
    _keep_known("f_kind", set(KINDS))
    sb.pills(
        t("kind", lang),
        list(KINDS),
        key="f_kind",
        selection_mode="multi",
        format_func=lambda k: f"{t('kind_' + k, lang)} ({int(kinds.get(k, 0))})",
    )

    odcs = frame[frame["kind"] == "odc"]
    statuses = option_counts(odcs, filters, "status", "statuses")
    _keep_known("f_status", set(ODC_STATUSES))
    sb.pills(
        t("odc_status", lang),
        list(ODC_STATUSES),
        key="f_status",
        selection_mode="multi",
        format_func=lambda s: f"{t('status_' + s, lang)} ({int(statuses.get(s, 0))})",
    )

    sb.text_input(t("search", lang), key="f_query", help=t("search_help", lang), max_chars=200)
    sb.toggle(t("only_map_view", lang), key="f_inview", help=t("only_map_view_help", lang))
    sb.button(t("clear_filters", lang), on_click=clear_filters, disabled=filters.is_empty(), key="clear_sidebar")
