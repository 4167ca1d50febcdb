"""Building the folium map from compact column arrays (not one Python object per marker).

Points travel to the browser as a few JSON arrays (quantised coordinates, escaped names,
small integer codes into shared tables); one JavaScript loop makes the markers. Every data
string passes through `atlas.text.escape` before it reaches the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen, MarkerCluster
from folium.template import Template

from atlas import assets
from atlas.categories import CATEGORIES, ODC_CATEGORY, category_label
from atlas.i18n import t
from atlas.text import escape, safe_url

CATEGORY_INDEX = {c.id: i for i, c in enumerate(CATEGORIES)}
PLANNED_STYLE = len(CATEGORIES)
PLACE_STYLE = PLANNED_STYLE + 1
COORD_SCALE = 10_000  # coordinates sent as integers of 1e-4 degree (about 11 m)
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


def to_json(value: object) -> str:
    """JSON safe to place inside a <script> element."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def encode_points(frame: pd.DataFrame, lang: str, rich: bool, highlight: frozenset[str] = frozenset(),
                  ref_prefix: str = "") -> dict:
    """Column arrays for the browser: coordinates, escaped names and codes into shared tables.

    `row` holds each point's index label in `frame`; the map reports it back on click
    (after `ref_prefix`, so that points of other layers are never taken for atlas rows).
    """
    frame = frame[frame["lat"].notna() & frame["lon"].notna()]
    cities, city_codes = _table(frame["city"])
    countries, country_codes = _table(frame[f"country_name_{lang}"])
    style = frame["category"].map(CATEGORY_INDEX).fillna(0).astype(int).to_numpy()
    planned = (frame["kind"].eq("odc") & frame["status"].eq("planned")).to_numpy()
    style = np.where(planned, PLANNED_STYLE, style)
    style = np.where(frame["kind"].eq("place").to_numpy(), PLACE_STYLE, style)
    data: dict[str, object] = {
        "lat": np.rint(frame["lat"].to_numpy() * COORD_SCALE).astype(np.int64).tolist(),
        "lon": np.rint(frame["lon"].to_numpy() * COORD_SCALE).astype(np.int64).tolist(),
        "name": [escape(n) for n in frame["name"]],
        "city": city_codes,
        "country": country_codes,
        "style": style.tolist(),
        "row": frame.index.to_numpy().tolist(),
        "ref": ref_prefix,
        "cities": [escape(c) for c in cities],
        "countries": [escape(c) for c in countries],
    }
    if highlight:
        data["hl"] = np.flatnonzero(frame["id"].isin(highlight).to_numpy()).tolist()
    if rich:
        data["desc"] = [escape(_short(d)) for d in frame[f"description_{lang}"].fillna("")]
        data["web"] = [escape(safe_url(w)) for w in frame["website"].fillna("")]
    return data


def _table(values: pd.Series) -> tuple[list[str], list[int]]:
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return list(uniques), codes.tolist()


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def styles(lang: str) -> list[dict]:
    """Marker styles by code: one per category, then the planned-ODC style."""
    out = [{"colour": c.colour, "label": escape(c.label(lang)), "odc": c.id == ODC_CATEGORY} for c in CATEGORIES]
    out.append({"colour": "#FF7900", "label": escape(t("odc_planned", lang)), "odc": True, "planned": True})
    out.append({"colour": "#7b3294", "label": escape(t("kind_place", lang)), "place": True})
    return out


