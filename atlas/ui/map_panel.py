"""The map: made once per atlas revision and language, then changed in place by each rerun.

The map's script is the same on every rerun, so streamlit-folium keeps its iframe (it is keyed by
a hash of that script): the points of the whole atlas come from a published file, fetched once,
and each rerun sends only which of them to show, which to highlight and how to frame them
(`atlas.map.update`, through `feature_group_to_add`). Clicks select entries; pans update the
link's view and, when "only what the map shows" is on, the rows shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit_folium import st_folium

from atlas import assets, config
from atlas.articles.focus import ArticleFocus
from atlas.filters import Bounds
from atlas.map import (
    START_CENTER,
    START_ZOOM,
    AtlasLayers,
    MapOptions,
    View,
    atlas_layers,
    build_map,
    frame_key,
    map_update,
    update_group,
    view_bounds,
)
from atlas.ui import state
from atlas.ui.map_events import clicked_place, clicked_row
from atlas.ui.state import Key


@dataclass(frozen=True)
class MapRequest:
    """What one rerun asks the map to show."""

    rows: pd.DataFrame  # the filtered rows (never narrowed by the map's own view)
    full: pd.DataFrame  # the whole atlas (one revision): the map's layers, and to resolve a clicked marker
    lang: str
    article: ArticleFocus
    focus: tuple[float, float] | None = None  # centre on one point (a table row)
    selected: str = ""  # id of the entry in the record panel (a click, a table row, a permalink): to mark
    # What a click on a marker reruns: the fragment the map is drawn in (the map page's map and record
    # panel), or the whole page (the embed, whose record opens in a dialog outside the map's fragment).
    click_reruns: Literal["fragment", "app"] = "fragment"


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs={pd.DataFrame: id})
def _layers(full: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, AtlasLayers]:
    """The published layers of one atlas frame, computed once per frame and language.

    The loaders keep one frame object per data revision, so the frame's identity stands for its
    revision (hashing a large frame's content on every rerun would cost more than the rest of the
    map). The entry keeps the frame alive, so its `id` cannot be reused while the entry exists.
    """
    return full, atlas_layers(full, lang)


def layers_of(full: pd.DataFrame, lang: str) -> AtlasLayers:
    layers = _layers(full, lang)[1]
    layers.ensure()
    return layers


def render_map(request: MapRequest) -> None:
    """Draw the map of `request.rows`; a click selects the entry, a pan updates the link's view.

    Call it inside a fragment (`st.fragment`): a pan reruns that fragment only, and so does a click
    when `request.click_reruns` says so."""
    local = assets.use_local_assets()
    # in a partner's frame the map is as tall as the frame leaves it (page.mjs sizes its iframe)
    fill = bool(st.context.is_embedded)
    opts = MapOptions(lang=request.lang, local_assets=local, tiles=config.tile_source(), fill=fill)
    layers = layers_of(request.full, request.lang)
    fmap = build_map(layers, opts)
    article = request.article
    link = state.link_view()
    filters = state.current_filters()
    places = [*filters.countries, *(f"region:{r}" for r in filters.regions)]  # a region frames like a country
    view = View(
        key=frame_key(places, article.chosen.id if article.chosen else ""),
        fit=article.fit or view_bounds(request.rows),
        center=(link.lat, link.lon) if link else None,
        zoom=link.zoom if link else None,
        hold=state.in_view_filter_on(),
        # the map goes to the entry chosen outside it and opens its record (a shared view is kept as it is)
        focus=request.focus,
        open=request.selected if request.focus else "",
    )
    # the selected entry is marked (its ring) and never hidden in a cluster
    highlight = article.highlight | {request.selected} if request.selected else article.highlight
    spec = map_update(
        layers,
        request.rows,
        request.lang,
        view,
        highlight=highlight,
        places=article.places,
        places_shown=article.chosen is not None,
    )
    # Fixed for the map's lifetime (the component reads it once); pans rerun this fragment only.
    # (The focus travels in the update, not as st_folium's `center`/`zoom`, which would undo a shared view.)
    wanted = ["last_object_clicked_tooltip", "center", "zoom", "bounds"]
    result = st_folium(
        fmap,
        key=Key.MAP,
        height=opts.height,
        use_container_width=True,
        returned_objects=wanted,
        feature_group_to_add=update_group(spec),
    )
    _handle(result or {}, request.full, article.places, request.click_reruns)
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


def _handle(
    result: dict, full: pd.DataFrame, places: pd.DataFrame | None, click_reruns: Literal["fragment", "app"]
) -> None:
    tooltip = result.get("last_object_clicked_tooltip")
    row, place = clicked_row(tooltip), clicked_place(tooltip)
    if row is not None and row in full.index and state.new_click(str(tooltip)):
        state.select(str(full.at[row, "id"]))
        _rerun(click_reruns)  # the map marks it, the record panel shows it
    if place is not None and places is not None and place in places.index and state.new_click(str(tooltip)):
        state.select_place(str(places.at[place, "id"]))  # the place, with the articles that name it
        _rerun(click_reruns)
    center, zoom = result.get("center"), result.get("zoom")
    # (before the map has reported, st_folium answers with where the map was made: not a view to keep,
    # and it would replace a shared link's view)
    made_there = center is not None and (center.get("lat"), center.get("lng"), zoom) == (*START_CENTER, START_ZOOM)
    if center and zoom and not made_there:
        state.set_view(center["lat"], center["lng"], zoom)
    new = bounds_of(result.get("bounds"))
    if state.in_view_filter_on() and new is not None and state.set_map_bounds(new):
        st.rerun()


def _rerun(scope: Literal["fragment", "app"]) -> None:
    """Rerun `scope`; a fragment can only rerun itself during a fragment rerun (a click that came
    with a full run of the page, the rare case, reruns the page)."""
    ctx = get_script_run_ctx()
    if scope == "fragment" and ctx is not None and ctx.fragment_ids_this_run:
        st.rerun(scope="fragment")
    st.rerun()
