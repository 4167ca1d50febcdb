"""Run-time configuration read from the environment (the app and every CLI command share it)."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from atlas.text import escape

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


@dataclass(frozen=True)
class TileSource:
    """A raster tile server: its URL template (`{z}/{x}/{y}`) and its attribution (HTML)."""

    url: str
    attribution: str


OSM_TILES = TileSource(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
_TEMPLATE = re.compile(r"https?://[^\s\"'<>]+")


def tile_source() -> TileSource | None:
    """The tiles under the map (`ATLAS_TILES`); None: no tile server at all.

    - unset or `osm`: OpenStreetMap's standard tiles, with their attribution (the default);
    - `none`: no third party: the bundled country outlines and offline place labels only;
    - a URL template with `{z}`, `{x}` and `{y}` (`https://tiles.example.org/{z}/{x}/{y}.png`):
      a tile server of yours, credited with `ATLAS_TILES_ATTRIBUTION` (plain text).

    Whatever the tiles, the outlines lie underneath and the place labels appear when tiles fail.
    Any other value is refused (with a warning) as `none`: the map then asks nothing of anyone.
    """
    raw = (os.environ.get("ATLAS_TILES") or "").strip()
    value = raw.lower()
    if value in {"", "osm"}:
        return OSM_TILES
    if value == "none":
        return None
    if _TEMPLATE.fullmatch(raw) and all(part in raw for part in ("{z}", "{x}", "{y}")):
        return TileSource(raw, escape((os.environ.get("ATLAS_TILES_ATTRIBUTION") or "").strip()))
    logging.getLogger(__name__).warning("ATLAS_TILES is neither osm, none nor a tile URL template: no tiles")
    return None


def secrets_path() -> Path:
    """Streamlit's secrets file for this project (`ATLAS_SECRETS`, default `.streamlit/secrets.toml`)."""
    return Path(os.environ.get("ATLAS_SECRETS") or PROJECT_ROOT / ".streamlit" / "secrets.toml")


def secrets() -> dict:
    """The secrets file's contents ({} when there is none, or when it cannot be read as TOML)."""
    import tomllib

    try:
        with secrets_path().open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


DEFAULT_DATABASE = PROJECT_ROOT / "var" / "atlas.sqlite3"


def database_url() -> str:
    """The atlas database: `ATLAS_DATABASE_URL`, else `[connections.atlas] url` in the secrets file
    (Streamlit's convention, as read by `st.connection("atlas", type="sql")`), else the embedded
    SQLite file `var/atlas.sqlite3`. PostgreSQL: `postgresql+psycopg://user:password@host/dbname`.
    """
    url = (os.environ.get("ATLAS_DATABASE_URL") or "").strip()
    if url:
        return url
    configured = secrets().get("connections", {}).get("atlas", {})
    if isinstance(configured, dict) and isinstance(configured.get("url"), str) and configured["url"].strip():
        return configured["url"].strip()
    return f"sqlite:///{DEFAULT_DATABASE}"


def data_source() -> str:
    """What the app reads: `database` (the default) or `files` (the CSV folder, read-only).

    `ATLAS_SOURCE=files` serves the data folder as it is, without a database (no submissions).
    """
    value = (os.environ.get("ATLAS_SOURCE") or "").strip().lower()
    return value if value in {"database", "files"} else "database"


def moderators() -> frozenset[str]:
    """E-mail addresses allowed to moderate (lower-case): `ATLAS_MODERATORS` (comma-separated),
    else `[atlas] moderators = [...]` in the secrets file. Empty: nobody moderates."""
    raw = os.environ.get("ATLAS_MODERATORS")
    if raw is not None:
        values: list[object] = list(raw.split(","))
    else:
        listed = secrets().get("atlas", {}).get("moderators", [])
        values = listed if isinstance(listed, list) else []
    return frozenset(v.strip().lower() for v in values if isinstance(v, str) and "@" in v)


def trusted_proxies() -> int:
    """How many reverse proxies in front of the app add themselves to `X-Forwarded-For`.

    `ATLAS_TRUSTED_PROXY`: unset or `0` (the default) — the address of the connection itself is the
    visitor's, and `X-Forwarded-For` is ignored (anyone can send one); `1` (or `true`) — one proxy
    of yours, whose right-most `X-Forwarded-For` entry is the visitor's; `N` — N proxies in a chain.
    Used only to count anonymous submissions per address (never stored as such).
    """
    value = (os.environ.get("ATLAS_TRUSTED_PROXY") or "").strip().lower()
    if value in {"true", "yes", "on"}:
        return 1
    return int(value) if value.isdigit() and int(value) <= 10 else 0


def form_geocoder() -> str:
    """How the submission form locates a city or address: `offline` (the default) or `online`.

    `ATLAS_FORM_GEOCODER=offline` uses the bundled gazetteer only: the app sends nothing anywhere.
    `online` also asks the geocoder of `ATLAS_GEOCODER` (Nominatim by default; one request per
    second, with its usage policy), falling back to the gazetteer when it does not answer.
    """
    value = (os.environ.get("ATLAS_FORM_GEOCODER") or "").strip().lower()
    return "online" if value == "online" else "offline"


def public_url() -> str:
    """The atlas's public address (`ATLAS_PUBLIC_URL`, e.g. `https://atlas.example.org/`), used to
    write the absolute links of the entry pages, feeds, sitemap and oEmbed; always ends with `/`.
    Empty when unset or not an http(s) URL: the routes then use the address of each request."""
    value = (os.environ.get("ATLAS_PUBLIC_URL") or "").strip()
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~\-/]*)?", value):
        return ""
    return value if value.endswith("/") else value + "/"
