"""What a rerun derives from the rows shown, computed once per view and shared by every session.

A view is (source, data revision, filters, language): the same view always shows the same rows,
so its chart specifications, its table and its download files are the same too. Visitors ask for the same
views again and again (one country, one category, the whole atlas; a rerun that only selects an
entry or moves the map keeps the view), so these are kept in `st.cache_resource`, keyed by the
view, not by the rows (hashing a frame of 100,000 rows would cost more than the work saved). A
new revision is a new key: nothing stale is served, and old views age out (`KEEP`).

Only files small enough to go with the page are kept (`EAGER_DOWNLOAD_ROWS` in table_panel);
larger ones are built on click. Everything returned is shared: read it, never change it.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from atlas.charts import CHARTS, chart_spec
from atlas.export import export_frame, to_csv, to_geojson
from atlas.filters import Filters
from atlas.opendata import hsds_zip, to_jsonld

KEEP = 32  # views kept per kind (at the bundled size, a few KB each; files capped by row count)


class View(NamedTuple):
    """Names the rows of a rerun: the source and its revision, the filters, the language."""

    source: str
    revision: str
    filters: str  # repr of the frozen Filters: every field, in a fixed order
    lang: str


def view(source: str, revision: str, filters: Filters, lang: str) -> View:
    return View(source, revision, repr(filters), lang)


class Downloads(NamedTuple):
    csv: bytes
    geojson: bytes
    hsds: bytes
    jsonld: bytes


@st.cache_resource(show_spinner=False, max_entries=KEEP * len(CHARTS))
def chart(key: View, which: str, _shown: pd.DataFrame) -> dict | None:
    """One chart of the view `key` (`atlas.charts.CHARTS`): a tab draws only its own chart."""
    return chart_spec(_shown, key.lang, which)


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def table(key: View, _shown: pd.DataFrame) -> pd.DataFrame:
    """The view's rows as the table and the CSV/GeoJSON downloads show them (codes and labels in
    the view's language, `atlas.export.export_frame`)."""
    return export_frame(_shown, key.lang)


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def downloads(key: View, _shown: pd.DataFrame) -> Downloads:
    """The four download files of the view `key`: CSV and GeoJSON of the table's columns (labels
    in the view's language), HSDS and JSON-LD of every field."""
    rows = table(key, _shown)
    return Downloads(to_csv(rows), to_geojson(rows), hsds_zip(_shown), to_jsonld(_shown))
