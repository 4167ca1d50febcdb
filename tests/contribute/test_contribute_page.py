"""The Add-or-correct page through AppTest, on the real app and its own database: messages next to
the fields, nothing typed ever lost, the honeypot, refusals and outages, corrections and history."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from atlas.store.limits import Limits
from atlas.store.store import Store
from tests.contribute.conftest import APP, open_page

GOOD = {"name": "Zeta Repair Café", "city": "Lyon", "source": "https://zeta.example.org/about"}


def fill(at: AppTest, **values: str) -> AppTest:
    """Type into the form's fields (text inputs and areas by their key, choices by value)."""
    for name, value in values.items():
        key = f"form_{name}"
        if name in ("category", "country"):
            at.selectbox(key=key).set_value(value)
        elif name == "status":
            at.radio(key=key).set_value(value)
        elif name in ("description_en", "description_fr", "source", "note"):
            at.text_area(key=key).set_value(value)
        else:
            at.text_input(key=key).set_value(value)
    return at.run()


def send(at: AppTest) -> AppTest:
    return at.button(key="form_send").click().run()


def good(at: AppTest, **values: str) -> AppTest:
    fill(at, category="digital_commons", country="FR")
    return fill(at, **{**GOOD, **values})


def messages_after(at: AppTest, key: str) -> list[str]:
    """The messages drawn right after the widget `key`, up to the next widget (document order)."""
    elements = list(at.main)
    start = next(i for i, e in enumerate(elements) if getattr(e, "key", None) == key)
    found = []
    for element in elements[start + 1 :]:
        if getattr(element, "key", None) or type(element).__name__ not in ("Error", "Warning"):
            break
        found.append(element.value)
    return found


def html_texts(at: AppTest) -> list[str]:
    """What `atlas.ui.safe.strong`/`small` show (escaped text in one `<div>` each)."""
    return [html.unescape(re.sub(r"<[^>]*>", "", e.proto.body)) for e in at.get("html")]


def texts(at: AppTest) -> list[str]:
    return [e.value for e in at.text]


def value(at: AppTest, name: str) -> object:
    key = f"form_{name}"
    for widgets in (at.text_input, at.text_area, at.selectbox, at.radio):
        for widget in widgets:
            if widget.key == key:
                return widget.value
    raise KeyError(key)


# -- adding ------------------------------------------------------------------------------------


def test_messages_are_next_to_their_field_and_the_text_is_kept(contribute: AppTest, store: Store) -> None:
    at = fill(contribute, name="Zeta Lab", website="javascript:alert(1)", description_en="Fixes <b>things</b>")
    # before any attempt: only what is wrong in what was typed
    assert messages_after(at, "form_website") == [
        "Give a web address starting with http:// or https://, or leave this field empty."
    ]
    assert messages_after(at, "form_description_en") == [
        "This text looks like HTML or a script: it will be shown as plain text, exactly as typed."
    ]
    assert messages_after(at, "form_category") == []
    send(at)
    assert messages_after(at, "form_category") == ["This field is required."]
    assert messages_after(at, "form_country") == ["This field is required."]
    assert messages_after(at, "form_source") == ["This field is required."]
    assert messages_after(at, "form_name") == []
    assert "Some fields need your attention (see the messages next to them): nothing was sent." in [
        e.value for e in at.error
    ]
    assert value(at, "name") == "Zeta Lab" and value(at, "website") == "javascript:alert(1)"
    assert value(at, "description_en") == "Fixes <b>things</b>"
    assert store.queue().total == 0


def test_messages_in_french(contribute: AppTest) -> None:
    at = contribute
    at.sidebar.radio(key="lang").set_value("fr").run()
    fill(at, name="Zeta", website="ftp://zeta.example.org")
    send(at)
    assert messages_after(at, "form_website") == [
        "Indiquez une adresse web commençant par http:// ou https://, ou laissez ce champ vide."
    ]
    assert messages_after(at, "form_source") == ["Ce champ est obligatoire."]
    assert at.text_input(key="form_name").label == "Nom *"
    assert "Pays *" in [s.label for s in at.selectbox]


