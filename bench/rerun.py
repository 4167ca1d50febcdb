"""What one rerun of the map page costs the server: `python -m bench.rerun [--reps 5] [--compare REV] [--json OUT]`.

The page's script under Streamlit's AppTest (the server's own script runner: every element built
and serialised as a browser would receive it) on the bundled atlas, with its own throwaway
database, CPU time of the process per rerun (AppTest's polling sleeps, so CPU is the cost the
server pays; wall time is reported beside it). Measured in one run, in turns:

- new view: a filter change to rows no session has asked for at this data revision (what every
  rerun cost before `atlas.ui.views`);
- returning view: a filter change to a view already asked for (any session): they are shared;
- marker click: a click on a marker of the map, as the server runs it: a rerun of the fragment the
  map is drawn in (`map_page._map_and_record`), which sees the click and reruns itself so that
  the map marks the entry and the record panel shows it (two fragment runs, measured together).

`--compare REV` measures another revision (a git worktree of REV, made and removed here) and this
tree in turns (`--rounds` rounds, each a fresh process per tree), so that both see the same load:
compare the ratios, not the milliseconds of another day. `--root DIR` measures the page of DIR
(another checkout) with this benchmark.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["FR", "BE", "SN", "CI", "DE", "ES", "IT", "TN", "MA", "CM", "ML", "JO", "PL", "RO", "SK", "LU", "MG"]
MEASURES = ("new_view", "returning_view", "marker_click")


def _timed(run: Callable[[], Any]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def _fragment_id(at: Any, name: str) -> str | None:
    """The id of the fragment whose function is `name`, as the last run registered it."""
    for fragment_id, wrapped in at._fragment_storage._fragments.items():
        for cell in wrapped.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if getattr(value, "__name__", "") == name:
                return fragment_id
    return None


def measure(reps: int, root: Path = ROOT) -> dict:
    from streamlit.testing.v1 import AppTest, local_script_runner

    import atlas.ui.map_panel as map_panel
    from atlas.ui.state import Key

    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.run()
    at.run()

    def run_checked() -> None:
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)

    def rerun_with(countries: list[str]) -> tuple[float, float]:
        at.multiselect(key=Key.COUNTRIES).set_value(countries)
        return _timed(run_checked)

    def selected() -> str | None:
        try:
            return str(at.session_state[Key.SELECTED])
        except KeyError:
            return None

    def click(row: int) -> tuple[float, float]:
        """A click on the marker of `row`: the map component reports it in a rerun of its fragment."""
        fragment = _fragment_id(at, "_map_and_record")
        if fragment is None:
            raise RuntimeError("the map page has no _map_and_record fragment")
        panel: Any = map_panel  # patched for this run: the component reports the click,
        runner: Any = local_script_runner  # and the run is one of the map's fragment, as the server makes it
        real_component, real_rerun_data = panel.st_folium, runner.RerunData
        panel.st_folium = lambda *a, **k: {"last_object_clicked_tooltip": f"marker#{row}"}
        runner.RerunData = functools.partial(real_rerun_data, fragment_id_queue=[fragment])
        before = selected()
        try:
            timed = _timed(run_checked)
        finally:
            panel.st_folium, runner.RerunData = real_component, real_rerun_data
        if selected() == before:
            raise RuntimeError(f"the click on marker {row} selected nothing")
        return timed

    new: list[tuple[float, float]] = []
    returning: list[tuple[float, float]] = []
    clicks: list[tuple[float, float]] = []
    views = [[c] for c in COUNTRIES][: max(reps, 2)]
    for i, view in enumerate(views):  # in turns: a new view, then a view asked for before, then a click
        new.append(rerun_with(view))
        returning.append(rerun_with(views[0]))
        clicks.append(click(i + 1))
        run_checked()  # a full run, as the next filter change would follow: the page whole again
    result: dict[str, Any] = {"reps": len(views)}
    for name, samples in (("new_view", new), ("returning_view", returning[1:] or returning), ("marker_click", clicks)):
        result[f"{name}_cpu_s"] = statistics.median(c for c, _ in samples)
        result[f"{name}_wall_s"] = statistics.median(w for _, w in samples)
    return result


def measure_here(reps: int, root: Path) -> dict:
    """`measure` in this process, with its own throwaway database and geocoding cache."""
    saved = {k: os.environ.get(k) for k in ("ATLAS_DATABASE_URL", "ATLAS_GEOCODE_CACHE")}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ATLAS_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'atlas.sqlite3'}"
        os.environ["ATLAS_GEOCODE_CACHE"] = str(Path(tmp) / "geocode.sqlite3")
        try:
            result = measure(reps, root)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    result["ratio_returning_to_new_cpu"] = result["returning_view_cpu_s"] / result["new_view_cpu_s"]
    return result


def _line(label: str, result: dict) -> str:
    return (
        f"{label}CPU (wall): new view {result['new_view_cpu_s'] * 1000:.0f} ms "
        f"({result['new_view_wall_s'] * 1000:.0f} ms), returning view {result['returning_view_cpu_s'] * 1000:.0f} ms "
        f"({result['returning_view_wall_s'] * 1000:.0f} ms), marker click {result['marker_click_cpu_s'] * 1000:.0f} ms "
        f"({result['marker_click_wall_s'] * 1000:.0f} ms)"
    )


def compare(rev: str, reps: int, rounds: int) -> dict:
    """REV and this tree measured in turns, a fresh process each; medians over the rounds."""
    with tempfile.TemporaryDirectory(prefix="bench-rerun-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), rev], check=True, capture_output=True
        )
        try:
            runs: dict[str, list[dict]] = {"old": [], "new": []}
            for _ in range(rounds):
                for label, root in (("old", old), ("new", ROOT)):
                    out = Path(tmp) / f"{label}.json"
                    cmd = [
                        sys.executable,
                        "-m",
                        "bench.rerun",
                        "--root",
                        str(root),
                        "--reps",
                        str(reps),
                        "--json",
                        str(out),
                    ]
                    subprocess.run(cmd, check=True, cwd=ROOT)
                    runs[label].append(json.loads(out.read_text(encoding="utf-8")))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    result: dict[str, Any] = {"rev": rev, "rounds": rounds, "load_average": os.getloadavg()}
    for label, results in runs.items():
        result[label] = {k: statistics.median(r[k] for r in results) for k in results[0] if k.endswith("_s")}
    for measure_name in MEASURES:
        key = f"{measure_name}_cpu_s"
        result[f"ratio_{measure_name}_cpu"] = result["new"][key] / result["old"][key]
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.rerun", description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose page is measured")
    parser.add_argument("--compare", metavar="REV", help="measure REV and this tree in turns")
    parser.add_argument("--rounds", type=int, default=3, help="with --compare: rounds of (REV, this tree)")
    args = parser.parse_args(argv)
    if args.compare:
        result = compare(args.compare, args.reps, args.rounds)
        print(_line(f"{args.compare}: ", result["old"]), file=sys.stderr)
        print(_line("this tree: ", result["new"]), file=sys.stderr)
        ratios = ", ".join(f"{m.replace('_', ' ')} {result[f'ratio_{m}_cpu']:.2f}" for m in MEASURES)
        print(f"CPU this tree / {args.compare}: {ratios}; load average {result['load_average']}", file=sys.stderr)
    else:
        root = args.root.resolve()
        if root != ROOT:  # the other checkout's atlas, this benchmark
            sys.path.insert(0, str(root))
            os.chdir(root)
        result = measure_here(args.reps, root)
        print(_line("map page rerun, ", result) + f", load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
