"""Where the map's front-end files come from.

Leaflet and its plugins come from public CDNs, or from this server (`ATLAS_ASSETS=local`, or
`auto` once fetched): `npm ci` installs the versions locked in `package-lock.json` into the
git-ignored `node_modules/`, and `python -m atlas.assets` copies the files the map needs into
the git-ignored `static/vendor/`, which Streamlit serves at `/app/static/vendor/` (`make assets`
does both).

The atlas's own files (`static/atlas/`: its Leaflet plugin and CSS) are not third-party: they
always come from this server, with a hash of their content in the URL so that no browser keeps
a stale copy.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Collection
from pathlib import Path
from typing import Any

from atlas import config

STATIC_URL = "/app/static"
STATIC_DIR = config.PROJECT_ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
OWN_DIR = STATIC_DIR / "atlas"
NODE_MODULES = config.PROJECT_ROOT / "node_modules"

# npm package (version in package.json, locked by package-lock.json) -> files the map needs.
PACKAGES: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png"),
    "leaflet.markercluster": (
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ),
    "leaflet.fullscreen": ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
}


def _vendor(package: str, file: str) -> str:
    return f"{STATIC_URL}/vendor/{package}/{file}"


def own_url(file: str, folder: Path = OWN_DIR) -> str:
    """URL of one of the atlas's own files, with the first 12 hex digits of its SHA-256 as `?v=`."""
    digest = hashlib.sha256((folder / file).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{folder.name}/{file}?v={digest}"


# The atlas's own files, by the name its elements give them in `default_js`/`default_css`.
OWN_URLS = {"atlas_map_js": own_url("map.js"), "atlas_map_css": own_url("map.css"), "atlas_a11y_js": own_url("a11y.js")}
MAP_JS = ("atlas_map_js", OWN_URLS["atlas_map_js"])
A11Y_JS = ("atlas_a11y_js", OWN_URLS["atlas_a11y_js"])  # markers that never overlap, the last input (issue 25)
MAP_CSS = ("atlas_map_css", OWN_URLS["atlas_map_css"])

# Local URL of every front-end file the map uses, keyed by the name folium gives it in
# `default_js`/`default_css`; a name missing here fails loudly instead of reaching a CDN.
LOCAL_URLS = {
    "leaflet": _vendor("leaflet", "dist/leaflet.js"),
    "leaflet_css": _vendor("leaflet", "dist/leaflet.css"),
    "markerclusterjs": _vendor("leaflet.markercluster", "dist/leaflet.markercluster.js"),
    "markerclustercss": _vendor("leaflet.markercluster", "dist/MarkerCluster.css"),
    "markerclusterdefaultcss": _vendor("leaflet.markercluster", "dist/MarkerCluster.Default.css"),
    "Control.Fullscreen.js": _vendor("leaflet.fullscreen", "Control.FullScreen.js"),
    "Control.FullScreen.css": _vendor("leaflet.fullscreen", "Control.FullScreen.css"),
    **OWN_URLS,
}

# Of folium.Map's defaults, all this map needs: not jQuery (only folium's own popups use it; the
# atlas's plugin makes its popups itself), nor Bootstrap or Font Awesome (folium.Icon).
MAP_ASSETS = {"leaflet", "leaflet_css"}


def use(element: Any, local: bool, keep: Collection[str] | None = None) -> Any:
    """Set the front-end files of a folium element (and return it): those named in `keep` (all
    when None), from this server when `local`. Our own files always come from this server.

    The lists are set on the element itself: changing folium's class-wide lists (as its
    `add_js_link` does) would change every map in the process.
    """
    for attr in ("default_js", "default_css"):
        links = [(name, url) for name, url in getattr(element, attr, []) if keep is None or name in keep]
        setattr(element, attr, [(name, LOCAL_URLS[name] if local or name in OWN_URLS else url) for name, url in links])
    return element


def local_assets_present(vendor_dir: Path = VENDOR_DIR) -> bool:
    """True when every file the map needs has been fetched into `vendor_dir`."""
    return all((vendor_dir / package / f).is_file() for package, files in PACKAGES.items() for f in files)


def use_local_assets(mode: str | None = None, vendor_dir: Path = VENDOR_DIR) -> bool:
    """Whether to serve the map's files locally for this `mode` (`local`, `cdn`, `auto`)."""
    mode = mode or config.assets_mode()
    return mode == "local" or (mode == "auto" and local_assets_present(vendor_dir))


def fetch(vendor_dir: Path = VENDOR_DIR, node_modules: Path = NODE_MODULES) -> list[str]:
    """Copy the files the map needs from `node_modules` (installed by `npm ci`); returns what was written."""
    written = []
    for package, files in PACKAGES.items():
        for file in files:
            source = node_modules / package / file
            if not source.is_file():
                raise RuntimeError(f"{source} is missing: run `npm ci` first (or `make assets`)")
            target = vendor_dir / package / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(str(target))
    return written


if __name__ == "__main__":
    import sys

    try:
        print(f"copied {len(fetch())} files into {VENDOR_DIR}")
    except (RuntimeError, OSError) as exc:
        print(f"atlas assets: {exc}", file=sys.stderr)
        sys.exit(1)
