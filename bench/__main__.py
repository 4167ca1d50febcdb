"""Benchmark runner: `python -m bench [--sizes 1000,10000,100000] [--quick] [--reps 5] [--json OUT]`.

For each size it generates a synthetic atlas (`bench.generate`) and measures, in this one process:

- load: `load_atlas` (CSV reading + validation) of the generated folder;
- filter: `apply_filters` with two countries, one category and a text query;
- map, first load of an atlas revision: `atlas_layers` (pack the whole atlas, publish the points
  file), `build_map` and the update showing every row, plus what `st_folium` does before the
  page gets it (`st_folium` itself, its component call captured: rendering, the hash, the JS/CSS
  link walk, the feature group) and Streamlit's `json.dumps` of the component arguments. "Bytes"
  are that JSON's UTF-8 length plus the points file's (what the browser receives for the data;
  Leaflet's files and the country outlines, static and cached, are not counted);
- map, a filter change (`FILTER`): the map and update of a rerun with the layers already
  published — time, and the component arguments' bytes (all that travels);
- naive map: one `folium.Marker` with a `folium.Popup` (and a tooltip) per row in a
  `MarkerCluster`, popups holding the same text as ours, through the same serving path. Above
  `--naive-max` rows it is measured on an evenly spaced sample and scaled per point;
- charts: the four `atlas.charts` functions, each with `.to_dict()` (or `json.dumps` of a spec
  already a dict);
- export: `to_csv(export_frame(frame, "en"))`;
- the offline geocoder, once, through `bench/geocoding_bench.py`;
- peak memory: `resource.getrusage(RUSAGE_SELF).ru_maxrss` — the resident-set high-water mark of
  this process (it never goes down, so the figure after a size covers every size run so far).

Times are medians over `--reps` repetitions. Per-point map figures are marginal:
(map of the rows − the same map with no rows) / rows, for ours and for the naive map alike.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from bench.generate import DEFAULT_SEED, generate

# streamlit-folium imports Streamlit, which warns about running outside `streamlit run`: expected here.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (300, 2_000)
NAIVE_MAX = 2_000  # above this many rows the naive map is measured on a sample of this size
FILTER_QUERY = "numérique"
FILTER = {"countries": ("FR", "DE"), "categories": ("digital_mediation",), "query": FILTER_QUERY}
TARGET_SIZE = 100_000
TARGETS = (  # (key, label, limit, direction)
    ("load_s", "load + validate ≤ 2 s", 2.0, "max"),
    ("filter_ms", "a filter ≤ 50 ms", 50.0, "max"),
    ("map_s", "map build (served) ≤ 0.5 s", 0.5, "max"),
    ("map_bytes_per_point_total", "map ≤ 60 bytes per point (whole payload / rows)", 60.0, "max"),
    ("export_s", "CSV export ≤ 1 s", 1.0, "max"),
    ("peak_rss_mb", "peak memory ≤ 1 GB (1024 MB)", 1024.0, "max"),
    ("ratio_time", "per point ≥ 50× faster than naive", 50.0, "min"),
    ("ratio_bytes", "per point ≥ 10× smaller than naive", 10.0, "min"),
)
GEOCODER_TARGETS = (
    ("index_cold_build_s", "geocoder cold index build ≤ 5 s", 5.0, "max"),
    ("index_stored_load_s", "geocoder index paid once and stored: stored index loads ≤ 5 s", 5.0, "max"),
    ("lookups_per_s", "geocoder ≥ 20,000 look-ups/s warm", 20_000.0, "min"),
)


def timed(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    """Median seconds of `reps` calls of `fn` (garbage collected before each), and the last result."""
    times, result = [], None
    for _ in range(max(1, reps)):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Resident-set high-water mark of this process in MB (Linux reports KB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


# --- what st_folium sends ---------------------------------------------------------------------


def served(fmap: Any, group: Any = None) -> bytes:
    """The component arguments `st_folium(fmap, ...)` sends, as Streamlit serialises them (JSON, UTF-8).

    Calls `streamlit_folium.st_folium` with the app's own arguments (atlas/ui/map_panel.py) and
    its component function replaced by one that returns what it is given, so no running
    Streamlit is needed; `group` is the update (`feature_group_to_add`).
    """
    import streamlit_folium as sf

    captured: dict[str, Any] = {}

    def component(**kwargs: Any) -> dict:
        captured.update(kwargs)
        return {}

    original = sf._component_func
    sf._component_func = component
    try:
        sf.st_folium(
            fmap,
            key="atlas_map",
            height=640,
            use_container_width=True,
            returned_objects=["last_object_clicked_tooltip", "center", "zoom", "bounds"],
            feature_group_to_add=group,
        )
    finally:
        sf._component_func = original
    captured.pop("on_change", None)
    return json.dumps(captured).encode("utf-8")


def _options() -> Any:
    from atlas.map import MapOptions

    return MapOptions(lang="en", local_assets=True, tiles=None)


def _update(layers: Any, rows: pd.DataFrame) -> Any:
    from atlas.map import View, map_update, update_group, view_bounds

    return update_group(map_update(layers, rows, "en", View("", view_bounds(rows))))


def our_map(frame: pd.DataFrame, directory: Path | None = None) -> tuple[bytes, int]:
    """The component arguments of the map of every row of `frame`, and the points file's size."""
    from atlas.map import atlas_layers, build_map
    from atlas.map.files import url_path

    with tempfile.TemporaryDirectory(prefix="atlas-bench-map-") as tmp:
        folder = directory or Path(tmp)
        layers = atlas_layers(frame, "en", folder)
        args = served(build_map(layers, _options()), _update(layers, frame))
        return args, url_path(layers.url or "", folder).stat().st_size


