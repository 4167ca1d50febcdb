"""The atlas map: points packed in Python (`points`) and published once per atlas revision as
static files (`layers`, `files`), drawn by the atlas's Leaflet plugin (`static/atlas/map.js`)
through a few folium elements (`elements`, `legend`) in a frame that is the same on every rerun
(`build`); each rerun only says which points to show and how to frame them (`update`). Where the
front-end files come from is `atlas.assets`' job."""

from atlas.map.build import START_CENTER, START_ZOOM, MapOptions, build_map, view_bounds
from atlas.map.layers import AtlasLayers, atlas_layers
from atlas.map.update import View, frame_key, map_update, update_group

__all__ = [
    "START_CENTER",
    "START_ZOOM",
    "AtlasLayers",
    "MapOptions",
    "View",
    "atlas_layers",
    "build_map",
    "frame_key",
    "map_update",
    "update_group",
    "view_bounds",
]
