"""Screenshots of the running atlas for the README: `make screenshots` (or `python -m bench.screenshots`).

Starts the app on the bundled data (`data/`) with no third party at all (Leaflet from this server,
`ATLAS_TILES=none`: the offline base map), opens it in Debian's Chromium and writes the first
screen of the map page in English and French, on a desktop (1400×1000) and on a phone (390×844,
touch), to `docs/screenshots/`. The images are palette PNGs (Pillow), a few hundred KB in all, so
that the README stays light and the pictures can be refreshed with one command.

    python -m bench.screenshots [--out DIR] [--only en-desktop,fr-phone]
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.server import ROOT, AppServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
MAP_FRAME = 'iframe[title="streamlit_folium\\.st_folium"]'
OUT = ROOT / "docs" / "screenshots"
COLOURS = 256  # palette size of the PNGs: maps and text stay crisp, files stay small


@dataclass(frozen=True)
class Shot:
    name: str
    lang: str
    width: int
    height: int
    phone: bool = False


SHOTS = (
    Shot("en-desktop", "en", 1400, 1000),
    Shot("fr-desktop", "fr", 1400, 1000),
    Shot("en-phone", "en", 390, 844, phone=True),
    Shot("fr-phone", "fr", 390, 844, phone=True),
)


def optimise(png: bytes, colours: int = COLOURS) -> bytes:
    """The screenshot as a palette PNG of `colours` colours (a fraction of the original size)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(browser, url: str, shot: Shot, out: Path) -> Path:
    """Open the map page for `shot` and write its first screen to `out/<name>.png`."""
    options: dict = {"viewport": {"width": shot.width, "height": shot.height}, "locale": shot.lang}
    if shot.phone:
        options |= {"is_mobile": True, "has_touch": True, "device_scale_factor": 1}
    context = browser.new_context(**options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
            else route.abort()
        ),
    )
    page = context.new_page()
    try:
        page.goto(f"{url}/?lang={shot.lang}" if shot.lang != "en" else url)
        page.get_by_text("Orange Digital Center").first.wait_for(timeout=60_000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".atlas-pin, .marker-cluster").first.wait_for(timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
        time.sleep(1.5)  # the map's fade-in and the charts' first draw
        path = out / f"{shot.name}.png"
        path.write_bytes(optimise(page.screenshot()))
        return path
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the PNGs to (docs/screenshots)")
    parser.add_argument("--only", default="", help="comma-separated names among " + ", ".join(s.name for s in SHOTS))
    args = parser.parse_args(argv)
    wanted = [s for s in SHOTS if not args.only or s.name in args.only.split(",")]
    from playwright.sync_api import sync_playwright

    from atlas.assets import local_assets_present

    if not local_assets_present():
        print("screenshots: the map's files are not fetched (run `make assets`)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        app = AppServer(
            ROOT / "data", Path(work), env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none", "ATLAS_SOURCE": "files"}
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for shot in wanted:
                    path = take(browser, app.url, shot, args.out)
                    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    print(f"{shown}: {path.stat().st_size // 1024} KB")
                browser.close()
        finally:
            app.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
