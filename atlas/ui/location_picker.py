"""The form's small map: a pin where the entry is, moved by clicking; and the geocoder behind it.

The map is built like the atlas map (`atlas.map`): Leaflet from this server when its files are
fetched, the bundled country outlines under the tiles of `ATLAS_TILES` (none with `ATLAS_TILES=none`:
then it asks nothing of a third party). It sends back only the last click (`returned_objects=["last_clicked"]`).

Places are looked up with the project's geocoder (`atlas.geocoding.pipeline.Geocoder`): the
offline gazetteer, and an online service only when `ATLAS_FORM_GEOCODER=online`. Answers are
kept in memory for one look-up: what visitors type never goes into the project's geocoding cache.
"""

from __future__ import annotations

import logging
from typing import Any

import folium
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

from atlas import assets, config
from atlas.contribute import Position, clicked_position
from atlas.geocoding.cache import GeoCache
from atlas.geocoding.pipeline import Geocoder
from atlas.map.build import labels_url, outlines_url
from atlas.map.elements import BaseOutlines, PlaceLabels
from atlas.ui.form_state import FormKey

log = logging.getLogger("atlas.ui")
PIN_COLOUR = "#c0392b"
# The first zoom by the position's precision: with tiles, close enough to check the street; with the
# country outlines and town names alone, far enough to see where in the country it is.
ZOOM_TILES = {"address": 16, "city": 12, "region": 8, "country": 5}
ZOOM_OUTLINES = {"address": 8, "city": 7, "region": 6, "country": 5}


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's `control_scale` adds miles too)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


@st.cache_resource(show_spinner=False)
def _online_source() -> Any:
    """The online geocoder shared by every session (its one-request-a-second limit is global)."""
    from geopy.exc import ConfigurationError

    from atlas.geocoding.online import source_from_env

    try:
        return source_from_env()
    except ConfigurationError as exc:
        log.log(logging.WARNING, "ATLAS_FORM_GEOCODER=online, but the online geocoder is not usable: %s", exc)
        return None


def locate(city: str, country: str, address: str) -> Position | None:
    """Where `city`/`address` in `country` is, by the project's geocoder; None when not found."""
    if not (city.strip() or address.strip() or country.strip()):
        return None
    online = _online_source() if config.form_geocoder() == "online" else None
    geocoder = Geocoder(GeoCache(":memory:"), online=online)
    try:
        found = geocoder.geocode(city, country, address)
    finally:
        geocoder.cache.close()
    if found is None:
        return None
    return Position(found.lat, found.lon, found.geo_precision, found.geo_source, found.label)


def render_location_picker(position: Position | None, height: int = 300, lang: str = "en") -> Position | None:
    """Draw the map with `position`'s pin; the point of a new click (placed by hand, as precise as the
    zoom it was made at), else None."""
    local = assets.use_local_assets()
    tiles = config.tile_source()
    centre = (position.lat, position.lon) if position else (48.0, 10.0)
    zoom = (ZOOM_TILES if tiles else ZOOM_OUTLINES).get(position.precision, 7) if position else 3
    if position is not None and position.manual and position.zoom is not None:
        zoom = round(position.zoom)  # placed by hand: the map stays at the zoom of the click
    fmap = folium.Map(
        location=centre,
        zoom_start=zoom,
        tiles=None,
        max_zoom=18,
        maxZoom=18,
        min_zoom=2,
        control_scale=False,
        world_copy_jump=True,
    )
    MetricScale().add_to(fmap)
    assets.use(fmap, local, keep=assets.MAP_ASSETS)
    assets.use(BaseOutlines(outlines_url()), local).add_to(fmap)  # the same outlines file as the map, under any tiles
    if tiles:
        folium.TileLayer(tiles.url, attr=tiles.attribution, name="tiles", control=False, max_zoom=19).add_to(fmap)
    labels = PlaceLabels(labels_url(lang), "", tiles=tiles is not None)  # town names when there are no tiles
    assets.use(labels, local).add_to(fmap)
    if position is not None:
        folium.CircleMarker(
            (position.lat, position.lon),
            radius=9,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=PIN_COLOUR,
            fill_opacity=0.95,
        ).add_to(fmap)
    # the zoom too: a click is as precise as the zoom it was made at (`precision_at_zoom`)
    result = st_folium(
        fmap, key=FormKey.MAP, height=height, use_container_width=True, returned_objects=["last_clicked", "zoom"]
    )
    clicked = (result or {}).get("last_clicked")
    if not isinstance(clicked, dict):
        return None
    return clicked_position(clicked.get("lat"), clicked.get("lng"), (result or {}).get("zoom"), tiles is not None)
