"""`build_map`: the atlas map of the filtered rows, from the elements of this package."""

from __future__ import annotations

from dataclasses import dataclass, field

import folium
import pandas as pd
from folium.plugins import Fullscreen

from atlas import assets
from atlas.i18n import t
from atlas.map.elements import BaseOutlines, FitBounds, PointLayer
from atlas.map.legend import Legend, legend_html
from atlas.map.points import columns, map_columns

RICH_POPUP_LIMIT = 3_000  # up to this many points, popups carry description and website
EUROPE_VIEW = ((34.0, -12.0), (62.0, 32.0))


@dataclass(frozen=True)
class MapOptions:
    """What the map shows besides the points: language, asset origin, base layer, view."""

    lang: str = "en"
    local_assets: bool = True
    tiles: bool = False
    highlight: frozenset[str] = field(default_factory=frozenset)
    center: tuple[float, float] | None = None
    zoom: int | None = None
    fit: list[list[float]] | None = None  # bounds to show instead of fitting every row
    height: int = 640


def build_map(frame: pd.DataFrame, opts: MapOptions, article_places: pd.DataFrame | None = None) -> folium.Map:
    """The atlas map of `frame`: organisations and ODCs as toggleable layers, legend, fullscreen."""
    m = folium.Map(
        location=opts.center or (50.0, 10.0),
        zoom_start=opts.zoom or 4,
        tiles=None,
        max_zoom=18,
        maxZoom=18,
        min_zoom=2,
        control_scale=True,
        world_copy_jump=True,
    )
    local = opts.local_assets
    assets.use(m, local, keep=assets.MAP_ASSETS)
    if opts.tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    else:
        assets.use(BaseOutlines(), local).add_to(m)
    rich = len(frame) <= RICH_POPUP_LIMIT
    frame = frame[map_columns(frame, opts.lang, rich, bool(opts.highlight))]  # not the other columns
    kind = frame["kind"].to_numpy()
    orgs, odcs = frame[kind == "organisation"], frame[kind == "odc"]
    for part, key, clustered in ((orgs, "layer_organisations", True), (odcs, "layer_odcs", False)):
        points = columns(part, opts.lang, rich, opts.highlight)
        assets.use(PointLayer(points, opts.lang, name=t(key, opts.lang), clustered=clustered), local).add_to(m)
    with_places = article_places is not None and len(article_places) > 0
    if article_places is not None and with_places:
        points = columns(article_places, opts.lang, True, opts.highlight, ref_prefix="place-")
        name = t("layer_article_places", opts.lang)
        layer = PointLayer(points, opts.lang, name=name, clustered=False, show=bool(opts.highlight))
        assets.use(layer, local).add_to(m)
    assets.use(Legend(legend_html(frame, opts.lang, with_places=with_places)), local).add_to(m)
    fullscreen = Fullscreen(
        position="topleft", title=t("fullscreen", opts.lang), title_cancel=t("fullscreen_exit", opts.lang)
    )
    assets.use(fullscreen, local).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    if opts.center is None:
        assets.use(FitBounds(opts.fit or view_bounds(frame)), local).add_to(m)
    return m


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
