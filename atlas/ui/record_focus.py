"""The record panel for keyboards and screen readers (static/atlas/record.mjs, a Streamlit component
that runs in the page): a new record is announced in a live region, the focus moves to its heading
when it was opened with Enter on a marker, "Back to the map" returns to the marker, and the heading
is where the skip link "Skip to the selected entry" leads (issue 25)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import streamlit as st

from atlas import assets
from atlas.i18n import t
from atlas.ui.page_script import MAP_BOX, RECORD_ANCHOR
from atlas.ui.state import selected_id

KEY = "atlas_record_focus"


@cache
def _component() -> Any:
    return st.components.v2.component("atlas_record", js=(assets.OWN_DIR / "record.mjs").read_text(encoding="utf-8"))


def mount(full: pd.DataFrame, lang: str) -> None:
    """Below the record of the selected entry (nothing to announce when there is none)."""
    selected = selected_id()
    rows = full[full["id"] == selected] if selected else full.iloc[0:0]
    name = str(rows.iloc[0]["name"]) if not rows.empty else ""
    _component()(
        key=KEY,
        data={
            "id": selected if name else "",
            "name": name,  # outside text: record.mjs sets it as text only
            "announce": t("record_opened", lang, name=name) if name else "",
            "back": t("back_to_map", lang),
            "anchor": RECORD_ANCHOR,
            "map": f".st-key-{MAP_BOX} iframe",
        },
        height="content",
    )
