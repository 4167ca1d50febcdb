"""The form's rules without Streamlit: every schema message has a translation, where problems are
shown, what blocks the sending, the diff of a correction, the visitor's address."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from atlas.contribute import (
    MESSAGES,
    POSITION,
    UNKNOWN_MESSAGE,
    Position,
    blocking,
    by_field,
    changes,
    check_extras,
    check_record,
    clicked_position,
    client_address,
    complete_url,
    field_limit,
    fields_of,
    follow,
    form_record,
    message,
    precision_at_zoom,
)
from atlas.i18n import LANGS, TRANSLATIONS, t
from atlas.schema import MAX_TEXT, Problem

ROOT = Path(__file__).resolve().parents[2]


def _message_beginnings(path: Path) -> list[str]:
    """The constant beginning of every problem message written in `path`: the 3rd argument of
    `c.flag(...)`/`self.flag(...)` and the 5th of `Problem(...)` (plain strings and f-strings)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = {"flag": 2, "Problem": 4}.get(name)
        if position is None or len(node.args) <= position:
            continue
        arg = node.args[position]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.append(arg.value)
        elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
            found.append(str(arg.values[0].value))
    return found


@pytest.mark.parametrize("source", ["atlas/schema.py", "atlas/store/store.py", "atlas/contribute.py"])
def test_every_message_of_the_schema_and_the_store_has_a_translation(source: str) -> None:
    beginnings = _message_beginnings(ROOT / source)
    assert beginnings  # the scan finds them
    for text in beginnings:
        key, n = message(Problem("form", None, "name", "", text))
        assert key != UNKNOWN_MESSAGE, f"no translation for the message {text!r} of {source}"
        for lang in LANGS:
            assert t(key, lang, n=n)


def test_the_message_table_names_real_translations() -> None:
    for _prefix, key in (*MESSAGES, ("", UNKNOWN_MESSAGE)):
        assert key in TRANSLATIONS


def _problems(kind: str, **fields: object) -> list[Problem]:
    base = {"name": "A", "category": "civic_tech", "country": "FR", "source": "s", "status": "open"}
    return check_record(kind, form_record(kind, {**base, **fields}, None))[1]


def test_real_problems_get_their_own_message_in_both_languages() -> None:
    cases = {
        "form_msg_required": _problems("organisation", name="  "),
        "form_msg_category": _problems("organisation", category="spaceships"),
        "form_msg_country": _problems("organisation", country="XX"),
        "form_msg_status": _problems("odc", status="closed"),
        "form_msg_website": _problems("organisation", website="javascript:alert(1)"),
        "form_msg_opened": _problems("odc", opened="last year"),
        "form_msg_markup": _problems("organisation", name="<b>Bold</b>"),
        "form_msg_control": _problems("organisation", name="Bad\x07name"),
        "form_msg_too_long": _problems("organisation", description_en="x" * (MAX_TEXT + 1)),
        "form_msg_email": check_extras("not-an-address", ""),
    }
    for key, problems in cases.items():
        assert key in [message(p)[0] for p in problems], key
    assert t("form_msg_too_long", "fr", n=MAX_TEXT) == f"Ce texte dépasse {MAX_TEXT} caractères."


def test_what_stops_the_sending() -> None:
    assert [blocking(p) for p in _problems("organisation", website="ftp://x.org") if p.column == "website"] == [True]
    assert [blocking(p) for p in _problems("odc", opened="2021-13") if p.column == "opened"] == [True]
    markup = [p for p in _problems("organisation", name="<i>x</i>") if p.column == "name"]
    assert markup and not any(blocking(p) for p in markup)  # shown, but literal text is fine
    assert not [p for p in _problems("organisation", name="Fine", city="Lyon") if blocking(p)]


def test_problems_are_shown_by_field_and_empty_fields_only_after_an_attempt() -> None:
    problems = _problems("organisation", name="", website="javascript:x")
    before = by_field(problems, {"name": "", "website": "javascript:x"}, attempted=False)
    assert set(before) == {"website"}  # no "required" before the person tries to send
    after = by_field(problems, {"name": "", "website": "javascript:x"}, attempted=True)
    assert set(after) == {"name", "website"}
    position = Position(123.0, 4.0, "city", "manual")  # a crafted position: reported at the map
    bad = check_record("organisation", form_record("organisation", {"name": "A"}, position))[1]
    assert POSITION in by_field(bad, {}, attempted=True)


def test_record_from_the_form_has_the_schema_columns_and_the_position() -> None:
    record = form_record("odc", {"name": "X", "aliases": "ignored for an ODC"}, Position(1.5, 2.5, "city", "gazetteer"))
    assert "aliases" not in record and "id" not in record
    position = (record["lat"], record["lon"], record["geo_precision"], record["geo_source"])
    assert position == (1.5, 2.5, "city", "gazetteer")
    assert [f.name for f in fields_of("odc")] == [
        "name", "status", "opened", "country", "city", "address", "postcode", "region", "website",
        "description_en", "description_fr", "source", "contact", "note",
    ]  # fmt: skip


def test_a_click_is_a_position_placed_by_hand() -> None:
    assert clicked_position(45.123456, 364.5, 17) == Position(45.12346, 4.5, "address", "manual", zoom=17.0)
    assert clicked_position(None, 3) is None and clicked_position(95, 3) is None
    assert clicked_position("nan", 3) is None


