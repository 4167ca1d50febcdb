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


def _app(data: str, tmp_path_factory: pytest.TempPathFactory, script: str = "app.py") -> Iterator[AppServer]:
    app = AppServer(
        FIXTURES / data,
        tmp_path_factory.mktemp(data),
        env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"},
        script=script,
    )
    yield app
    app.stop()


@pytest.fixture(scope="session")
def small_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    yield from _app("small_atlas", tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    yield from _app("hostile_atlas", tmp_path_factory)


@pytest.fixture(scope="session")
def failing_app(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """The real page with its charts made to fail (tests/browser/failing_page.py)."""
    yield from _app("small_atlas", tmp_path_factory, script="tests/browser/failing_page.py")


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
    yield s
    errors = s.app.log_errors()
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
