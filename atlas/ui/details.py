"""The detail panel: the full record of the entry chosen on the map or in the table; with a database,
when it was added and last changed, its public history, and "Suggest a correction"."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from atlas import labels
from atlas.articles.linking import article_places_frame, articles_mentioning
from atlas.articles.model import Article
from atlas.categories import category_label
from atlas.countries import country_name
from atlas.i18n import N_, content_lang, t
from atlas.provenance import mention_items, reader_sources, title_index
from atlas.sources import SourceUnavailable
from atlas.store import follow
from atlas.store.records import HistoryItem
from atlas.store.source import UNREACHABLE
from atlas.store.store import Store
from atlas.text import safe_url
from atlas.ui import form_state, safe, state
from atlas.ui.loaders import current_store
from atlas.ui.state import chosen_article, link_entry, open_article, selected_id, selected_place

POSITION_FIELDS = ("lat", "lon", "geo_precision", "geo_source")


def render_details(full: pd.DataFrame, lang: str, articles: list[Article], embedded: bool = False) -> None:
    """Show the selected entry (`state.selected_id()`) or a hint when there is none.

    `embedded`: in the embed layout's dialog (titled already, and without an articles panel to open).
    """
    if not embedded:
        st.subheader(t("details", lang))
    selected = selected_id()
    rows = full[full["id"] == selected] if selected else full.iloc[0:0]
    if rows.empty and selected_place() and not embedded:
        render_place(selected_place(), lang, articles)
        return
    if rows.empty:
        if selected and selected == link_entry():
            st.caption(t("entry_not_found", lang))
        st.caption(t("details_hint", lang))
        return
    row = rows.iloc[0]
    safe.strong(row["name"])
    st.caption(t("kind_odc", lang) if row["kind"] == "odc" else category_label(row["category"], lang))
    town = " ".join(p for p in (row["postcode"], row["city"]) if p)  # "1000 Brussels"
    safe.text(", ".join(p for p in (town, row["region"], country_name(row["country"], lang)) if p))
    if row["address"]:
        safe.text(t("address_line", lang, address=row["address"]))
    description = row[f"description_{content_lang(lang)}"]
    if description:
        safe.text(description)
        if content_lang(lang) != lang:  # written in English only: said so
            st.caption(t("content_in_english", lang))
    if row["kind"] == "odc":
        status = t("status_line", lang, status=t(labels.STATUS[row["status"]], lang))
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
                precision=t(labels.PRECISION[row["geo_precision"]], lang) if row["geo_precision"] else "",
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
    render_living_record(str(row["id"]), lang)


def render_place(place_id: str, lang: str, articles: list[Article]) -> None:
    """An article place clicked on the map: its name and country, and the articles that name it
    (each opens its card in the articles panel)."""
    places = article_places_frame(articles)
    found = places[places["id"] == place_id]
    if found.empty:
        st.caption(t("details_hint", lang))
        return
    place = found.iloc[0]
    safe.strong(place["name"])
    st.caption(t("kind_place", lang))
    safe.text(country_name(place["country"], lang))
    named = [a for a in articles if a.id in set(place["article_ids"])]
    if named:
        st.markdown(f"**{t('place_articles', lang)}**")
        safe.choices(
            [(a.id, a.title(lang)) for a in named],
            key=f"place_{place_id}",
            label=t("place_articles", lang),
            on_choose=open_article,
            current=chosen_article(),
        )


def render_living_record(entry_id: str, lang: str) -> None:
    """When it was added and last changed, "Suggest a correction", and the public history: dates,
    what kind of change, which fields — never who (beyond a role), an e-mail, or a note."""
    try:
        store = current_store()
        entry = store.entry(entry_id) if store is not None else None
        history = store.history(entry_id, public=True) if store is not None and entry is not None else []
    except (SourceUnavailable, *UNREACHABLE):
        return  # the map says the database is unreachable; the record above is all there is
    if entry is None:
        return
    added, changed = entry["created_at"], entry["updated_at"]
    safe.small(t("contribute_added_changed", lang, added=_date(added), changed=_date(changed)))
    _pending_correction(store, entry_id, lang)
    if entry["state"] == "published" and st.button(
        t("contribute_suggest", lang),
        key="suggest_correction",
        icon=":material/edit:",
        on_click=form_state.start_correction,
        args=(entry_id,),
    ):
        st.switch_page(state.page("contribute"))
    if history:
        with st.expander(t("contribute_history", lang)):
            for item in reversed(history):
                safe.small(history_line(item, lang))


def _pending_correction(store: Store | None, entry_id: str, lang: str) -> None:
    """ "A correction is waiting for review" while one is (issue 25): a visitor who just sent one
    sees it was received, and the next one knows before proposing the same."""
    try:
        waiting = follow.pending_corrections(store, entry_id) if store is not None else 0
    except UNREACHABLE:
        return
    if waiting:
        st.caption(t("details_correction_pending", lang), help=None)


def history_line(item: HistoryItem, lang: str) -> str:
    """One line of the public history: "2026-03-01 — corrected by a visitor, approved (website)"."""
    what = t(labels.CONTRIBUTE_HISTORY.get(item.action) or N_("contribute_history_other"), lang)
    line = f"{_date(item.at)} — {what}"
    if item.action in ("correction", "edit", "state"):
        fields = _field_names(item.fields, lang)
        if fields:
            line += f" ({', '.join(fields)})"
    return line


def _field_names(fields: tuple[str, ...], lang: str) -> list[str]:
    names: list[str] = []
    for field in fields:
        key = (
            N_("contribute_field_position")
            if field in POSITION_FIELDS
            else labels.FORM_FIELD.get(field) or labels.CONTRIBUTE_FIELD.get(field) or N_("contribute_field_other")
        )
        name = t(key, lang)
        if name not in names:
            names.append(name)
    return names


def _date(value: object) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, dt.datetime | dt.date) else ""
