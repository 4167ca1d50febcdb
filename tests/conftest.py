"""Settings every test starts from: its own database, never the developer's `var/atlas.sqlite3`;
and `app`, the map page under AppTest on the small fixture atlas.

No test leaves a trace in the working tree: `_working_tree_untouched` fails the run when anything
under var/, data/ or static/ (but static/generated/ and static/vendor/, which `make assets` and the
app's start write) was created, changed or removed while the tests ran. Tests write under tmp_path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
WATCHED = ("var", "data", "static")  # the working tree's folders no test may write into
NOT_WATCHED = ("static/generated", "static/vendor")  # written by `make assets` and by the app's start


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ is a `browser` test (`-m browser`, `-m "not browser"`), and
    they all run in one process."""
    browser = ROOT / "tests" / "browser"
    for item in items:
        if browser in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            # one pytest-xdist worker runs them all (`--dist loadgroup`): one Chromium, one server of
            # each kind, and no two browsers fighting for a small machine's cores
            item.add_marker(pytest.mark.xdist_group("browser"))


def tree_state(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file and folder under the watched folders of `root`."""
    state: dict[str, tuple[int, int]] = {}
    for top in WATCHED:
        base = root / top
        if not base.exists():
            continue
        for folder, dirs, files in os.walk(base):
            here = Path(folder)
            dirs[:] = [d for d in dirs if (here / d).relative_to(root).as_posix() not in NOT_WATCHED]
            for path in [here, *(here / f for f in files)]:
                try:
                    info = path.lstat()
                except FileNotFoundError:  # removed while listed
                    continue
                # a folder by its existence only: its time changes with its entries, which are listed
                # themselves (and with static/generated/ appearing, which the app's first start makes)
                state[path.relative_to(root).as_posix()] = (0, 0) if path is here else (info.st_size, info.st_mtime_ns)
    return state


def tree_changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """What changed between two `tree_state`s, one line a path."""
    return sorted(
        [f"created: {p}" for p in after.keys() - before.keys()]
        + [f"removed: {p}" for p in before.keys() - after.keys()]
        + [f"changed: {p}" for p in before.keys() & after.keys() if before[p] != after[p]]
    )


_first_seen: dict[str, str] = {}  # changed path -> the test after which this process first saw it


@pytest.fixture(scope="session", autouse=True)
def _working_tree_untouched() -> Iterator[None]:
    """Fail the run when a test created, changed or removed anything under var/, data/ or static/."""
    before = tree_state()
    yield
    changes = tree_changes(before, tree_state())
    if changes:
        lines = [f"  {c}   (first seen after {_first_seen.get(c.split(': ', 1)[1], '?')})" for c in changes]
        pytest.fail(
            "the tests wrote into the working tree (write under tmp_path instead):\n" + "\n".join(lines),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _note_tree_writes(request: pytest.FixtureRequest, _working_tree_untouched: None) -> Iterator[None]:
    """Name, for the report above, the test after which a change was first seen (with several
    processes, maybe a test that ran at the same time in another one)."""
    before = tree_state()
    yield
    for change in tree_changes(before, tree_state()):
        _first_seen.setdefault(change.split(": ", 1)[1], request.node.nodeid)


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'atlas-test.sqlite3'}")
    monkeypatch.delenv("ATLAS_SOURCE", raising=False)


@pytest.fixture()
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`app(**params)`: the page opened with these URL parameters, run once, without an exception."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))
    monkeypatch.setenv("ATLAS_ASSETS", "local")

    def make(**params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return make