def test_a_proposal_waits_for_a_moderator_and_is_not_on_the_map(contribute: AppTest, store: Store) -> None:
    at = good(contribute, contact="me@example.org", note="I volunteer there")
    assert "Coordinates: 45.74906, 4.84789" in texts(at)  # Lyon, from the offline gazetteer
    send(at)
    assert not at.exception
    assert [s.value for s in at.success] == ["Thank you!"]
    queue = store.queue()
    assert queue.total == 1
    item = queue.items[0]
    assert at.markdown[-1].value == (
        f"Your proposal is waiting for a moderator (reference #{item.revision_id}). "
        "It will appear on the map once it is approved."
    )
    assert (item.action, item.name, item.entry_state, item.note) == (
        "submission",
        "Zeta Repair Café",
        "pending",
        "I volunteer there",
    )
    changed = {c.field: c.new for c in item.changes}
    assert changed["geo_source"] == "gazetteer" and changed["geo_precision"] == "city"
    assert store.contact(item.revision_id) == "me@example.org"
    assert store.count("published") == 7 and "Zeta" not in " ".join(store.published_atlas().frame["name"])
    open_page(at, "map")
    assert any("7 of 7 entries shown" in m.value for m in at.markdown)


def test_the_honeypot_thanks_a_bot_and_stores_nothing(contribute: AppTest, store: Store) -> None:
    at = good(contribute)
    at.text_input(key="form_hp").set_value("http://spam.example")
    send(at.run())
    assert [s.value for s in at.success] == ["Thank you!"]
    assert "Your proposal has been received." in [m.value for m in at.markdown]
    assert store.queue().total == 0 and store.count("pending") == 0


def test_another_entry_starts_from_an_empty_form(contribute: AppTest) -> None:
    at = send(good(contribute))
    at.button(key="form_another").click().run()
    assert value(at, "name") == "" and value(at, "country") is None


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        (Limits(per_session=0), "You have sent several proposals in the last hour"),
        (Limits(pending_per_hour=0), "The moderators have many proposals to read right now"),
        (Limits(per_client=0), "Many proposals came from your network in the last hour"),
    ],
)
def test_refusals_say_why_and_keep_the_text(contribute: AppTest, store: Store, monkeypatch, limits, expected) -> None:
    from atlas.ui.loaders import current_store

    app_store = current_store()
    assert app_store is not None
    monkeypatch.setattr(app_store, "limits", limits)
    monkeypatch.setattr("atlas.ui.pages.contribute.client_address", lambda *a: "203.0.113.9")
    at = send(good(contribute))
    assert [e.value for e in at.error if e.value.startswith(expected)]
    assert "Nothing you typed is lost." in at.error[0].value
    assert value(at, "name") == GOOD["name"] and value(at, "source") == GOOD["source"]
    assert store.queue().total == 0


def test_an_unreachable_database_keeps_the_text(contribute: AppTest, store: Store, monkeypatch, tmp_path) -> None:
    at = good(contribute, description_fr="Un café de réparation.")
    (tmp_path / "not-a-folder").write_text("")
    down = Store(create_engine(f"sqlite:///{tmp_path / 'not-a-folder' / 'atlas.sqlite3'}"))  # cannot be opened
    with monkeypatch.context() as patch:
        patch.setattr("atlas.ui.pages.contribute.current_store", lambda: down)
        send(at)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The atlas database cannot be reached right now, so proposals cannot be received. Nothing you typed is "
        "lost: keep this page open and send again in a moment."
    ]
    assert value(at, "description_fr") == "Un café de réparation." and value(at, "name") == GOOD["name"]
    assert at.warning[0].value.startswith("The atlas database cannot be reached right now")  # said at the top
    send(at)  # the database is back: the same text goes through
    assert [s.value for s in at.success] == ["Thank you!"] and store.queue().total == 1


def test_a_database_that_cannot_be_opened_shows_the_form_with_a_notice(contribute: AppTest, monkeypatch) -> None:
    from atlas.sources import SourceUnavailable

    def unavailable():
        raise SourceUnavailable("OperationalError: connection refused")

    monkeypatch.setattr("atlas.ui.pages.contribute.current_store", unavailable)
    at = send(good(contribute))
    assert at.warning[0].value.startswith("The atlas database cannot be reached right now")
    assert at.error[-1].value.startswith("The atlas database cannot be reached right now")
    assert value(at, "name") == GOOD["name"]


def test_the_text_survives_a_visit_to_another_page(contribute: AppTest) -> None:
    at = fill(contribute, name="Half-typed", description_en="Draft text")
    open_page(at, "map")
    open_page(at, "contribute")
    assert value(at, "name") == "Half-typed" and value(at, "description_en") == "Draft text"


def test_control_characters_are_removed_and_said(contribute: AppTest, store: Store) -> None:
    at = good(contribute, name="Zeta\x07 Lab\x1b[31m")
    assert messages_after(at, "form_name") == ["Invisible control characters were removed from this text."]
    send(at)
    assert store.queue().items[0].name == "Zeta Lab[31m"


