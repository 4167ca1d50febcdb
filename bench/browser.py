"""Browser figure: the real app on a generated (or the bundled) atlas, in headless Chromium.

`python -m bench.browser [--rows 100000 | --data data] [--reps 3] [--country FR] [--compare DIR] [--json OUT]`

Starts `streamlit run app.py` on a free local port with the data folder (`ATLAS_DATA_DIR`,
`ATLAS_ASSETS=local`, `ATLAS_TILES=none`, as the browser tests do), then measures, with
wall-clock time taken in this script:

- first markers: from `page.goto` to the first marker or cluster drawn in the map's iframe.
  The first visit after the server starts ("cold") includes reading and validating the CSV;
  the next visits ("warm server") use Streamlit's cache, as every visitor after the first does,
  each measured twice: a new visitor (a new browser context: nothing cached) and a returning
  one (the browser's HTTP cache holds what earlier visits fetched);
- filter change: from the click on a country in the sidebar's country filter to the map
  redrawn — a new map document with markers drawn (the iframe reloaded), or the same document
  having applied an update (`atlas:update` on its performance timeline) — then the page's count
  showing the filtered number of entries. Whether the iframe was reloaded is recorded;
- map arguments: the size of the component arguments the map's iframe receives (the JSON of
  each `streamlit:render` message, caught in the iframe), at the first paint and on the change;
- the timeline of one warm visit (the last): navigation, the map's iframe created, its first
  arguments, Leaflet's and the plugin's scripts loaded, the points file fetched, the first
  markers — from the browser's performance timeline (resource timing, the plugin's marks).

`--compare DIR` measures another checkout of the app (e.g. today's main in a second worktree,
with its `static/vendor` fetched) in the same run, on the same data and in turns with this one
(each step for both apps before the next), so that the machine's load weighs on both alike: its
figures and the ratios are printed beside these. Times are medians over `--reps` warm visits (each:
load, then one filter change). `--baseline-rows` (default 0: off) also measures a small atlas
first. Needs the Leaflet files fetched locally (`make assets`) and Chromium (`/usr/bin/chromium`
by default). This is a measurement, not a test: it asserts nothing about the figures.
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
from typing import Any

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
ONLY_LOOPBACK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
TIMEOUT_MS = 300_000

# What the map's iframe shows: "reloaded" (a new map document with markers drawn), "in place"
# (the same document, markers drawn after an update applied since MARK_OLD), or false.
REDRAWN = """() => {
    const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    let w;
    try { w = f && f.contentWindow; } catch (e) { return false; }
    if (!w || !w.document) { return false; }
    const drawn = w.document.querySelector('.leaflet-marker-pane .marker-cluster, .leaflet-marker-pane .atlas-pin');
    if (!drawn) { return false; }
    if (!w.__benchOld) { return 'reloaded'; }
    return w.performance.getEntriesByName('atlas:update').length > w.__benchUpdates ? 'in place' : false;
}"""
MARK_OLD = """() => document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach(f => {
    try {
        f.contentWindow.__benchOld = true;
        f.contentWindow.__benchUpdates = f.contentWindow.performance.getEntriesByName('atlas:update').length;
    } catch (e) {}
})"""
# In every frame: the page notes when the map's iframe appears; the iframe notes the size of the
# component arguments of each `streamlit:render` message it receives (times in the page's clock).
INIT = """(() => {
    if (window.top === window) {
        window.__atlasRenders = [];
        new MutationObserver(function () {
            if (!window.__atlasIframeAt && document.querySelector('iframe[title="streamlit_folium.st_folium"]')) {
                window.__atlasIframeAt = performance.now();
            }
        }).observe(document, {subtree: true, childList: true});
    } else {  // (runs in the frame's first about:blank document, whose window the component's keeps)
        window.addEventListener('message', function (e) {
            if (e.data && e.data.type === 'streamlit:render' && location.pathname.indexOf('streamlit_folium') >= 0) {
                try {
                    const bytes = new TextEncoder().encode(JSON.stringify(e.data.args)).length;
                    window.top.__atlasRenders.push({t: window.top.performance.now(), bytes: bytes});
                } catch (err) {}
            }
        });
    }
})();"""
# When the map's frame last applied an update (`atlas:update`), in the page's clock.
APPLIED = """() => {
    const w = document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentWindow;
    const marks = w.performance.getEntriesByName('atlas:update');
    return marks.length ? marks[marks.length - 1].startTime + w.performance.timeOrigin - performance.timeOrigin : null;
}"""
# The warm visit's timeline, in ms since the page's navigation started.
TIMELINE = """() => {
    const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]'), w = f.contentWindow;
    const shift = w.performance.timeOrigin - performance.timeOrigin, out = {};
    const nav = performance.getEntriesByType('navigation')[0];
    out.page_loaded = nav ? nav.domContentLoadedEventEnd : null;
    out.iframe_created = window.__atlasIframeAt || null;
    out.first_arguments = (window.__atlasRenders[0] || {}).t || null;
    const res = w.performance.getEntriesByType('resource');
    const end = re => { const e = res.filter(r => re.test(r.name)).pop(); return e ? e.responseEnd + shift : null; };
    out.leaflet_loaded = end(/leaflet\\.js/);
    out.scripts_loaded = end(/atlas\\/map\\.js/);
    out.points_fetched = end(/points-/);
    const points = res.filter(r => /points-/.test(r.name)).pop();
    out.points_transfer_bytes = points ? points.transferSize : null;  // 0: from the browser's cache
    ['atlas:data', 'atlas:markers', 'atlas:outlines'].forEach(name => {
        const m = w.performance.getEntriesByName(name)[0];
        out[name.replace('atlas:', '')] = m ? m.startTime + shift : null;
    });
    return out;
}"""


def _country_label(code: str) -> str:
    from atlas.countries import country_name

    return country_name(code, "en")


def first_clusters(page, url: str) -> float:
    """Seconds from navigation to the first marker or cluster drawn in the map."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(REDRAWN, timeout=TIMEOUT_MS, polling="raf")
    return time.perf_counter() - start