def timed_map(frame: pd.DataFrame, reps: int) -> tuple[float, float, bytes, int]:
    """Median seconds of the first map of an atlas revision: packing and publishing alone, and
    everything until the component arguments are ready; those arguments and the file's size."""
    from atlas.map import atlas_layers, build_map
    from atlas.map.files import url_path

    packs, totals, payload, size = [], [], b"", 0
    for _ in range(max(1, reps)):
        with tempfile.TemporaryDirectory(prefix="atlas-bench-map-") as tmp:
            payload = b""
            gc.collect()
            start = time.perf_counter()
            layers = atlas_layers(frame, "en", Path(tmp))
            packed = time.perf_counter()
            payload = served(build_map(layers, _options()), _update(layers, frame))
            packs.append(packed - start)
            totals.append(time.perf_counter() - start)
            size = url_path(layers.url or "", Path(tmp)).stat().st_size
    return statistics.median(packs), statistics.median(totals), payload, size


def timed_rerun(frame: pd.DataFrame, shown: pd.DataFrame, reps: int) -> tuple[float, bytes]:
    """Median seconds of a rerun's map (layers already published) showing `shown`, and its arguments."""
    from atlas.map import atlas_layers, build_map

    with tempfile.TemporaryDirectory(prefix="atlas-bench-map-") as tmp:
        layers = atlas_layers(frame, "en", Path(tmp))
        times, payload = [], b""
        for _ in range(max(1, reps)):
            gc.collect()
            start = time.perf_counter()
            payload = served(build_map(layers, _options()), _update(layers, shown))
            times.append(time.perf_counter() - start)
    return statistics.median(times), payload


def naive_map(frame: pd.DataFrame, rich: bool) -> bytes:
    """The usual approach: a `folium.Marker` with a `Popup` and a tooltip per row, in a `MarkerCluster`.

    Same assets, base map options and (escaped) popup text as ours; `rich` adds the description
    and website, as our popups do up to `RICH_POPUP_LIMIT` rows.
    """
    import folium
    from folium.plugins import MarkerCluster

    from atlas import assets
    from atlas.categories import category_label
    from atlas.text import escape, safe_url

    m = folium.Map(location=(50.0, 10.0), zoom_start=4, tiles=None, max_zoom=18, maxZoom=18, min_zoom=2)
    assets.use(m, True, keep=assets.MAP_ASSETS)
    cluster = assets.use(MarkerCluster(name="Organisations"), True)
    cluster.add_to(m)
    located = frame[frame["lat"].notna() & frame["lon"].notna()]
    rows: list[dict[Any, Any]] = located.to_dict("records")
    for row in rows:
        place = ", ".join(escape(p) for p in (row["city"], row["country_name_en"]) if p)
        html = f"<b>{escape(row['name'])}</b><br>{escape(category_label(row['category']))}<br>{place}"
        if rich:
            html += f"<p>{escape(row['description_en'])}</p>"
            if safe_url(row["website"]):
                html += f'<a href="{escape(safe_url(row["website"]))}" target="_blank">Website</a>'
        popup = folium.Popup(html, max_width=320)
        folium.Marker([row["lat"], row["lon"]], popup=popup, tooltip=escape(row["name"])).add_to(cluster)
    return served(m)


