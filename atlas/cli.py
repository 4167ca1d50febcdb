"""`atlas` command line: validate, geocode, articles ingest, db."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from atlas import __version__


def build_parser() -> argparse.ArgumentParser:
    from atlas import validate_cli
    from atlas.articles import cli as articles_cli
    from atlas.geocoding import cli as geocode_cli
    from atlas.imports import cli as imports_cli
    from atlas.store import cli as db_cli

    parser = argparse.ArgumentParser(prog="atlas", description="Social Tech Atlas command line.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (validate_cli, geocode_cli, articles_cli, db_cli, imports_cli):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `atlas` console script; returns the exit code.

    Everything the commands print goes through `atlas.text.terminal_safe`: names, values and paths
    from outside cannot reorder or rewrite what the terminal shows (bidi controls, escape sequences).
    """
    from atlas.text import terminal_safe_output

    with terminal_safe_output():
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
