"""Many visitors at once: `python -m bench.load [--sessions 20] [--seconds 60] [--rows N] [--json OUT]`.

Starts the app itself (`streamlit run app.py`) on a free port of 127.0.0.1, on the bundled data
or, with `--rows N`, on a synthetic atlas of N organisations (`bench.generate`). Then
`--sessions` visitors, all connected at the same time, each speak Streamlit's own websocket
protocol (`/_stcore/stream`, protobuf `BackMsg`/`ForwardMsg` from `streamlit.proto`) as the
browser does, and for `--seconds` repeat:

1. change one filter (countries, categories, kind, search text or language), sending the
   widget states the browser would send, and wait until the script has finished;
2. download the CSV the way the page's button does: a `backend_operation_request` for the
   button's deferred file, then an HTTP GET of the URL the server answers with; the file is
   checked (header, one row per entry the page says it shows, file name);
3. pause `--think` seconds on average (0 for no pause).

Reported: errors (exceptions on the page, failed runs or downloads, wrong files, timeouts,
closed connections, tracebacks in the server's log), the server process's memory (RSS, by
psutil) sampled every half second and at the end of each of `--rounds` equal time slices, and
the median and 95th percentile of the response times: a filter change (rerun sent → script
finished) and a CSV download (request sent → file received). Exit status: 0 when there was no
error and no memory growth, 1 on errors, 3 on memory growth.

What it does not simulate: the map's own messages (clicks, pans) and table row selection.
Bounded: at most 50 sessions and 600 seconds, and it only ever talks to a loopback address.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import csv
import io
import ipaddress
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.server import ROOT, AppServer

MAX_SESSIONS = 50
MAX_SECONDS = 600
SAMPLE_EVERY = 0.5  # seconds between memory samples
GROWTH_TOLERANCE = (0.10, 25.0)  # memory growth flagged above 10 % *and* 25 MB (last round vs second round)

START_QUERIES = (  # what visitors arrive with (shared links)
    {},
    {"lang": "fr"},
    {"country": "FR"},
    {"country": "FR,BE", "category": "training"},
    {"kind": "odc", "status": "open"},
    {"q": "numérique", "lang": "fr"},
    {"category": "civic_tech,digital_commons"},
    {"country": "SN,MA", "kind": "odc"},
    {"q": "lab"},
    {"country": "IT", "lang": "fr"},
)
SEARCHES = (
    "",
    "",
    "lab",
    "numérique",
    "NUMERIQUE",
    "digital",
    "école",
    "Liège",
    "orange",
    "tech",
    "social",
    "formation",
    "inclusion",
    "centre",
    "zzz-nothing-matches",
    "commons",
    "réseau",
    "data",
)
ACTIONS = (("country", 30), ("category", 25), ("query", 20), ("lang", 10), ("kind", 8), ("clear", 7))
WIDGET_KEYS = {
    "lang": "lang",
    "country": "f_country",
    "category": "f_category",
    "kind": "f_kind",
    "status": "f_status",
    "query": "f_query",
    "inview": "f_inview",
    "csv": "dl_csv",
    "clear": "clear_sidebar",
}


# --- safety -----------------------------------------------------------------------------------------


def loopback_host(host: str) -> str:
    """`host` as an IP literal if it is a loopback address (or "localhost"); raises ValueError otherwise."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"{host!r} is not an IP address; only loopback addresses are allowed") from None
    if not address.is_loopback:
        raise ValueError(f"{host} is not a loopback address; this load generator only targets this machine")
    return str(address)


def bounded(value: float, low: float, high: float, name: str) -> float:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (got {value:g})")
    return value


# --- the app under test ------------------------------------------------------------------------------


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
        return sum(p.memory_info().rss for p in procs) / 2**20

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

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


# --- measurements ------------------------------------------------------------------------------------


@dataclass
class Stats:
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
        "p95_s": round(percentile(values, 95), 3),
        "max_s": round(max(values), 3),
    }


# --- one visitor -------------------------------------------------------------------------------------