def sample(frame: pd.DataFrame, size: int) -> pd.DataFrame:
    """`size` evenly spaced rows of `frame` (all of it when smaller)."""
    if len(frame) <= size:
        return frame
    step = len(frame) / size
    return frame.iloc[[int(i * step) for i in range(size)]]


# --- one size ---------------------------------------------------------------------------------


def bench_size(rows: int, reps: int, naive_max: int, workdir: Path, seed: int, log: Callable[[str], None]) -> dict:
    from atlas import charts
    from atlas.data import load_atlas
    from atlas.export import export_frame, to_csv
    from atlas.filters import Filters, apply_filters
    from atlas.map.layers import RICH_POPUP_LIMIT

    folder = workdir / f"atlas-{rows}"
    start = time.perf_counter()
    generate(folder, rows, seed)
    out: dict[str, Any] = {
        "rows": rows,
        "generate_s": round(time.perf_counter() - start, 3),
        "csv_bytes": (folder / "organisations.csv").stat().st_size,
    }
    log(f"[{rows}] generated in {out['generate_s']} s; loading")

    load_s, atlas = timed(lambda: load_atlas(folder), reps)
    frame = atlas.frame
    out.update(load_s=load_s, frame_rows=len(frame), problems=len(atlas.problems))

    filters = Filters(countries=("FR", "DE"), categories=("digital_mediation",), query=FILTER_QUERY)
    filter_s, shown = timed(lambda: apply_filters(frame, filters), max(reps, 5))
    out.update(filter_ms=filter_s * 1000, filter_matches=len(shown))
    query_s, found = timed(lambda: apply_filters(frame, Filters(query=FILTER_QUERY)), max(reps, 5))
    out.update(filter_query_ms=query_s * 1000, filter_query_matches=len(found))

    log(f"[{rows}] map")
    _, empty_s, empty_bytes, empty_file = timed_map(frame.iloc[:0], reps)
    build_s, map_s, payload, file_size = timed_map(frame, reps)
    rerun_s, rerun = timed_rerun(frame, shown, max(reps, 3))
    located = int((frame["lat"].notna() & frame["lon"].notna()).sum())
    first = len(payload) + file_size
    out.update(
        map_build_s=build_s,
        map_s=map_s,
        map_bytes=first,
        map_args_bytes=len(payload),
        map_file_bytes=file_size,
        map_empty_bytes=len(empty_bytes) + empty_file,
        map_points=located,
        map_bytes_per_point_total=first / located,
        map_bytes_per_point=(first - len(empty_bytes) - empty_file) / located,
        map_us_per_point=max(map_s - empty_s, 0.0) / located * 1e6,
        map_rerun_s=rerun_s,
        map_rerun_bytes=len(rerun),
    )
    del payload

    log(f"[{rows}] naive map")
    part = sample(frame, naive_max)
    rich = len(frame) <= RICH_POPUP_LIMIT
    naive_reps = max(1, min(reps, 3))
    n_empty_s, n_empty = timed(lambda: naive_map(part.iloc[:0], rich), naive_reps)
    naive_s, naive = timed(lambda: naive_map(part, rich), naive_reps)
    n_points = int((part["lat"].notna() & part["lon"].notna()).sum())
    out.update(
        naive_points=n_points,
        naive_sampled=len(part) < len(frame),
        naive_s=naive_s,
        naive_bytes=len(naive),
        naive_bytes_per_point=(len(naive) - len(n_empty)) / n_points,
        naive_us_per_point=max(naive_s - n_empty_s, 0.0) / n_points * 1e6,
    )
    out["naive_s_scaled"] = out["naive_us_per_point"] * located / 1e6
    out["naive_bytes_scaled"] = len(n_empty) + out["naive_bytes_per_point"] * located
    del naive
    out["ratio_time"] = out["naive_us_per_point"] / out["map_us_per_point"] if out["map_us_per_point"] else float("inf")
    out["ratio_bytes"] = out["naive_bytes_per_point"] / out["map_bytes_per_point"]

    log(f"[{rows}] charts and export")

    def all_charts() -> int:
        made = [
            charts.by_country(frame, "en"),
            charts.by_category(frame, "en"),
            charts.odc_openings(frame, "en"),
            charts.choropleth(frame, "en"),
        ]
        return sum(len(json.dumps(c if isinstance(c, dict) else c.to_dict())) for c in made if c is not None)

    charts_s, chart_bytes = timed(all_charts, reps)
    export_s, csv_bytes = timed(lambda: to_csv(export_frame(frame, "en")), reps)
    out.update(charts_s=charts_s, charts_bytes=chart_bytes, export_s=export_s, export_bytes=len(csv_bytes))
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# --- geocoder ---------------------------------------------------------------------------------