class PointLayer(MarkerCluster):
    """A clustered layer whose markers are made in the browser from `encode_points` arrays."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = {{ this.payload }};
        var {{ this.get_name() }} = (function () {
            var d = {{ this.get_name() }}_data;
            var st = {{ this.styles }};
            var txt = {{ this.texts }};
            var S = {{ this.scale }};
            var cluster = {% if this.clustered %}L.markerClusterGroup({{ this.options|tojavascript }}){% else %}L.featureGroup(){% endif %};
            var hl = {};
            (d.hl || []).forEach(function (i) { hl[i] = true; });
            var icons = {};
            function icon(s, big) {
                var k = s + (big ? 'h' : '');
                if (!icons[k]) {
                    var o = st[s], size = big ? 22 : (o.odc ? 14 : 12);
                    var css = 'background:' + (o.planned ? '#fff' : o.colour) + ';border-color:' + o.colour;
                    icons[k] = L.divIcon({className: 'atlas-pin' + (o.odc ? ' atlas-odc' : '') + (o.place ? ' atlas-place' : '') +
                        (o.planned ? ' atlas-planned' : '') + (big ? ' atlas-hl' : ''),
                        html: '<span style="' + css + '"></span>', iconSize: [size, size]});
                }
                return icons[k];
            }
            function popup(i) {
                var s = st[d.style[i]], h = '<div class="atlas-popup"><b>' + d.name[i] + '</b><br>' +
                    '<span class="atlas-cat" style="color:' + s.colour + '">' + s.label + '</span><br>' +
                    d.cities[d.city[i]] + (d.cities[d.city[i]] ? ', ' : '') + d.countries[d.country[i]];
                if (d.desc && d.desc[i]) { h += '<p>' + d.desc[i] + '</p>'; }
                if (d.web && d.web[i]) {
                    h += '<a href="' + d.web[i] + '" target="_blank" rel="noopener noreferrer">' + txt.website + '</a><br>';
                }
                return h + '<i>' + txt.details + '</i></div>';
            }
            var markers = new Array(d.lat.length);
            for (var i = 0; i < d.lat.length; i++) {
                var m = L.marker([d.lat[i] / S, d.lon[i] / S], {icon: icon(d.style[i], hl[i])});
                m.bindTooltip('<b>' + d.name[i] + '</b><br>' + d.cities[d.city[i]] +
                    (d.cities[d.city[i]] ? ', ' : '') + d.countries[d.country[i]] +
                    '<span hidden>#' + d.ref + d.row[i] + '</span>');
                m.bindPopup(popup.bind(null, i), {maxWidth: 320});
                markers[i] = m;
            }
            var plain = markers.filter(function (m, i) { return !hl[i]; });
            cluster.addLayers ? cluster.addLayers(plain) : plain.forEach(function (m) { cluster.addLayer(m); });
            if (!d.hl || !d.hl.length) { return cluster; }
            var layer = L.featureGroup([cluster]);  // highlighted markers stay out of the clusters
            d.hl.forEach(function (i) { layer.addLayer(markers[i]); });
            return layer;
        })();
        (window.atlasLayers = window.atlasLayers || []).push({layer: {{ this.get_name() }}, data: {{ this.get_name() }}_data,
                                                              scale: {{ this.scale }}});
        {% endmacro %}
    """)

    def __init__(self, payload: dict, lang: str, name: str, clustered: bool = True, show: bool = True) -> None:
        super().__init__(name=name, show=show, options={"chunkedLoading": True, "maxClusterRadius": 50,
                                                        "spiderfyOnMaxZoom": True, "showCoverageOnHover": False})
        self.payload = to_json(payload)
        self.styles = to_json(styles(lang))
        self.texts = to_json({"website": escape(t("website", lang)), "details": escape(t("details_below", lang))})
        self.scale = COORD_SCALE
        self.clustered = clustered


