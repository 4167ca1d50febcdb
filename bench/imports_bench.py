"""Import and duplicate-detection benchmark: `python -m bench.imports_bench [--rows 100000] [--json OUT]`.

`--compare REV` checks git revision REV out into a temporary `git worktree` (under the system's
temporary folder, removed afterwards) and runs every step with its `atlas/` package too, on a
database of its own, in turns with this checkout's (step by step: REV's, then this one's), so
that old and new figures come from one run on one machine; a table of CPU seconds and peak
memory, with the ratios new / old, ends the run. The load average is printed at the start and end.

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
THIS = Path(__file__).resolve()
# A step in a process of its own, with the `atlas` package of the tree given first on the path and
# this file's `_child` (loaded by its path: the tree's own `bench`, if any, may differ).
CHILD = (
    "import importlib.util, json, sys; sys.path.insert(0, sys.argv[1]); "
    "spec = importlib.util.spec_from_file_location('imports_bench_child', sys.argv[2]); "
    "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module); "
    "print(json.dumps(module._child(*sys.argv[3:])))"
)


def _step(tree: Path, step: str, path: str, url: str) -> dict[str, Any]:
    """Run `step` with the `atlas` of `tree` in a child process; its figures."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(THIS), step, path, url],
        capture_output=True,
        text=True,
        cwd=tree,
    )
    if out.returncode:
        raise RuntimeError(f"step {step} in {tree} failed:\n{out.stderr[-4000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _worktree(rev: str, where: Path) -> Path:
    """Git revision `rev` checked out (detached) into a new worktree at `where`."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(where), rev],
        check=True,
        capture_output=True,
    )
    return where


def _drop_worktree(where: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], capture_output=True)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _print(rows: int, step: str, result: dict[str, Any]) -> None:
    print(
        f"{rows:>7} rows  {step:<18} {result['seconds']:>7.1f} s (CPU {result['cpu_s']:.1f} s)  "
        f"peak {result['peak_mb']:>6.0f} MB  "
        + ", ".join(f"{k} {v}" for k, v in result.items() if k not in ("step", "seconds", "cpu_s", "peak_mb") and v),
        flush=True,
    )


def compare(
    rows: int, rev: str, seed: int | None = None, steps: tuple[str, ...] = ("import", "dedup")
) -> dict[str, Any]:
    """Every step with the `atlas` of git revision `rev` and with this one's, in turns, on the same
    generated file (each side on its own database): the figures of both and the ratios new / old."""
    from bench.generate import DEFAULT_SEED, generate  # here: a compared tree loads this file with its own `bench`

    seed = DEFAULT_SEED if seed is None else seed
    plan = ["import", *(s for s in steps if s != "import")]
    results: dict[str, Any] = {"rows": rows, "compare": rev, "load_start": load_average(), "steps": []}
    print(f"load average at the start: {results['load_start']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="atlas-import-compare-") as tmp:
        folder = generate(Path(tmp) / "data", rows, seed)
        path = str(folder / "organisations.csv")
        old = _worktree(rev, Path(tmp) / "old")
        try:
            for step in plan:
                pair: dict[str, Any] = {"step": step}
                for side, tree in (("old", old), ("new", ROOT)):
                    result = _step(tree, step, path, f"sqlite:///{Path(tmp) / f'{side}.sqlite3'}")
                    _print(rows, f"{step}@{rev if side == 'old' else 'this'}", result)
                    pair[side] = result
                pair["cpu_ratio"] = _ratio(pair["new"]["cpu_s"], pair["old"]["cpu_s"])
                pair["peak_ratio"] = _ratio(pair["new"]["peak_mb"], pair["old"]["peak_mb"])
                results["steps"].append(pair)
        finally:
            _drop_worktree(old)
    results["load_end"] = load_average()
    print(f"load average at the end: {results['load_end']}", flush=True)
    print(
        f"\n{'step':<10}{'CPU ' + rev:>16}{'CPU this':>12}{'ratio':>8}{'peak ' + rev:>18}{'peak this':>12}{'ratio':>8}"
    )
    for pair in results["steps"]:
        old_r, new_r = pair["old"], pair["new"]
        print(
            f"{pair['step']:<10}{old_r['cpu_s']:>14.1f} s{new_r['cpu_s']:>10.1f} s{pair['cpu_ratio']:>8.2f}"
            f"{old_r['peak_mb']:>15.0f} MB{new_r['peak_mb']:>9.0f} MB{pair['peak_ratio']:>8.2f}",
            flush=True,
        )
    return results


def _ratio(new: float, old: float) -> float:
    return round(new / old, 2) if old else float("nan")


def _baseline_tree(ref: str, where: Path) -> Path:
    """The `atlas/` package (and `data/`) of git revision `ref`, extracted under `where`."""
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "atlas", "data"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where


def run(
    rows: int, seed: int | None = None, steps: tuple[str, ...] = STEPS, baseline: str | None = None
) -> list[dict[str, Any]]:
    from bench.generate import DEFAULT_SEED, generate  # here: a compared tree loads this file with its own `bench`

    seed = DEFAULT_SEED if seed is None else seed
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
            # a baseline step runs with the old tree's `atlas` first on the path, this file's `_child`
            result = _step(tree or ROOT, step, path, url)
            if tree is not None:
                result["step"] = step = f"{step}@{baseline}"
            results.append(result)
            _print(rows, step, result)
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
    parser.add_argument("--seed", type=int, help="the generator's seed (default: bench.generate's)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps (the import always runs)")
    parser.add_argument("--baseline", metavar="REF", help="also run dedup with the matcher of git revision REF")
    parser.add_argument(
        "--compare",
        metavar="REV",
        help="run the steps with git revision REV (checked out into a temporary git worktree) and with this "
        "checkout, in turns, and print both with the ratios (default steps then: import,dedup)",
    )
    parser.add_argument("--no-precision", action="store_true", help="skip the precision on real data")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "PATH", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    steps = tuple(args.steps.split(","))
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))} (known: {', '.join(STEPS)})")
    report: dict[str, Any] = {"rows": args.rows}
    if args.compare:
        chosen = steps if "--steps" in (argv if argv is not None else sys.argv) else ("import", "dedup")
        report.update(compare(args.rows, args.compare, args.seed, chosen))
    else:
        report["results"] = run(args.rows, args.seed, steps, args.baseline)
    if not args.no_precision:
        report["dedup_real"] = dedup_precision()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
