"""Browser figure: the real app on a generated atlas, in headless Chromium.

`python -m bench.browser [--rows 100000] [--reps 3] [--country FR] [--json OUT]`

Starts `streamlit run app.py` on a free local port with a generated data folder
(`ATLAS_DATA_DIR`, `ATLAS_ASSETS=local`, `ATLAS_TILES=none`, as the browser tests do), then
measures, with wall-clock time taken in this script:

- first clusters: from `page.goto` to the first `.marker-cluster` drawn in the map's iframe.
  The first visit after the server starts ("cold") includes reading and validating the CSV;
  the next visits ("warm") use Streamlit's cache, as every visitor after the first does;
- filter change: from the click on a country in the sidebar's country filter to the map
  redrawn — a new map document whose markers or clusters are drawn — and the page's count
  showing the filtered number of entries.

Times are medians over `--reps` warm visits (each: load, then one filter change). The same is
measured first on a small atlas (`--baseline-rows`, default 1,000) in the same run: on a shared
machine the difference between the two says what the rows cost better than either figure. Needs the
Leaflet files fetched locally (`make assets`) and Chromium (`/usr/bin/chromium` by default).
This is a measurement, not a test: it asserts nothing about the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.server import AppServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 300_000

# True once the newest map iframe holds a map document not marked as old, with markers drawn.
NEW_MAP_DRAWN = """() => {
    const frames = document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]');
    for (const f of frames) {
        let w;
        try { w = f.contentWindow; } catch (e) { continue; }
        if (!w || w.__benchOld || !w.document) { continue; }
        const drawn = w.document.querySelector('.leaflet-marker-pane .marker-cluster, .leaflet-marker-pane .atlas-pin');
        if (drawn) { return true; }
    }
    return false;
}"""
MARK_OLD = """() => document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach(
    f => { try { f.contentWindow.__benchOld = true; } catch (e) {} })"""


def _country_label(code: str) -> str:
    from atlas.countries import country_name

    return country_name(code, "en")


def first_clusters(page, url: str) -> float:
    """Seconds from navigation to the first cluster drawn in the map."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(NEW_MAP_DRAWN, timeout=TIMEOUT_MS, polling="raf")
    return time.perf_counter() - start


def filter_change(page, country: str, expected: int, total: int) -> float:
    """Seconds from choosing `country` in the sidebar to the map redrawn and the count updated."""
    page.evaluate(MARK_OLD)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").first.click()
    page.keyboard.type(_country_label(country))
    option = page.get_by_role("option", name=re.compile("^" + re.escape(_country_label(country)) + r" \("))
    option.first.wait_for(timeout=TIMEOUT_MS)
    start = time.perf_counter()
    option.first.click()
    page.wait_for_function(NEW_MAP_DRAWN, timeout=TIMEOUT_MS, polling="raf")
    map_s = time.perf_counter() - start
    page.get_by_text(
        re.compile(rf"^{expected:,} of {total:,} entries shown|^{expected} of {total} entries shown")
    ).first.wait_for(timeout=TIMEOUT_MS)
    page.keyboard.press("Escape")
    return map_s


def expected_count(data_dir: Path, country: str) -> tuple[int, int]:
    from atlas.data import load_atlas

    frame = load_atlas(data_dir).frame
    return int((frame["country"] == country).sum()), len(frame)


def run(rows: int, reps: int, country: str, seed: int, data_dir: Path | None, log) -> dict:
    from playwright.sync_api import sync_playwright

    from atlas.assets import local_assets_present
    from bench.generate import generate

    if not local_assets_present():
        raise SystemExit("Leaflet files are not fetched: run `make assets` first")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="atlas-browser-") as tmp_name:
        tmp = Path(tmp_name)
        folder = data_dir or tmp / "data"
        if data_dir is None or not (folder / "organisations.csv").exists():
            log(f"generating {rows:,} rows into {folder}")
            generate(folder, rows, seed)
        expected, total = expected_count(folder, country)
        if not expected:  # (a small atlas may have nobody there) take the best represented country
            from atlas.data import load_atlas

            country = load_atlas(folder).frame["country"].value_counts().index[0]
            expected, total = expected_count(folder, country)
        log(f"{total:,} entries, {expected:,} in {country}; starting the app")
        app = AppServer(folder, tmp, env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"})
        result: dict = {
            "rows": rows,
            "entries": total,
            "country": country,
            "country_entries": expected,
            "reps": reps,
            "chromium": CHROMIUM,
        }
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                result["chromium_version"] = browser.version
                context = browser.new_context(viewport={"width": 1400, "height": 1100})
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
                        else route.abort()
                    ),
                )
                page = context.new_page()
                log("cold visit (the server reads the CSV)")
                result["first_clusters_cold_s"] = first_clusters(page, app.url)
                warm, change = [], []
                for i in range(reps):
                    warm.append(first_clusters(page, app.url))
                    change.append(filter_change(page, country, expected, total))
                    log(f"  visit {i + 1}: first clusters {warm[-1]:.2f} s, filter change {change[-1]:.2f} s")
                result.update(
                    first_clusters_warm_s=statistics.median(warm),
                    filter_change_s=statistics.median(change),
                    first_clusters_warm_samples=warm,
                    filter_change_samples=change,
                )
                context.close()
                browser.close()
        finally:
            app.stop()
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--country", default="FR", help="country code chosen in the filter (default FR)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, help="use (or generate once into) this data folder")
    parser.add_argument(
        "--baseline-rows", type=int, default=1_000, help="also measure a small atlas of this many rows first (0: skip)"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_start = [round(x, 2) for x in os.getloadavg()]
    baseline = None
    if args.baseline_rows:
        log(f"baseline: {args.baseline_rows:,} rows")
        baseline = run(args.baseline_rows, args.reps, args.country, args.seed, None, log)
    result = run(args.rows, args.reps, args.country, args.seed, args.data, log)
    result["baseline"] = baseline
    result["load_average"] = load_start
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    if baseline:
        print(
            f"baseline rows {baseline['entries']:,}: first clusters {baseline['first_clusters_cold_s']:.2f} s cold, "
            f"{baseline['first_clusters_warm_s']:.2f} s warm; filter change redrawn in "
            f"{baseline['filter_change_s']:.2f} s"
        )
    print(
        f"rows {result['entries']:,}: first clusters {result['first_clusters_cold_s']:.2f} s cold, "
        f"{result['first_clusters_warm_s']:.2f} s warm (median of {args.reps}); "
        f"filter change to {args.country} ({result['country_entries']:,} entries) redrawn in "
        f"{result['filter_change_s']:.2f} s"
    )
    for label, key, limit in (
        ("first clusters ≤ 5 s (warm)", "first_clusters_warm_s", 5.0),
        ("first clusters ≤ 5 s (cold)", "first_clusters_cold_s", 5.0),
        ("filter change redrawn ≤ 2 s", "filter_change_s", 2.0),
    ):
        print(f"  {'met' if result[key] <= limit else 'MISSED':>6}  {label}: {result[key]:.2f} s")
    print(
        f"load average {result['load_average']} at start, {result['load_average_end']} at end ({os.cpu_count()} CPUs)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
