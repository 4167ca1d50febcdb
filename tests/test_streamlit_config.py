"""The server settings the atlas relies on, read from the file every replica is started with."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_no_full_garbage_collection_after_every_rerun() -> None:
    # a forced gc.collect(2) per script run stalls every other session (README, "Many visitors")
    assert tomllib.loads(CONFIG.read_text(encoding="utf-8"))["runner"]["postScriptGC"] is False


def test_visitors_never_see_error_details() -> None:
    assert tomllib.loads(CONFIG.read_text(encoding="utf-8"))["client"]["showErrorDetails"] == "none"