@pytest.mark.parametrize(
    ("zoom", "tiles", "precision"),
    [
        (18, True, "address"),
        (16, True, "address"),
        (15, True, "city"),  # a town's streets, not yet a street's houses
        (10, True, "city"),  # the 10 km scale of issue 25: the city, never the street
        (9, True, "region"),
        (6, True, "region"),
        (5, True, "country"),
        (2, True, "country"),
        (17, False, "city"),  # no tiles: no street was drawn, so none is claimed
        (None, True, "city"),  # a zoom the map did not say: never a street
        ("nan", True, "city"),
    ],
)
def test_a_pin_placed_by_hand_is_as_precise_as_the_zoom_of_the_click(zoom, tiles, precision) -> None:
    assert precision_at_zoom(zoom, tiles) == precision
    placed = clicked_position(45.76, 4.84, zoom, tiles)
    assert placed is not None and (placed.precision, placed.source) == (precision, "manual")


def test_the_click_keeps_its_zoom_for_the_picker() -> None:
    placed = clicked_position(45.76, 4.84, 11)
    assert placed is not None and placed.zoom == 11.0
    assert clicked_position(45.76, 4.84) == Position(45.76, 4.84, "city", "manual")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("example.org", "https://example.org"),
        ("  www.example.org/about?x=1#top ", "https://www.example.org/about?x=1#top"),
        ("example.org:8080/path", "https://example.org:8080/path"),
        ("//example.org", "https://example.org"),
        ("école.example.fr", "https://école.example.fr"),
        ("https://example.org", "https://example.org"),  # already complete
        ("http://example.org", "http://example.org"),
        ("", ""),
        ("localhost", "localhost"),  # no dot: not a web address, the schema refuses it
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("not a link", "not a link"),
        ("ftp://example.org", "ftp://example.org"),
    ],
)
def test_a_website_typed_without_its_scheme_is_completed(typed: str, kept: str) -> None:
    assert complete_url(typed) == kept


def test_the_record_keeps_the_completed_website_and_the_schema_accepts_it() -> None:
    values = {"name": "Kappa", "category": "civic_tech", "country": "FR", "website": "kappa.example.org"}
    record = form_record("organisation", values, None)
    assert record["website"] == "https://kappa.example.org"
    _, problems = check_record("organisation", record)
    assert not [p for p in problems if p.column == "website"]
    _, problems = check_record("organisation", {**record, "website": "javascript:alert(1)"})
    assert "website" in [p.column for p in problems if blocking(p)]


def test_changes_of_a_correction() -> None:
    entry = {"name": "Alpha", "city": "Lyon", "lat": 45.764, "lon": 4.8357, "website": ""}
    clean = {"name": "Alpha", "city": "Villeurbanne", "lat": 45.764, "lon": 4.8357, "website": "https://a.org"}
    assert [(c.field, c.old, c.new) for c in changes(entry, clean)] == [
        ("city", "Lyon", "Villeurbanne"),
        ("website", "", "https://a.org"),
    ]


def test_a_prefilled_value_is_never_cut() -> None:
    assert field_limit("name") == 200
    assert field_limit("name", "x" * 300) == 300
    assert field_limit("name", "x" * 5000) == MAX_TEXT


@pytest.mark.parametrize(
    ("ip", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", "203.0.113.1", 0, "198.51.100.7"),  # no trusted proxy: the header is ignored
        (None, "203.0.113.1", 0, "loopback"),  # Streamlit's None (loopback): a key of its own, never none
        (None, "6.6.6.6, 203.0.113.1", 1, "203.0.113.1"),  # the right-most: what our proxy saw
        (None, "6.6.6.6, 203.0.113.1, 10.0.0.2", 2, "203.0.113.1"),
        ("10.0.0.2", "203.0.113.1", 2, "10.0.0.2"),  # shorter than the chain: not through it
        (object(), None, 0, "loopback"),  # not a string (AppTest's stand-in): counted as loopback
    ],
)
def test_client_address(ip, forwarded, trusted, expected) -> None:
    assert client_address(ip, forwarded, trusted) == expected


def test_trusted_proxy_setting(monkeypatch) -> None:
    from atlas import config

    for value, expected in (("", 0), ("0", 0), ("1", 1), ("true", 1), ("2", 2), ("lots", 0), ("99", 0)):
        monkeypatch.setenv("ATLAS_TRUSTED_PROXY", value)
        assert config.trusted_proxies() == expected


def test_the_pin_follows_the_place_but_not_an_address_it_cannot_place() -> None:
    lyon = Position(45.74906, 4.84789, "city", "gazetteer", "Lyon, FR")
    by_hand = Position(45.77, 4.84, "address", "manual")
    villeurbanne = Position(45.76, 4.88, "city", "gazetteer")
    street = Position(45.7701, 4.8402, "address", "nominatim")
    before = ("Lyon", "FR", "")
    assert follow(None, None, before, lyon) == lyon  # the first look-up
    assert follow(by_hand, before, ("Lyon", "FR", "1 rue X"), lyon) == by_hand  # the address: city level only
    assert follow(by_hand, before, ("Lyon", "FR", "1 rue X"), street) == street  # placed by the geocoder
    assert follow(by_hand, before, ("Villeurbanne", "FR", ""), villeurbanne) == villeurbanne  # another city
    assert follow(by_hand, before, ("Villeurbanne", "FR", ""), None) is None  # not found: no stale pin
    assert follow(lyon, before, ("LYON", "FR", "2 rue Y"), lyon) == lyon
