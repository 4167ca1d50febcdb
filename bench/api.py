"""The read API under load, against a real `streamlit run app.py`:
`python -m bench.api [--rows 100000] [--seconds 8] [--concurrency 8] [--rerun] [--json OUT]`.

For the bundled data (and, with `--rows N`, N generated organisations, `bench.generate`) it starts
the app on a free local port with its own database (seeded from the data at the first start), and
measures with `--concurrency` keep-alive clients (threads of this process) for `--seconds` each:

- `GET /api/v1/entries?country=FR` (100 entries a page);
- an OGC API – Features page, `GET /ogc/collections/organisations/items?limit=100&offset=200`;
- `GET /entry/{id}`, the entry's HTML page, when the app has that route.

Each as a client asking the same URL again (the server keeps the body built for this data
revision: what most traffic is) and, on a second start of the app with `ATLAS_API_CACHE=0`,
with every body built anew (the cost of a query nobody asked before). Figures: requests a second
(all clients together), median and 95th-percentile latency. The clients share the machine with the
server (say so when reading the figures: on 2 cores they take a good part of one).

`--rerun` adds one filter change of the Streamlit page (`bench.rerun`, CPU time of the server
per rerun) on the same data, for comparison.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench.server import AppServer

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def hammer(url: str, seconds: float, concurrency: int) -> dict:
    """`concurrency` clients asking `url` in a loop for `seconds` (keep-alive); throughput and latency."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
                continue
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else None,
    }


def _get(url: str, timeout: float = 120) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def targets(app: AppServer) -> dict[str, str]:
    """The URLs measured (the entry page only when the app serves it)."""
    urls = {
        "api_entries_country_FR": f"{app.url}/api/v1/entries?country=FR",
        "ogc_items_page": f"{app.url}/ogc/collections/organisations/items?limit=100&offset=200",
    }
    status, body = _get(f"{app.url}/api/v1/entries?limit=1&country=FR", timeout=900)  # loads the snapshot
    if status == 200:
        first = json.loads(body)["entries"]
        if first and _get(f"{app.url}/entry/{first[0]['id']}")[0] == 200:
            urls["entry_page"] = f"{app.url}/entry/{first[0]['id']}"
    urls["baseline_streamlit_health"] = f"{app.url}/_stcore/health"  # the server's own cheapest route
    return urls


def measure(data: Path, workdir: Path, seconds: float, concurrency: int) -> dict:
    from atlas.store import open_store

    database = f"sqlite:///{workdir / 'atlas.sqlite3'}"
    out: dict = {}
    started = time.perf_counter()
    open_store(database, seed_from=data).engine.dispose()  # seeded here, as the app's first start would
    out["seed_s"] = time.perf_counter() - started
    for label, cache in (("repeated", "512"), ("uncached", "0")):
        started = time.perf_counter()
        app = AppServer(
            data,
            workdir,
            env={"ATLAS_DATABASE_URL": database, "ATLAS_API_CACHE": cache, "ATLAS_TILES": "none"},
            timeout=900,
        )
        try:
            urls = targets(app)  # (the first API request opens and, once, seeds the database)
            out.setdefault("startup_s", time.perf_counter() - started)
            for name, url in urls.items():
                if label == "uncached" and name.startswith("baseline"):
                    continue
                for _ in range(20):  # warm up: the snapshot, the body (when kept)
                    _get(url)
                result = hammer(url, seconds, concurrency)
                out.setdefault(name, {})[label] = result
                print(
                    f"  {name} ({label}): {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
                    f"p95 {result['p95_ms']:.1f} ms, {result['errors']} errors",
                    file=sys.stderr,
                )
            status, body = _get(urls["api_entries_country_FR"])
            out["entries_in_FR"] = json.loads(body)["numberMatched"] if status == 200 else None
        finally:
            app.stop()
    return out


def rerun(data: Path) -> dict | None:
    """One filter change of the Streamlit page on `data` (`python -m bench.rerun`), or None when it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rerun.json"
        env = {**os.environ, "ATLAS_DATA_DIR": str(data), "ATLAS_TILES": "none"}
        done = subprocess.run(
            [sys.executable, "-m", "bench.rerun", "--reps", "3", "--json", str(out)], cwd=ROOT, env=env, check=False
        )
        return json.loads(out.read_text()) if done.returncode == 0 and out.exists() else None


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=0, help="also measure N generated organisations")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rerun", action="store_true", help="also time one Streamlit filter rerun")
    parser.add_argument("--no-bundled", action="store_true", help="only the generated data")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict = {"seconds": args.seconds, "concurrency": args.concurrency, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        datasets = [] if args.no_bundled else [("bundled", DATA)]
        if args.rows:
            from bench.generate import generate

            datasets.append((f"generated_{args.rows}", generate(Path(tmp) / "generated", args.rows)))
        for name, folder in datasets:
            print(f"{name}:", file=sys.stderr)
            work = Path(tmp) / name
            work.mkdir()
            results[name] = measure(folder, work, args.seconds, args.concurrency)
            if args.rerun:
                results[name]["streamlit_rerun"] = rerun(folder)
    text = json.dumps(results, indent=1)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return results


if __name__ == "__main__":
    main()