def filter_change(page, country: str, expected: int, total: int) -> dict:
    """Choose `country` in the sidebar; seconds to the map redrawn (and the count updated), whether
    the map's iframe was reloaded, and the size of the component arguments it received."""
    page.evaluate(MARK_OLD)
    renders = page.evaluate("window.__atlasRenders.length")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").first.click()
    page.keyboard.type(_country_label(country))
    option = page.get_by_role("option", name=re.compile("^" + re.escape(_country_label(country)) + r" \("))
    option.first.wait_for(timeout=TIMEOUT_MS)
    start = time.perf_counter()
    clicked = page.evaluate("performance.now()")
    option.first.click()
    how = page.wait_for_function(REDRAWN, timeout=TIMEOUT_MS, polling="raf").json_value()
    map_s = time.perf_counter() - start
    page.get_by_text(
        re.compile(rf"^{expected:,} of {total:,} entries shown|^{expected} of {total} entries shown")
    ).first.wait_for(timeout=TIMEOUT_MS)
    page.keyboard.press("Escape")
    renders = page.evaluate(f"window.__atlasRenders.slice({renders})")
    applied = page.evaluate(APPLIED)  # the last update applied, in the page's clock (in place only)
    arrived = renders[0]["t"] if renders else None
    return {
        "s": map_s,
        "reloaded": how == "reloaded",
        "args_bytes": renders[0]["bytes"] if renders else None,
        # click → the new arguments reach the map's frame (the server's rerun, Streamlit), and
        # those arguments → the update applied (the map's own part), both in seconds
        "to_arguments_s": (arrived - clicked) / 1000 if arrived else None,
        "arguments_to_update_s": (applied - arrived) / 1000 if arrived and applied and how != "reloaded" else None,
    }


def expected_count(data_dir: Path, country: str) -> tuple[int, int]:
    from atlas.data import load_atlas

    frame = load_atlas(data_dir).frame
    return int((frame["country"] == country).sum()), len(frame)


