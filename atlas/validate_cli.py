"""`atlas validate [PATH…]`: print every problem in the atlas files and articles; exit 1 if there is any."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pandas as pd

from atlas import config
from atlas.articles.model import load_articles
from atlas.data import load_atlas, load_file
from atlas.schema import SCHEMAS, FileSchema, Problem, Severity


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check the data files and list every problem")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="CSV files or data folders (default: the data folder, ATLAS_DATA_DIR or data/)",
    )
    p.set_defaults(func=run)


def problems_for(path: Path) -> list[Problem]:
    """Problems of a data folder (both files, ids checked across them, and its articles) or of one CSV file."""
    if path.is_dir():
        atlas = load_atlas(path)
        return atlas.problems + article_problems(path / "articles", atlas.frame)
    return load_file(path, schema_for(path))[1]


def article_problems(folder: Path, frame: pd.DataFrame) -> list[Problem]:
    """The articles' problems as located problems: a skipped file is an error, a dropped value a warning."""
    if not folder.is_dir():
        return []
    ids = frame.groupby("kind")["id"].agg(frozenset)
    _, messages = load_articles(folder, ids.get("organisation", frozenset()), ids.get("odc", frozenset()))
    problems = []
    for message in messages:
        name, _, what = message.partition(": ")
        severity: Severity = "error" if "file skipped" in what or not what else "warning"
        problems.append(Problem(str(folder / name), None, None, None, what or message, severity))
    return problems


def schema_for(path: Path) -> FileSchema:
    """The schema a file follows: by its name, else ODC when its header has a `status` column."""
    by_name = next((s for s in SCHEMAS.values() if s.filename == path.name), None)
    if by_name:
        return by_name
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            header = next(csv.reader([fh.readline()]), [])
    except (OSError, csv.Error):
        header = []
    return SCHEMAS["odc"] if "status" in {h.strip() for h in header} else SCHEMAS["organisation"]


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [config.data_dir()]
    problems = [p for path in paths for p in problems_for(path)]
    for p in problems:
        print(f"{p.severity}: {p}")
    errors = sum(p.severity == "error" for p in problems)
    print(
        f"{len(problems)} problem(s): {errors} error(s), {len(problems) - errors} warning(s)"
        if problems
        else "No problems found."
    )
    return 1 if problems else 0
