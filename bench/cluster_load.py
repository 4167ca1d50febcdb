"""Scaling through the balancer, in one run: `python -m bench.cluster_load [--replicas 1,2,4]
[--sessions 20] [--seconds 60] [--json OUT]` (`make cluster-load`).

For each replica count in turn, it starts the loopback cluster (`bench.cluster`: PostgreSQL, the
replicas, nginx from the deploy/ template) on the bundled data, lets `bench.load`'s visitors loose on
nginx's address (each with its own cookie jar, so nginx's affinity cookie spreads them), samples
every replica's memory and CPU, and stops the cluster. Printed and written: per replica count, the
throughput (filter changes + downloads per second) and its ratio to one replica, errors, median and
95th percentile of a filter change and of a download, memory per replica, and the CPU the replicas,
and the load client itself, used. One machine runs everything (the visitors included): compare the
rows with each other, not with another machine's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cluster import Cluster, available, wait_healthy
from bench.load.__main__ import main as load_main
from bench.load.report import MemorySampler


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster_load", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicas", default="1,2,4", help="replica counts to measure, in order (default 1,2,4)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent visitors (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of each measurement (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a visitor's actions (default 1)")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    try:
        args.counts = [int(n) for n in args.replicas.split(",") if n.strip()]
    except ValueError:
        parser.error("--replicas takes counts separated by commas, e.g. 1,2,4")
    if not args.counts or not all(1 <= n <= 8 for n in args.counts):
        parser.error("--replicas: each count between 1 and 8")
    return args


def measure(count: int, args: argparse.Namespace, log: Any) -> dict[str, Any]:
    """One replica count: start, load, sample, stop."""
    with Cluster(count, log=log) as cluster, tempfile.TemporaryDirectory(prefix="atlas-cluster-load-") as tmp:
        wait_healthy(cluster.url)
        t0 = time.monotonic()
        samplers = [MemorySampler(r.proc.pid, t0) for r in cluster.replicas]
        idle = [s.rss_mb() for s in samplers]
        cpu0 = [s.cpu_seconds() for s in samplers]
        for sampler in samplers:
            sampler.start()
        out = Path(tmp) / "load.json"
        load = [
            "--url",
            cluster.url,
            "--sessions",
            str(args.sessions),
            "--seconds",
            f"{args.seconds:g}",
            "--think",
            f"{args.think:g}",
            "--json",
            str(out),
        ]
        log(f"{count} replica(s): {args.sessions} visitors for {args.seconds:g} s through {cluster.url}")
        status = load_main(load)
        for sampler in samplers:
            sampler.stop()
        cpu = [s.cpu_seconds() - c for s, c in zip(samplers, cpu0, strict=True)]
        report = json.loads(out.read_text(encoding="utf-8"))
        errors = [line for r in cluster.replicas for line in r.log_errors()]
        assert cluster.balancer is not None
        affinity = check_affinity(cluster.balancer.access_log())
    wall = report["duration_s"]
    return {
        "replicas": count,
        "load_exit_status": status,
        "throughput_per_s": report["throughput_per_s"],
        "requests": report["requests"],
        "errors": report["errors"] + len(errors),
        "error_examples": report["error_examples"][:5] + errors[:5],
        "filter_change": report["filter_change"],
        "download": report["download"],
        "page_load": report["page_load"],
        "memory_mb_per_replica": [
            {
                "idle": round(i, 1),
                "max": round(max((mb for _, mb in s.samples), default=i), 1),
                "end": round(s.samples[-1][1], 1) if s.samples else None,
            }
            for i, s in zip(idle, samplers, strict=True)
        ],
        "replica_cpu_pct": [round(100 * c / wall, 1) for c in cpu],
        "load_client_cpu_s": report["cpu"]["client_cpu_s"],
        "sessions_per_replica": affinity["sessions_per_replica"],
        "affinity": affinity,
        "duration_s": wall,
    }


LOG_LINE = re.compile(r'"GET (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ upstream=(?P<upstream>.+) route=(?P<route>\S+)$')


def check_affinity(lines: list[str]) -> dict[str, Any]:
    """From nginx's access log: how the sessions (websockets) spread over the replicas, and whether
    any visitor's stateful requests (its websocket, its downloads) reached two replicas."""
    places: dict[str, set[str]] = {}
    sessions: dict[str, int] = {}
    media_404 = []
    for line in lines:
        m = LOG_LINE.search(line)
        if not m or m["route"] == "-" or m["upstream"] == "-":
            continue
        upstream = m["upstream"].split(", ")[-1]
        if m["path"].startswith("/_stcore/stream"):
            sessions[upstream] = sessions.get(upstream, 0) + 1
        if m["path"].startswith(("/_stcore/stream", "/media/")):
            places.setdefault(m["route"], set()).add(upstream)
            if m["status"] == "404":
                media_404.append(line)
    return {
        "sessions_per_replica": sorted(sessions.values(), reverse=True),
        "visitors": len(places),
        "visitors_on_two_replicas": sum(1 for p in places.values() if len(p) > 1),
        "media_404": media_404[:5],
    }


def print_table(rows: list[dict[str, Any]], machine: dict[str, Any]) -> None:
    base = rows[0]["throughput_per_s"] or 0.0
    print(
        f"\nthrough nginx, {machine['sessions']} visitors, {machine['seconds']:g} s each, {machine['cpus']} CPUs "
        f"(load average {machine['load_average_start']} → {machine['load_average_end']})"
    )
    print(
        "replicas  actions/s  ratio  errors  filter median/p95 s  download median/p95 s  "
        "RSS per replica idle→max MB  replica CPU %  client CPU s"
    )
    for r in rows:
        ratio = r["throughput_per_s"] / base if base else 0.0
        f, d = r["filter_change"], r["download"]
        memory = ", ".join(f"{m['idle']:.0f}→{m['max']:.0f}" for m in r["memory_mb_per_replica"])
        cpu = ", ".join(f"{c:.0f}" for c in r["replica_cpu_pct"])
        print(
            f"{r['replicas']:>8}  {r['throughput_per_s']:>9.2f}  {ratio:>4.2f}×  {r['errors']:>6}  "
            f"{f['median_s']:>8.2f} / {f['p95_s']:<8.2f}  {d['median_s']:>9.2f} / {d['p95_s']:<9.2f}  "
            f"{memory:<27}  {cpu:<13}  {r['load_client_cpu_s']:>6}"
        )
        for example in r["error_examples"]:
            print(f"    {example}")
        a = r["affinity"]
        print(
            f"    sessions per replica {a['sessions_per_replica']}; visitors whose websocket and downloads "
            f"reached two replicas: {a['visitors_on_two_replicas']} of {a['visitors']}"
        )
        for line in a["media_404"]:
            print(f"    404: {line}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    why = available()
    if why:
        print(f"cluster-load: {why}", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    machine: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "sessions": args.sessions,
        "seconds": args.seconds,
        "think": args.think,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    rows = [measure(count, args, log) for count in args.counts]
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print_table(rows, machine)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": machine, "runs": rows}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
