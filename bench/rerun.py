"""What one rerun of the map page costs the server: `python -m bench.rerun [--reps 5] [--json OUT]`.

The page's script under Streamlit's AppTest (the server's own script runner: every element built
and serialised as a browser would receive it) on the bundled atlas, with its own throwaway
database, CPU time of the process per rerun (AppTest's polling sleeps, so CPU is the cost the
server pays; wall time is reported beside it). Measured in one run, in turns:

- new view: a filter change to rows no session has asked for at this data revision (the charts'
  specifications and the download files are built: what every rerun cost before `atlas.ui.views`);
- returning view: a filter change to a view already asked for (any session): they are shared.

The ratio returning / new is what sharing the views saves on a filter change that many visitors
make (one country, one category, the whole atlas).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["FR", "BE", "SN", "CI", "DE", "ES", "IT", "TN", "MA", "CM", "ML", "JO", "PL", "RO", "SK", "LU", "MG"]


def measure(reps: int) -> dict:
    from streamlit.testing.v1 import AppTest

    from atlas.ui.state import Key

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.run()

    def rerun_with(countries: list[str]) -> tuple[float, float]:
        at.multiselect(key=Key.COUNTRIES).set_value(countries)
        cpu, wall = time.process_time(), time.perf_counter()
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)
        return time.process_time() - cpu, time.perf_counter() - wall

    new: list[tuple[float, float]] = []
    returning: list[tuple[float, float]] = []
    views = [[c] for c in COUNTRIES][: max(reps, 2)]
    for view in views:  # in turns: a new view, then a view asked for before
        new.append(rerun_with(view))
        returning.append(rerun_with(views[0]))
    return {
        "reps": len(views),
        "new_view_cpu_s": statistics.median(c for c, _ in new),
        "new_view_wall_s": statistics.median(w for _, w in new),
        "returning_view_cpu_s": statistics.median(c for c, _ in returning[1:] or returning),
        "returning_view_wall_s": statistics.median(w for _, w in returning[1:] or returning),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.rerun", description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ATLAS_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'atlas.sqlite3'}"
        os.environ.setdefault("ATLAS_GEOCODE_CACHE", str(Path(tmp) / "geocode.sqlite3"))
        result = measure(args.reps)
    result["ratio_returning_to_new_cpu"] = result["returning_view_cpu_s"] / result["new_view_cpu_s"]
    print(
        f"map page rerun, CPU (wall): new view {result['new_view_cpu_s'] * 1000:.0f} ms "
        f"({result['new_view_wall_s'] * 1000:.0f} ms), returning view {result['returning_view_cpu_s'] * 1000:.0f} ms "
        f"({result['returning_view_wall_s'] * 1000:.0f} ms), ratio {result['ratio_returning_to_new_cpu']:.2f}",
        file=sys.stderr,
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
