"""The Moderate page's Sources tab: every import source at a glance, read-only.

One row per source (`atlas import`, `atlas sync`): its format, where it comes from (its URL, or a
file), its last run and that run's counts, how many of its entries wait for a moderator or are no
longer in the source, and the next step. The values (names, URLs) are shown in a data frame, as
plain text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.i18n import t, tn
from atlas.imports.sync import overview
from atlas.store.store import Store
from atlas.ui import moderate_common as common


def next_step_text(step: str, n: int, lang: str) -> str:
    """The next step of SourceOverview.next_step() in words."""
    if step == "review":
        return tn("sources_next_review", n, lang)
    if step == "gone":
        return tn("sources_next_gone", n, lang)
    return t("sources_next_sync", lang) if step == "sync" else t("sources_next_file", lang)


def source_table(store: Store, lang: str) -> pd.DataFrame:
    rows = []
    for source in overview(store):
        summary = source.last_summary
        step, n = source.next_step()
        rows.append(
            {
                t("sources_col_name", lang): source.name,
                t("sources_col_format", lang): source.format,
                t("sources_col_origin", lang): source.url or t("sources_file", lang),
                t("sources_col_last_run", lang): common.when(source.last_run_at),
                t("sources_col_last_counts", lang): t(
                    "sources_counts",
                    lang,
                    rows=int(summary.get("rows", 0)),
                    new=int(summary.get("new", 0)) + int(summary.get("duplicate", 0)),
                    update=int(summary.get("update", 0)),
                    error=int(summary.get("error", 0)),
                    gone=int(summary.get("gone", 0)),
                ),
                t("sources_col_entries", lang): source.entries,
                t("sources_col_pending", lang): source.pending,
                t("sources_col_next", lang): next_step_text(step, n, lang),
            }
        )
    return pd.DataFrame(rows)


def render_sources(store: Store, lang: str) -> None:
    st.caption(t("sources_help", lang))
    table = source_table(store, lang)
    if table.empty:
        st.info(t("sources_empty", lang), icon=":material/inbox:")
        return
    st.dataframe(table, hide_index=True, width="stretch")
