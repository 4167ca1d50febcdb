"""Building the folium map from compact column arrays (not one Python object per marker).

Points travel to the browser as a few JSON arrays (quantised coordinates, escaped names,
small integer codes into shared tables; `pack_points` puts the numbers into one base64 string,
9 bytes a point); one JavaScript loop makes the markers, which get their tooltip and popup
when first drawn on their own. Every data string passes through `atlas.text.escape` before it
reaches the page, and no data is ever read as a Jinja template (`DataScript`).
"""

from __future__ import annotations

import base64
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
from atlas.categories import CATEGORIES, ODC_CATEGORY
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
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("</", "<\\/")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _map_columns(frame: pd.DataFrame, lang: str, rich: bool, highlight: bool) -> list[str]:
    """The columns the map reads (selecting them first keeps row filtering from copying the rest)."""
    wanted = ["lat", "lon", "name", "city", f"country_name_{lang}", "category", "kind", "status"]
    wanted += ["id"] if highlight else []
    wanted += [f"description_{lang}", "website"] if rich else []
    return [c for c in wanted if c in frame]


def escape_all(values: object) -> list[str]:
    """`escape` of every value, in one call on the values joined by NUL when none holds a NUL.

    `escape` only replaces characters one by one (never NUL), so escaping the joined text and
    splitting it again is escaping each value.
    """
    texts = values if isinstance(values, list) else list(values)
    try:
        joined = "\0".join(texts)
    except TypeError:  # not all strings
        texts = ["" if v is None else str(v) for v in texts]
        joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):
        return [escape(v) for v in texts]
    return escape(joined).split("\0") if texts else []


def encode_points(
    frame: pd.DataFrame, lang: str, rich: bool, highlight: frozenset[str] = frozenset(), ref_prefix: str = ""
) -> dict:
    """Column arrays for the browser: coordinates, escaped names and codes into shared tables.

    `row` holds each point's index label in `frame`; the map reports it back on click
    (after `ref_prefix`, so that points of other layers are never taken for atlas rows).
    `pack_points` turns these arrays into the smaller form the page receives.
    """
    data = _columns(frame, lang, rich, highlight, ref_prefix)
    return {key: value.tolist() if isinstance(value, np.ndarray) else value for key, value in data.items()}


def _columns(
    frame: pd.DataFrame, lang: str, rich: bool, highlight: frozenset[str] = frozenset(), ref_prefix: str = ""
) -> dict:
    """`encode_points`, with numpy arrays where it has lists of numbers."""
    frame = frame[_map_columns(frame, lang, rich, bool(highlight))]
    frame = frame[frame["lat"].notna().to_numpy() & frame["lon"].notna().to_numpy()]
    cities, city_codes = _table(frame["city"])
    countries, country_codes = _table(frame[f"country_name_{lang}"])
    codes, categories = pd.factorize(frame["category"], sort=False)  # missing: code -1, the appended 0
    style = np.array([CATEGORY_INDEX.get(c, 0) for c in categories] + [0], dtype=np.int64)[codes]
    kind = frame["kind"].to_numpy()
    planned = (kind == "odc") & (frame["status"].to_numpy() == "planned")
    style = np.where(planned, PLANNED_STYLE, style)
    style = np.where(kind == "place", PLACE_STYLE, style)
    data: dict[str, object] = {
        "lat": np.rint(frame["lat"].to_numpy(dtype=float) * COORD_SCALE).astype(np.int64),
        "lon": np.rint(frame["lon"].to_numpy(dtype=float) * COORD_SCALE).astype(np.int64),
        "name": escape_all(frame["name"].tolist()),
        "city": city_codes,
        "country": country_codes,
        "style": style,
        "row": frame.index.to_numpy(),
        "ref": ref_prefix,
        "cities": escape_all(cities),
        "countries": escape_all(countries),
    }
    if highlight:
        data["hl"] = np.flatnonzero(frame["id"].isin(highlight).to_numpy())
    if rich:
        data["desc"] = escape_all(_short(d) for d in frame[f"description_{lang}"].fillna(""))
        data["web"] = escape_all(safe_url(w) for w in frame["website"].fillna(""))
    return data


LAT_OFFSET, LON_OFFSET = 90 * COORD_SCALE, 180 * COORD_SCALE  # make coordinates non-negative for packing
PLACE_BITS = 20  # place codes below 2**20 share 3 bytes with the 4-bit style code


