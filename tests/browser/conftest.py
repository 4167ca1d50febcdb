"""Start the real app on a free local port and drive it with Playwright in Debian's Chromium.

Without Chromium or the locally fetched Leaflet files (`make assets`) these tests are
skipped — except in CI (CI=true), where a missing prerequisite is a failure (tests/support.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import AppServer
from tests.support import AXE, CHROMIUM, require

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_FRAME = 'iframe[title="streamlit_folium\\.st_folium"]'


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    require("chromium")
    require("leaflet")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


WARM_UP = 240_000  # ms: a cold server's first page (migrations, seeding, the first run) on a busy machine


def warm_up(chromium, url: str) -> None:
    """Open `url` once and wait until its first run has ended: the server has seeded its database and
    filled its caches, so that the tests' own timeouts measure the page, not the server's start."""
    context = chromium.new_context()
    local_only(context)
    try:
        page = context.new_page()
        page.goto(url, timeout=WARM_UP)
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=WARM_UP)
        idle(page, WARM_UP)
    finally:
        context.close()


def _app(data: str, tmp_path_factory: pytest.TempPathFactory, chromium, script: str = "app.py") -> Iterator[AppServer]:
    app = AppServer(
        FIXTURES / data,
        tmp_path_factory.mktemp(data),
        env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"},
        script=script,
    )
    try:
        warm_up(chromium, app.url)
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def small_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    yield from _app("small_atlas", tmp_path_factory, chromium)


@pytest.fixture(scope="session")
def hostile_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    yield from _app("hostile_atlas", tmp_path_factory, chromium)


@pytest.fixture(scope="session")
def failing_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """The real page with its charts made to fail (tests/browser/failing_page.py)."""
    yield from _app("small_atlas", tmp_path_factory, chromium, script="tests/browser/failing_page.py")


def local_only(context) -> list[str]:
    """Let `context` reach loopback (and data:, blob:, about:) only; returns the list that collects
    every other URL it asked for (refused), for tests that promise no third-party request."""
    blocked: list[str] = []

    def only_local(route) -> None:
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return blocked


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    pg = context.new_page()
    pg.blocked_requests = local_only(context)
    yield pg
    context.close()


# -- the Moderate page's site (tests/browser/moderation.py), one per test module ---------------


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):
    from tests.browser.moderation import Site

    s = Site(tmp_path_factory.mktemp("moderate"))
    try:
        warm_up(chromium, s.app.url)
        yield s
        errors = s.app.log_errors()
    finally:
        s.stop()
    assert errors == []


@pytest.fixture()
def browser_contexts(chromium) -> Iterator[list]:
    """The browser profiles a test opened (`moderation.visit`), closed after it."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


# -- axe-core -------------------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe(page, frame=None) -> list[dict]:
    """axe-core's violations on `page` (or in one of its frames), each with its nodes (targets)."""
    require("axe-core")
    target = frame or page
    target.add_script_tag(path=str(AXE))
    return target.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 300)),
            }));
        }""",
        AXE_TAGS,
    )


def idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished its run (its status widget is gone, nothing is faded as stale)."""
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"], [data-stale="true"]\')', timeout=timeout
    )


# -- waiting for what a test means (no fixed sleeps: tests/test_no_sleeps.py) -----------------------


def frames(page, n: int = 2) -> None:
    """Wait until the page has drawn `n` more frames (what it was told to show is on screen)."""
    page.evaluate(
        "n => new Promise(done => {"
        " const step = k => k ? requestAnimationFrame(() => step(k - 1)) : done(); step(n); })",
        n,
    )


ALL_IMAGES_DONE = "() => Array.from(document.images).every(i => i.complete || i.loading === 'lazy')"