def run(
    rows: int, reps: int, country: str, seed: int, data_dir: Path | None, log, roots: list[Path] | None = None
) -> list[dict]:
    """The figures of the app of each checkout in `roots` (this one by default), on the same data.

    The apps run side by side and are measured in turns — each step (a cold visit, a new
    visitor, a returning one, a filter change) for every app before the next step — so that a
    change in the machine's load during the run weighs on all of them alike.
    """
    from playwright.sync_api import sync_playwright

    from atlas.assets import local_assets_present
    from bench.generate import generate
    from bench.server import ROOT

    roots = roots or [ROOT]
    for root in roots:
        if not local_assets_present(root / "static" / "vendor"):
            raise SystemExit(f"Leaflet files are not fetched in {root}: run `make assets` there first")
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
        log(f"{total:,} entries, {expected:,} in {country}; starting the apps of {', '.join(map(str, roots))}")
        apps = []
        try:
            for k, root in enumerate(roots):
                work = tmp / f"app{k}"
                work.mkdir()
                apps.append(AppServer(folder, work, env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"}, root=root))
            results: list[dict[str, Any]] = [
                {
                    "root": str(root),
                    "rows": rows,
                    "entries": total,
                    "country": country,
                    "country_entries": expected,
                    "reps": reps,
                    "chromium": CHROMIUM,
                    "warm": [],
                    "new": [],
                    "change": [],
                }
                for root in roots
            ]
            with sync_playwright() as p:
                # Third parties are unreachable by name (not by routing requests, which turns the
                # browser's HTTP cache off): a returning visitor's cache then works as it would.
                browser = p.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, ONLY_LOOPBACK])

                def new_page():
                    context = browser.new_context(viewport={"width": 1400, "height": 1100})
                    context.add_init_script(INIT)
                    return context.new_page()

                pages = [new_page() for _ in roots]
                log("cold visits (each server reads the CSV)")
                for app, page, result in zip(apps, pages, results, strict=True):
                    result["chromium_version"] = browser.version
                    result["first_clusters_cold_s"] = first_clusters(page, app.url)
                for i in range(reps):
                    for app, result in zip(apps, results, strict=True):
                        fresh = new_page()  # a new visitor: nothing in the browser's cache
                        result["new"].append(first_clusters(fresh, app.url))
                        fresh.context.close()
                    for app, page, result in zip(apps, pages, results, strict=True):
                        result["warm"].append(first_clusters(page, app.url))  # a returning visitor
                        page.wait_for_timeout(1500)  # let the first paint settle (outlines, the map's own reruns)
                        result["timeline_ms"] = {
                            k: round(v) if v is not None else None for k, v in page.evaluate(TIMELINE).items()
                        }
                        sizes = page.evaluate("window.__atlasRenders.map(r => r.bytes)")
                        result["first_args_bytes"] = sizes[0] if sizes else None
                    for page, result in zip(pages, results, strict=True):
                        result["change"].append(filter_change(page, country, expected, total))
                    for root, result in zip(roots, results, strict=True):
                        change = result["change"][-1]
                        log(
                            f"  visit {i + 1} of {root.name}: first markers {result['new'][-1]:.2f} s (new visitor), "
                            f"{result['warm'][-1]:.2f} s (returning); filter change {change['s']:.2f} s "
                            f"({'iframe reloaded' if change['reloaded'] else 'in place'}, "
                            f"{change['args_bytes'] or 0:,} bytes of arguments)"
                        )
                browser.close()
        finally:
            for app in apps:
                app.stop()
    for result in results:
        warm, new, change = result.pop("warm"), result.pop("new"), result.pop("change")
        result.update(
            first_clusters_warm_s=statistics.median(warm),
            first_clusters_new_visitor_s=statistics.median(new),
            filter_change_s=statistics.median(c["s"] for c in change),
            filter_change_reloads=sum(c["reloaded"] for c in change),
            filter_change_args_bytes=max((c["args_bytes"] or 0) for c in change),
            filter_change_to_arguments_s=_median(c["to_arguments_s"] for c in change),
            filter_change_arguments_to_update_s=_median(c["arguments_to_update_s"] for c in change),
            first_clusters_warm_samples=warm,
            first_clusters_new_visitor_samples=new,
            filter_change_samples=[c["s"] for c in change],
        )
    return results


def _median(values) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


