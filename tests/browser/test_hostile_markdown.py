"""Hostile links and hostile files in the real browser: nothing from them renders as a link, an image,
coloured text or a formula, nothing is fetched from another host, and an error shows no traceback."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from atlas.opendata import data_licence
from tests.browser.conftest import MAP_FRAME, ROOT, quiet
from tests.browser.failing_page import SECRET

TIMEOUT = 30_000

# What Streamlit's Markdown would make of outside text: a link or an image (other than the page's own
# heading anchors and the links the project builds, passed in `own`), KaTeX, coloured or badge text,
# a Material icon, the Streamlit logo, struck-through text.
RENDERED = """(own) => {
    const main = document.querySelector('[data-testid="stMain"]');
    const found = [];
    for (const a of main.querySelectorAll('a[href]')) {
        const href = a.getAttribute('href');
        if (!href.startsWith('#') && !own.includes(href)) found.push('link ' + href);
    }
    const kinds = 'img, picture, video, audio, iframe:not([title="streamlit_folium.st_folium"]), .katex, '
        + '.stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge, span[role="img"], del';
    for (const el of main.querySelectorAll(kinds)) found.push(el.outerHTML.slice(0, 120));
    return found;
}"""

OWN_LINKS = [data_licence().url]  # the data licence, a link the project builds (atlas.opendata)

HOSTILE_LINK = {
    "lang": "![x](http://attacker.invalid/pixel.png)",
    "view": "[Your session expired – click here](https://attacker.invalid/login)",
    "country": ":red[FR] $x^2$",
    "inview": "www.attacker.invalid",
    "someone@attacker.invalid": ":streamlit: x -> y",
}


def _served(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"\d+ of \d+ entries shown"))).to_be_visible(timeout=TIMEOUT)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)


def test_hostile_link_parameters_render_nothing_and_fetch_nothing(page: Page, hostile_app) -> None:
    page.goto(hostile_app.url + "/?" + urlencode(HOSTILE_LINK))
    _served(page)
    expect(page.get_by_text("were not understood and were ignored")).to_be_visible()
    listed = page.get_by_test_id("stText").filter(has_text="lang=")
    for name, value in HOSTILE_LINK.items():
        expect(listed).to_contain_text(name if "@" in name else f"{name}={value}")
    quiet(page)  # the run drawn, any image it holds asked for
    assert page.evaluate(RENDERED, OWN_LINKS) == []
    assert page.blocked_requests == []


def test_hostile_data_and_articles_render_nothing_and_fetch_nothing(page: Page, hostile_app) -> None:
    page.goto(hostile_app.url + "/?view=43.6047,1.4442,12&kind=organisation")
    _served(page)
    page.frame_locator(MAP_FRAME).locator(".atlas-pin").first.click()
    details = [
        "Beacon ![x](http://attacker.invalid/pixel.png)",  # the name
        "www.attacker.invalid, France",  # city and country
        "Address: someone@attacker.invalid",
        ":red[red text] :streamlit: :material/home: $x^2$ a -> b",  # the description
        "Sources: [Your session expired – click here](https://attacker.invalid/login) "
        "![x](http://attacker.invalid/source.png) https://attacker.invalid/plain :blue-background[x] $$y$$",
    ]
    for text in details:
        expect(page.get_by_text(text, exact=True).first).to_be_visible(timeout=TIMEOUT)
    card = [
        "Title ![x](http://attacker.invalid/title.png) [click](https://attacker.invalid/t) www.attacker.invalid",
        "by ![x](http://attacker.invalid/author.png) [Your session expired](https://attacker.invalid/login) "
        ":streamlit: · 2022-07-01",
        "Summary :blue-background[x] $$y$$ https://attacker.invalid/s <img src=x onerror=alert(11)> "
        ":material/home: a -> b",
        "Places: www.attacker.invalid ![p](http://attacker.invalid/place.png) (Belgium)",
    ]
    for text in card:  # (the title is also the name of a button in the record's "Mentioned in")
        expect(page.get_by_text(text, exact=True).first).to_be_visible()
    quiet(page)
    assert page.evaluate(RENDERED, OWN_LINKS) == []
    assert page.blocked_requests == []


def test_bad_article_files_leave_the_atlas_served(page: Page, hostile_app) -> None:
    page.goto(hostile_app.url)
    _served(page)
    expect(page.get_by_text(re.compile(r"data rows? (was|were) skipped or corrected"))).to_be_visible()
    for title in ("An impossible day", "A timestamp that is not one", "A number as a field name"):
        expect(page.get_by_text(title, exact=True)).to_be_visible()  # kept, without the bad field
    expect(page.get_by_text("A required field YAML cannot build", exact=False)).to_have_count(0)  # skipped
    assert not any("Traceback" in line for line in hostile_app.log_errors())
    assert page.blocked_requests == []


def test_a_failing_part_of_the_page_shows_no_traceback(page: Page, failing_app) -> None:
    page.goto(failing_app.url)
    expect(page.get_by_text("7 of 7 entries shown (5 organisations, 2 ODCs)")).to_be_visible(timeout=TIMEOUT)
    error = page.get_by_test_id("stException")
    expect(error).to_be_visible(timeout=TIMEOUT)
    expect(error).to_contain_text("This app has encountered an error")
    shown = page.inner_text("body")
    for secret in ("Traceback", "RuntimeError", "hunter2", "/srv/secret", str(ROOT), "failing_page.py"):
        assert secret not in shown, secret
    log = re.sub(r"\x1b\[[0-9;]*m", "", failing_app.log_path.read_text(encoding="utf-8"))  # colours (rich)
    assert "Traceback" in log and SECRET in log  # the server keeps the details
    assert page.blocked_requests == []
