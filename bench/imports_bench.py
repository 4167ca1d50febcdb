"""Import and duplicate-detection benchmark: `python -m bench.imports_bench [--rows 100000] [--json OUT]`.

`--baseline REF` also runs `atlas dedup --dry-run` with the matcher of git revision REF (its
`atlas/` package, extracted with `git archive`) over the same database, so that the CPU seconds
of the old and the new matcher come from one run on one machine; `--steps` picks the steps
(the import always runs: it makes the database). After the figures, the matcher's precision and
recall on the real directories' hand-labelled pairs (`bench.dedup_real`) are printed beside them.

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
import os
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


STEPS = ("import", "re-import", "dry-run", "dedup")
ROOT = Path(__file__).resolve().parents[1]


def _baseline_tree(ref: str, where: Path) -> Path:
    """The `atlas/` package (and `data/`) of git revision `ref`, extracted under `where`."""
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "atlas", "data"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where


def run(
    rows: int, seed: int = DEFAULT_SEED, steps: tuple[str, ...] = STEPS, baseline: str | None = None
) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-import-bench-") as tmp:
        folder = generate(Path(tmp) / "data", rows, seed)
        url = f"sqlite:///{Path(tmp) / 'atlas.sqlite3'}"
        path = str(folder / "organisations.csv")
        old = _baseline_tree(baseline, Path(tmp) / "baseline") if baseline else None
        plan: list[tuple[str, Path | None]] = [("import", None), *((s, None) for s in steps if s != "import")]
        if old is not None:
            plan.insert(plan.index(("dedup", None)) if ("dedup", None) in plan else len(plan), ("dedup", old))
        for step, tree in plan:
            # a baseline step runs in the old tree (its `atlas` first on the path), this bench module beside it
            env = {**os.environ, "PYTHONPATH": str(ROOT)} if tree else None
            out = subprocess.run(
                [sys.executable, "-m", "bench.imports_bench", "--child", step, path, url],
                capture_output=True,
                text=True,
                check=True,
                cwd=tree,
                env=env,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if tree is not None:
                result["step"] = step = f"{step}@{baseline}"
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


def dedup_precision() -> dict[str, Any]:
    """The matcher's figures on the real directories' labelled pairs (`bench.dedup_real`)."""
    from bench import dedup_real

    figures = dedup_real.evaluate()
    out: dict[str, Any] = {
        "labelled_pairs": figures.pairs,
        "precision": round(figures.precision, 3),
        "recall": round(figures.recall, 3),
    }
    for name in (*dedup_real.DIRECTORIES, dedup_real.CROSS):
        total, judged, right, _unjudged = dedup_real.proposal_precision(name)
        out[name] = {"proposed": total, "judged": judged, "right": right}
    print(
        f"dedup on real data: {figures.pairs} labelled pairs, precision {figures.precision:.3f}, "
        f"recall {figures.recall:.3f}; proposals right (first 50 judged): "
        + ", ".join(
            f"{k} {v['right']}/{v['judged']} of {v['proposed']}" for k, v in out.items() if isinstance(v, dict)
        ),
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps (the import always runs)")
    parser.add_argument("--baseline", metavar="REF", help="also run dedup with the matcher of git revision REF")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "PATH", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    results = run(args.rows, args.seed, tuple(args.steps.split(",")), args.baseline)
    precision = dedup_precision()
    if args.json:
        report = {"rows": args.rows, "results": results, "dedup_real": precision}
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
