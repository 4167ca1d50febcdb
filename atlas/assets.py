"""Where the map's front-end files come from: public CDNs, or this server (`ATLAS_ASSETS=local`).

Local copies are fetched from the npm registry at set-up time (`make assets`) into the
git-ignored `static/vendor/`, which Streamlit serves at `/app/static/vendor/`.
"""

from __future__ import annotations

from pathlib import Path

from atlas import config

STATIC_URL = "/app/static/vendor"
VENDOR_DIR = config.PROJECT_ROOT / "static" / "vendor"

# npm package -> files the map needs, relative to the unpacked package folder.
PACKAGES: dict[str, tuple[str, ...]] = {
    "leaflet@1.9.4": ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png"),
    "leaflet.markercluster@1.5.3": (
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ),
    "jquery@3.7.1": ("dist/jquery.min.js",),
    "leaflet.fullscreen@3.0.2": ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
}


def _local(package: str, file: str) -> str:
    return f"{STATIC_URL}/{package.split('@')[0]}/{file}"


# Local URL of every front-end file the map uses, keyed by the name folium gives it in
# `default_js`/`default_css`; a name missing here fails loudly instead of reaching a CDN.
LOCAL_URLS = {
    "leaflet": _local("leaflet", "dist/leaflet.js"),
    "leaflet_css": _local("leaflet", "dist/leaflet.css"),
    "jquery": _local("jquery", "dist/jquery.min.js"),
    "markerclusterjs": _local("leaflet.markercluster", "dist/leaflet.markercluster.js"),
    "markerclustercss": _local("leaflet.markercluster", "dist/MarkerCluster.css"),
    "markerclusterdefaultcss": _local("leaflet.markercluster", "dist/MarkerCluster.Default.css"),
    "Control.Fullscreen.js": _local("leaflet.fullscreen", "Control.FullScreen.js"),
    "Control.FullScreen.css": _local("leaflet.fullscreen", "Control.FullScreen.css"),
}


def local_assets_present(vendor_dir: Path = VENDOR_DIR) -> bool:
    """True when every file the map needs has been fetched into `vendor_dir`."""
    return all((vendor_dir / pkg.split("@")[0] / f).is_file() for pkg, files in PACKAGES.items() for f in files)


def use_local_assets(mode: str | None = None, vendor_dir: Path = VENDOR_DIR) -> bool:
    """Whether to serve the map's files locally for this `mode` (`local`, `cdn`, `auto`)."""
    mode = mode or config.assets_mode()
    return mode == "local" or (mode == "auto" and local_assets_present(vendor_dir))


def fetch(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Download the packages with `npm pack` and unpack the needed files; returns what was written."""
    import shutil
    import subprocess
    import tarfile
    import tempfile

    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: the map will load Leaflet from public CDNs instead")
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for package, files in PACKAGES.items():
            out = subprocess.run(
                [npm, "pack", package, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
            )
            tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
            target = vendor_dir / package.split("@")[0]
            with tarfile.open(tgz) as tar:
                for file in files:
                    member = tar.extractfile(f"package/{file}")
                    if member is None:
                        raise RuntimeError(f"{package} has no {file}")
                    (target / file).parent.mkdir(parents=True, exist_ok=True)
                    (target / file).write_bytes(member.read())
                    written.append(str(target / file))
    return written


if __name__ == "__main__":
    import sys

    try:
        print(f"fetched {len(fetch())} files into {VENDOR_DIR}")
    except (RuntimeError, OSError) as exc:
        print(f"atlas assets: {exc}", file=sys.stderr)
        sys.exit(1)
