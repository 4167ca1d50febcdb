"""Test-only page: the real atlas with its charts made to fail, to see what a visitor is shown of an error.

`streamlit run tests/browser/failing_page.py` from the project folder (so the project's
`.streamlit/config.toml` applies); production code has no switch for this.
"""

from __future__ import annotations

import runpy
from pathlib import Path

SECRET = "deliberate failure: /srv/secret/path/key=hunter2"


def _fail(*args: object, **kwargs: object) -> object:
    raise RuntimeError(SECRET)


if __name__ == "__main__":  # (as Streamlit runs it; importing SECRET runs nothing)
    import atlas.charts

    atlas.charts.by_country = _fail
    runpy.run_path(str(Path(__file__).resolve().parents[2] / "app.py"), run_name="__main__")
