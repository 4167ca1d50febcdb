"""The map's folium elements: each one line or two of set-up calling the atlas's Leaflet plugin.

The behaviour lives in `static/atlas/map.js` (and its look in `map.css`), which every element
here lists in its `default_js`/`default_css` so that `st_folium` loads it after Leaflet. The
templates only pass JSON arguments; no data is ever read as a Jinja template (`ScriptElement`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from branca.element import Element
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template

from atlas import assets
from atlas.i18n import N_, t
from atlas.map.points import pack_points, styles
from atlas.text import escape

CLUSTER_OPTIONS = {
    "chunkedLoading": True,
    "maxClusterRadius": 50,
    "spiderfyOnMaxZoom": True,
    "showCoverageOnHover": False,
}


def to_json(value: object) -> str:
    """JSON safe to place inside a <script> element."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("</", "<\\/")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class RenderedText(Element):
    """Text already rendered, placed in the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def place_script_as_text(element: Any, kwargs: dict[str, Any]) -> None:
    """Render `element`'s script macro once and put it in the page as plain text.

    The one place that relies on branca's internals (checked by tests/test_map_elements.py):
    `MacroElement.render` (branca 0.8) puts each element's rendered script into the figure's
    `script` as a new `Element` — a new Jinja *template*, rendered again — under the element's
    `get_name()`; adding our text under the same name replaces it. The macro itself is reached
    the way branca and streamlit-folium reach it, through the Jinja template's module.
    """
    script = element._template.module.script(element, kwargs)
    element.get_root().script.add_child(RenderedText(script), name=element.get_name())


class ScriptElement(JSCSSMixin):
    """An element whose script calls the atlas's plugin with JSON held in `data_attributes`.

    Rendered through branca, a script would be lexed again as template source: seconds for
    100,000 points, a `TemplateSyntaxError` for a name holding `{%`, and template code run on
    the server for a name holding `{{ … }}`. So branca renders the script with `null` in place
    of the data, and the real script, rendered once with the data as values, replaces it.
    (`st_folium` calls each element's script macro itself, once, with the real values.)
    """

    data_attributes: tuple[str, ...] = ()
    needs_js: tuple[tuple[str, str], ...] = ()  # files the plugin needs besides Leaflet, if any
    needs_css: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_js = [*self.needs_js, assets.MAP_JS, assets.A11Y_JS]  # the element's own lists (`assets.use`)
        self.default_css = [*self.needs_css, assets.MAP_CSS]

    def render(self, **kwargs: Any):  # as branca's (which returns nothing)
        saved = {name: getattr(self, name) for name in self.data_attributes}
        for name in saved:
            setattr(self, name, "null")
        try:
            super().render(**kwargs)
        finally:
            for name, value in saved.items():
                setattr(self, name, value)
        place_script_as_text(self, kwargs)


class PointLayer(ScriptElement, Layer):
    """A toggleable layer whose markers `L.atlas.pointLayer` makes from packed points.

    `points` are `encode_points` columns, packed here into the page, points already packed
    (`pack_points`), or `{"url": …, "part": …}`: a part of a published file (`atlas.map.layers`),
    which the browser fetches. `key` names the
    layer for the updates that say which of its points to show (`atlas.map.update`).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.atlas.pointLayer({{ this.payload }}, {{ this.settings }});
        {% endmacro %}
    """)
    data_attributes = ("payload", "settings")
    needs_js = tuple(MarkerCluster.default_js)
    needs_css = tuple(MarkerCluster.default_css)

    def __init__(
        self,
        points: dict[str, Any],
        lang: str,
        name: str,
        clustered: bool = True,
        show: bool = True,
        key: str = "",
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)  # Layer's, after JSCSSMixin in the MRO
        self._name = "PointLayer"
        self.payload = to_json(points if "url" in points or "pts" in points else pack_points(points))
        texts = {
            "website": escape(t("website", lang)),
            "details": escape(t("details_below", lang)),
            "detailsBeside": escape(t("details_beside", lang)),
            "cluster": escape(t("map_cluster", lang)),
        }
        settings = {"clustered": clustered, "cluster": CLUSTER_OPTIONS, "styles": styles(lang), "texts": texts}
        settings |= extra or {}  # `pane`, `squares` (see `L.atlas.pointLayer`)
        self.settings = to_json(settings | ({"key": key} if key else {}))


class BaseOutlines(ScriptElement):
    """Country outlines (the URL of a published GeoJSON file, or the GeoJSON): a base map that
    needs no tile server."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.atlas.outlines({{ this.url }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)
    data_attributes = ("url",)

    def __init__(self, url: str | dict) -> None:
        super().__init__()
        self._name = "BaseOutlines"
        self.url = to_json(url)


class MapSetup(ScriptElement):
    """`L.atlas.setup`: the map's controls in the page's language, metric scale, touch gestures, and
    with `fill` the map as tall as its frame."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.atlas.setup({{ this._parent.get_name() }}, {{ this.settings }});
        {% endmacro %}
    """)
    data_attributes = ("settings",)

    def __init__(self, lang: str, fill: bool = False) -> None:
        super().__init__()
        self._name = "MapSetup"
        keys = {
            "zoomIn": N_("map_zoom_in"),
            "zoomOut": N_("map_zoom_out"),
            "layers": N_("map_layers"),
            "gesture": N_("map_gesture"),
            "search": N_("map_search"),
            "searchNone": N_("map_search_none"),
            "close": N_("map_record_close"),
        }
        texts = {key: escape(t(text, lang)) for key, text in keys.items()}
        # `fill`: the map as tall as its frame, which the page sizes (a partner's embed: page.mjs)
        self.settings = to_json({"texts": texts, "fill": fill})


class PlaceLabels(ScriptElement):
    """Offline place labels (the URL of a published file of `atlas.map.labels`, or the labels):
    drawn at once without tiles, else when the tiles fail; listed in the layer control as `name`."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.atlas.labels({{ this._parent.get_name() }}, {{ this.url }}, {{ this.settings }});
        {% endmacro %}
    """)
    data_attributes = ("url", "settings")

    def __init__(self, url: str | dict, name: str, tiles: bool) -> None:
        super().__init__()
        self._name = "PlaceLabels"
        self.url = to_json(url)
        self.settings = to_json({"name": escape(name), "tiles": tiles})


@lru_cache(maxsize=1)
def world_outlines_json() -> str:
    """World country shapes from the `countryinfo` package, coordinates rounded to 0.01°."""
    from atlas.shapes import world_geojson

    return to_json(world_geojson(precision=2))
