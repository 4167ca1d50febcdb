"""Hostile text in the data shows as text: no dialog opens, no markup or script runs."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import MAP_FRAME, quiet

TIMEOUT = 30_000


def _watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []

    def record(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return dialogs


def _first_pin(page: Page, url: str):
    """Open `url` and return the map frame and its first marker, once drawn."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    pin = frame.locator(".atlas-pin").first
    expect(pin).to_be_visible(timeout=TIMEOUT)
    return frame, pin


def test_hostile_names_show_literally_in_popup_tooltip_and_panel(page: Page, hostile_app) -> None:
    dialogs = _watch_dialogs(page)
    frame, pin = _first_pin(page, hostile_app.url + "/?view=48.8566,2.3522,12&kind=organisation")
    pin.hover()
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("<img src=x onerror=alert(1)>", timeout=TIMEOUT)
    pin.click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("<img src=x onerror=alert(1)>", timeout=TIMEOUT)
    expect(popup).to_contain_text("</script><script>alert(3)</script>")
    assert popup.locator("a").count() == 0  # the javascript: website is never a link
    expect(page.get_by_text("<img src=x onerror=alert(1)>", exact=True).first).to_be_visible(timeout=TIMEOUT)
    assert frame.locator("img[src=x], svg[onload], iframe").count() == 0
    quiet(page)  # the run drawn and every image it holds asked for: a script in one would have run
    assert dialogs == []


def test_backticks_and_template_syntax_do_not_break_or_run(page: Page, hostile_app) -> None:
    dialogs = _watch_dialogs(page)
    frame, pin = _first_pin(page, hostile_app.url + "/?view=45.76,4.84,12&kind=organisation")
    pin.click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Tick `${alert(5)}`", timeout=TIMEOUT)
    expect(popup).to_contain_text("<b>Bold</b>ville")
    expect(popup).to_contain_text("<svg onload=alert(7)>")
    quiet(page)  # the run drawn and every image it holds asked for: a script in one would have run
    assert dialogs == []


def test_whole_hostile_page_opens_no_dialog(page: Page, hostile_app) -> None:
    dialogs = _watch_dialogs(page)
    page.goto(hostile_app.url)
    expect(page.get_by_text(re.compile(r"6 of 6 entries shown"))).to_be_visible(timeout=TIMEOUT)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"data rows? (was|were) skipped or corrected"))).to_be_visible()
    quiet(page)
    assert dialogs == []
