"""The embedded atlas (issue 25, item 1), in a partner's page on another loopback port: the map fills
the frame its own code asks for (nothing below the fold, no scrolling inside the frame, the tile
attribution in sight), the first click on a marker opens the record, a filtered embed is framed on
what it shows, and the Share dialog's code has the width and height the visitor chose."""

from __future__ import annotations

import contextlib
import html
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import MAP_FRAME, idle, map_settled

TIMEOUT = 30_000
FRAME = "iframe[title='Social Tech Atlas']"


class _Partner(BaseHTTPRequestHandler):
    """A partner's page: a heading and the atlas in a frame (`?src=…&w=…&h=…`), as the Share code gives it."""

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        src, width, height = query["src"][0], int(query["w"][0]), int(query["h"][0])
        body = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner</title></head><body>"
            "<h1>A partner's page</h1>"
            f"<iframe src='{html.escape(src, quote=True)}' title='Social Tech Atlas' width='{width}'"
            f" height='{height}' style='border:0'></iframe></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def partner() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _embed(page: Page, partner: str, src: str, width: int = 600, height: int = 450):
    """Open the partner's page framing `src`; returns the atlas's frame (locator) and its document."""
    page.goto(partner + "?" + urlencode({"src": src, "w": width, "h": height}))
    atlas = page.frame_locator(FRAME)
    expect(atlas.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first).to_be_attached(timeout=TIMEOUT)
    inner = page.locator(FRAME).element_handle().content_frame()
    idle(inner)
    map_settled(inner)
    return atlas, inner


# Inside the atlas's frame: where its map's frame lies, how tall the page is, and the attribution's box.
MEASURE = """() => {
    const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]'), r = f.getBoundingClientRect();
    const main = document.querySelector('[data-testid="stMain"]');
    const a = f.contentWindow.document.querySelector('.leaflet-control-attribution').getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, innerHeight, innerWidth,
            pageHeight: document.scrollingElement.scrollHeight, mainHeight: main.scrollHeight,
            mainShown: main.clientHeight,
            attribution: [r.left + a.left, r.top + a.top, r.left + a.right, r.top + a.bottom]};
}"""
FITS = f"""() => {{
    const m = ({MEASURE})();
    return m.bottom <= m.innerHeight && m.top >= 0 && m.pageHeight <= m.innerHeight && m.mainHeight <= m.mainShown
        && m.attribution[3] <= m.innerHeight && m.attribution[2] <= m.innerWidth;
}}"""


def _fits(inner) -> dict:
    """Wait until the map fills the frame without overflowing it; the measurements either way."""
    with contextlib.suppress(PlaywrightTimeout):  # (the assertions then say what is wrong)
        inner.wait_for_function(FITS, timeout=10_000)
    return inner.evaluate(MEASURE)


@pytest.mark.parametrize(
    ("lang", "width", "height", "title"),
    [("en", 600, 450, "Selected entry"), ("fr", 600, 450, "Entrée sélectionnée"), ("en", 360, 560, "Selected entry")],
)
def test_the_embed_fills_its_frame_and_the_first_click_opens_the_record(
    page: Page, small_app, partner: str, lang: str, width: int, height: int, title: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 800, "height": 700})
    src = f"{small_app.url}/?embed=true&lang={lang}&region=002&kind=odc"  # one ODC: Dakar
    atlas, inner = _embed(page, partner, src, width, height)

    m = _fits(inner)
    assert m["innerHeight"] == height
    assert m["top"] >= 0 and m["bottom"] <= height, m  # the map's frame inside the partner's frame
    assert m["bottom"] - m["top"] >= height * 0.6, m  # and most of it
    assert m["pageHeight"] <= height and m["mainHeight"] <= m["mainShown"], m  # nothing scrolls inside
    left, top, right, bottom = m["attribution"]
    assert left >= 0 and right <= width and top >= 0 and bottom <= height, m  # the attribution in sight
    legend = atlas.frame_locator(MAP_FRAME).locator(".atlas-legend")
    expect(legend).to_be_in_viewport()

    pin = atlas.frame_locator(MAP_FRAME).locator(".atlas-pin")
    expect(pin).to_have_count(1, timeout=TIMEOUT)
    box, frame_box = pin.bounding_box(), page.locator(FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert frame_box["y"] <= y <= frame_box["y"] + height, (box, frame_box)  # seen without scrolling
    page.mouse.click(x, y)  # once, where the visitor sees the marker
    dialog = atlas.get_by_role("dialog")
    expect(dialog).to_contain_text("Test Digital Center Dakar", timeout=15_000)
    expect(dialog).to_contain_text(title)
    assert inner.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0
    assert errors == [], errors


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_filtered_embed_is_framed_on_what_it_shows(page: Page, bundled_app, partner: str, lang: str) -> None:
    page.set_viewport_size({"width": 800, "height": 700})
    atlas, inner = _embed(page, partner, f"{bundled_app.url}/?embed=true&lang={lang}&category=training")
    m = _fits(inner)
    assert m["bottom"] <= m["innerHeight"], m
    shown = atlas.locator(MAP_FRAME).element_handle().content_frame()
    view = shown.evaluate(
        """() => {
            const b = map.getBounds(), out = {zoom: map.getZoom(), shown: 0, outside: []};
            ['organisations', 'odcs'].forEach(key => {
                const layer = L.atlas.layer(key), d = layer.points;
                for (let i = 0; i < d.n; i++) {
                    if (!layer._wanted[i]) { continue; }
                    out.shown++;
                    if (!b.contains([d.lat[i] / d.scale, d.lon[i] / d.scale])) { out.outside.push(d.name[i]); }
                }
            });
            return out;
        }"""
    )
    assert view["shown"] == 7, view  # the bundled atlas's training organisations
    assert view["outside"] == [], view  # every one of them in the map's view…
    assert view["zoom"] >= 4, view  # …which is not the whole world


@pytest.mark.parametrize(
    ("lang", "width_label", "height_label"), [("en", "Width", "Height"), ("fr", "Largeur", "Hauteur")]
)
def test_the_share_dialog_sets_the_embed_size_and_its_code_matches(
    page: Page, small_app, lang: str, width_label: str, height_label: str
) -> None:
    page.goto(f"{small_app.url}/?lang={lang}&category=training&view=45.0000,5.0000,3")
    expect(page.locator(MAP_FRAME)).to_be_attached(timeout=TIMEOUT)
    idle(page)
    page.get_by_role("button", name=re.compile("Share|Partager")).click()
    body = page.get_by_test_id("stPopoverBody")
    for label, value in ((width_label, "720"), (height_label, "520")):
        field = body.get_by_label(re.compile(label))
        field.fill(value)
        field.press("Enter")
        idle(page)
    embed = body.get_by_test_id("stCode").filter(has_text="<iframe")
    expect(embed).to_contain_text('width="720" height="520"', timeout=TIMEOUT)
    code = embed.inner_text()
    assert "embed=true" in code and "category=training" in code
    assert "view=" not in code  # a filtered embed frames what its filters show, at the partner's size
