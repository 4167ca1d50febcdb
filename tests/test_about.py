"""The About page names the data's licence: the configured line as safe text and a button to its URL."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.opendata import data_licence

FIXTURES = Path(__file__).parent / "fixtures"


def _page() -> None:
    from atlas.ui import navigation, state
    from atlas.ui.pages import about

    state.init_from_url()
    navigation.pages()  # as app.py does: the pages the page links to
    about.render()


def about_page(lang: str = "en") -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def _small_atlas(monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))


@pytest.mark.parametrize(("lang", "label"), [("en", "Read the licence"), ("fr", "Lire la licence")])
def test_the_about_page_shows_the_licence_line_and_its_link(monkeypatch, lang: str, label: str) -> None:
    monkeypatch.setenv("ATLAS_DATA_LICENCE", "cc-by-4.0")
    monkeypatch.setenv("ATLAS_DATA_ATTRIBUTION", "Réseau <b>X</b> [y](javascript:z)")
    at = about_page(lang)
    licence = data_licence()
    built = [e.proto.body for e in at.get("html")]
    assert any(html.escape(licence.text(lang)) in body for body in built)  # through safe.small: escaped, never Markdown
    assert "Réseau" not in " ".join(m.value for m in at.markdown)
    (button,) = at.get("link_button")
    assert (button.proto.label, button.proto.url) == (label, "https://creativecommons.org/licenses/by/4.0/")


def test_a_licence_without_a_web_address_has_no_button(monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATA_LICENCE", "javascript:alert(1)")
    at = about_page()
    assert not at.get("link_button")
    assert any("javascript:alert(1)" in e.proto.body for e in at.get("html"))