def images_settled(page, timeout: float = 30_000) -> None:
    """Wait until every image the page and its frames hold has loaded or failed (a refused request
    included): an image the page was going to ask for has been asked for."""
    for frame in page.frames:
        try:
            frame.wait_for_function(ALL_IMAGES_DONE, timeout=timeout, polling=100)
        except Exception as exc:  # a frame that went away meanwhile (a rerun replaced the map)
            if "detached" not in str(exc).lower():
                raise


def quiet(page, timeout: float = 30_000) -> None:
    """Streamlit's run has ended, the page has drawn it, and every image it holds was asked for."""
    idle(page, timeout)
    frames(page)
    images_settled(page, timeout)


# The map in a page (or frame): its newest st_folium frame (while a rerun replaces the map, the old
# frame and the new one are both there), the document it holds (`timeOrigin`), the updates it applied
# (`atlas:update` marks, static/atlas/map.js), and whether Leaflet is still moving (a zoom or pan
# animation) — counted over consecutive frames because an animated zoom starts a frame after it is asked.
_MAP = """() => {
    const all = document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]');
    const w = all.length ? all[all.length - 1].contentWindow : null;
    return w && w.map ? w : null;
}"""
_MAP_STATE = f"""() => {{
    const w = ({_MAP})();
    return w ? {{origin: w.performance.timeOrigin, updates: w.performance.getEntriesByName('atlas:update').length}}
             : {{origin: null, updates: 0}};
}}"""
_MAP_STILL = f"""([since, key]) => {{
    const w = ({_MAP})();
    if (!w) {{ return false; }}
    const updates = w.performance.getEntriesByName('atlas:update').length;
    const same = w.performance.timeOrigin === since.origin;  // else the map was made again: a new document
    if (updates < 1 || (same && updates <= since.updates)) {{ return false; }}
    const m = w.map, moving = m._animatingZoom || (m._panAnim && m._panAnim._inProgress) || !!m._flyToFrame;
    w[key] = moving ? 0 : (w[key] || 0) + 1;
    return w[key] >= 3;
}}"""
_still_calls = iter(range(1_000_000))


def map_state(where) -> dict:
    """The map in `where` (a page or a frame) now: pass it to `map_settled` to wait for the next update."""
    return where.evaluate(_MAP_STATE)


def map_settled(where, since: dict | None = None, timeout: float = 30_000) -> None:
    """Wait until the map in `where` (a page or a frame) has applied an update — one after `since`
    (`map_state`), or any — and has stopped moving."""
    key = f"__atlasStill{next(_still_calls)}"
    since = since or {"origin": None, "updates": 0}
    where.wait_for_function(_MAP_STILL, arg=[since, key], polling="raf", timeout=timeout)


def take_map(iframe) -> None:
    """What a visitor's first touch, click or key on the map does (map.js fitBounds): the first
    framing, made again 300 ms later once the frame has its size, is called off — so that a test
    moving the map itself is not undone by it."""
    iframe.evaluate("f => f.contentWindow.clearTimeout(f.contentWindow.map._atlasRefit)")


# Streamlit's tables (glide-data-grid: a canvas) and charts (Vega: a canvas or an SVG) have drawn.
_DRAWN = """() => {
    const all = (css, inside) => Array.from(document.querySelectorAll(css)).every(e => e.querySelector(inside));
    return all('[data-testid="stDataFrame"]', 'canvas') && all('[data-testid="stVegaLiteChart"]', 'canvas, svg');
}"""


def drawn(page, timeout: float = 30_000) -> None:
    """Streamlit's run has ended and its tables and charts have drawn (before axe-core reads the page)."""
    idle(page, timeout)
    page.wait_for_function(_DRAWN, timeout=timeout)
    frames(page)


@pytest.fixture(scope="session")
def bundled_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """The app on the atlas's own bundled data (data/, read only): real towns with several entries,
    clusters, and the permalinks people share (`?entry=becode`)."""
    app = AppServer(
        ROOT / "data", tmp_path_factory.mktemp("bundled"), env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"}
    )
    try:
        warm_up(chromium, app.url)
        yield app
    finally:
        app.stop()
