"""The table of shown rows, a page at a time, with downloads of exactly those rows and columns.

The table sends the browser one page of rows (`PAGE_ROWS`), searched, sorted and paged on the
server (`views.table_rows`, built once per view), never every row on every rerun. The download
buttons hand Streamlit a callable (deferred data): a file is built when a visitor clicks, not on
every rerun, and then shared by every session asking for the same view (`views.download`). The
files always hold every row the filters show, whatever page of the table is open.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit import runtime

from atlas.export import TABLE_COLUMNS, export_filename
from atlas.filters import Filters
from atlas.i18n import N_, t
from atlas.opendata import data_licence
from atlas.text import safe_url
from atlas.ui import safe, state, views
from atlas.ui.page_script import DOWNLOADS_ANCHOR, TABLE_ANCHOR
from atlas.ui.state import Key

EAGER_BYTES = 2_000_000  # a file already built and this small goes with the page (see `_file`)
PAGE_ROWS = 50  # rows sent to the browser's table; the downloads always hold every shown row
SORTABLE = ("name", "country_name", "city", "category_label", "kind_label", "opened")
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
# The download buttons: (file, label key, extension, type, help key), two to a row.
DOWNLOADS = (
    ("csv", N_("download_csv"), "csv", "text/csv", N_("download_labels_help")),
    ("geojson", N_("download_geojson"), "geojson", "application/geo+json", None),
    ("hsds", N_("download_hsds"), "hsds.zip", "application/zip", N_("download_hsds_help")),
    ("jsonld", N_("download_jsonld"), "jsonld", "application/ld+json", N_("download_jsonld_help")),
)


def render_table(shown: pd.DataFrame, lang: str, filters: Filters, view: views.View) -> tuple[float, float] | None:
    """Draw the table and the download buttons; returns the coordinates of a newly selected row.

    The table shows labels in the page's language (no codes, no ids), one page at a time; the
    downloads hold every shown row with every column, codes and labels (`atlas.export.EXPORT_COLUMNS`).
    """
    st.subheader(t("table", lang), anchor=TABLE_ANCHOR)
    table = views.table(view, shown)  # made once per view, shared (views.py)
    search, sort, order = st.columns([3, 2, 1], vertical_alignment="bottom")
    query = search.text_input(t("table_search", lang), key="table_search", max_chars=100)
    column = sort.selectbox(
        t("table_sort", lang), SORTABLE, key="table_sort", format_func=lambda c: t(HEADERS[c], lang)
    )
    descending = order.toggle(t("table_descending", lang), key="table_descending")
    positions = views.table_rows(view, table, query or "", column, descending)
    pages = max(1, -(-len(positions) // PAGE_ROWS))
    # A new listing (another view, search or order) starts at its first page, with nothing ticked.
    listing = hashlib.blake2b(repr((view, query, column, descending)).encode(), digest_size=6).hexdigest()
    grid = st.container()
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                t("table_page", lang, pages=int(pages)),
                min_value=1,
                max_value=pages,
                value=1,
                step=1,
                key=f"table_page_{listing}",
            )
        )
    at = positions[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    if len(positions) > len(at):
        first = (page - 1) * PAGE_ROWS + 1
        grid.caption(t("table_rows_of", lang, first=int(first), last=int(first + len(at) - 1), total=len(positions)))
    elif query and query.strip():
        grid.caption(t("table_found", lang, found=len(positions), total=len(table)))
    labels = {c: t(HEADERS[c], lang) for c in TABLE_COLUMNS}
    event = grid.dataframe(
        table[list(TABLE_COLUMNS)].take(at).reset_index(drop=True),  # this page only, the columns shown
        key=f"{Key.TABLE}_{listing}_{page}",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=320,
        column_config={c: st.column_config.Column(label) for c, label in labels.items()}
        | {"website": st.column_config.LinkColumn(labels["website"])},
    )
    st.caption(t("table_select_hint", lang))
    render_downloads(shown, lang, filters, view)
    licence = data_licence()
    safe.small(licence.text(lang))  # a name and URL from the configuration: shown as text
    if safe_url(licence.url):
        st.link_button(t("licence_link", lang), safe_url(licence.url))
    rows = event.selection.rows if event and event.selection else []
    if not rows or rows[0] >= len(at):
        state.new_table_pick("")
        return None
    record = table.iloc[int(at[rows[0]])]
    entry = str(record["id"])
    if state.new_table_pick(entry):
        state.select(entry)
    if entry != state.selected_id():  # a marker clicked since: the map shows that one
        return None
    return (float(record["lat"]), float(record["lon"])) if pd.notna(record["lat"]) else None


def render_downloads(shown: pd.DataFrame, lang: str, filters: Filters, view: views.View) -> None:
    """The four download buttons of the view: each file is built on a click (deferred data), then
    shared by every session showing the same view; a rerun builds none."""
    st.subheader(t("downloads", lang), anchor=DOWNLOADS_ANCHOR)
    filtered = replace(filters, countries=()) != Filters()  # narrowed by more than the countries
    for pair in (DOWNLOADS[:2], DOWNLOADS[2:]):  # the table's columns, then the open-data standards
        for box, (which, label, extension, mime, help_key) in zip(st.columns(2), pair, strict=True):
            file_name = export_filename(filters.countries, extension, filtered=filtered)
            box.download_button(
                t(label, lang),
                data=_file(view, which, shown, mime, file_name),
                on_click="ignore",
                file_name=file_name,
                mime=mime,
                help=t(help_key, lang) if help_key else None,
                key=f"dl_{which}",
                width="stretch",
            )


def _file(view: views.View, which: str, shown: pd.DataFrame, mime: str, file_name: str) -> bytes | Callable[[], bytes]:
    """The file itself once any visitor has asked for it and it is small, else what Streamlit calls
    when the visitor clicks (deferred data)."""
    file = views.built(view, which)
    if file is not None and len(file) <= EAGER_BYTES:
        return file

    def on_click() -> bytes:
        file = views.download(view, which, shown)
        _keep(file, mime, file_name)
        return file

    return on_click


def _keep(file: bytes, mime: str, file_name: str) -> None:
    """Keep a file built on a click while the browser fetches it.

    Streamlit stores the file a deferred download button makes unreferenced by any session, and
    deletes such files at the second clean-up after any session's run: under twenty visitors
    (`make load`) that came before many clients fetched theirs (98 of 246 downloads answered 404).
    The same bytes, type and name make the same media file, so registering them here (from
    Streamlit's worker thread: no session, one of `KEEP_CLICKED` places in turn) keeps that file
    until as many other files have been built on clicks.
    """
    if runtime.exists():
        place = f"atlas-download-{next(_clicked) % KEEP_CLICKED}"
        runtime.get_instance().media_file_mgr.add(file, mime, place, file_name=file_name, is_for_static_download=True)


KEEP_CLICKED = 64
_clicked = itertools.count()
