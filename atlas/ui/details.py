"""The detail panel: the full record of the entry chosen on the map or in the table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.articles.linking import articles_mentioning
from atlas.articles.model import Article
from atlas.categories import category_label
from atlas.i18n import t
from atlas.text import safe_url
from atlas.ui import safe
from atlas.ui.state import selected_id


def render_details(full: pd.DataFrame, lang: str, articles: list[Article]) -> None:
    """Show the selected entry (`state.selected_id()`) or a hint when there is none."""
    st.subheader(t("details", lang))
    selected = selected_id()
    rows = full[full["id"] == selected] if selected else full.iloc[0:0]
    if rows.empty:
        st.caption(t("details_hint", lang))
        return
    row = rows.iloc[0]
    safe.strong(row["name"])
    st.caption(t("kind_odc", lang) if row["kind"] == "odc" else category_label(row["category"], lang))
    safe.text(", ".join(p for p in (row["city"], row[f"country_name_{lang}"]) if p))
    if row["address"]:
        safe.text(f"{t('field_address', lang)}: {row['address']}")
    if row[f"description_{lang}"]:
        safe.text(row[f"description_{lang}"])
    if row["kind"] == "odc":
        status = t(f"status_{row['status']}", lang)
        safe.text(
            f"{t('field_status', lang)}: {status}"
            + (f" · {t('field_opened', lang)}: {row['opened']}" if row["opened"] else "")
        )
    url = safe_url(row["website"])
    if url:
        st.link_button(t("website", lang), url)
    if pd.notna(row["lat"]):
        st.caption(
            t(
                "coordinates_line",
                lang,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                precision=t(f"precision_{row['geo_precision']}", lang) if row["geo_precision"] else "",
            )
        )
    safe.small(f"{t('field_source', lang)}: {row['source']}")
    titles = [a.title(lang) for a in articles_mentioning(articles, row["id"])]
    if titles:
        st.markdown(f"**{t('mentioned_in', lang)}**")
        for title in titles:
            safe.text(f"• {title}")
