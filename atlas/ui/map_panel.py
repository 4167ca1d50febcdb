"""The map: built from the filtered rows, reporting clicks and (when needed) its view."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import assets, config
from atlas.filters import Bounds
from atlas.map import MapOptions, build_map
from atlas.ui.map_events import clicked_row
from atlas.ui.state import current_filters, set_view, sync_url
from atlas.urlstate import View

MAP_KEY = "atlas_map"


@st.fragment
def render_map(
    shown: pd.DataFrame,
    full: pd.DataFrame,
    lang: str,
    highlight: frozenset[str],
    article_places: pd.DataFrame | None,
    focus: tuple[float, float] | None,
    fit: list[list[float]] | None = None,
) -> None:
    """Draw the map of `shown`; a click selects the entry, a pan updates the link's view.

    `focus` centres the map on one point (a table row); `fit` frames a chosen article.
    """
    local = assets.use_local_assets()
    view = link_view()
    opts = MapOptions(
        lang=lang,
        local_assets=local,
        tiles=config.tiles_enabled(local),
        highlight=highlight,
        center=(view.lat, view.lon) if view else None,
        zoom=view.zoom if view else None,
        fit=fit,
    )
    fmap = build_map(shown, opts, article_places)
    # Fixed for the map's lifetime (the component reads it once); pans rerun this fragment only.
    wanted = ["last_object_clicked_tooltip", "center", "zoom", "bounds"]
    result = st_folium(
        fmap,
        key=MAP_KEY,
        height=opts.height,
        use_container_width=True,
        returned_objects=wanted,
        center=focus,
        zoom=12 if focus else None,
    )
    _handle(result or {}, full)
    sync_url()


def link_view() -> View | None:
    """The view a shared link asked for, kept until the filters change (then the map fits the data).

    Live pans are not used here: they must not rebuild the map.
    """
    ss = st.session_state
    if ss.get("view0") and ss.get("view0_filters") != current_filters().without_bounds():
        ss["view0"] = None
    return ss.get("view0")


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
    ss = st.session_state
    row = clicked_row(result.get("last_object_clicked_tooltip"))
    if row is not None and row in full.index and result.get("last_object_clicked_tooltip") != ss.get("_last_click"):
        ss["_last_click"] = result["last_object_clicked_tooltip"]
        ss["selected"] = full.at[row, "id"]
        st.rerun()
    center, zoom = result.get("center"), result.get("zoom")
    if center and zoom:
        set_view(center["lat"], center["lng"], zoom)
    new = bounds_of(result.get("bounds"))
    if ss.get("f_inview") and new is not None and new != ss.get("map_bounds"):
        ss["map_bounds"] = new
        st.rerun()