class ProtocolError(Exception):
    """Something the browser would show as broken (or never get)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Widget:
    id: str
    kind: str  # multiselect | radio | button_group | text_input | checkbox | download_button
    options: list[str] = field(default_factory=list)
    value: Any = None
    deferred_file_id: str = ""
    url: str = ""  # a file sent with the page (small tables) instead of built on click


def _summary_patterns() -> list[re.Pattern[str]]:
    from atlas.i18n import TRANSLATIONS

    patterns = []
    for template in TRANSLATIONS["count_summary"].values():
        text = re.escape(template)
        for name in ("shown", "total", "orgs", "odcs"):
            text = text.replace(re.escape("{" + name + "}"), rf"(?P<{name}>\d+)")
        patterns.append(re.compile(text))
    return patterns


class Visitor:
    """One browser tab: a websocket session that changes filters and downloads the CSV."""

    def __init__(
        self,
        number: int,
        server: AppServer,
        stats: Stats,
        rng: random.Random,
        deadline: float,
        think: float,
        timeout: float,
        pool: concurrent.futures.Executor,
    ) -> None:
        self.number, self.server, self.stats, self.rng = number, server, stats, rng
        self.deadline, self.think, self.timeout, self.pool = deadline, think, timeout, pool
        self.patterns = _summary_patterns()
        self._reset()

    def _reset(self) -> None:
        self.ws = None
        self.session_id = ""
        self.page_hash = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self.shown: int | None = None
        self.run_errors: list[str] = []
        self.run_bytes = 0

    # messages from the server

    def _handle(self, raw: bytes) -> Any:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        msg.ParseFromString(raw)
        self.run_bytes += len(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "session_event":
            event = msg.session_event.WhichOneof("type")
            if event in ("script_compilation_exception", "script_changed_on_disk"):
                self.run_errors.append(f"session event {event}")
        return msg

    def _element(self, element: Any) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.run_errors.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind == "markdown":
            for pattern in self.patterns:
                found = pattern.fullmatch(element.markdown.body)
                if found:
                    self.shown = int(found["shown"])
            return
        if kind not in ("multiselect", "radio", "button_group", "text_input", "checkbox", "download_button", "button"):
            return
        proto = getattr(element, kind)
        key = next((k for k in WIDGET_KEYS.values() if proto.id.endswith("-" + k)), None)
        if key is None:
            return
        old = self.widgets.get(key)
        widget = Widget(proto.id, kind, value=old.value if old else None)
        if kind in ("multiselect", "radio"):
            widget.options = list(proto.options)
        elif kind == "button_group":
            widget.options = [o.content for o in proto.options]
        elif kind == "download_button":
            widget.deferred_file_id = proto.deferred_file_id
            widget.url = proto.url
        elif kind == "button":
            widget.options = [] if proto.disabled else ["enabled"]
        if getattr(proto, "set_value", False) or old is None:  # the value the page now shows
            if kind in ("multiselect", "button_group"):
                widget.value = (
                    list(proto.raw_values)
                    if proto.set_value
                    else [widget.options[i] for i in proto.default if i < len(widget.options)]
                )
            elif kind == "radio":
                widget.value = (
                    proto.raw_value
                    if proto.set_value
                    else (widget.options[proto.default] if proto.default < len(widget.options) else None)
                )
            elif kind == "text_input" or kind == "checkbox":
                widget.value = proto.value if proto.set_value else proto.default
        self.widgets[key] = widget

    async def _recv(self, until: float) -> Any:
        left = until - time.monotonic()
        if left <= 0:
            raise ProtocolError("timeout", f"no answer within {self.timeout:g} s")
        try:
            raw = await asyncio.wait_for(self.ws.recv(), left)
        except TimeoutError:
            raise ProtocolError("timeout", f"no answer within {self.timeout:g} s") from None
        except Exception as exc:  # the connection closed
            raise ProtocolError("connection", f"{type(exc).__name__}: {exc}") from None
        if isinstance(raw, str):
            raise ProtocolError("protocol", "text frame from the server")
        return self._handle(raw)

    # messages to the server

    def _widget_states(self) -> Any:
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        for _key, widget in self.widgets.items():
            if widget.value is None or widget.kind == "download_button":
                continue
            state = states.widgets.add()
            state.id = widget.id
            if widget.kind == "button":  # a click: sent once, as the browser's trigger
                state.trigger_value = True
                widget.value = None
            elif widget.kind in ("multiselect", "button_group"):
                state.string_array_value.data.extend(widget.value)
            elif widget.kind in ("radio", "text_input"):
                state.string_value = widget.value
            elif widget.kind == "checkbox":
                state.bool_value = bool(widget.value)
        return states

    async def _run_script(self) -> float:
        """Send a rerun with the current widget states; wait for the script to finish. Returns seconds."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = self.page_hash
        back.rerun_script.widget_states.CopyFrom(self._widget_states())
        self.run_errors, self.run_bytes, self.shown = [], 0, None
        start = time.monotonic()
        await self.ws.send(back.SerializeToString())
        until = start + self.timeout
        while True:
            msg = await self._recv(until)
            if msg.WhichOneof("type") != "script_finished":
                continue
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the script asked for a rerun (st.rerun): the page is not done yet
            elapsed = time.monotonic() - start
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise ProtocolError("script", "the script did not compile")
            if self.run_errors:
                raise ProtocolError("exception", "; ".join(self.run_errors))
            if "dl_csv" not in self.widgets or self.shown is None:
                raise ProtocolError("page", "the page lacks the CSV button or the count of entries shown")
            self.stats.bytes_per_run.append(self.run_bytes)
            self.stats.result_sizes.add(self.shown)
            return elapsed

    async def _download(self) -> tuple[float, int]:
        """The CSV button: GET of the file sent with the page, or deferred file request then GET of
        its URL. Returns (seconds, data rows)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        widget = self.widgets["dl_csv"]
        if widget.url:
            start = time.monotonic()
            url = urllib.parse.urljoin(self.server.url + "/", widget.url.lstrip("/"))
            loop = asyncio.get_running_loop()
            status, disposition, body = await loop.run_in_executor(self.pool, _get, url, self.timeout)
            if status != 200:
                raise ProtocolError("download", f"HTTP {status} for {widget.url}")
            return time.monotonic() - start, _check_csv(body, disposition, self.shown)
        back = BackMsg()
        request = back.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = self.session_id
        request.deferred_file.file_id = self.widgets["dl_csv"].deferred_file_id
        expected = self.shown
        start = time.monotonic()
        await self.ws.send(back.SerializeToString())
        until = start + self.timeout
        while True:
            msg = await self._recv(until)
            if (
                msg.WhichOneof("type") == "backend_operation_response"
                and msg.backend_operation_response.request_id == request.request_id
            ):
                break
        answer = msg.backend_operation_response
        if answer.error_msg:
            raise ProtocolError("download", f"deferred file refused: {answer.error_msg}")
        url = urllib.parse.urljoin(self.server.url + "/", answer.deferred_file.url.lstrip("/"))
        if urllib.parse.urlsplit(url).hostname != urllib.parse.urlsplit(self.server.url).hostname:
            raise ProtocolError("download", f"the file URL leaves the server: {url}")
        loop = asyncio.get_running_loop()
        status, disposition, body = await loop.run_in_executor(self.pool, _get, url, until - time.monotonic())
        elapsed = time.monotonic() - start
        if status != 200:
            raise ProtocolError("download", f"HTTP {status} for {answer.deferred_file.url}")
        return elapsed, _check_csv(body, disposition, expected)

    # the visit

    async def _open(self, query: dict[str, str]) -> None:
        import websockets

        self._reset()
        self.query_string = urllib.parse.urlencode(query, safe=",")
        start = time.monotonic()
        try:
            self.ws = await websockets.connect(
                self.server.ws,
                subprotocols=["streamlit"],
                max_size=None,
                ping_interval=None,
                compression=None,
                open_timeout=self.timeout,
            )
        except Exception as exc:
            raise ProtocolError("connection", f"cannot connect: {type(exc).__name__}: {exc}") from None
        self.stats.sessions_opened += 1
        await self._run_script()
        self.stats.page_loads.append((self.stats.now(), time.monotonic() - start))

    def _change_something(self) -> str:
        """Change one widget's value as a visitor would; returns what was changed."""
        total = sum(weight for _, weight in ACTIONS)
        pick, action = self.rng.uniform(0, total), ACTIONS[-1][0]
        for name, weight in ACTIONS:
            pick -= weight
            if pick <= 0:
                action = name
                break
        widget = self.widgets.get(WIDGET_KEYS[action])
        if widget is None:
            return "nothing"
        if action == "clear":  # the "Clear all filters" button, when it is enabled
            widget.value = True if widget.options else None
        elif action == "query":
            widget.value = self.rng.choice([s for s in SEARCHES if s != widget.value])
        elif action == "lang":
            widget.value = next((o for o in widget.options if o != widget.value), widget.value)
        else:
            most = {"country": 3, "category": 2, "kind": 1}.get(action, 1)
            count = self.rng.choice(range(0, most + 1)) if self.rng.random() < 0.9 else 0
            widget.value = self.rng.sample(widget.options, min(count, len(widget.options)))
        return action

    async def visit(self) -> None:
        stats = self.stats
        while time.monotonic() < self.deadline:
            try:
                if self.ws is None:
                    await self._open(self.rng.choice(START_QUERIES))
                self._change_something()
                elapsed = await self._run_script()
                stats.filters.append((stats.now(), elapsed))
                elapsed, rows = await self._download()
                stats.downloads.append((stats.now(), elapsed))
                stats.rows_downloaded += rows
            except ProtocolError as exc:
                stats.error(exc.kind, f"visitor {self.number}: {exc}")
                await self.close()  # start afresh with a new session, as a reload would
                await asyncio.sleep(1.0)
            if self.think:
                await asyncio.sleep(
                    min(self.rng.uniform(0.5, 1.5) * self.think, max(0.0, self.deadline - time.monotonic()))
                )
        await self.close()

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)


