"""What a rerun sends the map: which points of the static layers to show, which to highlight, the
article places and the framing — a few hundred bytes for the bundled atlas, at most n/8 bytes (as
base64) per layer of n points — carried by streamlit-folium's `feature_group_to_add`, which
changes the map in place instead of making a new one (`L.atlas.update` in static/atlas/map.js).

Framing. The map stays where the visitor put it, except when the filters ask to frame the
result: `frame_key` names what asks for it — the countries chosen and the article chosen (a
visitor choosing Italy expects to see Italy; one typing a search, or picking a category, is
narrowing what they are looking at). The browser frames the result when that key changes, on
the map's first update (unless a shared link gave a view: then it is restored exactly), and when
none of the points shown would be in sight — except while the view is itself a filter ("only what
the map shows", `View.hold`): then no filter moves the view the visitor chose (only the first
update places the map).

An entry chosen outside the map (a permalink, a table row: `View.focus`) takes the map to it once
(unless a shared view is being restored) and opens its record; the selected entry is always
highlighted (its ring), so that it is never hidden in a cluster.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.template import Template

from atlas.i18n import t
from atlas.map.elements import CLUSTER_OPTIONS, ScriptElement, to_json
from atlas.map.layers import AtlasLayers, shown_mask
from atlas.map.points import columns, pack_points, styles
from atlas.text import escape

FOCUS_ZOOM = 12  # an entry chosen outside the map is shown at this zoom at least (a town's streets)


@dataclass(frozen=True)
class View:
    """How the map is framed: `fit` (bounds of what is shown), unless the link gave `center`/`zoom`."""

    key: str  # `frame_key` of the filters: when it changes, the map frames `fit`
    fit: list[list[float]]
    center: tuple[float, float] | None = None  # the link's view, for the map's first update
    zoom: int | None = None
    hold: bool = False  # the view is itself a filter ("only what the map shows"): never move it
    # an entry chosen outside the map (a permalink, a table row): centre on `focus` at `focus_zoom` at
    # least, once per entry and place; `open`: the id of the entry whose record (popup) then opens
    focus: tuple[float, float] | None = None
    focus_zoom: int = FOCUS_ZOOM
    open: str = ""


def frame_key(countries: Sequence[str], article: str = "") -> str:
    """What, in the filters, asks the map to frame the result: the countries and the article chosen."""
    text = json.dumps([sorted(countries), article])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def encode_mask(mask: np.ndarray) -> str | None:
    """`mask` (one bool per point) as `decodeMask` reads it: None for all, else base64 of its bits."""
    mask = np.asarray(mask, dtype=bool)
    if mask.all():
        return None
    return base64.b64encode(np.packbits(mask, bitorder="little").tobytes()).decode("ascii")


def map_update(
    layers: AtlasLayers,
    rows: pd.DataFrame,
    lang: str,
    view: View,
    highlight: frozenset[str] = frozenset(),
    places: pd.DataFrame | None = None,
    places_shown: bool = False,
) -> dict[str, Any]:
    """The update for the map of `rows` (some rows of the atlas `layers` was made of).

    `places` (article places, as `atlas.articles.linking.article_places_points` makes them) are
    small and change with the article chosen: they travel here, packed, rather than in a file.
    """
    spec: dict[str, Any] = {"layers": {}}
    for key, layer_rows in layers.rows.items():
        part: dict[str, Any] = {"mask": encode_mask(shown_mask(layer_rows, rows.index))}
        if highlight:
            part["hl"] = np.flatnonzero(layers.ids[key].isin(highlight)).tolist()
        spec["layers"][key] = part
    spec["places"] = _places(places, lang, highlight, places_shown) if places is not None and len(places) else None
    spec["view"] = {
        "key": view.key,
        "fit": view.fit,
        "center": list(view.center) if view.center else None,
        "zoom": view.zoom,
        "hold": view.hold,
        "focus": _focus(layers, view),
    }
    return spec


def _focus(layers: AtlasLayers, view: View) -> dict[str, Any] | None:
    """Where to take the map for an entry chosen outside it, and which point's record to open there."""
    if view.focus is None:
        return None
    opened = None
    for key, ids in layers.ids.items():
        found = np.flatnonzero(np.asarray(ids == view.open))
        if view.open and len(found):
            opened = {"layer": key, "index": int(found[0])}
            break
    lat, lon = view.focus
    return {"key": f"{view.open}|{lat:.6f},{lon:.6f}", "center": [lat, lon], "zoom": view.focus_zoom, "open": opened}


def _places(places: pd.DataFrame, lang: str, highlight: frozenset[str], shown: bool) -> dict[str, Any]:
    payload = pack_points(columns(places, lang, True, highlight, ref_prefix="place-"))
    texts = {
        "website": escape(t("website", lang)),
        "details": escape(t("details_below", lang)),
        "detailsBeside": escape(t("details_beside", lang)),
        "cluster": escape(t("map_cluster", lang)),
    }
    settings = {"clustered": False, "cluster": CLUSTER_OPTIONS, "styles": styles(lang), "texts": texts, "key": "places"}
    settings["pane"] = "atlasPlaces"  # above the highlighted entries' rings
    text = to_json(payload)
    return {
        "key": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        "payload": payload,
        "settings": settings,
        "name": escape(t("layer_article_places", lang)),
        "show": shown,
    }


class MapUpdate(ScriptElement):
    """Calls `L.atlas.update` with a `map_update` spec when its feature group joins the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.atlas.update({{ this._parent.get_name() }}, {{ this.spec }});
        {% endmacro %}
    """)
    data_attributes = ("spec",)

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MapUpdate"
        self.spec = to_json(spec)


def update_group(spec: dict[str, Any]) -> folium.FeatureGroup:
    """The feature group to give `st_folium(feature_group_to_add=...)`: it carries the update."""
    group = folium.FeatureGroup(name="atlas-update", control=False)
    MapUpdate(spec).add_to(group)
    return group
