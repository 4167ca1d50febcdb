"""The map: built from the filtered rows, reporting clicks and (when needed) its view."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import assets, config
from atlas.articles.focus import ArticleFocus
from atlas.filters import Bounds
from atlas.map import MapOptions, build_map
from atlas.ui import state
from atlas.ui.map_events import clicked_row
from atlas.ui.state import Key


@dataclass(frozen=True)
class MapRequest:
    """What one rerun asks the map to show."""

    rows: pd.DataFrame  # the filtered rows (never narrowed by the map's own view)
    full: pd.DataFrame  # the whole atlas, to resolve a clicked marker
    lang: str
    article: ArticleFocus
    focus: tuple[float, float] | None = None  # centre on one point (a table row)
    selected: str = ""  # id of the entry in the record panel (a click, a table row, a permalink): to mark


@st.fragment
def render_map(request: MapRequest) -> None:
    """Draw the map of `request.rows`; a click selects the entry, a pan updates the link's view."""
    local = assets.use_local_assets()
    view = state.link_view()
    opts = MapOptions(
        lang=request.lang,
        local_assets=local,
        tiles=config.tiles_enabled(local),
        highlight=request.article.highlight,
        center=(view.lat, view.lon) if view else None,
        zoom=view.zoom if view else None,
        fit=request.article.fit,
    )
    fmap = build_map(request.rows, opts, request.article.places)
    # Fixed for the map's lifetime (the component reads it once); pans rerun this fragment only.
    wanted = ["last_object_clicked_tooltip", "center", "zoom", "bounds"]
    focus = request.focus
    result = st_folium(
        fmap,
        key=Key.MAP,
        height=opts.height,
        use_container_width=True,
        returned_objects=wanted,
        center=focus,
        zoom=12 if focus else None,
    )
    _handle(result or {}, request.full)
    state.sync_url()


def bounds_of(bounds: object) -> Bounds | None:
    """(south, west, north, east) from the map's reported bounds; None until the map has real ones."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]  # type: ignore[index]
        south, west, north, east = (float(v) for v in (sw["lat"], sw["lng"], ne["lat"], ne["lng"]))
    except (TypeError, KeyError, ValueError):
        return None
    values = (south, west, north, east)
    return values if all(math.isfinite(v) for v in values) else None


def _handle(result: dict, full: pd.DataFrame) -> None:
    tooltip = result.get("last_object_clicked_tooltip")
    row = clicked_row(tooltip)
    if row is not None and row in full.index and state.new_click(str(tooltip)):
        state.select(str(full.at[row, "id"]))
        st.rerun()
    center, zoom = result.get("center"), result.get("zoom")
    if center and zoom:
        state.set_view(center["lat"], center["lng"], zoom)
    new = bounds_of(result.get("bounds"))
    if state.in_view_filter_on() and new is not None and state.set_map_bounds(new):
        st.rerun()