def test_a_click_on_the_map_places_the_pin_by_hand(contribute: AppTest, store: Store, monkeypatch) -> None:
    at = good(contribute)
    monkeypatch.setenv("ATLAS_TILES", "osm")
    monkeypatch.setattr(
        "atlas.ui.location_picker.st_folium",
        lambda *a, **k: {"last_clicked": {"lat": 45.7701, "lng": 364.8402}, "zoom": 17},
    )
    at.run()
    assert "Coordinates: 45.77010, 4.84020" in texts(at)
    assert (
        "Placed by hand on the map: by the zoom of your click, it will be published as “Located at: Address”. "
        "Click again to move the pin." in [c.value for c in at.caption]
    )
    send(at)
    changed = {c.field: c.new for c in store.queue().items[0].changes}
    assert (changed["lat"], changed["lon"], changed["geo_source"], changed["geo_precision"]) == (
        45.7701,
        4.8402,
        "manual",
        "address",
    )


def test_a_pin_placed_at_a_city_zoom_is_published_at_the_city_and_the_picker_keeps_its_zoom(
    contribute: AppTest, store: Store, monkeypatch
) -> None:
    """Issue 25: a click at the 10 km scale was published as "Located at: Address", the picker
    zoomed back out after the click, and its scale showed miles."""
    monkeypatch.setenv("ATLAS_TILES", "osm")
    at = good(contribute)
    maps: list = []

    def picker(fig, *args, **kwargs):
        maps.append(fig)
        return {"last_clicked": {"lat": 45.7701, "lng": 4.8402}, "zoom": 10}

    monkeypatch.setattr("atlas.ui.location_picker.st_folium", picker)
    at.run()
    assert (
        "Placed by hand on the map: by the zoom of your click, it will be published as “Located at: City”. "
        "Zoom in to the street to place it at its address. Click again to move the pin."
        in [c.value for c in at.caption]
    )
    drawn = maps[-1]  # the map drawn after the click: at the zoom of the click, on the pin
    assert drawn.options["zoom"] == 10 and drawn.location == [45.7701, 4.8402]
    page = drawn.get_root().render()
    assert "L.control.scale({imperial: false})" in page and "L.control.scale()" not in page
    send(at)
    changed = {c.field: c.new for c in store.queue().items[0].changes}
    assert (changed["geo_source"], changed["geo_precision"]) == ("manual", "city")


