"""What a rerun derives from the rows shown, computed once per view and shared by every session.

A view is (source, data revision, filters, language): the same view always shows the same rows,
so its chart specifications, its table and its download files are the same too. Visitors ask for the same
views again and again (one country, one category, the whole atlas; a rerun that only selects an
entry or moves the map keeps the view), so these are kept in `st.cache_resource`, keyed by the
view, not by the rows (hashing a frame of 100,000 rows would cost more than the work saved). A
new revision is a new key: nothing stale is served, and old views age out (`KEEP`).

The download files are built only when a visitor asks for one (`download`, called by the deferred
download buttons of table_panel), one file at a time, then shared (`built`). The table's order (`table_order`)
and search text (`table_text`) are built once per view, so that a page of the table costs a slice.
Everything returned is shared: read it, never change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from atlas.charts import CHARTS, chart_spec
from atlas.export import export_frame, to_csv, to_geojson
from atlas.filters import Filters
from atlas.opendata import hsds_zip, to_jsonld

KEEP = 32  # views kept per kind (at the bundled size, a few KB each; files capped by row count)
# The download files: each built from the view's table (labels in the view's language) or from
# its rows (every field, both languages).
FILES: dict[str, Callable[[pd.DataFrame, pd.DataFrame], bytes]] = {
    "csv": lambda table, _rows: to_csv(table),
    "geojson": lambda table, _rows: to_geojson(table),
    "hsds": lambda _table, rows: hsds_zip(rows),
    "jsonld": lambda _table, rows: to_jsonld(rows),
}
# The columns the table's search looks in (a visitor reads them in the table).
SEARCHED = ("name", "city", "country_name", "category_label", "kind_label")


class View(NamedTuple):
    """Names the rows of a rerun: the source and its revision, the filters, the language."""

    source: str
    revision: str
    filters: str  # repr of the frozen Filters: every field, in a fixed order
    lang: str


def view(source: str, revision: str, filters: Filters, lang: str) -> View:
    return View(source, revision, repr(filters), lang)


@st.cache_resource(show_spinner=False, max_entries=KEEP * len(CHARTS))
def chart(key: View, which: str, _shown: pd.DataFrame) -> dict | None:
    """One chart of the view `key` (`atlas.charts.CHARTS`): a tab draws only its own chart."""
    return chart_spec(_shown, key.lang, which)


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def table(key: View, _shown: pd.DataFrame) -> pd.DataFrame:
    """The view's rows as the table and the CSV/GeoJSON downloads show them (codes and labels in
    the view's language, `atlas.export.export_frame`)."""
    return export_frame(_shown, key.lang)


def download(key: View, which: str, shown: pd.DataFrame) -> bytes:
    """One download file of the view `key` (`FILES`): CSV and GeoJSON of the table's columns
    (labels in the view's language), HSDS and JSON-LD of every field. Built on a visitor's click
    (in a thread of Streamlit's, outside any script run), then kept for every session."""
    with _FILES_LOCK:
        file = _files.get((key, which))
    if file is None:
        file = FILES[which](table(key, shown), shown)
        with _FILES_LOCK:
            _files[(key, which)] = file
            while len(_files) > KEEP * len(FILES):
                _files.popitem(last=False)
    return file


def built(key: View, which: str) -> bytes | None:
    """The file `download` has already built for the view, if any (nothing is built here)."""
    with _FILES_LOCK:
        return _files.get((key, which))


_files: OrderedDict[tuple[View, str], bytes] = OrderedDict()  # oldest first
_FILES_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=KEEP * 4)
def table_order(key: View, column: str, descending: bool, _table: pd.DataFrame) -> np.ndarray:
    """The positions of the view's table rows sorted on `column` (empty cells last, ties by name)."""
    values = _table[column]
    if not pd.api.types.is_numeric_dtype(values):
        text = values.astype("string").str.casefold()
        values = text.where(text != "")  # an empty cell sorts last
    names = _table["name"].astype("string").str.casefold()
    order = pd.DataFrame({"v": values, "n": names}).reset_index(drop=True)
    order = order.sort_values(["v", "n"], ascending=[not descending, True], na_position="last", kind="stable")
    return order.index.to_numpy()


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def table_text(key: View, _table: pd.DataFrame) -> np.ndarray:
    """What the table's search looks in, one lower-case string per row of the view's table."""
    text = _table[SEARCHED[0]].astype("string").fillna("")
    for column in SEARCHED[1:]:
        text = text + "\n" + _table[column].astype("string").fillna("")
    return text.str.casefold().to_numpy(dtype=object)


def table_rows(key: View, table_: pd.DataFrame, query: str, column: str, descending: bool) -> np.ndarray:
    """The positions of the table rows a visitor's search and sort give, in order."""
    order = table_order(key, column, descending, table_)
    needle = query.strip().casefold()
    if not needle:
        return order
    text = table_text(key, table_)
    hits = np.fromiter((needle in s for s in text), dtype=bool, count=len(text))
    return order[hits[order]]
