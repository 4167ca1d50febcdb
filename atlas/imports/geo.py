"""Coordinates of imported rows: swapped latitude/longitude detected, the country a point is in (offline,
point in polygon against the country outlines the maps ship), points far outside their stated country."""

from __future__ import annotations

import math
from dataclasses import dataclass
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


# -- the country a point is in (offline, against the outlines the maps ship) ------------------------

NEAR_KM = 25.0  # a point this close to a country's outline (a harbour, a pier, a rounded coast) is in it
OUTSIDE_KM = 50.0  # a point farther than this from its stated country is reported on its row
_KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class _Shape:
    code: str
    box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    rings: tuple[tuple[tuple[float, float], ...], ...]  # outer ring first, then holes (lon, lat)


@lru_cache(maxsize=1)
def _shapes() -> tuple[_Shape, ...]:
    """Every polygon of every country's outline (countryinfo, as the choropleth draws it)."""
    out: list[_Shape] = []
    for feature in world_geojson(precision=3)["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            rings = tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon if len(ring) >= 4)
            if not rings:
                continue
            lons = [p[0] for p in rings[0]]
            lats = [p[1] for p in rings[0]]
            out.append(_Shape(feature["id"], (min(lons), min(lats), max(lons), max(lats)), rings))
    return tuple(out)


def _in_ring(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        if (y1 > lat) != (y0 > lat) and lon < (x0 - x1) * (lat - y1) / (y0 - y1) + x1:
            inside = not inside
        x0, y0 = x1, y1
    return inside


def _in_shape(lon: float, lat: float, shape: _Shape) -> bool:
    if not _in_ring(lon, lat, shape.rings[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in shape.rings[1:])


def _km_to_ring(lat: float, lon: float, ring: tuple[tuple[float, float], ...]) -> float:
    """The shortest distance (km, locally flat) from the point to the ring's edges."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    x0, y0 = (ring[-1][0] - lon) * scale, ring[-1][1] - lat
    for px, py in ring:
        x1, y1 = (px - lon) * scale, py - lat
        dx, dy = x1 - x0, y1 - y0
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(x0 * dx + y0 * dy) / length))
        cx, cy = x0 + t * dx, y0 + t * dy
        best = min(best, cx * cx + cy * cy)
        x0, y0 = x1, y1
    return math.sqrt(best) * _KM_PER_DEGREE


def _near(box: tuple[float, float, float, float], lat: float, lon: float, km: float) -> bool:
    margin = km / _KM_PER_DEGREE
    wide = margin / max(math.cos(math.radians(lat)), 0.05)
    return box[0] - wide <= lon <= box[2] + wide and box[1] - margin <= lat <= box[3] + margin


def km_outside(lat: float, lon: float, country: str, limit: float = 500.0) -> float | None:
    """How far (km) the point lies outside `country`'s outline: 0 inside; None when the country has
    no outline; `math.inf` when it is farther than `limit`."""
    shapes = [s for s in _shapes() if s.code == country]
    if not shapes:
        return None
    best = math.inf
    for shape in shapes:
        if not _near(shape.box, lat, lon, limit):
            continue
        if _in_shape(lon, lat, shape):
            return 0.0
        best = min(best, _km_to_ring(lat, lon, shape.rings[0]))
    return best if best <= limit else math.inf


PLACE_KM = 15.0  # near a border, the country of a town this close decides (the outlines are simplified)
BORDER_KM = 20.0  # a point this close to its outline's edge is "near a border"


@lru_cache(maxsize=1)
def _place_grid() -> dict[tuple[int, int], list[tuple[float, float, str]]]:
    """The gazetteer's towns on a half-degree grid: (lat, lon, country) per cell."""
    from atlas.geocoding.gazetteer import get_gazetteer

    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for place in get_gazetteer():
        if place.country:
            grid.setdefault((math.floor(place.lat * 2), math.floor(place.lon * 2)), []).append(
                (place.lat, place.lon, place.country)
            )
    return grid


def nearest_town_country(lat: float, lon: float, within_km: float = PLACE_KM) -> str | None:
    """The country of the gazetteer's town nearest the point, when one is within `within_km`."""
    try:
        grid = _place_grid()
    except Exception:
        return None
    row, col = math.floor(lat * 2), math.floor(lon * 2)
    scale = math.cos(math.radians(lat))
    best, country = math.inf, None
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            for plat, plon, code in grid.get((row + dr, col + dc), ()):
                d = math.hypot((plat - lat), (plon - lon) * scale) * _KM_PER_DEGREE
                if d < best:
                    best, country = d, code
    return country if best <= within_km else None


def country_at(lat: float, lon: float, near_km: float = NEAR_KM) -> str | None:
    """The ISO alpha-2 code of the country the point is in; None at sea or unknown.

    Inside an outline, far from its edge: that country. Near an edge (a border, a coast; the
    outlines are simplified) or outside every outline: the country of the nearest town of the
    gazetteer within a few km, else the outline the point is in, else the nearest within `near_km`.
    """
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    inside, nearest, best = None, None, math.inf
    for shape in _shapes():
        if not _near(shape.box, lat, lon, max(near_km, BORDER_KM)):
            continue
        b = shape.box
        edge = _km_to_ring(lat, lon, shape.rings[0])
        if inside is None and b[0] <= lon <= b[2] and b[1] <= lat <= b[3] and _in_shape(lon, lat, shape):
            inside = shape.code
            if edge > BORDER_KM:
                return inside
        elif edge < best:
            nearest, best = shape.code, edge
    town = nearest_town_country(lat, lon)
    if town:
        return town
    if inside:
        return inside
    return nearest if best <= near_km else None
