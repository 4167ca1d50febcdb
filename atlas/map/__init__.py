"""The atlas map: points packed in Python (`points`), drawn by the atlas's Leaflet plugin
(`static/atlas/map.js`) through a few folium elements (`elements`, `legend`), put together by
`build_map` (`build`). Where the front-end files come from is `atlas.assets`' job."""

from atlas.map.build import MapOptions, build_map, view_bounds

__all__ = ["MapOptions", "build_map", "view_bounds"]
