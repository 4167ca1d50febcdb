"""The detail panel: the full record of the entry chosen on the map or in the table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.articles.linking import articles_mentioning
from atlas.articles.model import Article
from atlas.categories import category_label
from atlas.i18n import t
from atlas.provenance import mention_items, reader_sources, title_index
from atlas.text import safe_url
from atlas.ui import safe
from atlas.ui.state import chosen_article, link_entry, open_article, selected_id


def render_details(full: pd.DataFrame, lang: str, articles: list[Article], embedded: bool = False) -> None:
    """Show the selected entry (`state.selected_id()`) or a hint when there is none.

    `embedded`: in the embed layout's dialog (titled already, and without an articles panel to open).
    """
    if not embedded:
        st.subheader(t("details", lang))
    selected = selected_id()
    rows = full[full["id"] == selected] if selected else full.iloc[0:0]
    if rows.empty:
        if selected and selected == link_entry():
            st.caption(t("entry_not_found", lang))
        st.caption(t("details_hint", lang))
        return
    row = rows.iloc[0]
    safe.strong(row["name"])
    st.caption(t("kind_odc", lang) if row["kind"] == "odc" else category_label(row["category"], lang))
    safe.text(", ".join(p for p in (row["city"], row[f"country_name_{lang}"]) if p))
    if row["address"]:
        safe.text(t("address_line", lang, address=row["address"]))
    if row[f"description_{lang}"]:
        safe.text(row[f"description_{lang}"])
    if row["kind"] == "odc":
        status = t("status_line", lang, status=t(f"status_{row['status']}", lang))
        safe.text(status + (" · " + t("opened_line", lang, opened=row["opened"]) if row["opened"] else ""))
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
    # The source as a reader reads it (the downloads keep the raw `source` column).
    index = title_index((a.id, (a.title_en, a.title_fr)) for a in articles)
    sources = reader_sources(row["source"], lang, index, {a.id: a.title(lang) for a in articles})
    if sources:
        safe.small(t("sources_line", lang, sources=t("list_separator", lang).join(sources)))
    mentions = mention_items(articles_mentioning(articles, row["id"]), lang)
    if mentions and embedded:
        safe.small(t("mentioned_in_line", lang, titles=t("list_separator", lang).join(label for _, label in mentions)))
    elif mentions:
        st.markdown(f"**{t('mentioned_in', lang)}**")
        # Each article opens its card in the articles panel (and shows its places on the map).
        safe.choices(
            mentions,
            key=f"mentioned_{row['id']}",
            label=t("mentioned_in_label", lang),
            on_choose=open_article,
            current=chosen_article(),
        )
