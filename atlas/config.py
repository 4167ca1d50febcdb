"""Run-time configuration read from the environment (the app and every CLI command share it)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder holding organisations.csv, odc.csv and articles/ (`ATLAS_DATA_DIR`, default `data/`)."""
    return Path(os.environ.get("ATLAS_DATA_DIR") or PROJECT_ROOT / "data")


def cache_path() -> Path:
    """SQLite geocoding cache (`ATLAS_GEOCODE_CACHE`, default `.cache/geocode.sqlite3`)."""
    return Path(os.environ.get("ATLAS_GEOCODE_CACHE") or PROJECT_ROOT / ".cache" / "geocode.sqlite3")


def assets_mode() -> str:
    """Where Leaflet's files come from: `local`, `cdn`, or `auto` (local when fetched; the default)."""
    mode = (os.environ.get("ATLAS_ASSETS") or "auto").strip().lower()
    return mode if mode in {"local", "cdn", "auto"} else "auto"


def tiles_enabled(local_assets: bool) -> bool:
    """Whether to draw OpenStreetMap tiles (`ATLAS_TILES=osm|none`).

    By default tiles are used only with CDN assets; with local assets the map draws
    bundled country outlines and makes no request to a third party.
    """
    value = (os.environ.get("ATLAS_TILES") or "").strip().lower()
    if value in {"osm", "none"}:
        return value == "osm"
    return not local_assets
