"""The loopback cluster (bench/cluster.py) in a real browser: two replicas of the app on one
PostgreSQL behind nginx configured from deploy/nginx/atlas.conf.template. Without nginx or
PostgreSQL skipped locally, failing in CI (tests/cluster/conftest.py's rule).

Every page satisfies the Content-Security-Policy nginx sends; a visitor's requests stay on one
replica; a change published through the shared database reaches a visitor on each replica; a
download works through the balancer; a replica killed mid-session costs its visitors a reconnect
to the other one, and nothing else. The kill comes last: it leaves the module's cluster with one
replica.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas.store import open_store
from atlas.store.store import Store
from bench.cluster import Cluster
from tests.browser.conftest import FIXTURES, MAP_FRAME, quiet
from tests.support import require

TIMEOUT = 60_000  # generous: on a busy 2-core machine three browsers, two replicas and nginx share it
# What the page records of Content-Security-Policy violations, in every frame (and the top page).
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    `${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
});
"""
# Streamlit's page, opened at a page's own URL (/about), first looks for its server under that path
# (/about/_stcore/health, /about/_stcore/host-config: 404), then at the root. Not the balancer's doing:
# it does the same without nginx.
BASE_PATH_PROBE = re.compile(r"/(contribute|about|moderate)/_stcore/(health|host-config)$")
NEW_ORG = {
    "name": "Cluster Test Cooperative",
    "category": "tech_company",
    "country": "PT",
    "city": "Lisboa",
    "lat": 38.7223,
    "lon": -9.1393,
    "geo_precision": "city",
    "geo_source": "manual",
    "website": "https://cluster.example.org",
    "description_en": "Published through the shared database while two replicas serve.",
    "description_fr": "Publiée dans la base partagée pendant que deux répliques servent.",
    "source": "test",
}


@pytest.fixture(scope="module")
def cluster(chromium) -> Iterator[Cluster]:
    """Two replicas of the small fixture atlas on one PostgreSQL, behind nginx."""
    require("nginx")
    require("postgresql")
    with Cluster(2, data_dir=FIXTURES / "small_atlas") as running:
        yield running


@dataclass
class Visitor:
    """One browser (its own cookies: its own affinity) with one tab on the balancer."""

    context: BrowserContext
    page: Page
    console: list[tuple[str, str, str]] = field(default_factory=list)  # (type, text, url)

    def route(self) -> str:
        return next(c["value"] for c in self.context.cookies() if c["name"] == "atlas_route")

    def errors(self) -> list[str]:
        """Console errors and CSP reports, except Streamlit's base-path probes."""
        found = [
            f"{text} [{url}]"
            for kind, text, url in self.console
            if (kind == "error" and not BASE_PATH_PROBE.search(url)) or "Content Security Policy" in text
        ]
        for frame in self.page.frames:
            try:
                found += frame.evaluate("window.__csp || []")
            except Exception:  # a frame that went away
                continue
        return found


@pytest.fixture()
def visitors(chromium) -> Iterator[Callable[[], Visitor]]:
    """Opens a new visitor each time it is called; all are closed after the test."""
    opened: list[Visitor] = []

    def new() -> Visitor:
        context = chromium.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        visitor = Visitor(context, page)
        page.on("console", lambda m: visitor.console.append((m.type, m.text, (m.location or {}).get("url", ""))))
        page.on("pageerror", lambda e: visitor.console.append(("error", f"page error: {e}", "")))
        opened.append(visitor)
        return visitor

    yield new
    for visitor in opened:
        visitor.context.close()


@pytest.fixture(scope="module")
def store(cluster: Cluster) -> Store:
    """The shared database, as a moderator's replica (or `atlas db`) writes it."""
    return open_store(cluster.database_url)


def upstream_of(cluster: Cluster, route: str) -> str:
    """The replica nginx sent this affinity cookie's requests to (from its access log)."""
    assert cluster.balancer is not None
    lines = [line for line in cluster.balancer.access_log() if line.endswith(f" route={route}")]
    seen = {
        m.group(1).split(", ")[-1]
        for line in lines
        if (m := re.search(r"upstream=(.+) route=", line)) and m.group(1) != "-"
    }
    report = "\n".join(line for line in lines if "upstream=- " not in line)
    assert len(seen) == 1, f"the requests with route {route} went to {seen or 'no replica'}:\n{report}\n" + (
        cluster.balancer.errors()
    )
    return seen.pop()


def open_map(visitor: Visitor, url: str, count: str = r"\d+ of \d+") -> None:
    visitor.page.goto(url)
    expect(visitor.page.get_by_text(re.compile(rf"{count} entries shown"))).to_be_visible(timeout=TIMEOUT)
    assert map_draws(visitor.page), f"the map draws no marker; console: {visitor.console[-12:]}"


