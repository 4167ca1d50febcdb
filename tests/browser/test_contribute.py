"""The Add-or-correct page in a real browser against the real app and its own SQLite database:
a submission lands in the moderation queue and not on the map, hostile input comes back as literal
text, a correction starts from the map's detail panel, and typed text survives a reconnect."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from atlas.geocoding.gazetteer import Gazetteer, index_path
from atlas.store import open_store
from atlas.store.store import Store
from bench.server import AppServer
from tests.browser.conftest import FIXTURES, MAP_FRAME, frames, idle, quiet, warm_up
from tests.support import gazetteer_folder

TIMEOUT = 30_000


class FormApp:
    """The app on a fixture atlas, with the URL of its database."""

    def __init__(self, data: str, workdir: Path, gazetteer_index: Path) -> None:
        shutil.copyfile(gazetteer_index, workdir / index_path().name)  # the app finds it beside its cache
        self.server = AppServer(FIXTURES / data, workdir, env={"ATLAS_ASSETS": "local", "ATLAS_TILES": "none"})
        self.url = self.server.url
        self.database = f"sqlite:///{workdir / f'atlas-{self.server.port}.sqlite3'}"

    def store(self) -> Store:
        return open_store(self.database)


@pytest.fixture(scope="module")
def gazetteer_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline gazetteer's index, built once and kept in pytest's cache folder."""
    folder = gazetteer_folder(request, tmp_path_factory)
    path = folder / index_path().name
    Gazetteer.load_or_build(path)
    return path


def _form_app(data: str, chromium, tmp_path_factory, gazetteer_index: Path) -> Iterator[FormApp]:
    app = FormApp(data, tmp_path_factory.mktemp(f"form-{data}"), gazetteer_index)
    try:
        warm_up(chromium, app.url)
        yield app
    finally:
        app.server.stop()
    assert app.server.log_errors() == [], app.server.log_tail()


@pytest.fixture(scope="module")
def form_app(chromium, tmp_path_factory, gazetteer_index) -> Iterator[FormApp]:
    yield from _form_app("small_atlas", chromium, tmp_path_factory, gazetteer_index)


@pytest.fixture(scope="module")
def hostile_form_app(chromium, tmp_path_factory, gazetteer_index) -> Iterator[FormApp]:
    yield from _form_app("hostile_atlas", chromium, tmp_path_factory, gazetteer_index)


