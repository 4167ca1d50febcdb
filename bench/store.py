"""The database as the app's source, against the CSV folder: `python -m bench.store [--sizes 1000,100000]`.

For each size it generates a synthetic atlas (`bench.generate`), seeds a fresh SQLite database
from it, and runs the map page in Streamlit's AppTest with each source (`ATLAS_SOURCE=files`,
then the database) in this one process: one warm-up run (loads and caches the atlas), then
`--reps` reruns with a filter change each; the figure is the median rerun time, and the ratio
database / files is what matters (the machine is shared: absolute times are noisy). It also
times the database's cold load (`published_atlas`) against the CSV folder's (`load_atlas`), and
the seed itself.

The target of issue 13: a rerun with the database costs no more than 1.1× the CSV folder's.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import median_seconds
from bench.generate import DEFAULT_SEED, generate

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
COUNTRIES: tuple[list[str], ...] = (["FR"], ["FR", "BE"], ["DE"], [], ["IT", "ES"])


def rerun_seconds(source: str, data: Path, db_url: str, reps: int) -> float:
    """Median time of a map-page rerun after a country filter change, with `source` (files|database)."""
    from streamlit.testing.v1 import AppTest

    os.environ.update(
        ATLAS_SOURCE=source,
        ATLAS_DATA_DIR=str(data),
        ATLAS_DATABASE_URL=db_url,
        ATLAS_ASSETS="local",
        ATLAS_TILES="none",
    )
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()  # warm: loads the atlas into the cache
    if at.exception:
        raise RuntimeError(at.exception)
    step = iter(range(10**9))

    def rerun() -> None:
        at.sidebar.multiselect(key="f_country").set_value(COUNTRIES[next(step) % len(COUNTRIES)]).run()

    return median_seconds(rerun, reps)


def bench_size(rows: int, reps: int, workdir: Path) -> dict[str, Any]:
    from atlas.data import load_atlas
    from atlas.store import open_store

    data = generate(workdir / f"atlas-{rows}", rows, DEFAULT_SEED)
    db_url = f"sqlite:///{workdir / f'atlas-{rows}.sqlite3'}"
    start = time.perf_counter()
    store = open_store(db_url, seed_from=data)
    seed_s = time.perf_counter() - start
    load_files_s = median_seconds(lambda: load_atlas(data), 3)
    load_db_s = median_seconds(store.published_atlas, 3)
    revision_ms = median_seconds(store.revision, 50) * 1000
    store.engine.dispose()
    files_s = rerun_seconds("files", data, db_url, reps)
    database_s = rerun_seconds("database", data, db_url, reps)
    return {
        "rows": rows,
        "seed_s": round(seed_s, 2),
        "cold_load_files_s": round(load_files_s, 3),
        "cold_load_database_s": round(load_db_s, 3),
        "revision_check_ms": round(revision_ms, 3),
        "rerun_files_s": round(files_s, 3),
        "rerun_database_s": round(database_s, 3),
        "rerun_ratio": round(database_s / files_s, 3),
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated atlas sizes")
    parser.add_argument("--reps", type=int, default=7, help="reruns per source (median)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (int(s) for s in args.sizes.split(",")):
            result = bench_size(rows, args.reps, Path(tmp))
            print(json.dumps(result), flush=True)
            results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
