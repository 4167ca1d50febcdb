"""The figures of a load run: what the visitors measured (`Stats`), the server's memory and CPU
(`MemorySampler`), and the report built from them (a dict, written as JSON and printed).

Response times are reported as median, nearest-rank 95th percentile and maximum; memory growth
is judged from the end of the second time slice (after warm-up) to the end of the last one.
"""

from __future__ import annotations

import json
import math
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SAMPLE_EVERY = 0.5  # seconds between memory samples
GROWTH_TOLERANCE = (0.10, 25.0)  # memory growth flagged above 10 % *and* 25 MB (last round vs second round)


@dataclass
class Stats:
    """What the visitors measured, each entry stamped with its time since `t0`."""

    t0: float
    filters: list[tuple[float, float]] = field(default_factory=list)  # (end time, seconds)
    downloads: list[tuple[float, float]] = field(default_factory=list)
    page_loads: list[tuple[float, float]] = field(default_factory=list)
    errors: list[tuple[float, str, str]] = field(default_factory=list)  # (time, kind, message)
    bytes_per_run: list[int] = field(default_factory=list)
    rows_downloaded: int = 0
    sessions_opened: int = 0
    result_sizes: set[int] = field(default_factory=set)  # distinct "entries shown": the filters took effect

    def now(self) -> float:
        return time.monotonic() - self.t0

    def error(self, kind: str, message: str) -> None:
        self.errors.append((self.now(), kind, message[:300]))


class MemorySampler(threading.Thread):
    """RSS (and CPU time) of the server process every SAMPLE_EVERY seconds, in its own thread."""

    def __init__(self, pid: int, t0: float) -> None:
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process(pid)
        self.t0 = t0
        self.samples: list[tuple[float, float]] = []  # (seconds since t0, RSS in MB)
        self._halt = threading.Event()

    def rss_mb(self) -> float:
        procs = [self.process, *self.process.children(recursive=True)]
        return float(sum(p.memory_info().rss for p in procs)) / 2**20

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.samples.append((time.monotonic() - self.t0, self.rss_mb()))
            except Exception:  # the process ended
                return
            self._halt.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


@dataclass
class ServerFigures:
    """What was measured of the server process (only when this script started it)."""

    samples: list[tuple[float, float]]  # (seconds since t0, RSS in MB)
    idle_mb: float
    after_mb: float  # a few seconds after the visitors left
    cpu_s: float


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q / 100 * len(ordered)))) - 1]


def summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median_s": None, "p95_s": None, "max_s": None}
    return {
        "count": len(values),
        "median_s": round(statistics.median(values), 3),
        "p95_s": round(percentile(values, 95) or 0.0, 3),
        "max_s": round(max(values), 3),
    }


def rounds_table(stats: Stats, samples: list[tuple[float, float]], seconds: float, rounds: int) -> list[dict[str, Any]]:
    """Figures per time slice: `rounds` equal slices of `seconds` (the last one open-ended)."""
    length = seconds / rounds
    table = []
    for r in range(rounds):
        lo, hi = r * length, (r + 1) * length if r < rounds - 1 else float("inf")
        inside = [mb for t, mb in samples if lo <= t < hi]
        filt = [s for t, s in stats.filters if lo <= t < hi]
        down = [s for t, s in stats.downloads if lo <= t < hi]
        table.append(
            {
                "round": r + 1,
                "from_s": round(lo, 1),
                "to_s": round(min(hi, seconds), 1),
                "filter_changes": len(filt),
                "downloads": len(down),
                "errors": sum(1 for t, _, _ in stats.errors if lo <= t < hi),
                "rss_end_mb": round(inside[-1], 1) if inside else None,
                "rss_max_mb": round(max(inside), 1) if inside else None,
                "filter_median_s": summary(filt)["median_s"],
                "download_median_s": summary(down)["median_s"],
            }
        )
    return table


def memory_verdict(table: list[dict[str, Any]]) -> dict[str, Any]:
    """Growth from the end of the second round (after warm-up) to the end of the last one."""
    ends = [r["rss_end_mb"] for r in table if r["rss_end_mb"] is not None]
    if len(ends) < 3:
        return {"growth_mb": None, "stable": None, "note": "too few rounds to judge"}
    base, last = ends[1], ends[-1]
    growth = last - base
    stable = not (growth > GROWTH_TOLERANCE[0] * base and growth > GROWTH_TOLERANCE[1])
    return {
        "baseline_mb": base,
        "last_mb": last,
        "growth_mb": round(growth, 1),
        "growth_pct": round(100 * growth / base, 1),
        "stable": stable,
        "rule": f"growth flagged above {GROWTH_TOLERANCE[0]:.0%} and {GROWTH_TOLERANCE[1]:g} MB "
        "(end of last round vs end of round 2)",
    }