def _watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []

    def record(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return dialogs


def _open_form(page: Page, url: str) -> None:
    page.goto(url + "/contribute")
    expect(page.get_by_role("textbox", name="Name *", exact=True)).to_be_visible(timeout=TIMEOUT)


def _box(page: Page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def _type(page: Page, label: str, text: str) -> None:
    box = _box(page, label)
    box.fill(text)
    box.press("Tab")  # Streamlit receives a text when the field loses focus
    expect(box).to_have_value(text[: int(box.get_attribute("maxlength") or len(text))], timeout=TIMEOUT)


def _choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the select box `label` (again if a rerun redrew the list under the click)."""
    box = page.get_by_role("combobox", name=re.compile(f"^{re.escape(label)}"))
    # the select box whose own label is `label` (a rerun can leave a faded copy for a moment: wait it out)
    select = page.get_by_test_id("stSelectbox").filter(has=box)
    for _ in range(3):
        try:
            idle(page)
            select.click()
            page.keyboard.type(option)  # the list of countries is long: narrow it down
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            expect(box).to_have_value(option, timeout=10_000)
            return
        except (AssertionError, PlaywrightError):
            page.keyboard.press("Escape")
    expect(box).to_have_value(option, timeout=TIMEOUT)


def _fill_good(page: Page, name: str) -> None:
    _type(page, "Name *", name)
    _choose(page, "Category", "Digital commons")
    _choose(page, "Country", "France")
    _type(page, "City", "Lyon")
    expect(page.get_by_text("Coordinates: 45.74906, 4.84789")).to_be_visible(timeout=TIMEOUT)
    _type(page, "Source *", "https://example.org/about")


def _small_map(page: Page):
    """The form's map, once drawn (a moved pin redraws it: old and new frames overlap for a moment)."""
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive").first).to_be_visible(timeout=TIMEOUT)
    return frame


def _select_pin(page: Page, suggest: str = "Suggest a correction"):
    """Click the map's first pin until the detail panel offers `suggest` (a click made while the
    map is still settling in its frame can miss); returns that button."""
    pin = page.frame_locator(MAP_FRAME).locator(".atlas-pin").first
    expect(pin).to_be_visible(timeout=TIMEOUT)
    button = page.get_by_role("button", name=suggest)
    for _ in range(5):
        pin.click()
        try:
            expect(button).to_be_visible(timeout=5000)
            return button
        except AssertionError:
            continue
    expect(button).to_be_visible()
    return button


def _open_correction(page: Page, button, name: str = "Name *") -> None:
    """Click the detail panel's "Suggest a correction" until its form shows (a click that lands while
    the record's fragment is being redrawn reaches the old button and does nothing)."""
    for _ in range(3):
        try:
            button.click(timeout=10_000)
            expect(_box(page, name)).to_be_visible(timeout=10_000)
            return
        except (AssertionError, PlaywrightError):
            idle(page)
    expect(_box(page, name)).to_be_visible(timeout=TIMEOUT)


def _pending(app: FormApp) -> list:
    store = app.store()
    try:
        return list(store.queue(size=200).items)
    finally:
        store.engine.dispose()


def test_a_submission_typed_in_the_browser_waits_for_a_moderator(page: Page, form_app: FormApp) -> None:
    _open_form(page, form_app.url)
    honeypot = page.get_by_role("textbox", name="Leave this field empty", include_hidden=True)
    expect(honeypot).to_have_count(1)
    expect(honeypot).to_be_hidden()  # static/contribute/form.css: people never see it
    _fill_good(page, "Kappa Repair Café")
    _type(page, "Your e-mail address", "kappa@example.org")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"waiting for a moderator \(reference #\d+\)"))).to_be_visible()
    [item] = [i for i in _pending(form_app) if i.name == "Kappa Repair Café"]
    assert (item.action, item.entry_state, item.has_contact) == ("submission", "pending", True)
    changed = {c.field: c.new for c in item.changes}
    assert (changed["city"], changed["lat"], changed["geo_source"]) == ("Lyon", 45.74906, "gazetteer")
    page.get_by_role("link", name="Back to the map").click()
    expect(page.get_by_text("7 of 7 entries shown (5 organisations, 2 ODCs)")).to_be_visible(timeout=TIMEOUT)
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-pin, .marker-cluster").first).to_be_visible(timeout=TIMEOUT)
    assert "Kappa" not in page.frame_locator(MAP_FRAME).locator("body").inner_html()
    assert page.blocked_requests == []


PIN_TEXTS = {
    "en": {
        "country": "Country",
        "city": "City",
        "coordinates": "Coordinates: ",
        "relocate": "Find it again from the city and address",
        "published": "Placed by hand on the map: by the zoom of your click, it will be published as "
        "“Located at: {level}”. Click again to move the pin.",
        "levels": ("Region", "City"),
    },
    "fr": {
        "country": "Pays",
        "city": "Ville",
        "coordinates": "Coordonnées : ",
        "relocate": "Le retrouver d'après la ville et l'adresse",
        "published": "Placé à la main sur la carte : d'après le zoom de votre clic, il sera publié comme "
        "« Localisé à : {level} ». Cliquez de nouveau pour déplacer l'épingle.",
        "levels": ("Région", "Ville"),
    },
}
_ZOOM = f"""() => {{
    const all = document.querySelectorAll('{MAP_FRAME}');
    const w = all.length ? all[all.length - 1].contentWindow : null;
    return w && w.map ? w.map.getZoom() : null;
}}"""


# True once the small map that is drawn shows the pin at (lat, lon) in its middle: a moved pin is
# drawn in a new frame a moment after the caption says where it is, and a zoom set on the old frame
# in that moment would be lost with it.
_ON_PIN = f"""([lat, lon]) => {{
    const all = document.querySelectorAll('{MAP_FRAME}');
    const w = all.length === 1 ? all[0].contentWindow : null;
    if (!w || !w.map) return false;
    let pin = null;
    w.map.eachLayer((layer) => {{ if (layer.options && layer.options.fillColor === '#c0392b') pin = layer; }});
    if (!pin || Math.abs(pin.getLatLng().lat - lat) > 1e-5 || Math.abs(pin.getLatLng().lng - lon) > 1e-5) return false;
    const a = w.map.latLngToContainerPoint(pin.getLatLng()), size = w.map.getSize();
    return Math.abs(a.x - size.x / 2) < 2 && Math.abs(a.y - size.y / 2) < 2;
}}"""


