"""Markdown files with a YAML front matter block: read and write them the same way everywhere."""

from __future__ import annotations

from typing import Any

import yaml

DELIMITER = "---"


class FrontMatterError(ValueError):
    """The file has no well-formed front matter block."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Parse `---\\n<yaml>\\n---\\n<body>` into (mapping, body); raise FrontMatterError otherwise."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != DELIMITER:
        raise FrontMatterError("does not start with a '---' front matter line")
    for end in range(1, len(lines)):
        if lines[end].strip() == DELIMITER:
            break
    else:
        raise FrontMatterError("front matter is not closed by a '---' line")
    try:
        data = yaml.safe_load("".join(lines[1:end]))
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"bad YAML: {' '.join(str(exc).split())}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter is not a mapping of fields")
    return data, "".join(lines[end + 1 :]).strip("\n")


def render_front_matter(data: dict[str, Any], body: str = "") -> str:
    """The inverse of `split_front_matter`, with a stable layout (field order kept, Unicode as is)."""
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    text = f"{DELIMITER}\n{dumped}{DELIMITER}\n"
    return f"{text}\n{body.strip()}\n" if body.strip() else text
