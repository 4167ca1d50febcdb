"""Invisible characters (issue 21, item 8): zero-width and format characters are removed with the
control characters wherever text is cleaned (the loader, the importer, the contribution form), and
what the command line prints shows bidirectional and C1 controls as escapes, never raw."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from data_factory import csv_text, org_row
from hypothesis import given
from hypothesis import strategies as st

from atlas.cli import main
from atlas.data import load_file
from atlas.schema import ORGANISATIONS, validate_record
from atlas.text import clean_text, is_http_url, terminal_safe

ZERO_WIDTH_AND_FORMAT = [chr(c) for c in (*range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF)]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
C1 = [chr(c) for c in range(0x80, 0xA0)]


@pytest.mark.parametrize("char", ZERO_WIDTH_AND_FORMAT + BIDI + C1 + ["\x00", "\x1b", "\x7f"])
def test_invisible_characters_are_removed_from_text(char: str) -> None:
    assert clean_text(f"Ac{char}me{char}") == "Acme"


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cf", "Cs"])))
def test_visible_text_is_kept_as_it_is(text: str) -> None:
    assert clean_text(text) == text
    assert clean_text("é\tà\nœ 🌍") == "é\tà\nœ 🌍"


def test_a_name_with_zero_width_characters_is_stored_without_them(tmp_path: Path) -> None:
    """The contribution form and moderation (`validate_record`) and the loader (`load_file`)."""
    record, problems = validate_record(dict(org_row(name="Tech\u200bfor\u2060Good\ufeff")), ORGANISATIONS)
    assert record is not None and record["name"] == "TechforGood"
    assert [p.message for p in problems] == ["contains control characters; they were removed"]
    record, _ = validate_record(dict(org_row(name="\u200b\u200d\ufeff")), ORGANISATIONS)
    assert record is None  # a name of nothing but invisible characters is an empty name

    path = tmp_path / "organisations.csv"
    path.write_text(csv_text([org_row(name="Lo\u200cc\u200eal\u2061", description_en="Hi\u200f")]), encoding="utf-8")
    frame, problems = load_file(path, ORGANISATIONS, "organisations.csv")
    assert frame["name"].tolist() == ["Local"] and frame["description_en"].tolist() == ["Hi"]
    assert {p.column for p in problems} == {"name", "description_en"}


def test_a_link_with_an_invisible_character_is_not_a_link() -> None:
    assert is_http_url("https://example.org/")
    assert not is_http_url("https://exa\u200bmple.org/")
    assert not is_http_url("https://example.org/\u202egpj.exe")


def test_terminal_safe_escapes_what_a_terminal_would_act_on() -> None:
    assert terminal_safe("Evil\u202eCorp\x1b[2J\x9b\r") == "Evil\\u202eCorp\\x1b[2J\\x9b\\x0d"
    assert terminal_safe("Café\tà\nligne") == "Café\tà\nligne"


def test_import_messages_show_bidi_and_c1_characters_as_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ATLAS_GEOCODE_OFFLINE", "1")
    monkeypatch.setenv("ATLAS_GEOCODE_CACHE", str(tmp_path / "geocode.sqlite3"))
    path = tmp_path / "evil\u202etxt.csv"
    path.write_text(
        "name,country,city,lat,lon,category,kind\n"
        "Evil\u202eCorp\x85,Atlantis\u2066,Paris,48.85,2.35,civic_tech\u202e,organisation\n",
        encoding="utf-8",
    )
    code = main(["import", str(path), "--format", "csv", "--dry-run", "--url", f"sqlite:///{tmp_path / 'db.sqlite3'}"])
    out, err = capsys.readouterr()
    assert code == 2  # its one row has problems: the run stops before writing anything (atlas import's rule)
    printed = out + err
    assert "Evil\\u202eCorp" in printed and "\\u2066" in printed
    for char in ("\u202e", "\u2066", "\x85"):
        assert char not in printed
    assert sys.stdout is not None and "Terminal" not in type(sys.stdout).__name__  # put back after the command