def on_two_replicas(new_visitor, cluster: Cluster) -> tuple[Visitor, Visitor, dict[str, str]]:
    """Two visitors that nginx sent to different replicas (new browsers until it happens)."""
    by_replica: dict[str, Visitor] = {}
    for _ in range(16):
        visitor = new_visitor()
        open_map(visitor, cluster.url)
        by_replica.setdefault(upstream_of(cluster, visitor.route()), visitor)
        if len(by_replica) == 2:
            (ra, a), (rb, b) = by_replica.items()
            return a, b, {"a": ra, "b": rb}
    pytest.fail("16 new visitors all went to one replica: the affinity key does not spread them")


# Whether any of the page's map frames (the same origin, through nginx) shows `[selector, text]`:
# while a rerun replaces the map, the old frame and the new one are both in the page.
IN_A_MAP_FRAME = """([selector, text]) => Array.from(document.querySelectorAll('iframe')).some(f => {
    let doc = null;
    try { doc = f.contentDocument; } catch (e) { return false; }
    if (!doc || !String(f.src).includes('/component/streamlit_folium')) { return false; }
    return Array.from(doc.querySelectorAll(selector)).some(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && e.innerText.includes(text);
    });
})"""


def _shows(page: Page, selector: str, text: str, seconds: float) -> bool:
    try:
        page.wait_for_function(IN_A_MAP_FRAME, arg=[selector, text], timeout=seconds * 1000)
    except PlaywrightTimeout:
        return False
    return True


def map_draws(page: Page, seconds: float = TIMEOUT / 1000) -> bool:
    """Whether markers (or clusters) come to be drawn in the page's map frame."""
    return _shows(page, ".atlas-pin, .marker-cluster", "", seconds)


def legend_shows(page: Page, text: str, seconds: float = TIMEOUT / 1000) -> bool:
    """Whether the map's legend comes to show `text` (in whichever map frame the page now has)."""
    return _shows(page, ".atlas-legend", text, seconds)


def replica_index(cluster: Cluster, upstream: str) -> int:
    return next(i for i, r in enumerate(cluster.replicas) if upstream.endswith(f":{r.port}"))


def download_rows(visitor: Visitor, cluster: Cluster) -> list[dict[str, str]]:
    """The CSV the page's button gives, once the page has finished its run (a button left from the
    run before, marked stale, still points at that run's file)."""
    page = visitor.page
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=TIMEOUT)
    button = page.get_by_role("button", name="Download CSV")
    expect(page.get_by_test_id("stElementContainer").filter(has=button)).to_have_attribute(
        "data-stale", "false", timeout=TIMEOUT
    )
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    try:
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    except Exception as exc:
        assert cluster.balancer is not None
        media = [line for line in cluster.balancer.access_log() if "/media/" in line][-5:]
        raise AssertionError(
            f"the download failed ({exc}); nginx's last /media/ requests:\n" + "\n".join(media)
        ) from None
    return list(csv.DictReader(io.StringIO(text)))


def get(url: str, cookie: str = "") -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        response.read()
        return response.status, {k.lower(): v for k, v in response.headers.items()}


# -- the pages, through nginx --------------------------------------------------------------------