def _click_small_map(page: Page, x: float, y: float, zoom: int) -> None:
    """Once the small map drawn shows the pin where the page says it is, set its zoom, then click it at
    (x, y) of its size (away from the pin)."""
    shown = page.get_by_text(re.compile(r"^(Coordinates|Coordonnées) ?: -?\d")).inner_text()
    lat, lon = (float(v) for v in re.findall(r"-?\d+\.\d+", shown))
    page.wait_for_function(_ON_PIN, arg=[lat, lon], timeout=TIMEOUT)
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.evaluate(f"() => map.setZoom({zoom}, {{animate: false}})")
    page.wait_for_function(f"() => ({_ZOOM})() === {zoom}", timeout=TIMEOUT)
    idle(page)  # (the zoom reported to the server has been handled)
    container = _small_map(page).locator(".leaflet-container")
    box = container.bounding_box()
    assert box is not None
    container.click(position={"x": box["width"] * x, "y": box["height"] * y})


@pytest.mark.parametrize(("lang", "viewport"), [("en", (1400, 1100)), ("fr", (390, 844))], ids=["desktop", "phone"])
def test_a_click_on_the_small_map_moves_the_pin_as_precise_as_its_zoom(
    chromium, form_app: FormApp, lang: str, viewport: tuple[int, int]
) -> None:
    """Issue 25: a click at the 10 km scale was published as a street address, the picker zoomed
    back out after each click, and its scale showed miles. (No tiles here: no street is drawn, so
    the best a click says is the city.)"""
    texts = PIN_TEXTS[lang]
    phone = viewport[0] < 500
    context = chromium.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, is_mobile=phone, has_touch=phone
    )
    try:
        page = context.new_page()
        page.goto(form_app.url + f"/contribute?lang={lang}")
        expect(page.get_by_role("textbox", name="Name *" if lang == "en" else "Nom *", exact=True)).to_be_visible(
            timeout=TIMEOUT
        )
        _choose(page, texts["country"], "France")
        _type(page, texts["city"], "Lyon")
        expect(page.get_by_text(texts["coordinates"] + "45.74906, 4.84789")).to_be_visible(timeout=TIMEOUT)
        expect(_small_map(page).locator(".atlas-label").filter(has_text="Lyon").first).to_be_visible(timeout=TIMEOUT)
        scale = _small_map(page).locator(".leaflet-control-scale-line")
        expect(scale).to_have_count(1)  # metric only: no line in miles or feet
        expect(scale).to_have_text(re.compile(r"^\d+ k?m$"))

        _click_small_map(page, 0.75, 0.3, 7)  # a region's zoom
        expect(page.get_by_text(texts["published"].format(level=texts["levels"][0]))).to_be_visible(timeout=TIMEOUT)
        coordinates = page.get_by_text(re.compile("^" + texts["coordinates"])).inner_text()
        assert coordinates != texts["coordinates"] + "45.74906, 4.84789"
        page.wait_for_function(f"() => ({_ZOOM})() === 7", timeout=TIMEOUT)  # the map kept the zoom of the click

        _click_small_map(page, 0.4, 0.6, 11)  # zoomed in to a town
        expect(page.get_by_text(texts["published"].format(level=texts["levels"][1]))).to_be_visible(timeout=TIMEOUT)
        page.wait_for_function(f"() => ({_ZOOM})() === 11", timeout=TIMEOUT)
        assert page.get_by_text(re.compile("^" + texts["coordinates"])).inner_text() != coordinates

        page.get_by_role("button", name=texts["relocate"]).click()
        expect(page.get_by_text(texts["coordinates"] + "45.74906, 4.84789")).to_be_visible(timeout=TIMEOUT)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("lang", "label", "note"),
    [
        ("en", "Website", "It will be saved as https://mu.example.org/about (https:// added)."),
        ("fr", "Site web", "Il sera enregistré comme https://mu.example.org/about (https:// ajouté)."),
    ],
)
def test_a_website_typed_without_https_is_completed_and_said(
    page: Page, form_app: FormApp, lang: str, label: str, note: str
) -> None:
    """Issue 25: `example.org` was refused ("Give a web address starting with http://…")."""
    page.goto(form_app.url + f"/contribute?lang={lang}")
    _type(page, label, "mu.example.org/about")
    expect(page.get_by_text(note)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile("starting with http|commençant par http"))).to_have_count(0)
    if lang == "fr":
        return
    _fill_good(page, "Mu Makers")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    [item] = [i for i in _pending(form_app) if i.name == "Mu Makers"]
    assert {c.field: c.new for c in item.changes}["website"] == "https://mu.example.org/about"