GEOCODING_BENCH = Path(__file__).resolve().parent / "geocoding_bench.py"


def geocoder_figures(quick: bool) -> dict:
    """`bench/geocoding_bench.py`'s `run(quick)`, or a note when that file is missing or fails."""
    if not GEOCODING_BENCH.exists():
        return {"missing": f"{GEOCODING_BENCH.name} not found"}
    spec = importlib.util.spec_from_file_location("bench.geocoding_bench", GEOCODING_BENCH)
    if spec is None or spec.loader is None:
        return {"missing": f"{GEOCODING_BENCH.name} cannot be loaded"}
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        return module.run(quick)
    except Exception as exc:  # the geocoder is another agent's work in progress: report, don't crash
        return {"error": f"{type(exc).__name__}: {exc}"}


# --- report -----------------------------------------------------------------------------------

ROWS = (  # (key, label, format)
    ("frame_rows", "rows loaded (orgs + ODCs)", "{:,.0f}"),
    ("problems", "data problems reported", "{:,.0f}"),
    ("load_s", "load + validate, s", "{:.3f}"),
    ("filter_ms", "filter (2 countries + category + text), ms", "{:.1f}"),
    ("filter_matches", "  rows matched", "{:,.0f}"),
    ("filter_query_ms", "filter, the text query alone, ms", "{:.1f}"),
    ("filter_query_matches", "  rows matched", "{:,.0f}"),
    ("map_build_s", "map, first load: pack + publish the points, s", "{:.3f}"),
    ("map_s", "map, first load: all, served (ours), s", "{:.3f}"),
    ("map_bytes", "map, first load: arguments + points file, bytes", "{:,.0f}"),
    ("map_file_bytes", "  of which the points file (fetched once)", "{:,.0f}"),
    ("map_bytes_per_point_total", "  bytes per point, whole payload / rows", "{:.1f}"),
    ("map_bytes_per_point", "  bytes per point, marginal", "{:.1f}"),
    ("map_us_per_point", "  µs per point, marginal", "{:.2f}"),
    ("map_rerun_s", "map, a filter change: build + serve, s", "{:.3f}"),
    ("map_rerun_bytes", "map, a filter change: arguments, bytes", "{:,.0f}"),
    ("naive_points", "naive map measured on, rows", "{:,.0f}"),
    ("naive_s_scaled", "naive map build + serve, s (scaled)", "{:.2f}"),
    ("naive_bytes_scaled", "naive map payload, bytes (scaled)", "{:,.0f}"),
    ("naive_bytes_per_point", "  bytes per point, marginal", "{:.0f}"),
    ("naive_us_per_point", "  µs per point, marginal", "{:.0f}"),
    ("ratio_time", "ratio naive/ours, time per point", "{:.0f}×"),
    ("ratio_bytes", "ratio naive/ours, bytes per point", "{:.1f}×"),
    ("charts_s", "4 charts + to_dict(), s", "{:.3f}"),
    ("export_s", "CSV export, s", "{:.3f}"),
    ("export_bytes", "  CSV bytes", "{:,.0f}"),
    ("peak_rss_mb", "peak RSS so far (ru_maxrss), MB", "{:,.0f}"),
)


def table(results: list[dict]) -> str:
    width = max(len(label) for _, label, _ in ROWS) + 2
    head = "".ljust(width) + "".join(f"{r['rows']:>14,}" for r in results)
    lines = [head, "-" * len(head)]
    for key, label, fmt in ROWS:
        cells = []
        for r in results:
            value = r.get(key)
            cells.append(f"{fmt.format(value) if value is not None else '–':>14}")
        lines.append(label.ljust(width) + "".join(cells))
    return "\n".join(lines)


