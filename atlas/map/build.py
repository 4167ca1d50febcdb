"""`build_map`: the map's frame — base map, the atlas's point layers (fetched from their file),
legend, controls — the same on every rerun for one atlas revision and language, so that
streamlit-folium keeps its iframe; what changes with the filters travels in `atlas.map.update`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import folium
import pandas as pd
from folium.plugins import Fullscreen

from atlas import assets
from atlas.config import TileSource
from atlas.i18n import LANGS, N_, t
from atlas.map import files
from atlas.map.elements import BaseOutlines, MapSetup, PlaceLabels, PointLayer, to_json, world_outlines_json
from atlas.map.labels import place_labels
from atlas.map.layers import AtlasLayers
from atlas.map.legend import Legend

EUROPE_VIEW = ((34.0, -12.0), (62.0, 32.0))
START_CENTER, START_ZOOM = (50.0, 10.0), 4  # where the map is made, before its first update places it
LAYER_NAMES = {"organisations": N_("layer_organisations"), "odcs": N_("layer_odcs")}  # layer key -> translation key


@dataclass(frozen=True)
class MapOptions:
    """What the map's frame depends on besides the atlas: language, asset origin, base layer."""

    lang: str = "en"
    local_assets: bool = True
    tiles: TileSource | None = None  # None: the outlines and the offline place labels only
    height: int = 640
    fill: bool = False  # as tall as its frame, which the page sizes (a partner's embed): `height` at first


def build_map(layers: AtlasLayers, opts: MapOptions) -> folium.Map:
    """The atlas map: organisations and ODCs as toggleable layers of `layers`, legend, fullscreen.

    Nothing here depends on the filters: the map starts on Europe and its first update frames it.
    """
    m = folium.Map(
        location=START_CENTER,
        zoom_start=START_ZOOM,
        tiles=None,
        max_zoom=18,
        maxZoom=18,
        min_zoom=1,
        minZoom=1,  # (folium gives `min_zoom` to tiles only: the map's own limit, for its framing)
        world_copy_jump=True,
    )
    local = opts.local_assets
    assets.use(m, local, keep=assets.MAP_ASSETS)
    assets.use(MapSetup(opts.lang, opts.fill), local).add_to(m)  # (its scale is metric only: no control_scale above)
    assets.use(BaseOutlines(outlines_url()), local).add_to(m)  # under the tiles: what shows when they fail
    if opts.tiles:
        tiles = opts.tiles
        folium.TileLayer(tiles.url, attr=tiles.attribution, name="tiles", control=False, max_zoom=19).add_to(m)
    labels = PlaceLabels(labels_url(opts.lang), t("layer_place_names", opts.lang), tiles=opts.tiles is not None)
    assets.use(labels, local).add_to(m)
    # ODCs: clustered too (square clusters), in a pane under the organisations', so that neither
    # hides the other's counts
    for key, extra in (("organisations", {}), ("odcs", {"pane": "atlasOdc", "squares": True})):
        layer = PointLayer(
            layers.source(key), opts.lang, name=t(LAYER_NAMES[key], opts.lang), clustered=True, key=key, extra=extra
        )
        assets.use(layer, local).add_to(m)
    assets.use(Legend(layers.legend), local).add_to(m)
    fullscreen = Fullscreen(
        position="topleft", title=t("fullscreen", opts.lang), title_cancel=t("fullscreen_exit", opts.lang)
    )
    assets.use(fullscreen, local).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


@lru_cache(maxsize=1)
def _outlines() -> str | None:
    try:
        return files.publish(world_outlines_json(), "outlines")
    except OSError:  # a read-only static folder: the outlines travel in the map's script
        return None


def outlines_url() -> str | dict:
    """URL of the country outlines file (published on first use, and again if it went missing),
    or the outlines themselves when the file cannot be written."""
    url = _outlines()
    if url and not files.url_path(url).is_file():
        _outlines.cache_clear()
        url = _outlines()
    return url or json.loads(world_outlines_json())


@lru_cache(maxsize=2)
def _labels(lang: str) -> str | None:
    try:
        return files.publish(to_json(place_labels(lang)), "labels")
    except OSError:
        return None


def labels_url(lang: str) -> str | dict:
    """URL of the offline place labels in `lang` (published like the outlines), or the labels.

    Every language's file is made on first use (about a second), so that switching the page's
    language does not wait for it.
    """
    for other in LANGS:
        _labels(other)
    url = _labels(lang)
    if url and not files.url_path(url).is_file():
        _labels.cache_clear()
        url = _labels(lang)
    return url or place_labels(lang)


def view_bounds(frame: pd.DataFrame) -> list[list[float]]:
    """South-west and north-east corners that fit the mapped rows (Europe when there are none)."""
    located = frame[["lat", "lon"]]
    located = located[located["lat"].notna() & located["lon"].notna()]
    if located.empty:
        (s, w), (n, e) = EUROPE_VIEW
    else:
        s, n = (
            located["lat"].quantile([0.02, 0.98]).tolist()
            if len(located) > 50
            else (located["lat"].min(), located["lat"].max())
        )
        w, e = (
            located["lon"].quantile([0.02, 0.98]).tolist()
            if len(located) > 50
            else (located["lon"].min(), located["lon"].max())
        )
        pad_lat, pad_lon = max((n - s) * 0.08, 0.3), max((e - w) * 0.08, 0.3)
        s, n, w, e = max(s - pad_lat, -85), min(n + pad_lat, 85), max(w - pad_lon, -180), min(e + pad_lon, 180)
    return [[float(s), float(w)], [float(n), float(e)]]
