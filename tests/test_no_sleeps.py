"""Browser tests wait for what they mean, never for a fixed time (issue 22).

A fixed sleep (`page.wait_for_timeout`, `time.sleep`) is too short on a busy machine and wasted time
on a quiet one: the tests wait on the page instead — Playwright's `expect`, the end of Streamlit's run
(`idle`), the map's `atlas:*` performance marks (`map_settled`), images loaded or refused (`quiet`),
animation frames (`frames`). See docs/develop/index.md.

ALLOWED names the few places (at most 3) where a fixed wait is the point; each such line must say why
in a comment.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BROWSER = Path(__file__).resolve().parent / "browser"
SLEEPS = {"wait_for_timeout", "sleep"}  # page.wait_for_timeout, time.sleep, asyncio.sleep, sleep
# (file name, function) -> why a fixed wait is the point there. At most 3; each line commented.
ALLOWED: dict[tuple[str, str], str] = {}


def sleeps(source: str) -> list[tuple[int, str]]:
    """(line, enclosing function) of every fixed sleep called in `source`."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call):
                func = child.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in SLEEPS:
                    found.append((child.lineno, function))
            visit(child, name)

    visit(ast.parse(source), "<module>")
    return found


def test_the_scan_finds_every_kind_of_sleep() -> None:
    source = (
        "import time\nfrom time import sleep\n"
        "def a(page):\n    page.wait_for_timeout(600)\n"
        "def b():\n    time.sleep(0.5)\n"
        "async def c():\n    await asyncio.sleep(1)\n"
        "def d():\n    sleep(1)\n"
        "def e(page):\n    page.wait_for_function('() => true')\n"
    )
    assert sleeps(source) == [(4, "a"), (6, "b"), (8, "c"), (10, "d")]


@pytest.mark.parametrize("path", sorted(BROWSER.glob("*.py")), ids=lambda p: p.name)
def test_browser_tests_have_no_fixed_sleep(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    unexplained = []
    for line, function in sleeps(source):
        if (path.name, function) not in ALLOWED:
            unexplained.append(f"{path.name}:{line} in {function}(): {lines[line - 1].strip()}")
        elif "#" not in lines[line - 1]:
            unexplained.append(f"{path.name}:{line} in {function}(): allowed, but the line does not say why")
    assert unexplained == [], "wait for an event, a mark or an expect instead:\n" + "\n".join(unexplained)


def test_the_allow_list_stays_short() -> None:
    assert len(ALLOWED) <= 3, ALLOWED
    for (name, _function), why in ALLOWED.items():
        assert (BROWSER / name).exists() and why.strip()