def _get(url: str, timeout: float) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=max(timeout, 1.0)) as response:
            return response.status, response.headers.get("Content-Disposition", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""
    except OSError as exc:
        raise ProtocolError("download", f"GET failed: {exc}") from None


def _check_csv(body: bytes, disposition: str, expected_rows: int | None) -> int:
    """The downloaded CSV is what the page promised: BOM, export header, one row per entry shown."""
    from atlas.export import EXPORT_COLUMNS

    if not body.startswith(b"\xef\xbb\xbf"):
        raise ProtocolError("file", "the CSV has no UTF-8 BOM")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    if not rows or rows[0] != list(EXPORT_COLUMNS):
        raise ProtocolError("file", f"unexpected CSV header {rows[0] if rows else None}")
    if expected_rows is not None and len(rows) - 1 != expected_rows:
        raise ProtocolError("file", f"the CSV has {len(rows) - 1} rows, the page shows {expected_rows} entries")
    if "social-tech-atlas_" not in disposition or ".csv" not in disposition:
        raise ProtocolError("file", f"unexpected file name in {disposition!r}")
    return len(rows) - 1


# --- the run -----------------------------------------------------------------------------------------


async def drive(server: AppServer, args: argparse.Namespace, stats: Stats) -> None:
    rng = random.Random(args.seed)
    deadline = stats.t0 + args.seconds
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.sessions, thread_name_prefix="get") as pool:
        visitors = [
            Visitor(i, server, stats, random.Random(rng.random()), deadline, args.think, args.timeout, pool)
            for i in range(args.sessions)
        ]

        async def start(v: Visitor, delay: float) -> None:
            await asyncio.sleep(delay)
            await v.visit()

        ramp = min(3.0, args.seconds / 10)  # arrivals spread over a few seconds
        tasks = [asyncio.create_task(start(v, ramp * i / args.sessions)) for i, v in enumerate(visitors)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), args.seconds + args.timeout + 30)
        except TimeoutError:
            stats.error("timeout", "the run did not end in time; visitors stopped")
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for v in visitors:
                await v.close()


