"""Benchmark of the offline gazetteer and the answer cache (no assertions: it only measures).

`run(quick)` returns seconds for a cold index build and a stored-index load, look-ups per
second on distinct place names (warm index) and cache hits per second. Everything is written
to a temporary folder. Command line: `python bench/geocoding_bench.py [--quick]`.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from atlas.geocoding.gazetteer import Gazetteer
from atlas.geocoding.pipeline import Geocoder


def _per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


def run(quick: bool) -> dict:
    """Measure; `quick` uses 2,000 names and 2,000 cache hits instead of 10,000 each."""
    count = 2_000 if quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        gazetteer = Gazetteer.build()
        build_s = time.perf_counter() - start
        stored = Path(tmp) / "index.pickle"
        gazetteer.save(stored)
        start = time.perf_counter()
        loaded = Gazetteer.load(stored)
        assert loaded is not None, "the stored gazetteer index could not be read back"
        gazetteer = loaded
        load_s = time.perf_counter() - start

        distinct: dict[str, str] = {}
        for place in gazetteer:
            distinct.setdefault(place.name, place.country)
        names = list(distinct.items())[::7][:count]
        start = time.perf_counter()
        found = sum(bool(gazetteer.find(name, country)) for name, country in names)
        lookup_s = time.perf_counter() - start

        geocoder = Geocoder(Path(tmp) / "cache.sqlite3", gazetteer=gazetteer)
        queries = [q for name, country in names if (q := geocoder.query(name, country)) is not None]
        for query in queries:
            geocoder.resolve(query)
        start = time.perf_counter()
        hits = sum(geocoder.resolve(query).cached for query in queries)
        hits_s = time.perf_counter() - start
        geocoder.cache.close()
    return {
        "places": len(gazetteer),
        "index_cold_build_s": round(build_s, 2),
        "index_stored_load_s": round(load_s, 2),
        "distinct_names": len(names),
        "names_found": found,
        "lookups_per_s": _per_second(len(names), lookup_s),
        "cache_hits": hits,
        "cache_hits_per_s": _per_second(len(queries), hits_s),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2))
