"""What a rerun derives from the rows shown, computed once per view and shared by every session.

A view is (source, data revision, filters, language): the same view always shows the same rows,
so its chart specifications and its download files are the same too. Visitors ask for the same
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

from atlas.charts import ChartSpecs, chart_specs
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


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def charts(key: View, _shown: pd.DataFrame) -> ChartSpecs:
    """The chart specifications of the view `key` (`_shown`: its rows; not part of the key)."""
    return chart_specs(_shown, key.lang)


@st.cache_resource(show_spinner=False, max_entries=KEEP)
def downloads(key: View, _shown: pd.DataFrame) -> Downloads:
    """The four download files of the view `key`: CSV and GeoJSON of the table's columns (labels
    in the view's language), HSDS and JSON-LD of every field."""
    table = export_frame(_shown, key.lang)
    return Downloads(to_csv(table), to_geojson(table), hsds_zip(_shown), to_jsonld(_shown))