def check_targets(results: list[dict], geocoder: dict) -> list[dict]:
    """Each target with the figure at 100,000 rows (or the geocoder's) and whether it is met."""
    at = next((r for r in results if r["rows"] == TARGET_SIZE), None)
    checks = []
    for key, label, limit, direction in TARGETS:
        value = at.get(key) if at else None
        checks.append(_check(label, value, limit, direction))
    for key, label, limit, direction in GEOCODER_TARGETS:
        checks.append(_check(label, geocoder.get(key), limit, direction))
    cold, stored = checks[-3], checks[-2]  # the issue: "cold index ≤ 5 s (or paid once and stored)"
    checks.append(
        {
            "target": "geocoder cold index ≤ 5 s, or paid once and stored",
            "value": cold["value"],
            "limit": 5.0,
            "met": None if cold["met"] is None else bool(cold["met"] or stored["met"]),
        }
    )
    return checks


def _check(label: str, value: float | None, limit: float, direction: str) -> dict:
    met = None if value is None else (value <= limit if direction == "max" else value >= limit)
    return {"target": label, "value": value, "limit": limit, "met": met}


def machine() -> dict:
    import folium
    import streamlit

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "pandas": pd.__version__,
        "folium": folium.__version__,
        "streamlit": streamlit.__version__,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmarks of the atlas at scale.")
    parser.add_argument("--sizes", help="comma-separated row counts (default 1000,10000,100000; quick: 300,2000)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller sizes, quick geocoder run")
    parser.add_argument("--reps", type=int, help="repetitions per figure (default 5; quick: 2)")
    parser.add_argument(
        "--naive-max",
        type=int,
        default=None,
        help=f"largest naive map built in full; bigger sizes use a sample (default {NAIVE_MAX})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-geocoder", action="store_true", help="skip bench/geocoding_bench.py")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    sizes = (
        [int(s.replace("_", "")) for s in args.sizes.split(",")]
        if args.sizes
        else list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    )
    reps = args.reps or (2 if args.quick else 5)
    naive_max = args.naive_max or (500 if args.quick else NAIVE_MAX)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "sizes": sizes,
            "reps": reps,
            "naive_max": naive_max,
            "seed": args.seed,
            "quick": args.quick,
            "filter": {k: list(v) if isinstance(v, tuple) else v for k, v in FILTER.items()},
            "memory": "resource.getrusage(RUSAGE_SELF).ru_maxrss (process high-water mark)",
            "map_bytes": "UTF-8 length of json.dumps(component args) as built by streamlit_folium.st_folium, "
            "plus the published points file (first load); map_rerun_bytes: the arguments alone (a filter change)",
        },
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        log("warm-up (imports, lazy tables; not reported)")
        bench_size(50, 1, 50, Path(tmp), args.seed, lambda _: None)
        for rows in sizes:
            results.append(bench_size(rows, reps, naive_max, Path(tmp), args.seed, log))
            with contextlib.suppress(Exception):
                gc.collect()
    report["sizes"] = results
    report["peak_rss_mb_atlas"] = peak_rss_mb()
    if args.no_geocoder:
        geocoder: dict = {"skipped": "--no-geocoder"}
    else:
        log("geocoder")
        geocoder = geocoder_figures(args.quick)
    report["geocoder"] = geocoder
    report["peak_rss_mb"] = peak_rss_mb()
    report["targets"] = check_targets(results, geocoder)
    report["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]

    print(table(results))
    print()
    print("geocoder: " + ", ".join(f"{k} {v}" for k, v in geocoder.items()))
    print(
        f"peak memory (ru_maxrss): {report['peak_rss_mb_atlas']:,.0f} MB after the atlas sizes, "
        f"{report['peak_rss_mb']:,.0f} MB with the geocoder"
    )
    print(
        f"load average {report['machine']['load_average']} at start, "
        f"{report['machine']['load_average_end']} at end ({report['machine']['cpus']} CPUs)"
    )
    print()
    for check in report["targets"]:
        state = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        value = "–" if check["value"] is None else f"{check['value']:,.3g}"
        print(f"  {state:>12}  {check['target']}: {value}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return report


if __name__ == "__main__":
    main()