class Legend(MacroElement):
    """A Leaflet control: each marker style with how many of its points lie in the map's current view.

    The counts start as those of the filtered rows and follow every pan, zoom and layer toggle.
    """

    _template = Template("""
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
            function update() {
                var counts = {}, b = map.getBounds();
                (window.atlasLayers || []).forEach(function (entry) {
                    if (!map.hasLayer(entry.layer)) { return; }
                    var d = entry.data, S = entry.scale;
                    for (var i = 0; i < d.lat.length; i++) {
                        if (b.contains([d.lat[i] / S, d.lon[i] / S])) { counts[d.style[i]] = (counts[d.style[i]] || 0) + 1; }
                    }
                });
                legend.getContainer().querySelectorAll('[data-style]').forEach(function (el) {
                    el.textContent = counts[el.getAttribute('data-style')] || 0;
                });
            }
            map.on('moveend overlayadd overlayremove', update);
            map.whenReady(update);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = to_json(html)


def legend_html(frame: pd.DataFrame, lang: str, with_places: bool = False) -> str:
    """Legend rows (escaped): a swatch, label and count per marker style present in `frame`.

    Counts carry `data-style`, the style code the map uses, so the browser can update them.
    """
    counts = frame["category"].value_counts()
    rows = [_legend_row(i, f'<span class="atlas-swatch" style="background:{c.colour}"></span>', c.label(lang),
                        int(counts.get(c.id, 0)))
            for i, c in enumerate(CATEGORIES) if counts.get(c.id, 0) and c.id != ODC_CATEGORY]
    odc = frame[frame["kind"] == "odc"]
    if len(odc):
        n_open = int((odc["status"] == "open").sum())
        rows.append(_legend_row(CATEGORY_INDEX[ODC_CATEGORY], '<span class="atlas-swatch atlas-square" '
                                'style="background:#FF7900"></span>', t("odc_open", lang), n_open))
        rows.append(_legend_row(PLANNED_STYLE, '<span class="atlas-swatch atlas-square atlas-hollow"></span>',
                                t("odc_planned", lang), len(odc) - n_open))
    if with_places:
        rows.append(_legend_row(PLACE_STYLE, '<span class="atlas-swatch atlas-diamond"></span>',
                                t("kind_place", lang), 0))
    return (f'<details open><summary class="atlas-legend-title">{escape(t("legend", lang))}</summary>'
            + "".join(rows) + "</details>")


def _legend_row(style: int, swatch: str, label: str, count: int) -> str:
    return f'<div>{swatch}{escape(label)} <b data-style="{style}">{count}</b></div>'


class FitBounds(MacroElement):
    """Frame `bounds` once the map has its final size (the iframe is resized after the map is made)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            map.fitBounds(bounds);
            var refit = function () { map.invalidateSize(); map.fitBounds(bounds); };
            var timer = setTimeout(refit, 300);
            map.once('mousedown touchstart wheel keydown', function () { clearTimeout(timer); });
        })({{ this._parent.get_name() }}, {{ this.bounds }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds = to_json(bounds)


class BaseOutlines(MacroElement):
    """Country outlines drawn from bundled data: a base map that needs no tile server."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.geoJSON({{ this.data }}, {interactive: false, style: {color: '#9aa9a6', weight: 0.8,
            fillColor: '#eef2f0', fillOpacity: 1}}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "BaseOutlines"
        self.data = world_outlines_json()


@lru_cache(maxsize=1)
def world_outlines_json() -> str:
    """World country shapes from the `countryinfo` package, coordinates rounded to 0.01°."""
    from atlas.shapes import world_geojson

    return to_json(world_geojson(precision=2))


MAP_CSS = """
<style>
.atlas-pin span{display:block;width:100%;height:100%;border-radius:50%;border:2px solid #fff;
  box-shadow:0 0 0 1px rgba(0,0,0,.35);box-sizing:border-box}
.atlas-odc span{border-radius:2px;border-width:2px;border-style:solid}
.atlas-planned span{border-style:dashed;box-shadow:none}
.atlas-place span{border-radius:2px;transform:rotate(45deg);border-color:#fff}
.atlas-hl span{box-shadow:0 0 0 3px #d7263d,0 0 8px 3px rgba(215,38,61,.6)}
.atlas-legend{background:rgba(255,255,255,.92);padding:5px 8px;border-radius:6px;font:11px/1.45 sans-serif;
  box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:260px}
.atlas-legend-title{font-weight:600;margin-bottom:2px;cursor:pointer}
.atlas-swatch{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:6px;vertical-align:-1px}
.atlas-square{border-radius:2px}.atlas-diamond{background:#7b3294;border-radius:1px;transform:rotate(45deg);width:9px;height:9px}.atlas-hollow{border:2px dashed #FF7900;background:#fff;width:7px;height:7px}
.atlas-popup p{margin:.4em 0}.atlas-cat{font-weight:600}
</style>
"""


def build_map(frame: pd.DataFrame, opts: MapOptions, article_places: pd.DataFrame | None = None) -> folium.Map:
    """The atlas map of `frame`: organisations and ODCs as toggleable layers, legend, fullscreen."""
    m = folium.Map(location=opts.center or (50.0, 10.0), zoom_start=opts.zoom or 4, tiles=None, max_zoom=18,
                   maxZoom=18, min_zoom=2, control_scale=True, world_copy_jump=True)
    _set_assets(m, opts.local_assets)
    if opts.tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    else:
        BaseOutlines().add_to(m)
    m.get_root().header.add_child(Element(MAP_CSS))
    rich = len(frame) <= RICH_POPUP_LIMIT
    orgs, odcs = frame[frame["kind"] == "organisation"], frame[frame["kind"] == "odc"]
    for part, key, clustered in ((orgs, "layer_organisations", True), (odcs, "layer_odcs", False)):
        layer = PointLayer(encode_points(part, opts.lang, rich, opts.highlight), opts.lang,
                           name=t(key, opts.lang), clustered=clustered)
        _localise(layer, opts.local_assets)
        layer.add_to(m)
    if article_places is not None and len(article_places):
        layer = PointLayer(encode_points(article_places, opts.lang, True, opts.highlight, ref_prefix="place-"),
                           opts.lang, name=t("layer_article_places", opts.lang), clustered=False,
                           show=bool(opts.highlight))
        _localise(layer, opts.local_assets)
        layer.add_to(m)
    Legend(legend_html(frame, opts.lang, with_places=article_places is not None and len(article_places) > 0)).add_to(m)
    fullscreen = Fullscreen(position="topleft", title=t("fullscreen", opts.lang),
                            title_cancel=t("fullscreen_exit", opts.lang))
    if opts.local_assets:
        fullscreen.default_js = [("Control.Fullscreen.js", assets.LOCAL_JS["fullscreen"])]
        fullscreen.default_css = [("Control.FullScreen.css", assets.LOCAL_CSS["fullscreen_css"])]
    fullscreen.add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    if opts.center is None:
        FitBounds(opts.fit or view_bounds(frame)).add_to(m)
    return m


def article_places_points(places: pd.DataFrame, titles: dict[str, str], lang: str) -> pd.DataFrame:
    """Article places (from `article_places_frame`) in the shape `encode_points` reads.

    Each place's popup text lists the titles of the articles that name it.
    """
    from atlas.countries import country_name

    return pd.DataFrame({
        "id": places["id"], "kind": "place", "category": "", "status": "", "name": places["name"],
        "city": "", f"country_name_{lang}": [country_name(c, lang) for c in places["country"]],
        "lat": places["lat"].astype(float), "lon": places["lon"].astype(float), "website": "",
        f"description_{lang}": [" · ".join(titles.get(a, a) for a in ids) for ids in places["article_ids"]],
    })


def view_bounds(frame: pd.DataFrame) -> list[list[float]]:
    """South-west and north-east corners that fit the mapped rows (Europe when there are none)."""
    located = frame[frame["lat"].notna() & frame["lon"].notna()]
    if located.empty:
        (s, w), (n, e) = EUROPE_VIEW
    else:
        s, n = located["lat"].quantile([0.02, 0.98]).tolist() if len(located) > 50 else (located["lat"].min(), located["lat"].max())
        w, e = located["lon"].quantile([0.02, 0.98]).tolist() if len(located) > 50 else (located["lon"].min(), located["lon"].max())
        pad_lat, pad_lon = max((n - s) * 0.08, 0.3), max((e - w) * 0.08, 0.3)
        s, n, w, e = max(s - pad_lat, -85), min(n + pad_lat, 85), max(w - pad_lon, -180), min(e + pad_lon, 180)
    return [[float(s), float(w)], [float(n), float(e)]]


def _set_assets(m: folium.Map, local: bool) -> None:
    """Only what the map needs: Leaflet and jQuery; from this server when `local`."""
    if local:
        m.default_js = [("leaflet", assets.LOCAL_JS["leaflet"]), ("jquery", assets.LOCAL_JS["jquery"])]
        m.default_css = [("leaflet_css", assets.LOCAL_CSS["leaflet_css"])]
    else:
        m.default_js = [js for js in folium.Map.default_js if js[0] in {"leaflet", "jquery"}]
        m.default_css = [css for css in folium.Map.default_css if css[0] == "leaflet_css"]


def _localise(layer: MarkerCluster, local: bool) -> None:
    if local:
        layer.default_js = [("markerclusterjs", assets.LOCAL_JS["markercluster"])]
        layer.default_css = [("markerclustercss", assets.LOCAL_CSS["markercluster_css"]),
                             ("markerclusterdefaultcss", assets.LOCAL_CSS["markercluster_default_css"])]


def clicked_row(tooltip: str | None) -> int | None:
    """Frame position of the marker whose tooltip text the map reported on click."""
    if not tooltip or "#" not in tooltip:
        return None
    tail = tooltip.rsplit("#", 1)[1].strip()
    return int(tail) if tail.isdigit() else None