def pack_points(data: dict) -> dict:
    """`encode_points` arrays in the compact form the page decodes (`PointLayer`'s script).

    - `pts`: base64 of 9 bytes a point, three 3-byte little-endian integers: latitude + 90° and
      longitude + 180° in 1e-4 degree, then the place code plus the style code × 2**20;
    - `places`: the escaped city of each place, `pc` its code into `countries` (escaped names);
    - `row0` when the rows are consecutive index labels, else `rowd`: differences between them.

    `name`, `ref`, `hl`, `desc` and `web` are passed on as they are.
    """
    lat = np.asarray(data["lat"], dtype=np.int64) + LAT_OFFSET
    lon = np.asarray(data["lon"], dtype=np.int64) + LON_OFFSET
    n_countries = max(len(data["countries"]), 1)
    pair = np.asarray(data["city"], dtype=np.int64) * n_countries + np.asarray(data["country"], dtype=np.int64)
    codes, uniques = pd.factorize(pair, sort=False)
    style = np.asarray(data["style"], dtype=np.int64)
    out: dict[str, object] = {"name": data["name"], "ref": data["ref"]}
    if len(uniques) >= 2**PLACE_BITS or (style >= 16).any() or (style < 0).any():  # pragma: no cover - huge maps
        out.update(place=codes.tolist(), style=style.tolist())
        third = np.zeros(len(lat), dtype=np.int64)
    else:
        third = codes.astype(np.int64) | (style << PLACE_BITS)
    packed = np.empty((len(lat), 9), dtype=np.uint8)
    for k, values in ((0, lat), (3, lon), (6, third)):
        for b in range(3):
            packed[:, k + b] = (values >> (8 * b)) & 0xFF
    out["pts"] = base64.b64encode(packed.tobytes()).decode("ascii")
    out["places"] = [data["cities"][int(p) // n_countries] for p in uniques]
    out["pc"] = (uniques % n_countries).tolist()
    out["countries"] = data["countries"]
    rows = np.asarray(data["row"])
    if rows.dtype.kind in "iu" and (len(rows) < 2 or (np.diff(rows) == 1).all()):
        out["row0"] = int(rows[0]) if len(rows) else 0
    elif rows.dtype.kind in "iu":
        out["rowd"] = np.diff(rows, prepend=0).tolist()
    else:
        out["rowv"] = data["row"]
    for key in ("hl", "desc", "web"):
        if key in data:
            out[key] = data[key].tolist() if isinstance(data[key], np.ndarray) else data[key]
    return out


def _table(values: pd.Series) -> tuple[list[str], np.ndarray]:
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return uniques.tolist(), codes


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def styles(lang: str) -> list[dict]:
    """Marker styles by code: one per category, then the planned-ODC style."""
    out = [{"colour": c.colour, "label": escape(c.label(lang)), "odc": c.id == ODC_CATEGORY} for c in CATEGORIES]
    out.append({"colour": "#FF7900", "label": escape(t("odc_planned", lang)), "odc": True, "planned": True})
    out.append({"colour": "#7b3294", "label": escape(t("kind_place", lang)), "place": True})
    return out


class RenderedText(Element):
    """Text already rendered, placed in the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataScript:
    """Mixin for elements whose script carries data in the attributes named by `data_attributes`.

    branca's `MacroElement.render` turns each rendered script into a new Jinja *template* (and
    renders that again): the data would be lexed as template source — seconds for 100,000 points,
    a `TemplateSyntaxError` for a name holding `{%`, and template code run on the server for a
    name holding `{{ … }}`. Here branca renders the script with a placeholder instead, and the
    real script, rendered once with the data as values, replaces it as plain text.
    """

    data_attributes: tuple[str, ...] = ("payload",)

    def render(self, **kwargs) -> None:
        saved = {name: getattr(self, name) for name in self.data_attributes}
        for name in saved:
            setattr(self, name, "null")
        try:
            super().render(**kwargs)
        finally:
            for name, value in saved.items():
                setattr(self, name, value)
        script = self._template.module.__dict__["script"](self, kwargs)
        self.get_root().script.add_child(RenderedText(script), name=self.get_name())


class PointLayer(DataScript, MarkerCluster):
    """A clustered layer whose markers are made in the browser from `encode_points` arrays."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = {{ this.payload }};
        var {{ this.get_name() }}_points = (function (p) {
            // pack_points' compact form back to columns: lat/lon in 1e-4 degree, style, place, row label
            var n = p.name.length, s = atob(p.pts), lat = new Int32Array(n), lon = new Int32Array(n),
                style = p.style || new Uint8Array(n), place = p.place || new Int32Array(n), row = new Array(n),
                places = [];
            function u24(j) { return s.charCodeAt(j) | s.charCodeAt(j + 1) << 8 | s.charCodeAt(j + 2) << 16; }
            for (var i = 0, j = 0, r = 0; i < n; i++, j += 9) {
                lat[i] = u24(j) - {{ this.lat_offset }};
                lon[i] = u24(j + 3) - {{ this.lon_offset }};
                if (!p.place) {
                    var c = u24(j + 6);
                    place[i] = c & {{ 2 ** this.place_bits - 1 }};
                    style[i] = c >> {{ this.place_bits }};
                }
                row[i] = p.rowd ? (r += p.rowd[i]) : (p.rowv ? p.rowv[i] : p.row0 + i);
            }
            for (var k = 0; k < p.places.length; k++) {
                places.push(p.places[k] + (p.places[k] ? ', ' : '') + p.countries[p.pc[k]]);
            }
            return {lat: lat, lon: lon, row: row, name: p.name, style: style, place: place, places: places,
                    ref: p.ref, hl: p.hl, desc: p.desc, web: p.web};
        })({{ this.get_name() }}_data);
        var {{ this.get_name() }} = (function () {
            var d = {{ this.get_name() }}_points;
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
                    d.places[d.place[i]];
                if (d.desc && d.desc[i]) { h += '<p>' + d.desc[i] + '</p>'; }
                if (d.web && d.web[i]) {
                    h += '<a href="' + d.web[i] + '" target="_blank" rel="noopener noreferrer">' + txt.website + '</a><br>';
                }
                return h + '<i>' + txt.details + '</i></div>';
            }
            // A marker gets its tooltip and popup when it is first drawn on its own (not inside a
            // cluster): making them for 100,000 markers up front takes about a second.
            var Point = L.Marker.extend({
                onAdd: function (map) {
                    L.Marker.prototype.onAdd.call(this, map);
                    if (!this._tooltip) {
                        var i = this._atlasIndex;
                        this.bindTooltip('<b>' + d.name[i] + '</b><br>' + d.places[d.place[i]] +
                            '<span hidden>#' + d.ref + d.row[i] + '</span>');
                        this.bindPopup(popup.bind(null, i), {maxWidth: 320});
                    }
                    return this;
                }
            });
            var markers = new Array(d.lat.length);
            for (var i = 0; i < d.lat.length; i++) {
                var m = new Point([d.lat[i] / S, d.lon[i] / S], {icon: icon(d.style[i], hl[i])});
                m._atlasIndex = i;
                markers[i] = m;
            }
            var plain = markers.filter(function (m, i) { return !hl[i]; });
            if (cluster.addLayers) {
                // markercluster checks each marker added to a group not yet on a map against all those
                // waiting (quadratic: seconds for 100,000); on the map it clusters them in chunks
                cluster.once('add', function () { cluster.addLayers(plain); });
            } else {
                plain.forEach(function (m) { cluster.addLayer(m); });
            }
            if (!d.hl || !d.hl.length) { return cluster; }
            var layer = L.featureGroup([cluster]);  // highlighted markers stay out of the clusters
            d.hl.forEach(function (i) { layer.addLayer(markers[i]); });
            return layer;
        })();
        (window.atlasLayers = window.atlasLayers || []).push({layer: {{ this.get_name() }}, data: {{ this.get_name() }}_points,
                                                              scale: {{ this.scale }}});
        {% endmacro %}
    """)

    def __init__(self, payload: dict, lang: str, name: str, clustered: bool = True, show: bool = True) -> None:
        super().__init__(
            name=name,
            show=show,
            options={
                "chunkedLoading": True,
                "maxClusterRadius": 50,
                "spiderfyOnMaxZoom": True,
                "showCoverageOnHover": False,
            },
        )
        self.payload = to_json(pack_points(payload))
        self.lat_offset, self.lon_offset, self.place_bits = LAT_OFFSET, LON_OFFSET, PLACE_BITS
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
    rows = [
        _legend_row(
            i,
            f'<span class="atlas-swatch" style="background:{c.colour}"></span>',
            c.label(lang),
            int(counts.get(c.id, 0)),
        )
        for i, c in enumerate(CATEGORIES)
        if counts.get(c.id, 0) and c.id != ODC_CATEGORY
    ]
    odc = frame[frame["kind"] == "odc"]
    if len(odc):
        n_open = int((odc["status"] == "open").sum())
        rows.append(
            _legend_row(
                CATEGORY_INDEX[ODC_CATEGORY],
                '<span class="atlas-swatch atlas-square" style="background:#FF7900"></span>',
                t("odc_open", lang),
                n_open,
            )
        )
        rows.append(
            _legend_row(
                PLANNED_STYLE,
                '<span class="atlas-swatch atlas-square atlas-hollow"></span>',
                t("odc_planned", lang),
                len(odc) - n_open,
            )
        )
    if with_places:
        rows.append(
            _legend_row(PLACE_STYLE, '<span class="atlas-swatch atlas-diamond"></span>', t("kind_place", lang), 0)
        )
    return (
        f'<details open><summary class="atlas-legend-title">{escape(t("legend", lang))}</summary>'
        + "".join(rows)
        + "</details>"
    )


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


class BaseOutlines(DataScript, MacroElement):
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

    data_attributes = ("data",)


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
    if opts.tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    else:
        BaseOutlines().add_to(m)
    m.get_root().header.add_child(Element(MAP_CSS))
    rich = len(frame) <= RICH_POPUP_LIMIT
    frame = frame[_map_columns(frame, opts.lang, rich, bool(opts.highlight))]  # not the other columns
    kind = frame["kind"].to_numpy()
    orgs, odcs = frame[kind == "organisation"], frame[kind == "odc"]
    for part, key, clustered in ((orgs, "layer_organisations", True), (odcs, "layer_odcs", False)):
        PointLayer(
            _columns(part, opts.lang, rich, opts.highlight), opts.lang, name=t(key, opts.lang), clustered=clustered
        ).add_to(m)
    if article_places is not None and len(article_places):
        PointLayer(
            _columns(article_places, opts.lang, True, opts.highlight, ref_prefix="place-"),
            opts.lang,
            name=t("layer_article_places", opts.lang),
            clustered=False,
            show=bool(opts.highlight),
        ).add_to(m)
    Legend(legend_html(frame, opts.lang, with_places=article_places is not None and len(article_places) > 0)).add_to(m)
    Fullscreen(
        position="topleft", title=t("fullscreen", opts.lang), title_cancel=t("fullscreen_exit", opts.lang)
    ).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    use_assets(m, opts.local_assets)
    if opts.center is None:
        FitBounds(opts.fit or view_bounds(frame)).add_to(m)
    return m


def article_places_points(places: pd.DataFrame, titles: dict[str, str], lang: str) -> pd.DataFrame:
    """Article places (from `article_places_frame`) in the shape `encode_points` reads.

    Each place's popup text lists the titles of the articles that name it.
    """
    from atlas.countries import country_name

    return pd.DataFrame(
        {
            "id": places["id"],
            "kind": "place",
            "category": "",
            "status": "",
            "name": places["name"],
            "city": "",
            f"country_name_{lang}": [country_name(c, lang) for c in places["country"]],
            "lat": places["lat"].astype(float),
            "lon": places["lon"].astype(float),
            "website": "",
            f"description_{lang}": [" · ".join(titles.get(a, a) for a in ids) for ids in places["article_ids"]],
        }
    )


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


MAP_ASSETS = {"leaflet", "jquery", "leaflet_css"}  # of folium.Map's defaults, all this map needs


def use_assets(m: folium.Map, local: bool) -> None:
    """Only the front-end files the map needs, from this server when `local` (call once built)."""
    m.default_js = [a for a in m.default_js if a[0] in MAP_ASSETS]
    m.default_css = [a for a in m.default_css if a[0] in MAP_ASSETS]
    if local:
        for element in _elements(m):
            for attr in ("default_js", "default_css"):
                if getattr(element, attr, None):
                    setattr(element, attr, [(name, assets.LOCAL_URLS[name]) for name, _ in getattr(element, attr)])


def _elements(element: Element) -> list[Element]:
    return [element, *(e for child in element._children.values() for e in _elements(child))]


def clicked_row(tooltip: str | None) -> int | None:
    """Frame position of the marker whose tooltip text the map reported on click."""
    if not tooltip or "#" not in tooltip:
        return None
    tail = tooltip.rsplit("#", 1)[1].strip()
    return int(tail) if tail.isdigit() else None