def test_every_page_satisfies_the_content_security_policy(cluster: Cluster, visitors) -> None:
    visitor = visitors()
    page = visitor.page
    response = page.goto(cluster.url)
    assert response is not None
    headers = response.all_headers()
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    cookies = headers["set-cookie"].splitlines()  # the replica's affinity cookie, and the app's visitor cookie
    assert [c for c in cookies if re.match(r"atlas_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax$", c)]
    expect(page.get_by_text(re.compile(r"7 of 7 entries shown"))).to_be_visible(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator(".atlas-legend")).to_contain_text("Civic tech")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=TIMEOUT)  # the charts draw
    component = next(f for f in page.frames if "/component/" in f.url)
    status, frame_headers = get(component.url)
    assert status == 200  # the map's frame: inline scripts, and eval for st_folium's in-place updates
    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval';" in frame_headers["content-security-policy"]
    # a filter change and the map's own files, under the same policy
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name=re.compile("Belgium")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text("1 of 7 entries shown (1 organisations, 0 ODCs)")).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator(".atlas-pin")).to_have_count(1, timeout=TIMEOUT)
    for path, title in (("/contribute", "Add or correct"), ("/about", "About the data"), ("/moderate", "Moderat")):
        page.goto(cluster.url + path)
        expect(page.get_by_role("heading", name=re.compile(title)).first).to_be_visible(timeout=TIMEOUT)
        page.wait_for_load_state("networkidle")  # late requests (fonts, icons) would be refused by now
        quiet(page)
    page.goto(cluster.url)  # back to the map, in the same tab
    expect(frame.locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    assert visitor.errors() == []


def test_static_files_come_from_nginx_with_their_cache_policy(cluster: Cluster) -> None:
    from atlas.assets import OWN_URLS

    status, headers = get(cluster.url + OWN_URLS["atlas_map_js"])  # hashed: ?v=…
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"] == "application/javascript" and "etag" in headers
    status, headers = get(cluster.url + "/app/static/vendor/leaflet/dist/leaflet.js")
    assert status == 200 and headers["cache-control"] == "no-cache"
    assert cluster.balancer is not None
    served = [line for line in cluster.balancer.access_log() if "/app/static/" in line]
    assert served and all("upstream=- " in line for line in served)  # never proxied to a replica


def test_a_visitor_stays_on_one_replica_and_visitors_spread(cluster: Cluster) -> None:
    routes = [secrets.token_hex(16) for _ in range(40)]
    for route in routes:
        for _ in range(3):
            assert get(cluster.url + "/_stcore/health", f"atlas_route={route}")[0] == 200
    where = {route: upstream_of(cluster, route) for route in routes}  # asserts one replica per route
    assert set(where.values()) == {f"127.0.0.1:{r.port}" for r in cluster.replicas}


# -- shared state ---------------------------------------------------------------------------------


def test_a_change_published_once_reaches_a_visitor_on_each_replica(cluster: Cluster, visitors, store: Store) -> None:
    a, b, replicas = on_two_replicas(visitors, cluster)
    assert replicas["a"] != replicas["b"]
    sent = store.submit("organisation", NEW_ORG)
    item = next(i for i in store.queue().items if i.entry_id == sent.entry_id)
    store.approve(item.revision_id, item.version, "moderator@example.org")
    started, seen = time.monotonic(), []
    for visitor in (a, b):  # neither reloads: each page follows the database (the 5 s revision check)
        expect(visitor.page.get_by_text("8 of 8 entries shown (6 organisations, 2 ODCs)")).to_be_visible(
            timeout=TIMEOUT
        )
        seen.append(time.monotonic() - started)
    # 5 s between checks, then a rerun: a few seconds; more only when the machine is very busy
    assert max(seen) < 30, f"seen after {seen} s"
    for visitor in (a, b):
        assert legend_shows(visitor.page, "Tech companies 1"), "the new entry is not on the map"
    for visitor in (a, b):  # a download is a file of the replica's session: affinity at work
        rows = download_rows(visitor, cluster)
        assert len(rows) == 8 and NEW_ORG["name"] in {r["name"] for r in rows}
        assert visitor.errors() == []


def test_a_killed_replica_costs_a_reconnect_and_nothing_else(cluster: Cluster, visitors, store: Store) -> None:
    a, b, replicas = on_two_replicas(visitors, cluster)
    shown = "8 of 8" if store.count("published") == 8 else "7 of 7"
    published = store.count("published")
    for visitor in (a, b):
        expect(visitor.page.get_by_text(re.compile(rf"{shown} entries shown"))).to_be_visible(timeout=TIMEOUT)
    a.page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    a.page.get_by_role("option", name=re.compile("France")).click()
    a.page.keyboard.press("Escape")
    expect(a.page.get_by_text(re.compile(r"2 of \d entries shown"))).to_be_visible(timeout=TIMEOUT)
    # the link holds the filters: that is what a new session on another replica starts from
    expect(a.page).to_have_url(re.compile(r"country=FR"), timeout=TIMEOUT)

    assert cluster.balancer is not None
    logged = len(cluster.balancer.access_log())
    page, route = a.page, a.route()
    # A's page notices, reconnects through nginx, which skips the dead replica, and reruns there with
    # its filters as they were
    with page.expect_response(lambda r: "/_stcore/health" in r.url and r.ok, timeout=TIMEOUT):
        cluster.kill(replica_index(cluster, replicas["a"]))
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox").first).to_be_enabled(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"2 of \d entries shown"))).to_be_visible(timeout=TIMEOUT)
    assert any(  # (the rerun came after the health check: nginx has logged it)
        "/_stcore/health" in line and line.endswith(f" route={route}") and f"{replicas['b']} route=" in line
        for line in cluster.balancer.access_log()[logged:]
    ), "A's page did not reconnect through the balancer to the other replica"
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name=re.compile("Belgium")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile(r"3 of \d entries shown"))).to_be_visible(timeout=TIMEOUT)
    assert map_draws(page), "the map draws no marker after the reconnection"
    rows = download_rows(a, cluster)
    assert sorted(r["country"] for r in rows) == ["BE", "FR", "FR"]
    # B never noticed; a newcomer is served; the data is all there
    expect(b.page.get_by_text(re.compile(rf"{shown} entries shown"))).to_be_visible()
    newcomer = visitors()
    open_map(newcomer, cluster.url, shown)
    assert store.count("published") == published
    sent = store.submit("organisation", {**NEW_ORG, "name": "After The Crash Coop", "city": "Porto"})
    item = next(i for i in store.queue().items if i.entry_id == sent.entry_id)
    store.approve(item.revision_id, item.version, "moderator@example.org")
    expect(b.page.get_by_text(re.compile(rf"{published + 1} of {published + 1} entries shown"))).to_be_visible(
        timeout=TIMEOUT
    )
    csp = [e for v in (a, b, newcomer) for e in v.errors() if "Content Security Policy" in e or "blocked" in e]
    assert csp == []