def rounds_table(stats: Stats, samples: list[tuple[float, float]], seconds: float, rounds: int) -> list[dict]:
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


def memory_verdict(table: list[dict]) -> dict[str, Any]:
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
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
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to serve on (default 127.0.0.1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    try:
        args.host = loopback_host(args.host)
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


def _data_dir(args: argparse.Namespace, workdir: Path, log) -> tuple[Path, str]:
    if args.rows is None:
        return ROOT / "data", "bundled data (data/)"
    try:
        from bench.generate import generate
    except ImportError as exc:
        raise SystemExit(f"--rows needs bench/generate.py ({exc})") from None
    log(f"generating a synthetic atlas of {args.rows:,} organisations")
    return generate(workdir / "atlas", args.rows, args.seed), f"synthetic atlas, {args.rows:,} organisations"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    import streamlit

    report: dict[str, Any] = {
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "streamlit": streamlit.__version__,
            "load_average_start": [round(x, 2) for x in os.getloadavg()],
        },
    }
    with tempfile.TemporaryDirectory(prefix="atlas-load-") as tmp:
        workdir = Path(tmp)
        data_dir, data_label = _data_dir(args, workdir, log)
        report["settings"]["data"] = data_label
        log(f"starting the app on {args.host} ({data_label})")
        server = AppServer(data_dir, workdir, host=args.host)
        try:
            log(f"app up at {server.url}; warming up with one visit")
            warm = Stats(time.monotonic())
            asyncio.run(
                drive(server, argparse.Namespace(**{**vars(args), "sessions": 1, "seconds": 3.0, "think": 0.0}), warm)
            )
            if warm.errors:
                log(f"warm-up errors: {warm.errors[:3]}")
            stats = Stats(time.monotonic())
            sampler = MemorySampler(server.proc.pid, stats.t0)
            idle_mb = sampler.rss_mb()
            cpu0, client0 = sampler.cpu_seconds(), time.process_time()
            sampler.start()
            log(
                f"{args.sessions} visitors for {args.seconds:g} s (think {args.think:g} s); server RSS {idle_mb:.0f} MB"
            )
            asyncio.run(drive(server, args, stats))
            wall = stats.now()
            sampler.stop()
            cpu_used, client_used = sampler.cpu_seconds() - cpu0, time.process_time() - client0
            time.sleep(3)
            after_mb = sampler.rss_mb()
            for line in server.log_errors():
                stats.error("server-log", line)
        finally:
            server.stop()

    table = rounds_table(stats, sampler.samples, args.seconds, args.rounds)
    verdict = memory_verdict(table)
    errors_by_kind: dict[str, int] = {}
    for _, kind, _ in stats.errors:
        errors_by_kind[kind] = errors_by_kind.get(kind, 0) + 1
    filt, down = [s for _, s in stats.filters], [s for _, s in stats.downloads]
    report.update(
        {
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
            "errors_by_kind": errors_by_kind,
            "error_examples": [f"{t:.1f}s {kind}: {message}" for t, kind, message in stats.errors[:20]],
            "filter_change": summary(filt),
            "download": summary(down),
            "page_load": summary([s for _, s in stats.page_loads]),
            "bytes_per_run_median": int(statistics.median(stats.bytes_per_run)) if stats.bytes_per_run else None,
            "rows_downloaded": stats.rows_downloaded,
            "distinct_result_sizes": len(stats.result_sizes),
            "memory": {
                "idle_mb": round(idle_mb, 1),
                "after_visitors_left_mb": round(after_mb, 1),
                "max_mb": round(max((mb for _, mb in sampler.samples), default=idle_mb), 1),
                **verdict,
                "samples": [[round(t, 1), round(mb, 1)] for t, mb in sampler.samples[::2]],
            },
            "rounds": table,
            "cpu": {
                "server_cpu_s": round(cpu_used, 1),
                "server_cpu_pct": round(100 * cpu_used / wall, 1) if wall else None,
                "client_cpu_s": round(client_used, 1),
            },
        }
    )
    report["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if report["errors"]:
        return 1
    return 3 if verdict.get("stable") is False else 0


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_report(r: dict[str, Any]) -> None:
    s, req, mem = r["settings"], r["requests"], r["memory"]
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
    print(
        f"server CPU {r['cpu']['server_cpu_pct']}% of one core on average; load client CPU {r['cpu']['client_cpu_s']} s"
    )
    print(
        f"server RSS: idle {mem['idle_mb']} MB, max {mem['max_mb']} MB, {mem['after_visitors_left_mb']} MB 3 s after "
        f"the visitors left; growth round 2 → last: {mem.get('growth_mb')} MB "
        f"({'stable' if mem.get('stable') else 'GROWING' if mem.get('stable') is False else 'not judged'})"
    )
    print("round   seconds     filters  downloads  errors  RSS end MB  RSS max MB  filter med s  download med s")
    for row in r["rounds"]:
        print(
            f"{row['round']:>5}  {row['from_s']:>5.0f}–{row['to_s']:<5.0f}  {row['filter_changes']:>7}  "
            f"{row['downloads']:>9}  {row['errors']:>6}  {row['rss_end_mb'] or 0:>10.1f}  "
            f"{row['rss_max_mb'] or 0:>10.1f}"
            f"  {_s(row['filter_median_s']):>12}  {_s(row['download_median_s']):>14}"
        )


if __name__ == "__main__":
    sys.exit(main())
