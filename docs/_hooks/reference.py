"""MkDocs hook: reference pages generated from the code, so they are never typed twice.

`<!-- atlas:settings app -->` (or `deploy`) becomes the table of settings of `atlas.config.SETTINGS`;
`<!-- atlas:cli -->` in a page becomes the reference of every `atlas` command and option, read from
the argparse parsers themselves (`atlas.cli.build_parser`). Registered in `mkdocs.yml` (`hooks:`).
"""

from __future__ import annotations

import argparse
import re
from typing import Any

CLI_MARK = "<!-- atlas:cli -->"


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").strip()


def _commands(parser: argparse.ArgumentParser, path: list[str]) -> list[tuple[list[str], argparse.ArgumentParser]]:
    found: list[tuple[list[str], argparse.ArgumentParser]] = []
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    found.append((path, parser))  # a group, with its own options (`atlas db --url`)
    for sub in subs:
        for name, child in sub.choices.items():
            found.extend(_commands(child, [*path, name]))
    return found


def _helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    return {
        name: (choice.help or "")
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for choice in action._choices_actions
        for name in [choice.dest]
    }


def cli_reference() -> str:
    from atlas.cli import build_parser

    root = build_parser()
    lines: list[str] = []
    parents: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    for path, parser in _commands(root, ["atlas"]):
        parents[tuple(path)] = parser
        parent = parents.get(tuple(path[:-1])) or root
        summary = _helps(parent).get(path[-1], "") or parser.description or ""
        lines += [
            f"### `{' '.join(path)}`",
            "",
            _cell(summary),
            "",
            "```text",
            parser.format_usage().strip(),
            "```",
            "",
        ]
        rows = [
            (", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.dest}`", action)
            for action in parser._actions
            if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
        ]
        if rows:
            lines += ["| argument | what it does |", "|---|---|"]
            for name, action in rows:
                extra = f" (one of: {', '.join(map(str, action.choices))})" if action.choices else ""
                default = action.default
                if default not in (None, False, argparse.SUPPRESS) and action.option_strings:
                    extra += f" (default: `{default}`)"
                lines.append(f"| {name} | {_cell((action.help or '') + extra)} |")
            lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if CLI_MARK in markdown:
        markdown = markdown.replace(CLI_MARK, cli_reference())
    if "<!-- atlas:settings " in markdown:
        from atlas.config import settings_table

        markdown = re.sub(r"<!-- atlas:settings (\w+) -->", lambda m: settings_table(m.group(1)), markdown)
    return markdown
