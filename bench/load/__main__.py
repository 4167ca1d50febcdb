"""The command line of the load run (see the package's docstring): start the app (or use the one
at `--url`), warm it up with one visit, let the visitors loose while sampling the server, report."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench.load
from bench.load.protocol import loopback_host, target_url
from bench.load.report import MemorySampler, ServerFigures, Stats, build_report, exit_status, print_report, write_json
from bench.load.scenario import drive
from bench.server import ROOT, AppServer

MAX_SESSIONS = 50
MAX_SECONDS = 600
WARM_UP_SECONDS = 3.0


def bounded(value: float, low: float, high: float, name: str) -> float:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (got {value:g})")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    doc = bench.load.__doc__ or ""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=doc.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help=f"concurrent visitors (1..{MAX_SESSIONS}; default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help=f"duration (1..{MAX_SECONDS}; default 60)")
    parser.add_argument("--rows", type=int, help="serve a synthetic atlas of this many organisations (bench.generate)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause of a visitor between actions, seconds (0..30; default 1)"
    )
    parser.add_argument(
        "--rounds", type=int, default=6, help="time slices for the per-round figures (3..60; default 6)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="longest wait for one answer, seconds (default 60)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--host", default="127.0.0.1", help="loopback address to serve on (default 127.0.0.1)")
    where.add_argument(
        "--url",
        help="drive an app that is already running at this loopback address, e.g. http://127.0.0.1:8080 "
        "or http://127.0.0.1:8080/atlas (a load balancer; its memory is not measured); default: start the app",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    try:
        args.host = loopback_host(args.host)
        if args.url is not None:
            args.url = target_url(args.url)
            if args.rows is not None:
                raise ValueError("--rows serves a synthetic atlas from an app started here; it cannot go with --url")
        bounded(args.sessions, 1, MAX_SESSIONS, "--sessions")
        bounded(args.seconds, 1, MAX_SECONDS, "--seconds")
        bounded(args.think, 0, 30, "--think")
        bounded(args.rounds, 3, 60, "--rounds")
        bounded(args.timeout, 1, 120, "--timeout")
        if args.rows is not None:
            bounded(args.rows, 1, 1_000_000, "--rows")
    except ValueError as exc:
        parser.error(str(exc))
    return args


def _data_dir(args: argparse.Namespace, workdir: Path, log: Callable[[str], None]) -> tuple[Path, str]:
    if args.rows is None:
        return ROOT / "data", "bundled data (data/)"
    try:
        from bench.generate import generate
    except ImportError as exc:
        raise SystemExit(f"--rows needs bench/generate.py ({exc})") from None
    log(f"generating a synthetic atlas of {args.rows:,} organisations")
    return generate(workdir / "atlas", args.rows, args.seed), f"synthetic atlas, {args.rows:,} organisations"


def _drive(url: str, args: argparse.Namespace, stats: Stats, sessions: int, seconds: float, think: float) -> None:
    asyncio.run(drive(url, stats, sessions, seconds, think, args.timeout, args.seed))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    import streamlit

    settings: dict[str, Any] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    machine: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "streamlit": streamlit.__version__,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    server_figures: ServerFigures | None = None
    with tempfile.TemporaryDirectory(prefix="atlas-load-") as tmp, contextlib.ExitStack() as stack:
        server: AppServer | None = None
        if args.url is None:
            workdir = Path(tmp)
            data_dir, settings["data"] = _data_dir(args, workdir, log)
            log(f"starting the app on {args.host} ({settings['data']})")
            server = AppServer(data_dir, workdir, host=args.host)
            stack.callback(server.stop)
            url = server.url
            log(f"app up at {url}; warming up with one visit")
        else:
            url, settings["data"] = args.url, f"the app at {args.url}"
            log(f"driving the app at {url}; warming up with one visit")
        warm = Stats(time.monotonic())
        _drive(url, args, warm, sessions=1, seconds=WARM_UP_SECONDS, think=0.0)
        if warm.errors:
            log(f"warm-up errors: {warm.errors[:3]}")
        stats = Stats(time.monotonic())
        sampler = MemorySampler(server.proc.pid, stats.t0) if server else None
        idle_mb = sampler.rss_mb() if sampler else 0.0
        cpu0, client0 = sampler.cpu_seconds() if sampler else 0.0, time.process_time()
        if sampler:
            sampler.start()
        log(
            f"{args.sessions} visitors for {args.seconds:g} s (think {args.think:g} s)"
            + (f"; server RSS {idle_mb:.0f} MB" if sampler else "")
        )
        _drive(url, args, stats, args.sessions, args.seconds, args.think)
        wall = stats.now()
        client_used = time.process_time() - client0
        if sampler and server:
            sampler.stop()
            cpu_used = sampler.cpu_seconds() - cpu0
            time.sleep(3)
            server_figures = ServerFigures(sampler.samples, idle_mb, sampler.rss_mb(), cpu_used)
            for line in server.log_errors():
                stats.error("server-log", line)

    report = {"settings": settings, "machine": machine}
    report.update(build_report(stats, wall, args.seconds, args.rounds, server_figures, client_used))
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print_report(report)
    if args.json:
        write_json(report, args.json)
        print(f"wrote {args.json}")
    return exit_status(report)


if __name__ == "__main__":
    sys.exit(main())