def test_typed_text_survives_a_lost_connection(page: Page, form_app: FormApp) -> None:
    sockets: list = []

    def relay(socket) -> None:  # the page's connection to its server, through Playwright
        sockets.append((socket, socket.connect_to_server()))

    page.route_web_socket(re.compile(r"/_stcore/stream$"), relay)
    _open_form(page, form_app.url)
    _fill_good(page, "Lambda Commons")
    _type(page, "Description in English", "Typed before the connection dropped.")
    idle(page)
    with page.expect_websocket(timeout=TIMEOUT):  # the page connects again
        for page_side, server_side in sockets:  # the connection drops, on both ends
            server_side.close()
            page_side.close()
    idle(page)
    expect(_box(page, "Name *")).to_have_value("Lambda Commons", timeout=TIMEOUT)
    expect(_box(page, "Description in English")).to_have_value(  # (the page is drawn again after the reconnection)
        "Typed before the connection dropped.", timeout=TIMEOUT
    )
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    assert [i.name for i in _pending(form_app) if i.name == "Lambda Commons"] == ["Lambda Commons"]


def test_a_correction_from_the_detail_panel(page: Page, form_app: FormApp) -> None:
    page.goto(form_app.url + "/?country=BE")
    button = _select_pin(page)
    expect(page.get_by_text(re.compile(r"^Added on \d{4}-\d\d-\d\d · last changed on"))).to_be_visible()
    _open_correction(page, button)
    expect(_box(page, "Name *")).to_have_value("Gamma Skills", timeout=TIMEOUT)
    expect(_box(page, "City")).to_have_value("Liège")
    expect(page.get_by_text("You have not changed anything yet.")).to_be_visible()
    _type(page, "Street address", "Rue de la Régence 1")
    expect(page.get_by_text("after: Rue de la Régence 1")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Send the correction").click()
    expect(page.get_by_text(re.compile(r"Your correction is waiting for a moderator"))).to_be_visible(timeout=TIMEOUT)
    [item] = [i for i in _pending(form_app) if i.entry_id == "gamma-skills"]
    assert [(c.field, c.old, c.new) for c in item.changes] == [("address", "", "Rue de la Régence 1")]


HOSTILE_NAME = "**Bold** [click](javascript:alert(1)) <img src=x onerror=alert(2)>"


def test_hostile_input_is_shown_back_as_literal_text(page: Page, hostile_form_app: FormApp) -> None:
    dialogs = _watch_dialogs(page)
    _open_form(page, hostile_form_app.url)
    _type(page, "Name *", HOSTILE_NAME)
    _type(page, "Website", "javascript:alert(3)")
    expect(page.get_by_text("Give a web address starting with http:// or https://")).to_be_visible(timeout=TIMEOUT)
    _type(page, "Description in English", "<script>alert(4)</script>\n# Heading\n<b>bold</b>")
    expect(page.get_by_text("This text looks like HTML or a script").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Some fields need your attention")).to_be_visible(timeout=TIMEOUT)
    assert _pending(hostile_form_app) == []
    expect(_box(page, "Name *")).to_have_value(HOSTILE_NAME)  # kept, as typed
    # a 1 MB paste: the fields' own limits (max_chars) keep it out; control characters are removed and said
    for label, limit in (("Description in French", 2000), ("Street address", 300)):
        _box(page, label).fill("é" * 1_000_000)
        _box(page, label).press("Tab")
        idle(page)
        assert len(_box(page, label).input_value()) <= limit
    _type(page, "Website", "")
    _type(page, "Other names", "Tab\there\x1b[31m red")
    expect(page.get_by_text("Invisible control characters were removed from this text.")).to_be_visible(timeout=TIMEOUT)
    _choose(page, "Category", "Civic tech")
    _choose(page, "Country", "France")
    _type(page, "City", "Paris")
    # "Is it one of these?" shows an existing hostile name as it is
    expect(page.get_by_text("Is it one of these?")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("<img src=x onerror=alert(1)> — Paris, France", exact=True)).to_be_visible()
    _type(page, "Source *", "[source](javascript:alert(5))")
    # what is typed and shown back was never made into elements: no image, link, heading or bold
    made = "img[src=x], a[href^='javascript'], h1:text-is('Heading'), b:text-is('bold'), main script"
    assert page.locator(made).count() == 0
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
    [item] = _pending(hostile_form_app)
    changed = {c.field: c.new for c in item.changes}
    assert changed["name"] == HOSTILE_NAME and changed["source"] == "[source](javascript:alert(5))"
    assert changed["aliases"] == "Tab\there[31m red"
    assert len(changed.get("description_fr", "")) <= 2000 and len(changed.get("address", "")) <= 300
    assert "website" not in changed
    assert page.locator(made).count() == 0
    assert dialogs == [] and page.blocked_requests == []  # no script ran, nothing was fetched elsewhere


def test_a_hostile_entry_is_corrected_as_literal_text(page: Page, hostile_form_app: FormApp) -> None:
    dialogs = _watch_dialogs(page)
    page.goto(hostile_form_app.url + "/?view=45.76,4.84,12&kind=organisation")
    _select_pin(page).click()
    expect(_box(page, "City")).to_have_value("<b>Bold</b>ville", timeout=TIMEOUT)
    expect(page.get_by_text("Tick `${alert(5)}` \\u0060 name", exact=True)).to_be_visible()
    _type(page, "City", "Lyon")
    expect(page.get_by_text("before: <b>Bold</b>ville", exact=True)).to_be_visible(timeout=TIMEOUT)
    assert page.locator("main b, main svg[onload], main img[src=x]").count() == 0
    quiet(page)
    assert dialogs == [] and page.blocked_requests == []


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}


TEXTS = {
    "en": {"name": "Name *", "country": "Country", "city": "City", "website": "Website", "address": "Street address",
           "send": "Send for review", "suggest": "Suggest a correction"},
    "fr": {"name": "Nom *", "country": "Pays", "city": "Ville", "website": "Site web", "address": "Adresse",
           "send": "Envoyer pour relecture", "suggest": "Proposer une correction"},
}  # fmt: skip


def _shoot(page: Page, folder: Path, name: str) -> None:
    """Screenshots of the page's top, middle and bottom (Streamlit scrolls its main block, not the page)."""
    for part, where in (
        ("top", "0"),
        ("middle", "m.scrollHeight / 2 - m.clientHeight / 2"),
        ("bottom", "m.scrollHeight"),
    ):
        page.get_by_test_id("stMain").evaluate(f"m => m.scrollTo({{top: {where}, behavior: 'instant'}})")
        frames(page)
        page.screenshot(path=folder / f"{name}-{part}.png")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots(chromium, form_app: FormApp, tmp_path: Path, device: str, lang: str) -> None:
    """The form (with field messages and the pin) and a correction (from the detail panel, with its
    diff) at desktop and phone sizes in both languages, written to ATLAS_SCREENSHOTS when set; on a
    phone nothing is wider than the screen."""
    folder = Path(os.environ.get("ATLAS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    text = TEXTS[lang]
    context = chromium.new_context(**(PHONE if device == "phone" else DESKTOP))
    page = context.new_page()

    def fits() -> None:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths

    try:
        page.goto(f"{form_app.url}/contribute?lang={lang}")
        expect(_box(page, text["name"])).to_be_visible(timeout=TIMEOUT)
        _type(page, text["name"], "Alpha Civic")
        _choose(page, text["country"], "France")
        _type(page, text["city"], "Lyon")
        _type(page, text["website"], "www.example.org")
        page.get_by_role("button", name=text["send"]).click()
        expect(page.get_by_test_id("stAlertContentError").first).to_be_visible(timeout=TIMEOUT)
        _small_map(page)
        fits()
        _shoot(page, folder, f"form-{device}-{lang}")

        page.goto(f"{form_app.url}/?country=BE&lang={lang}")
        button = _select_pin(page, text["suggest"])
        button.scroll_into_view_if_needed()
        fits()
        page.screenshot(path=folder / f"details-{device}-{lang}.png")
        _open_correction(page, button, text["name"])
        _type(page, text["address"], "Rue de la Régence 1")
        expect(page.get_by_text("Rue de la Régence 1").last).to_be_visible(timeout=TIMEOUT)
        fits()
        _shoot(page, folder, f"correction-{device}-{lang}")
    finally:
        context.close()
