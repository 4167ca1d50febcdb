"""Hostile article files: each one can only be dropped (or lose a field), with a message naming the
file and the field; the other articles load; nothing is expanded, raised or quoted whole."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from atlas.articles.frontmatter import MAX_ALIASES, MAX_DEPTH, FrontMatterError, parse_front_matter, split_front_matter
from atlas.articles.model import MAX_FILE_BYTES, MAX_PROBLEMS_PER_FILE, load_articles

REQUIRED = "title_en: T\ntitle_fr: T\nsummary_en: S\nsummary_fr: S\nsource: test\n"


def article(extra: str = "", id: str = "hostile") -> str:
    return f"---\nid: {id}\n{REQUIRED}{extra}\n---\n"


def alias_bomb(levels: int) -> str:
    """Billion laughs: each level lists the one below nine times (9**levels 'lol' when printed)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijk"
    for i in range(1, levels + 1):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines)


def load_with(tmp_path: Path, content: str | bytes) -> tuple[list[str], list[str]]:
    """Load a folder holding the hostile `a.md` and a good `b.md`: ids loaded, problems."""
    path = tmp_path / "a.md"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (tmp_path / "b.md").write_text(article(id="kept"), encoding="utf-8")
    articles, problems = load_articles(tmp_path)
    return [a.id for a in articles], problems


# (file content, the article survives?, words the problem must hold besides the file name)
CASES = {
    "impossible date": (article("published: 2023-02-30"), True, ["'published'", "'2023-02-30'", "day is out of range"]),
    "!!int abc": (article("x: !!int abc"), True, ["'x'", "'abc'", "invalid literal"]),
    "!!timestamp abc": (article("published: !!timestamp abc"), True, ["'published'", "'abc'"]),
    "!!bool maybe": (article("note: !!bool maybe"), True, ["'note'", "'maybe'"]),
    "!!float in a required field": (article().replace("title_en: T", "title_en: !!float x"), False, ["'title_en'"]),
    "a Python tag": (article("x: !!python/object/apply:os.system [ls]"), True, ["'x'", "constructor"]),
    "a number as a field name": (article("1: one"), True, ["'1'", "not text"]),
    "a list as a field name": (article("? [a, b]\n: c"), True, ["not text"]),
    "a self-referencing list": (article("topics: &t [*t]"), True, ["'topics'"]),
    "2,000 nested brackets": (article("places: " + "[" * 2000 + "]" * 2000), False, [f"deeper than {MAX_DEPTH}"]),
    "2,000 nested mappings": (article("places: " + "{a: " * 2000 + "b" + "}" * 2000), False, ["deeper than"]),
    "alias bomb, 6 levels": (article(alias_bomb(6)), False, [f"more than {MAX_ALIASES} YAML aliases"]),
    "alias bomb, 8 levels": (article(alias_bomb(8)), False, [f"more than {MAX_ALIASES} YAML aliases"]),
    "a list, not a mapping": ("---\n- a\n- b\n---\n", False, ["not a mapping"]),
    "a single word": ("---\nhello\n---\n", False, ["not a mapping"]),
    "bad YAML syntax": (article("x: [unclosed"), False, ["bad YAML", "line"]),
    "an undefined alias": (article("x: *nowhere"), False, ["bad YAML", "nowhere"]),
    "a NUL character": (article("x: a\0b"), False, ["bad YAML"]),
    "binary, not UTF-8": (b"---\nid: \xff\xfe\x00\x01\n---\n", False, ["cannot read", "UnicodeDecodeError"]),
    "no front matter": ("just text\n", False, ["does not start"]),
    "unclosed front matter": ("---\nid: x\n", False, ["not closed"]),
    "front matter too long": (article("note: '" + "x" * 70_000 + "'"), False, ["longer than"]),
    "file too large": (article() + "body " * (MAX_FILE_BYTES // 4), False, ["larger than"]),
}


@pytest.mark.parametrize("content, survives, words", CASES.values(), ids=CASES.keys())
def test_a_hostile_file_costs_at_most_itself(tmp_path: Path, content, survives: bool, words: list[str]) -> None:
    ids, problems = load_with(tmp_path, content)
    assert ids == (["hostile", "kept"] if survives else ["kept"])
    assert problems and all(p.startswith("a.md: ") for p in problems), problems
    assert all(len(p) <= 400 for p in problems), [len(p) for p in problems]
    located = [p for p in problems if all(w in p for w in words)]
    assert located, problems
    assert survives or "file skipped" in " ".join(problems)


def test_a_value_that_cannot_be_built_leaves_the_rest_of_the_article(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(article("author: Ada\npublished: 2023-02-30\ntopics: [open-data]"), encoding="utf-8")
    [loaded], problems = load_articles(tmp_path)
    assert (loaded.author, loaded.published, loaded.topics) == ("Ada", "", ("open-data",))
    assert problems == [
        "a.md: field 'published' = '2023-02-30': cannot be read (ValueError: day is out of range for month); dropped"
    ]


def test_a_flood_of_bad_values_is_counted_not_listed(tmp_path: Path) -> None:
    many = "topics: [" + ", ".join(["Not A Slug"] * 5000) + "]"
    ids, problems = load_with(tmp_path, article(many))
    assert ids == ["hostile", "kept"]
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1] == f"a.md: {5000 - MAX_PROBLEMS_PER_FILE} more problem(s) not listed"


def test_long_values_and_field_names_are_quoted_cut(tmp_path: Path) -> None:
    ids, problems = load_with(tmp_path, article(f"{'k' * 1000}: {'v' * 50_000}\npublished: [{'1' * 5000}]"))
    assert ids == ["hostile", "kept"] and len(problems) == 2
    assert all(len(p) <= 400 for p in problems), problems


@pytest.mark.parametrize("levels", [6, 8])
def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path, levels: int) -> None:
    """Before: 6 levels gave a 34.7-million-character problem (73.7 MB peak), 8 levels ran out of memory."""
    (tmp_path / "a.md").write_text(article(alias_bomb(levels)), encoding="utf-8")
    assert len(article(alias_bomb(levels)).encode()) < 600
    tracemalloc.start()
    try:
        articles, problems = load_articles(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert articles == [] and len(problems) == 1 and "aliases" in problems[0]
    assert peak < 2_000_000, f"{peak / 1e6:.1f} MB"


def test_a_few_aliases_still_work() -> None:
    parsed = parse_front_matter("---\nbase: &b {country: FR}\nplaces: [*b, *b]\n---\n")
    assert parsed.data["places"] == [{"country": "FR"}, {"country": "FR"}] and parsed.bad_fields == ()


def test_tools_that_rewrite_files_refuse_a_file_with_a_bad_field() -> None:
    with pytest.raises(FrontMatterError, match="field 'published' = '2023-02-30'"):
        split_front_matter(article("published: 2023-02-30"))
