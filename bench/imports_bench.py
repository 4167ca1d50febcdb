"""Import and duplicate-detection benchmark: `python -m bench.imports_bench [--rows 100000] [--json OUT]`.

Generates a synthetic atlas (`bench.generate`), then, each step in a child process of its own so
that its peak memory is its own (`ru_maxrss`):

- import: `atlas import organisations.csv --format csv --publish` into an empty SQLite database
  (every row new: mapping, schema checks, duplicate search against the batch, one transaction);
- re-import: the same file again (every row unchanged: nothing written but the links' last-seen);
- dry run: the same file, `--dry-run`;
- dedup: `atlas dedup --dry-run` over the whole atlas (blocking, scoring, no writes).

Each step reports wall-clock seconds and the CPU seconds of its process (user + system), the
figure that a machine shared with other work changes least.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generate import DEFAULT_SEED, generate


def _child(step: str, path: str, url: str) -> dict[str, Any]:
    from atlas.imports.run import run_import
    from atlas.store import open_store

    store = open_store(url)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    if step == "dedup":
        found = store.propose_duplicates(dry_run=True)
        counts: dict[str, Any] = {"pairs": len(found)}
    else:
        report = run_import(
            store, Path(path), "csv", "bench", dry_run=step == "dry-run", publish=step != "dry-run", offline=True
        )
        counts = report.summary()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_start
    return {"step": step, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mb": _peak_mb(), **counts}


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def run(rows: int, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-import-bench-") as tmp:
        folder = generate(Path(tmp) / "data", rows, seed)
        url = f"sqlite:///{Path(tmp) / 'atlas.sqlite3'}"
        path = str(folder / "organisations.csv")
        for step in ("import", "re-import", "dry-run", "dedup"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.imports_bench", "--child", step, path, url],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(
                f"{rows:>7} rows  {step:<9} {result['seconds']:>7.1f} s (CPU {result['cpu_s']:.1f} s)  "
                f"peak {result['peak_mb']:>6.0f} MB  "
                + ", ".join(
                    f"{k} {v}" for k, v in result.items() if k not in ("step", "seconds", "cpu_s", "peak_mb") and v
                ),
                flush=True,
            )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3, metavar=("STEP", "PATH", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    results = run(args.rows, args.seed)
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "results": results}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
