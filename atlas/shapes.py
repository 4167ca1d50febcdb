"""Country shapes for the offline base map and the choropleth, from the `countryinfo` package."""

from __future__ import annotations

from functools import lru_cache

import countryinfo


@lru_cache(maxsize=4)
def world_geojson(precision: int = 2) -> dict:
    """A FeatureCollection of country shapes; each feature's `id` is its ISO alpha-2 code.

    Coordinates are rounded to `precision` decimals and repeated points dropped, which
    keeps the collection small enough to ship with every map.
    """
    features = []
    for country in countryinfo.all_countries():
        info = country.info()
        code = (info.get("ISO") or {}).get("alpha2")
        shape = info.get("geoJSON") or {}
        for feature in shape.get("features", []) if isinstance(shape, dict) and code else []:
            geometry = feature["geometry"]
            features.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {"iso": code},
                    "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"], precision)},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _round(coords: list, precision: int) -> list:
    if coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], precision), round(coords[1], precision)]
    rounded = [_round(c, precision) for c in coords]
    if rounded and isinstance(rounded[0][0], (int, float)):  # a ring: drop repeated points
        ring = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        return ring if len(ring) >= 4 else rounded
    return rounded
