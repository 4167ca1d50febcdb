"""The documentation tells the truth about the code: every setting, command, option and make target
is in it, every link between its pages resolves, and the README stays a front door.

In the spirit of datasette's `test_docs.py`: the lists come from the code (the `ATLAS_*` names the
code reads, the argparse parsers, the Makefile), so a new setting or option without docs fails here.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md")))


def _settings_read_by_code() -> set[str]:
    names: set[str] = set()
    sources = [ROOT / "app.py", ROOT / "compose.yaml", *(ROOT / "atlas").rglob("*.py"), *(ROOT / "deploy").rglob("*")]
    for path in sources:
        if path.is_file() and path != ROOT / "atlas" / "config.py":
            names |= set(
                re.findall(r"\bATLAS_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8", errors="replace"))
            )
    config_code = (ROOT / "atlas" / "config.py").read_text(encoding="utf-8").split("# The registry of settings")[0]
    names |= set(re.findall(r"\bATLAS_[A-Z0-9_]*[A-Z0-9]\b", config_code))
    return names - {"ATLAS_FILE_COLUMNS"}  # a constant's name in atlas/imports/mapping.py, not a setting


def test_every_setting_the_code_reads_is_in_the_registry_and_nothing_else() -> None:
    from atlas.config import SETTINGS

    registered = [s.name for s in SETTINGS]
    assert len(registered) == len(set(registered)), "a setting registered twice"
    read = _settings_read_by_code()
    assert not sorted(read - set(registered)), "settings read by the code but missing from atlas.config.SETTINGS"
    assert not sorted(set(registered) - read), "settings registered but read nowhere"


def test_the_configuration_page_lists_every_setting(site: Path) -> None:
    from atlas.config import SETTINGS

    page = (site / "reference" / "configuration" / "index.html").read_text(encoding="utf-8")
    assert not [s.name for s in SETTINGS if f"<code>{s.name}</code>" not in page]


def _make_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)
    assert phony, "the Makefile declares its targets in .PHONY"
    return phony.group(1).split()


def test_every_make_target_is_documented() -> None:
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    missing = [t for t in _make_targets() if f"`make {t}`" not in page]
    assert not missing, f"make targets missing from docs/getting-started.md: {missing}"


def _options() -> list[tuple[str, str]]:
    from atlas.cli import build_parser

    found: list[tuple[str, str]] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        found.append((path, path))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction):
                for option in action.option_strings:
                    found.append((path, option))

    walk(build_parser(), "atlas")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built strictly (as `make docs` does) into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


def test_the_site_builds_strictly_and_lists_every_command_and_option(site: Path) -> None:
    page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    missing = [f"{path}: {what}" for path, what in _options() if f"<code>{what}</code>" not in page]
    assert not missing, f"commands or options missing from the command-line reference: {missing}"


def test_every_page_of_the_docs_is_in_the_navigation(site: Path) -> None:
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "_hooks" not in p.parts}
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not sorted(p for p in pages if p not in nav), "pages left out of mkdocs.yml's nav"


def test_every_relative_link_of_the_readme_and_docs_resolves() -> None:
    broken: list[str] = []
    for path in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        text = re.sub(r"```.*?```|`[^`]*`", "", path.read_text(encoding="utf-8"), flags=re.S)  # code is not a link
        for target, _anchor in LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            if not (path.parent / target).resolve().exists():
                broken.append(f"{path.relative_to(ROOT)} → {target}")
    assert not broken, f"links to files that do not exist: {broken}"


def test_the_readme_is_a_front_door() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme and "make test" in readme
    for page in ("docs/getting-started.md", "docs/reference/configuration.md", "docs/develop/architecture.md"):
        assert f"({page})" in readme
