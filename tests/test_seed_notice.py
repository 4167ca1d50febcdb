"""A database filled from another folder than the one the atlas serves says so on the page (issue 22).

Before: `make test` left var/atlas.sqlite3 seeded from the 7-row test fixture, and `make run` then
showed "7 of 7 entries" (Alpha Civic Lab, Test Digital Center Dakar…) as if it were the atlas.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.data import load_atlas
from atlas.store import open_store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SMALL = ROOT / "tests" / "fixtures" / "small_atlas"
NOTICE = {"en": "was first filled from another folder", "fr": "a d'abord été remplie depuis un autre dossier"}


def _seeded_from_small(url: str) -> None:
    open_store(url, seed_from=SMALL).engine.dispose()


def _page(monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("ATLAS_ASSETS", "local")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_database_seeded_from_another_folder_says_so(monkeypatch, tmp_path, lang) -> None:
    _seeded_from_small(os.environ["ATLAS_DATABASE_URL"])  # (tests/conftest.py: a database in tmp_path)
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)  # the atlas is set to serve data/, as `make run` is
    at = _page(monkeypatch, lang=lang)
    notices = [i.value for i in at.info if NOTICE[lang] in i.value]
    assert len(notices) == 1, [i.value for i in at.info]
    shown = [t.value for t in at.text]
    assert any(str(SMALL) in line for line in shown), shown  # which folder, as plain text
    assert any(str(ROOT / "data") in line for line in shown), shown


def test_a_database_seeded_from_the_folder_it_serves_says_nothing(app) -> None:
    at = app()  # ATLAS_DATA_DIR is the small atlas, which seeded its database
    assert any("7 of 7 entries shown" in m.value for m in at.markdown)
    assert not [i.value for i in at.info if NOTICE["en"] in i.value]


# -- the whole story in a copy of the repository, with no setting at all (as `make run`) -------------

PAGE = """
import json
from streamlit.testing.v1 import AppTest
import atlas
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
print(json.dumps({"atlas": atlas.__file__, "exception": [str(e.value) for e in at.exception],
                  "markdown": [m.value for m in at.markdown], "info": [i.value for i in at.info]}))
"""


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "checkout"
    copy.mkdir(parents=True)
    shutil.copy2(ROOT / "app.py", copy / "app.py")
    skip = shutil.ignore_patterns("__pycache__", "vendor", "generated")
    for folder in ("atlas", "data", "static", ".streamlit"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=skip)
    (copy / ".streamlit" / "secrets.toml").unlink(missing_ok=True)
    return copy


def _start(copy: Path, **settings: str) -> dict:
    """The page, run once in `copy` by a fresh process with no ATLAS_* setting but `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATLAS_")}
    env.update(settings, ATLAS_ASSETS="local", ATLAS_GEOCODE_CACHE=str(copy.parent / "geocode.sqlite3"))
    done = subprocess.run(
        [sys.executable, "-c", PAGE], cwd=copy, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    page = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(page["atlas"]).is_relative_to(copy), page["atlas"]  # the copy's code, with its own var/
    assert page["exception"] == []
    return page


def test_after_the_test_scenario_a_default_start_serves_the_bundled_atlas_or_says_why_not(tmp_path) -> None:
    copy = _copy(tmp_path)
    total = len(load_atlas(ROOT / "data").frame)
    assert total > 7

    fresh = _start(copy)  # `make run` in a clean checkout: var/atlas.sqlite3 seeded from data/
    assert any(f"{total} of {total} entries shown" in m for m in fresh["markdown"]), fresh["markdown"]
    assert not [i for i in fresh["info"] if NOTICE["en"] in i]

    polluted = _copy(tmp_path / "again")  # the old config-safety test: the default database, the test data
    _start(polluted, ATLAS_DATA_DIR=str(SMALL))
    assert (polluted / "var" / "atlas.sqlite3").exists()
    after = _start(polluted)  # then `make run`: the test atlas, and the page says so
    assert any("7 of 7 entries shown" in m for m in after["markdown"]), after["markdown"]
    assert [i for i in after["info"] if NOTICE["en"] in i], after["info"]