FIGURES = (  # (key, label, format)
    ("first_clusters_cold_s", "open → first markers, cold server, s", "{:.2f}"),
    ("first_clusters_new_visitor_s", "open → first markers, warm server, new visitor, s", "{:.2f}"),
    ("first_clusters_warm_s", "open → first markers, warm server, returning, s", "{:.2f}"),
    ("filter_change_s", "filter change → map redrawn, s", "{:.2f}"),
    ("filter_change_reloads", "  iframe reloads over the changes", "{:d}"),
    ("filter_change_to_arguments_s", "  click → new map arguments in the frame, s", "{:.3f}"),
    ("filter_change_arguments_to_update_s", "  arguments → update applied (in place), s", "{:.3f}"),
    ("first_args_bytes", "map arguments, first paint, bytes", "{:,}"),
    ("filter_change_args_bytes", "map arguments on a filter change, bytes", "{:,}"),
)
TIMELINE_ROWS = (
    ("page_loaded", "page loaded (DOMContentLoaded)"),
    ("iframe_created", "map iframe created"),
    ("first_arguments", "first arguments reach the iframe"),
    ("leaflet_loaded", "leaflet.js loaded"),
    ("scripts_loaded", "the plugin (map.js) loaded"),
    ("points_fetched", "points file fetched"),
    ("data", "points decoded (atlas:data)"),
    ("markers", "first markers (atlas:markers)"),
    ("outlines", "outlines drawn (atlas:outlines)"),
    ("points_transfer_bytes", "  points file bytes transferred (0: cached)"),
)


def report(result: dict, other: dict | None) -> str:
    """The figures (and the timeline of a warm visit) of `result`, beside `other`'s when given."""
    lines = []
    head = f"{'':52}" + (f"{'compared':>14}" if other else "") + f"{'this':>14}" + (f"{'ratio':>9}" if other else "")
    lines += [f"{result['entries']:,} entries, filter: {result['country']} ({result['country_entries']:,})", head]
    for key, label, fmt in FIGURES:
        mine, theirs = result.get(key), (other or {}).get(key)
        cells = f"{fmt.format(theirs) if theirs is not None else '–':>14}" if other else ""
        cells += f"{fmt.format(mine) if mine is not None else '–':>14}"
        if other and isinstance(mine, float | int) and isinstance(theirs, float | int) and mine:
            cells += f"{theirs / mine:>8.1f}×"
        lines.append(f"{label:52}{cells}")
    lines.append("timeline of a returning visitor's visit, ms since navigation:")
    for key, label in TIMELINE_ROWS:
        mine, theirs = result["timeline_ms"].get(key), (other or {}).get("timeline_ms", {}).get(key)
        cells = f"{'–' if theirs is None else theirs:>14}" if other else ""
        lines.append(f"  {label:50}{cells}{'–' if mine is None else mine:>14}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--country", default="FR", help="country code chosen in the filter (default FR)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, help="use (or generate once into) this data folder, e.g. data")
    parser.add_argument("--compare", type=Path, help="another checkout of the app, measured in turns with this one")
    parser.add_argument(
        "--baseline-rows", type=int, default=0, help="also measure a small atlas of this many rows first (0: skip)"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_start = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="atlas-browser-data-") as shared:
        data = args.data
        if data is None:  # one generated folder for both checkouts
            from bench.generate import generate

            data = Path(shared) / "data"
            log(f"generating {args.rows:,} rows into {data}")
            generate(data, args.rows, args.seed)
        baseline = None
        if args.baseline_rows:
            log(f"baseline: {args.baseline_rows:,} rows")
            baseline = run(args.baseline_rows, args.reps, args.country, args.seed, None, log)[0]
        from bench.server import ROOT

        roots = [args.compare.resolve(), ROOT] if args.compare else [ROOT]
        *others, result = run(args.rows, args.reps, args.country, args.seed, data, log, roots=roots)
        other = others[0] if others else None
    result["baseline"] = baseline
    result["compared"] = other
    result["load_average"] = load_start
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    if baseline:
        print(
            f"baseline rows {baseline['entries']:,}: first markers {baseline['first_clusters_cold_s']:.2f} s cold, "
            f"{baseline['first_clusters_warm_s']:.2f} s warm; filter change redrawn in "
            f"{baseline['filter_change_s']:.2f} s"
        )
    print(report(result, other))
    print(
        f"load average {result['load_average']} at start, {result['load_average_end']} at end ({os.cpu_count()} CPUs)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
