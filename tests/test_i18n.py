"""The translation table: complete in both languages, and used for every page label."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from atlas.i18n import LANGS, TRANSLATIONS, normalise_lang, t

ROOT = Path(__file__).resolve().parents[1]


def test_every_key_has_english_and_french_text() -> None:
    for key, texts in TRANSLATIONS.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        assert re.findall(r"{(\w+)}", texts["en"]) == re.findall(r"{(\w+)}", texts["fr"]) or set(
            re.findall(r"{(\w+)}", texts["en"])
        ) == set(re.findall(r"{(\w+)}", texts["fr"])), key


def test_placeholders_are_filled_and_unknown_languages_fall_back_to_english() -> None:
    assert t("articles_hidden", "fr", n=3) == "3 article(s) masqué(s) par les filtres."
    assert t("app_title", "de") == "Social Tech Atlas"
    assert normalise_lang(None) == "en"


def _ui_string_literals() -> list[tuple[str, str]]:
    """String literals passed directly as the first argument of st.* widget/text calls."""
    found = []
    for path in [ROOT / "app.py", *(ROOT / "atlas" / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr
                in {
                    "button",
                    "header",
                    "subheader",
                    "title",
                    "caption",
                    "markdown",
                    "info",
                    "warning",
                    "multiselect",
                    "text_input",
                    "toggle",
                    "pills",
                    "radio",
                    "download_button",
                    "expander",
                    "text",
                }
            ):
                found.append((path.name, node.args[0].value))
    return found


def test_the_page_has_no_hard_coded_user_text() -> None:
    # The language switch is labelled in both languages on purpose.
    assert [s for s in _ui_string_literals() if s[1] != "Language / Langue"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_translations_differ_where_the_languages_do(lang: str) -> None:
    assert t("country", "en") != t("country", "fr")
    assert t("clear_filters", lang)