def test_the_french_page_says_the_precision_of_the_pin(contribute: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_TILES", "osm")
    at = good(contribute)
    at.sidebar.radio(key="lang").set_value("fr").run()
    monkeypatch.setattr(
        "atlas.ui.location_picker.st_folium",
        lambda *a, **k: {"last_clicked": {"lat": 45.7701, "lng": 4.8402}, "zoom": 7},
    )
    at.run()
    assert (
        "Placé à la main sur la carte : d'après le zoom de votre clic, il sera publié comme « Localisé à : Région ». "
        "Zoomez jusqu'à la rue pour le placer à son adresse. Cliquez de nouveau pour déplacer l'épingle."
        in [c.value for c in at.caption]
    )


def test_a_website_without_https_is_completed_and_said(contribute: AppTest, store: Store) -> None:
    at = good(contribute, website="zeta.example.org")
    assert "It will be saved as https://zeta.example.org (https:// added)." in html_texts(at)
    assert messages_after(at, "form_website") == []  # not refused
    send(at)
    changed = {c.field: c.new for c in store.queue().items[0].changes}
    assert changed["website"] == "https://zeta.example.org"


def test_is_it_one_of_these_leads_to_a_correction_and_back(contribute: AppTest) -> None:
    at = fill(contribute, country="FR")
    fill(at, name="Alpha Civic", description_en="My new text")
    assert "Alpha Civic Lab — Lyon, France" in texts(at)
    at.button(key="form_similar_alpha-civic").click().run()
    assert value(at, "name") == "Alpha Civic Lab" and value(at, "website") == "https://alpha.example.org"
    assert "Alpha Civic Lab" in html_texts(at)  # the entry being corrected, as escaped text
    at.button(key="form_new_instead").click().run()
    assert value(at, "name") == "Alpha Civic" and value(at, "description_en") == "My new text"


# -- correcting --------------------------------------------------------------------------------


def _correct(env, entry_id: str) -> AppTest:
    """From the map page's detail panel: "Suggest a correction"."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selected"] = entry_id
    at.run()
    assert not at.exception, at.exception
    at.button(key="suggest_correction").click().run()
    assert not at.exception, at.exception
    return at


def test_suggest_a_correction_prefills_the_form_and_shows_the_diff(env, store: Store) -> None:
    at = _correct(env, "alpha-civic")
    assert at.title[0].value == "Add or correct an entry"
    assert value(at, "name") == "Alpha Civic Lab" and value(at, "city") == "Lyon"
    assert value(at, "category") == "civic_tech" and value(at, "country") == "FR"
    assert "You have not changed anything yet." in [i.value for i in at.info]
    fill(at, website="https://alpha-lab.example.org", note="They moved their site")
    assert "before: https://alpha.example.org" in texts(at) and "after: https://alpha-lab.example.org" in texts(at)
    send(at)
    assert at.markdown[-1].value.startswith("Your correction is waiting for a moderator (reference #")
    item = store.queue().items[0]
    assert (item.action, item.entry_id) == ("correction", "alpha-civic")
    assert [(c.field, c.old, c.new) for c in item.changes] == [
        ("website", "https://alpha.example.org", "https://alpha-lab.example.org")
    ]
    assert store.entry("alpha-civic")["website"] == "https://alpha.example.org"  # until approved


def test_the_correction_opens_in_the_language_of_the_map(env) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "fr"
    at.session_state["selected"] = "delta-network"
    at.run()
    at.button(key="suggest_correction").click().run()
    assert at.title[0].value == "Ajouter ou corriger une entrée"
    assert at.text_input(key="form_name").label == "Nom *" and value(at, "name") == "Delta Network"
    assert "La position actuelle de l'entrée (la ville). Cliquez sur la carte pour déplacer l'épingle." in [
        c.value for c in at.caption
    ]


def test_a_correction_that_changes_nothing_says_so(env, store: Store) -> None:
    at = send(_correct(env, "gamma-skills"))
    assert "This correction changes nothing" in " ".join(i.value for i in at.info)
    assert store.queue().total == 0


def test_the_detail_panel_shows_dates_and_public_history(env, store: Store) -> None:
    at = _correct(env, "beta-commons")
    fill(at, city="Saint-Herblain", contact="secret@example.org", note="private note")
    send(at)
    item = store.queue().items[0]
    store.approve(item.revision_id, item.version, "mod@example.org", note="checked on their site")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selected"] = "beta-commons"
    at.run()
    captions = [c.value for c in at.caption] + html_texts(at)
    assert any(c.startswith("Added on ") and "last changed on" in c for c in captions)
    lines = [c for c in captions if " — " in c]
    assert lines[0].endswith("— corrected by a visitor, approved (City, position)")
    assert lines[-1].endswith("— loaded from the atlas's data files")
    page = " ".join([*captions, *texts(at), *(m.value for m in at.markdown)])
    for private in ("secret@example.org", "private note", "mod@example.org", "checked on their site"):
        assert private not in page


def test_a_read_only_atlas_offers_no_form(env, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_SOURCE", "files")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selected"] = "alpha-civic"
    at.run()
    assert "A test civic-tech lab in Lyon." in texts(at)
    assert not [b for b in at.button if b.key == "suggest_correction"]
    open_page(at, "contribute")
    assert [i.value for i in at.info] == [
        "This atlas is read-only: it shows its data files as they are and cannot receive proposals or corrections."
    ]
    assert not at.text_input and not at.text_area


# -- postcode and region (issue 23) ------------------------------------------------------------


def test_a_proposal_has_its_postcode_and_region_in_their_own_fields(contribute: AppTest, store: Store) -> None:
    at = good(contribute, address="12 rue de Marseille", postcode="69007", region="Auvergne-Rhône-Alpes")
    assert at.text_input(key="form_postcode").label == "Postcode"
    send(at)
    assert [s.value for s in at.success] == ["Thank you!"]
    item = store.queue().items[0]
    changed = {c.field: c.new for c in item.changes}
    assert (changed["address"], changed["postcode"], changed["region"]) == (
        "12 rue de Marseille",
        "69007",
        "Auvergne-Rhône-Alpes",
    )


def test_the_postcode_and_region_fields_in_french(contribute: AppTest) -> None:
    at = contribute
    at.sidebar.radio(key="lang").set_value("fr").run()
    assert at.text_input(key="form_postcode").label == "Code postal"
    assert at.text_input(key="form_region").label == "Région, État ou province"


def test_a_correction_keeps_the_postcode_and_proposes_only_the_new_region(env, store: Store) -> None:
    AppTest.from_file(APP, default_timeout=60).run()  # the app seeds its database
    version = store.entry("alpha-civic")["version"]
    store.edit("alpha-civic", {"postcode": "69002"}, "mod@example.org", "postcode", int(version))
    at = _correct(env, "alpha-civic")
    assert value(at, "postcode") == "69002" and value(at, "region") == ""
    fill(at, region="Auvergne-Rhône-Alpes")
    assert "after: Auvergne-Rhône-Alpes" in texts(at)
    send(at)
    item = store.queue().items[0]
    assert [(c.field, c.old, c.new) for c in item.changes] == [("region", "", "Auvergne-Rhône-Alpes")]
