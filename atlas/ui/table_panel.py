"""The table of shown rows, with downloads of exactly those rows and columns."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from atlas.export import TABLE_COLUMNS, export_filename, to_csv, to_geojson
from atlas.filters import Filters
from atlas.i18n import N_, t
from atlas.opendata import data_licence, hsds_zip, to_jsonld
from atlas.text import safe_url
from atlas.ui import safe, state, views
from atlas.ui.page_script import DOWNLOADS_ANCHOR, TABLE_ANCHOR
from atlas.ui.state import Key

EAGER_DOWNLOAD_ROWS = 5_000
TABLE_ROWS = 1_000  # rows sent to the browser's table; downloads always hold every shown row
# Header (translation key) of each column of the table on the page.
HEADERS = {
    "name": N_("col_name"),
    "kind_label": N_("col_kind"),
    "category_label": N_("col_category"),
    "country_name": N_("col_country"),
    "city": N_("col_city"),
    "status_label": N_("col_status_label"),
    "opened": N_("col_opened"),
    "geo_precision_label": N_("col_geo_precision_label"),
    "website": N_("col_website"),
}


def render_table(shown: pd.DataFrame, lang: str, filters: Filters, view: views.View) -> tuple[float, float] | None:
    """Draw the table and the download buttons; returns the coordinates of a newly selected row.

    The table shows labels in the page's language (no codes, no ids); the downloads hold every
    column, codes and labels (`atlas.export.EXPORT_COLUMNS`).
    """
    st.subheader(t("table", lang), anchor=TABLE_ANCHOR)
    table = views.table(view, shown)  # made once per view, shared (views.py)
    labels = {c: t(HEADERS[c], lang) for c in TABLE_COLUMNS}
    if len(table) > TABLE_ROWS:
        st.caption(t("table_first_rows", lang, rows=TABLE_ROWS, total=len(table)))
    event = st.dataframe(
        table.head(TABLE_ROWS),
        key=Key.TABLE,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=320,
        column_order=TABLE_COLUMNS,
        column_config={c: st.column_config.Column(label) for c, label in labels.items()}
        | {"website": st.column_config.LinkColumn(labels["website"])},
    )
    st.caption(t("table_select_hint", lang))
    st.subheader(t("downloads", lang), anchor=DOWNLOADS_ANCHOR)
    filtered = replace(filters, countries=()) != Filters()  # narrowed by more than the countries
    left, right = st.columns(2)
    # Small files go with the page; large ones are built on click (a deferred file can be lost
    # when other sessions rerun before the browser fetches it, so it is kept for big tables only).
    eager = len(table) <= EAGER_DOWNLOAD_ROWS
    files = views.downloads(view, shown) if eager else None  # built once per view (views.py)
    left.download_button(
        t("download_csv", lang),
        data=files.csv if files else lambda: to_csv(table),
        on_click="ignore",
        file_name=export_filename(filters.countries, "csv", filtered=filtered),
        mime="text/csv",
        help=t("download_labels_help", lang),
        key="dl_csv",
        width="stretch",
    )
    right.download_button(
        t("download_geojson", lang),
        data=files.geojson if files else lambda: to_geojson(table),
        on_click="ignore",
        file_name=export_filename(filters.countries, "geojson", filtered=filtered),
        mime="application/geo+json",
        key="dl_geojson",
        width="stretch",
    )
    left, right = st.columns(2)  # the open-data standards, of the same rows (every field, both languages)
    left.download_button(
        t("download_hsds", lang),
        data=files.hsds if files else lambda: hsds_zip(shown),
        on_click="ignore",
        file_name=export_filename(filters.countries, "hsds.zip", filtered=filtered),
        mime="application/zip",
        help=t("download_hsds_help", lang),
        key="dl_hsds",
        width="stretch",
    )
    right.download_button(
        t("download_jsonld", lang),
        data=files.jsonld if files else lambda: to_jsonld(shown),
        on_click="ignore",
        file_name=export_filename(filters.countries, "jsonld", filtered=filtered),
        mime="application/ld+json",
        help=t("download_jsonld_help", lang),
        key="dl_jsonld",
        width="stretch",
    )
    licence = data_licence()
    safe.small(licence.text(lang))  # a name and URL from the configuration: shown as text
    if safe_url(licence.url):
        st.link_button(t("licence_link", lang), safe_url(licence.url))
    rows = event.selection.rows if event and event.selection else []
    if not rows:
        state.new_table_pick("")
        return None
    record = table.iloc[rows[0]]
    entry = str(record["id"])
    if state.new_table_pick(entry):
        state.select(entry)
    if entry != state.selected_id():  # a marker clicked since: the map shows that one
        return None
    return (float(record["lat"]), float(record["lon"])) if pd.notna(record["lat"]) else None
