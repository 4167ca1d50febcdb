"""Coordinates of imported rows: swapped latitude/longitude detected, missing ones geocoded."""

from __future__ import annotations

import math
from functools import lru_cache

from atlas.shapes import world_geojson

MARGIN = 0.5  # degrees around a country's bounding box


@lru_cache(maxsize=1)
def country_boxes() -> dict[str, tuple[float, float, float, float]]:
    """ISO alpha-2 -> (min lon, min lat, max lon, max lat) of the country's shapes (countryinfo)."""
    boxes: dict[str, list[float]] = {}
    for feature in world_geojson(precision=1)["features"]:
        code = feature["id"]
        for lon, lat in _points(feature["geometry"]["coordinates"]):
            box = boxes.setdefault(code, [lon, lat, lon, lat])
            box[0], box[1] = min(box[0], lon), min(box[1], lat)
            box[2], box[3] = max(box[2], lon), max(box[3], lat)
    return {code: (b[0], b[1], b[2], b[3]) for code, b in boxes.items()}


def _points(coords: list) -> list[tuple[float, float]]:
    if coords and isinstance(coords[0], (int, float)):
        return [(float(coords[0]), float(coords[1]))]
    out: list[tuple[float, float]] = []
    for inner in coords:
        out += _points(inner)
    return out


def in_country(lat: float, lon: float, country: str) -> bool | None:
    """Whether the point is in (the bounding box of) the country; None when the country's shape is unknown."""
    box = country_boxes().get(country)
    if box is None:
        return None
    return box[0] - MARGIN <= lon <= box[2] + MARGIN and box[1] - MARGIN <= lat <= box[3] + MARGIN


def check_order(lat: float, lon: float, country: str) -> tuple[float, float, str]:
    """(lat, lon, note): swapped back when impossible as given (|lat| > 90) or when only the swapped
    point lies in the stated country; the note says what was done ("" when nothing)."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return lat, lon, ""
    if abs(lat) > 90 and abs(lon) <= 90:
        return lon, lat, f"latitude {lat:g} is impossible: latitude and longitude were swapped back"
    if country and abs(lon) <= 90 and in_country(lat, lon, country) is False and in_country(lon, lat, country):
        return lon, lat, f"the point ({lat:g}, {lon:g}) is outside {country} but inside it swapped: swapped back"
    return lat, lon, ""