def build_report(
    stats: Stats,
    wall: float,
    seconds: float,
    rounds: int,
    server: ServerFigures | None,
    client_cpu_s: float,
) -> dict[str, Any]:
    """Every figure of a run (`wall` seconds long, planned for `seconds` in `rounds` slices).
    Without `server` (a server this script did not start), memory and server CPU are None."""
    table = rounds_table(stats, server.samples if server else [], seconds, rounds)
    filt, down = [s for _, s in stats.filters], [s for _, s in stats.downloads]
    memory = None
    if server is not None:
        memory = {
            "idle_mb": round(server.idle_mb, 1),
            "after_visitors_left_mb": round(server.after_mb, 1),
            "max_mb": round(max((mb for _, mb in server.samples), default=server.idle_mb), 1),
            **memory_verdict(table),
            "samples": [[round(t, 1), round(mb, 1)] for t, mb in server.samples[::2]],
        }
    return {
        "duration_s": round(wall, 1),
        "sessions_opened": stats.sessions_opened,
        "requests": {
            "page_loads": len(stats.page_loads),
            "filter_changes": len(filt),
            "downloads": len(down),
            "total": len(stats.page_loads) + len(filt) + len(down),
        },
        "throughput_per_s": round((len(filt) + len(down)) / wall, 2) if wall else None,
        "errors": len(stats.errors),
        "errors_by_kind": dict(Counter(kind for _, kind, _ in stats.errors)),
        "error_examples": [f"{t:.1f}s {kind}: {message}" for t, kind, message in stats.errors[:20]],
        "filter_change": summary(filt),
        "download": summary(down),
        "page_load": summary([s for _, s in stats.page_loads]),
        "bytes_per_run_median": int(statistics.median(stats.bytes_per_run)) if stats.bytes_per_run else None,
        "rows_downloaded": stats.rows_downloaded,
        "distinct_result_sizes": len(stats.result_sizes),
        "memory": memory,
        "rounds": table,
        "cpu": {
            "server_cpu_s": round(server.cpu_s, 1) if server else None,
            "server_cpu_pct": round(100 * server.cpu_s / wall, 1) if server and wall else None,
            "client_cpu_s": round(client_cpu_s, 1),
        },
    }


def exit_status(report: dict[str, Any]) -> int:
    """0 when there was no error and no memory growth, 1 on errors, 3 on memory growth."""
    if report["errors"]:
        return 1
    return 3 if (report["memory"] or {}).get("stable") is False else 0


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def print_report(r: dict[str, Any]) -> None:
    s, req, mem, cpu = r["settings"], r["requests"], r["memory"], r["cpu"]
    print(
        f"\n{s['sessions']} concurrent sessions for {r['duration_s']} s on {s['data']} "
        f"(think {s['think']:g} s, seed {s['seed']}; {r['machine']['cpus']} CPUs, load average "
        f"{r['machine']['load_average_start']} → {r['machine']['load_average_end']})"
    )
    print(
        f"requests: {req['total']} = {req['page_loads']} page loads + {req['filter_changes']} filter changes "
        f"+ {req['downloads']} CSV downloads ({r['throughput_per_s']}/s); {r['rows_downloaded']:,} rows downloaded, "
        f"{r['distinct_result_sizes']} distinct result sizes"
    )
    print(f"errors: {r['errors']} {r['errors_by_kind'] or ''}")
    for line in r["error_examples"][:5]:
        print(f"  {line}")
    f, d, p = r["filter_change"], r["download"], r["page_load"]
    print(
        f"filter change (rerun → script finished): median {_s(f['median_s'])} s, p95 {_s(f['p95_s'])} s, "
        f"max {_s(f['max_s'])} s; {r['bytes_per_run_median'] or 0:,} bytes per rerun (median)"
    )
    print(
        f"CSV download (request → file received):   median {_s(d['median_s'])} s, p95 {_s(d['p95_s'])} s, "
        f"max {_s(d['max_s'])} s"
    )
    print(f"first page load:                           median {_s(p['median_s'])} s, p95 {_s(p['p95_s'])} s")
    if mem is None:
        print(
            f"server CPU and RSS not measured (a server this script did not start); load client CPU "
            f"{cpu['client_cpu_s']} s"
        )
    else:
        print(f"server CPU {cpu['server_cpu_pct']}% of one core on average; load client CPU {cpu['client_cpu_s']} s")
        print(
            f"server RSS: idle {mem['idle_mb']} MB, max {mem['max_mb']} MB, {mem['after_visitors_left_mb']} MB 3 s "
            f"after the visitors left; growth round 2 → last: {mem.get('growth_mb')} MB "
            f"({'stable' if mem.get('stable') else 'GROWING' if mem.get('stable') is False else 'not judged'})"
        )
    print("round   seconds     filters  downloads  errors  RSS end MB  RSS max MB  filter med s  download med s")
    for row in r["rounds"]:
        print(
            f"{row['round']:>5}  {row['from_s']:>5.0f}–{row['to_s']:<5.0f}  {row['filter_changes']:>7}  "
            f"{row['downloads']:>9}  {row['errors']:>6}  {_mb(row['rss_end_mb']):>10}  {_mb(row['rss_max_mb']):>10}"
            f"  {_s(row['filter_median_s']):>12}  {_s(row['download_median_s']):>14}"
        )
