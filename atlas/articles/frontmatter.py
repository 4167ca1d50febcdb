"""Markdown files with a YAML front matter block: read and write them the same way everywhere.

Reading never lets a hostile block cost more than its size: a block larger than
`MAX_FRONT_MATTER`, nested deeper than `MAX_DEPTH` or with more than `MAX_ALIASES` aliases is
refused from YAML's event stream, before anything is built (aliases are how a few hundred bytes
expand into gigabytes: the "billion laughs"). Each field is then built on its own, so a value
YAML cannot build (`2023-02-30`, `!!int abc`, `!!timestamp abc`…) is reported with its field
instead of taking the whole file, or the page, down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from atlas.schema import show_value

DELIMITER = "---"
MAX_FRONT_MATTER = 64 * 1024  # characters of YAML; the bundled articles use under 5,000
MAX_DEPTH = 10  # nested lists and mappings; the bundled articles use 3 (fields > places > place)
MAX_ALIASES = 10  # `*name` references; the bundled articles use none
MAX_MESSAGE = 200  # characters of a YAML error message quoted in a problem


class FrontMatterError(ValueError):
    """The file has no well-formed front matter block."""


@dataclass(frozen=True)
class BadField:
    """A field YAML could not build: its name (None when the name itself is unusable), how it is
    shown, its source text as shown (quoted and cut; None when the name is the problem) and why."""

    key: str | None
    field: str
    value: str | None
    reason: str

    def __str__(self) -> str:
        shown = "" if self.value is None else f" = {self.value}"
        return f"field {self.field}{shown}: {self.reason}"


@dataclass(frozen=True)
class FrontMatter:
    """The fields that could be built, the body, and the fields that could not."""

    data: dict[str, Any]
    body: str
    bad_fields: tuple[BadField, ...] = ()


def parse_front_matter(text: str) -> FrontMatter:
    """Parse `---\\n<yaml>\\n---\\n<body>`, field by field.

    Raises FrontMatterError when the block as a whole is unusable (missing, unclosed, too large,
    too deep, too many aliases, bad YAML syntax, not a mapping); a field whose value cannot be
    built is left out of `data` and listed in `bad_fields`.
    """
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != DELIMITER:
        raise FrontMatterError("does not start with a '---' front matter line")
    for end in range(1, len(lines)):
        if lines[end].strip() == DELIMITER:
            break
    else:
        raise FrontMatterError("front matter is not closed by a '---' line")
    source = "".join(lines[1:end])
    body = "".join(lines[end + 1 :]).strip("\n")
    if len(source) > MAX_FRONT_MATTER:
        raise FrontMatterError(f"front matter is longer than {MAX_FRONT_MATTER} characters")
    try:
        _check_shape(source)
        data, bad = _build_fields(source)
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"bad YAML: {_message(exc)}") from exc
    return FrontMatter(data, body, tuple(bad))


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(mapping, body) of a file whose every field is good; raise FrontMatterError otherwise.

    For tools that rewrite the file: they must not silently lose a field.
    """
    parsed = parse_front_matter(text)
    if parsed.bad_fields:
        raise FrontMatterError(str(parsed.bad_fields[0]))
    return parsed.data, parsed.body


def _check_shape(source: str) -> None:
    """Refuse, from the event stream alone, a block nested too deeply or with too many aliases."""
    depth = aliases = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise FrontMatterError(f"front matter uses more than {MAX_ALIASES} YAML aliases")
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrontMatterError(f"front matter is nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _build_fields(source: str) -> tuple[dict[str, Any], list[BadField]]:
    loader = yaml.SafeLoader(source)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}, []
        if not isinstance(root, yaml.MappingNode):
            raise FrontMatterError("front matter is not a mapping of fields")
        loader.flatten_mapping(root)  # `<<:` merge keys, as a whole-document load would do
        data: dict[str, Any] = {}
        bad: list[BadField] = []
        for key_node, value_node in root.value:
            name = _shown(key_node)
            try:
                key = loader.construct_object(key_node, deep=True)
            except Exception as exc:  # (see below)
                bad.append(BadField(None, name, None, f"field name cannot be read ({_message(exc)}); ignored"))
                _reset(loader)
                continue
            if not isinstance(key, str):
                bad.append(BadField(None, name, None, "field name is not text; ignored"))
                continue
            try:
                data[key] = loader.construct_object(value_node, deep=True)
            except Exception as exc:
                # PyYAML's constructors let built-in exceptions through: ValueError (a day out of range,
                # `!!int abc`), AttributeError (`!!timestamp abc`), KeyError (`!!bool maybe`)… Any of
                # them means this one value is unusable, nothing more.
                bad.append(BadField(key, show_value(key), _shown(value_node), f"cannot be read ({_message(exc)})"))
                data.pop(key, None)
                _reset(loader)
        return data, bad
    finally:
        loader.dispose()


def _reset(loader: yaml.SafeLoader) -> None:
    """Forget a half-built value, so the next field starts clean."""
    loader.constructed_objects = {}
    loader.recursive_objects = {}
    loader.state_generators = []


def _shown(node: yaml.Node) -> str:
    """A node's source text for a message: the scalar as written, or the file line a collection starts on."""
    if isinstance(node, yaml.ScalarNode):
        return show_value(node.value)
    return f"(the list or mapping on line {_file_line(node.start_mark)})"


def _file_line(mark: yaml.Mark) -> int:
    return mark.line + 2  # 0-based within the block, which starts after the '---' line


def _message(exc: BaseException) -> str:
    """What went wrong, in one line of at most MAX_MESSAGE characters, with the file's line numbers."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        text = exc.problem + (f" (line {_file_line(exc.problem_mark)})" if exc.problem_mark else "")
    elif isinstance(exc, yaml.YAMLError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return show_value(" ".join(text.split()), MAX_MESSAGE, quote=False)


def render_front_matter(data: dict[str, Any], body: str = "") -> str:
    """The inverse of `split_front_matter`, with a stable layout (field order kept, Unicode as is)."""
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    text = f"{DELIMITER}\n{dumped}{DELIMITER}\n"
    return f"{text}\n{body.strip()}\n" if body.strip() else text
