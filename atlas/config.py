"""Run-time configuration read from the environment (the app and every CLI command share it)."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import cache
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


# Values of [auth] cookie_secret that were ever published with the project (its example secrets
# file, its docs) or in Streamlit's documentation: a server using one of them signs its sign-in
# cookie with a key everybody knows. `cookie_secret_problem` also refuses whatever the example
# file holds today (it ships without a value).
EXAMPLE_COOKIE_SECRETS = frozenset(
    {
        "replace-me-with-a-long-random-string",
        "replace-me",
        "xxx",
        "…",
        "a-cookie-secret-for-tests-only",
        "a-cookie-secret-only-for-these-tests",
        "bench-only-cookie-secret",
    }
)
MIN_COOKIE_SECRET = 32
EXAMPLE_SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.example.toml"


@cache
def example_cookie_secrets() -> frozenset[str]:
    """`EXAMPLE_COOKIE_SECRETS` and any cookie_secret the shipped example secrets file holds (read once)."""
    import tomllib

    try:
        with EXAMPLE_SECRETS_FILE.open("rb") as fh:
            shipped = tomllib.load(fh).get("auth", {}).get("cookie_secret")
    except (OSError, tomllib.TOMLDecodeError):
        shipped = None
    return EXAMPLE_COOKIE_SECRETS | ({shipped} if isinstance(shipped, str) and shipped else set())


def cookie_secret_problem(secret: object) -> str:
    """Why `secret` ([auth] cookie_secret) must not sign sign-in cookies: `missing`, `short` (under
    32 characters) or `example` (a value the project or Streamlit's docs published); "" when it may."""
    if not isinstance(secret, str) or not secret.strip():
        return "missing"
    if secret.strip() in example_cookie_secrets():
        return "example"
    if len(secret) < MIN_COOKIE_SECRET:
        return "short"
    return ""


def moderator_subjects() -> frozenset[str]:
    """Moderators named by their identity provider's account rather than an e-mail address, as
    `issuer|subject` (the token's `iss` and `sub` claims): `ATLAS_MODERATOR_SUBJECTS`
    (comma-separated), else `[atlas] moderator_subjects = [...]` in the secrets file. For providers
    that do not say an address is verified (Microsoft Entra ID): the subject is the account itself."""
    raw = os.environ.get("ATLAS_MODERATOR_SUBJECTS")
    if raw is not None:
        values: list[object] = list(raw.split(","))
    else:
        listed = secrets().get("atlas", {}).get("moderator_subjects", [])
        values = listed if isinstance(listed, list) else []
    return frozenset(v.strip() for v in values if isinstance(v, str) and "|" in v.strip("| "))


def trusted_proxies() -> int:
    """How many reverse proxies in front of the app add themselves to `X-Forwarded-For`.

    `ATLAS_TRUSTED_PROXY`: unset or `0` (the default) — the address of the connection itself is the
    visitor's, and `X-Forwarded-For` is ignored (anyone can send one); `1` (or `true`) — one proxy
    of yours, whose right-most `X-Forwarded-For` entry is the visitor's; `N` — N proxies in a chain.
    Used only to count anonymous submissions per address (never stored as such). atlas/web/proxy.py
    applies it to every request (undoing uvicorn's own X-Forwarded-For rewrite from loopback peers).
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


def fetch_allow_hosts() -> list[str]:
    """Hosts that `atlas.safefetch` may fetch from although they are not public addresses, for
    trials and tests only: `ATLAS_FETCH_ALLOW_HOSTS`, comma-separated `HOST` or `HOST:PORT`
    (`127.0.0.1:8080,[::1]:8080`). Unset (the default): none. See docs/security.md."""
    return [h.strip() for h in (os.environ.get("ATLAS_FETCH_ALLOW_HOSTS") or "").split(",") if h.strip()]


# ---------------------------------------------------------------------------------------------------------------------
# The registry of settings: every `ATLAS_*` variable the project reads, once. The configuration page of the docs
# (docs/reference/configuration.md) is rendered from it at build time, and tests/test_docs.py checks that every
# `ATLAS_*` name in the code is here and that every entry here is read somewhere.


@dataclass(frozen=True)
class Setting:
    """One setting: its variable, its default (as a reader reads it), what it does, and who reads it."""

    name: str
    default: str
    effect: str
    scope: str = "app"  # "app": the app and the `atlas` commands; "deploy": nginx, compose and the images


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ATLAS_DATABASE_URL",
        "`[connections.atlas] url` in the secrets file, else `sqlite:///var/atlas.sqlite3`",
        "the atlas database (SQLAlchemy URL; PostgreSQL: `postgresql+psycopg://…`)",
    ),
    Setting("ATLAS_SOURCE", "`database`", "`files`: serve the data folder read-only, without a database"),
    Setting(
        "ATLAS_SECRETS",
        "`.streamlit/secrets.toml`",
        "the secrets file the atlas reads (the database URL, the moderators); Streamlit's sign-in reads its own "
        "(`--secrets.files`)",
    ),
    Setting(
        "ATLAS_MODERATORS",
        "`[atlas] moderators` in the secrets file",
        "comma-separated e-mail addresses allowed to moderate",
    ),
    Setting(
        "ATLAS_DATA_DIR",
        "`data/`",
        "folder with `organisations.csv`, `odc.csv`, `articles/`: the seed of a new database, and the data of "
        "`ATLAS_SOURCE=files`",
    ),
    Setting(
        "ATLAS_ASSETS",
        "`auto`",
        "`local`: Leaflet from this server only; `cdn`: public CDNs; `auto`: local when fetched",
    ),
    Setting(
        "ATLAS_TILES",
        "`osm`",
        "`osm`: OpenStreetMap's standard tiles, with their attribution; `none`: no third party (bundled country "
        "outlines and offline place names only); a URL template `https://…/{z}/{x}/{y}.png`: your own tile server. "
        "Under any tiles lie the outlines, and the offline place names appear when the tiles fail",
    ),
    Setting("ATLAS_TILES_ATTRIBUTION", "none", "the credit shown for your own tile server (plain text)"),
    Setting("ATLAS_GEOCODE_CACHE", "`.cache/geocode.sqlite3`", "the geocoding cache"),
    Setting("ATLAS_GEOCODE_OFFLINE", "unset", "`1`: `atlas geocode` never goes online"),
    Setting("ATLAS_GEOCODER", "Nominatim", "the online geocoder: a geopy service name"),
    Setting("ATLAS_GEOCODER_USER_AGENT", "the project's agent", "the user agent the online geocoder sends"),
    Setting("ATLAS_GEOCODER_API_KEY", "none", "the online geocoder's key, if it needs one (never shown)"),
    Setting("ATLAS_DATA_LICENCE", "`ODbL-1.0`", "the licence declared in every export of the atlas's own data"),
    Setting(
        "ATLAS_DATA_ATTRIBUTION",
        "the atlas's contributors and SOGA",
        "the attribution declared in every export of the atlas's own data",
    ),
    Setting("ATLAS_IMPORT_MAX_BYTES", "1 GB", "the largest file `atlas import` takes"),
    Setting(
        "ATLAS_FORM_GEOCODER",
        "`offline`",
        "how the app's form places a city or address: `offline` (bundled gazetteer only; the app sends nothing "
        "anywhere) or `online` (also the geocoder above, one request a second)",
    ),
    Setting(
        "ATLAS_TRUSTED_PROXY",
        "`0`",
        "reverse proxies of yours in front of the app: `0` counts anonymous proposals per connection address and "
        "ignores `X-Forwarded-For` (anyone can send one); `1` (or `true`) takes the right-most `X-Forwarded-For` "
        "entry, the address your proxy saw; `N` for a chain of N proxies",
    ),
    Setting(
        "ATLAS_MODERATOR_SUBJECTS",
        "`[atlas] moderator_subjects` in the secrets file",
        "moderators by account, for providers whose e-mail is not verified (Entra ID): comma-separated "
        "`issuer|subject` (the token's `iss` and `sub`); see [Deployment security](../deployment-security.md)",
    ),
    Setting(
        "ATLAS_PUBLIC_URL",
        "the address each request came to",
        "the atlas's public address (`https://atlas.example.org/`): the start of every absolute URL the entry "
        "pages, feeds, sitemap, oEmbed and Share menu write",
    ),
    Setting(
        "ATLAS_API_CACHE",
        "`512`",
        "how many answers of the read API and pages the server keeps per data revision (`0`: none)",
    ),
    Setting(
        "ATLAS_API_RATE",
        "unset (no limit in the app)",
        "requests a second per client address the read routes answer before `429` (behind nginx, its "
        "`limit_req` does this)",
    ),
    Setting(
        "ATLAS_FETCH_ALLOW_HOSTS",
        "none",
        "for trials and tests only: comma-separated `HOST` or `HOST:PORT` the fetcher may reach although they are "
        "not public addresses (loopback, private networks); see [Security](../security.md)",
    ),
    # people (issue 25): the follow link sent by e-mail (atlas/notify.py); no host, no e-mail
    Setting("ATLAS_SMTP_HOST", "unset (no e-mail sent)", "the SMTP server that sends contributors their follow link"),
    Setting("ATLAS_SMTP_PORT", "`587`", "its port (`25`, `465` for implicit TLS, `587` for STARTTLS)"),
    Setting("ATLAS_SMTP_USER", "none", "the account to sign in to the SMTP server with (none: no sign-in)"),
    Setting("ATLAS_SMTP_PASSWORD", "none", "that account's password (never shown nor logged)"),
    Setting("ATLAS_SMTP_FROM", "none (required with a host)", "the sender's address of the follow-link e-mails"),
    Setting(
        "ATLAS_SMTP_STARTTLS",
        "`1`",
        "`1`: STARTTLS before signing in (required with a user); `0`: plain (a relay on this machine); port `465`: "
        "implicit TLS whatever this says",
    ),
    Setting(
        "ATLAS_REPLICAS",
        "`app1:8501 app2:8501` (compose)",
        "the replicas nginx balances, as `host:port` separated by spaces",
        "deploy",
    ),
    Setting(
        "ATLAS_UPSTREAM_SERVERS",
        "made from `ATLAS_REPLICAS`",
        "the upstream's `server` lines, written by the image's `15-atlas-upstreams.envsh`",
        "deploy",
    ),
    Setting("ATLAS_LISTEN", "`8080`", "where nginx listens", "deploy"),
    Setting("ATLAS_SERVER_NAME", "`_`", "nginx's `server_name`", "deploy"),
    Setting("ATLAS_STATIC_ROOT", "`/srv/atlas/static`", "the static files nginx serves at `/app/static/`", "deploy"),
    Setting(
        "ATLAS_FRAME_ANCESTORS",
        "`'self'`",
        "who may frame the atlas (`'self' https://partner.example`)",
        "deploy",
    ),
    Setting(
        "ATLAS_CSP_IMG_EXTRA",
        "empty",
        "more image sources in the page's policy (`https://tile.openstreetmap.org` with `ATLAS_TILES=osm`)",
        "deploy",
    ),
    Setting(
        "ATLAS_ROUTE_COOKIE_ATTRIBUTES",
        "`Path=/; HttpOnly; SameSite=Lax`",
        "the attributes of nginx's replica cookie (add `; Secure` behind HTTPS)",
        "deploy",
    ),
    Setting(
        "ATLAS_HSTS",
        "empty (plain HTTP allowed)",
        "behind HTTPS: the `Strict-Transport-Security` value nginx sends (`max-age=31536000; includeSubDomains`); "
        "set, it also marks every cookie `Secure`",
        "deploy",
    ),
    Setting(
        "ATLAS_PROXY_CACHE",
        "`/tmp/atlas-proxy-cache`",
        "the folder of nginx's cache of the read routes (writable by nginx's user)",
        "deploy",
    ),
    Setting("ATLAS_HTTP_PORT", "`8080`", "the port compose publishes nginx on", "deploy"),
    Setting("ATLAS_DB_PASSWORD", "none (required)", "compose's PostgreSQL password (`.env`)", "deploy"),
    Setting(
        "ATLAS_COOKIE_SECRET",
        "none (required)",
        "compose's sign-in cookie secret (`.env`), given to every replica as `STREAMLIT_SERVER_COOKIE_SECRET`",
        "deploy",
    ),
)


def settings_table(scope: str) -> str:
    """The settings of `scope` as a Markdown table (the docs' configuration page is built with it)."""
    rows = ["| variable | default | effect |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.default} | {s.effect} |" for s in SETTINGS if s.scope == scope]
    return "\n".join(rows)
