"""The Moderate page's audit log (every decision, searchable, a page at a time) and the history
table of one entry: when, what, who proposed and who decided, why, and which fields changed."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import streamlit as st

from atlas.i18n import t, tn
from atlas.store.records import Change
from atlas.store.store import Store
from atlas.ui import moderate_common as common
from atlas.ui import state
from atlas.ui.state import Key

AUDIT_SIZE = 50  # audit-log rows a page


def render_audit(store: Store, lang: str) -> None:
    text = st.text_input(
        t("moderate_audit_search", lang),
        key=Key.MOD_AUDIT_TEXT,
        max_chars=common.MAX_SEARCH,
        on_change=state.reset_audit_page,
        help=t("moderate_audit_search_help", lang),
    )
    index = state.page_index(Key.MOD_AUDIT_PAGE)
    items, total = store.audit(text or "", page=index, size=AUDIT_SIZE)
    pages = max(1, -(-total // AUDIT_SIZE))
    st.caption(tn("moderate_audit_count", int(total), lang))
    frame = history_frame(items, lang, entries=True)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        row_height=AUDIT_ROW_HEIGHT,
        column_config=_audit_columns(list(frame.columns), lang),
    )
    common.pager(Key.MOD_AUDIT_PAGE, index, pages, lang)


AUDIT_ROW_HEIGHT = 96  # px: over Streamlit's 4rem, the table wraps its text (four lines a row) instead of cutting it
AUDIT_WIDTHS: dict[
    str, Literal["small", "medium", "large"]
] = {  # the short columns narrow, so that who decided and why have the room
    "moderate_col_when": "small",
    "moderate_col_entry": "small",
    "moderate_col_action": "small",
    "moderate_col_status": "small",
    "moderate_col_author": "medium",
    "moderate_col_decided_by": "medium",
    "moderate_col_reason": "large",
    "moderate_col_changes": "large",
}


def _audit_columns(columns: list[str], lang: str) -> dict[str, Any]:
    """The audit log's columns: widths by what they hold, the full text in each cell's tooltip."""
    titles = {t(key, lang): key for key in AUDIT_WIDTHS}
    return {
        column: st.column_config.TextColumn(column, width=AUDIT_WIDTHS[titles[column]])
        for column in columns
        if column in titles
    }


def history_frame(items: list, lang: str, entries: bool = False) -> pd.DataFrame:
    columns: dict[str, list[str]] = {t("moderate_col_when", lang): [common.when(i.at) for i in items]}
    if entries:
        columns[t("moderate_col_entry", lang)] = [i.entry_id for i in items]
    columns.update(
        {
            t("moderate_col_action", lang): [common.word("action", i.action, lang) for i in items],
            t("moderate_col_status", lang): [common.word("status", i.status, lang) for i in items],
            t("moderate_col_author", lang): [i.author for i in items],
            t("moderate_col_decided_by", lang): [i.decided_by for i in items],
            t("moderate_col_reason", lang): [i.decision_note for i in items],
            t("moderate_col_changes", lang): [_summary(i.changes) for i in items],
        }
    )
    return pd.DataFrame(columns)


def _summary(changes: tuple[Change, ...]) -> str:
    return "; ".join(
        f"{c.field}: {common.cell(c.new)}"
        if c.old in (None, "")
        else f"{c.field}: {common.cell(c.old)} → {common.cell(c.new)}"
        for c in changes
    )
