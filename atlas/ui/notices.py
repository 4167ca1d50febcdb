"""Messages above the map: ignored link parameters, data problems, counts, empty results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import config
from atlas.i18n import t, tn
from atlas.schema import Problem
from atlas.ui import safe
from atlas.ui.loaders import Snapshot, seeded_elsewhere
from atlas.ui.state import clear_filters, ignored_params
from atlas.urlstate import shown_ignored


def render_notices(problems: list[Problem | str], lang: str) -> None:
    """Warn about ignored URL parameters and about rows the loader skipped or corrected."""
    ignored = ignored_params()
    if ignored:
        shown, more = shown_ignored(tuple(ignored))
        safe.notice(t("bad_params", lang), shown + ([tn("bad_params_more", more, lang)] if more else []))
    if problems:
        st.warning(tn("data_problems", len(problems), lang), icon="⚠️")
        with st.expander(t("data_problems_details", lang)):
            st.dataframe(
                pd.DataFrame(
                    {
                        "severity": [getattr(p, "severity", "error") for p in problems],
                        "problem": [str(p) for p in problems],
                    }
                ),
                hide_index=True,
                width="stretch",
            )


def render_source_notice(data: Snapshot, lang: str) -> None:
    """Say so when the data shown is not live (the database cannot be reached right now), or comes from
    a database first filled from another folder than the one the app is set to serve."""
    render_seed_notice(lang)
    if data.live:
        return
    if data.as_of is None:
        st.warning(t("source_unavailable_files", lang), icon="⚠️")
    else:
        st.warning(t("source_unavailable", lang), icon="⚠️")
        safe.small(t("source_as_of", lang) + " " + data.as_of.strftime("%Y-%m-%d %H:%M UTC"))


def render_seed_notice(lang: str) -> None:
    """The database was seeded from another folder (a test run's or a trial's sample): the map may show
    those entries instead of the atlas. The folders are configuration, shown as plain text."""
    folder = seeded_elsewhere()
    if folder is None:
        return
    safe.notice(
        t("seeded_elsewhere", lang),
        [t("seeded_from_folder", lang, folder=folder), t("seeded_serving_folder", lang, folder=config.data_dir())],
        icon="⚠️",
    )


def render_summary(shown: pd.DataFrame, full: pd.DataFrame, lang: str) -> None:
    """One line: how many entries are shown out of how many."""
    kinds = shown["kind"].value_counts()
    st.markdown(
        t(
            "count_summary",
            lang,
            shown=len(shown),
            total=len(full),
            orgs=int(kinds.get("organisation", 0)),
            odcs=int(kinds.get("odc", 0)),
        )
    )


def render_empty(lang: str) -> None:
    """Say plainly that nothing matches, and offer to clear the filters."""
    st.info(t("empty_result", lang), icon="🔍")
    st.button(t("clear_filters", lang), on_click=clear_filters, key="clear_empty", type="primary")
