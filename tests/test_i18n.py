"""The translations: gettext catalogues (atlas/locales) complete, in step with the code, and used for every
page label; Spanish as a third interface language."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from atlas import i18n_tools
from atlas.i18n import (
    CONTENT_LANGS,
    KEYS,
    LANGS,
    LOCALES,
    PLURAL_KEYS,
    TRANSLATIONS,
    catalogue_path,
    normalise_lang,
    t,
    tn,
)
from tests.support import require

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"{(\w+)[^{}]*}")
# Spanish translates at least the visitor's interface: what these keys name must be in Spanish.
SPANISH_CHROME = (
    "app_title", "page_map", "page_contribute", "page_about", "filters", "country", "region", "category", "kind",
    "search", "clear_filters", "count_summary", "legend", "layer_organisations", "layer_odcs", "map_zoom_in",
    "map_zoom_out", "map_layers", "map_search", "map_gesture", "fullscreen", "details", "details_hint",
    "address_line", "status_line", "coordinates_line", "precision_city", "website", "charts", "chart_tab_country",
    "table", "download_csv", "share", "articles", "contribute_intro", "form_name", "form_msg_required",
)  # fmt: skip


def _catalogue(lang: str, root: Path = LOCALES):
    with catalogue_path(lang, root).open("rb") as f:
        return read_po(f, locale=lang)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_every_language_has_a_catalogue_and_every_message_is_translated() -> None:
    assert sorted(i18n_tools.languages()) == sorted(LANGS)  # a catalogue without a LANGS entry is not served
    for lang in LANGS:
        untranslated = [m.id for m in _catalogue(lang) if m.id and not all(f.strip() for f in _forms(m))]
        assert untranslated == [], f"{lang}: messages without a translation"


def test_every_catalogue_has_the_same_messages_with_the_same_plural_shape() -> None:
    english = {m.id: m for m in _catalogue("en") if m.id}
    for lang in LANGS:
        catalog = _catalogue(lang)
        messages = {m.id: m for m in catalog if m.id}
        assert set(messages) == set(english), lang
        for key, m in messages.items():
            assert m.pluralizable == english[key].pluralizable, (lang, key)
            if m.pluralizable:  # plural forms complete: one per form of the language's Plural-Forms rule
                assert len(m.string) == catalog.num_plurals, (lang, key)
                assert all(m.string) or not any(m.string), f"{lang}: {key} has some plural forms only"


def test_placeholders_are_the_same_in_every_language() -> None:
    english = {m.id: m for m in _catalogue("en") if m.id}
    for lang in LANGS:
        for m in _catalogue(lang):
            if not m.id:
                continue
            expected = set().union(*(_placeholders(f) for f in _forms(english[m.id])))
            for form in filter(None, _forms(m)):
                assert _placeholders(form) == expected, (lang, m.id, form)


def test_every_key_the_code_uses_is_in_the_catalogues_and_every_message_is_used() -> None:
    used = set(i18n_tools.extract())
    assert sorted(used - (KEYS | PLURAL_KEYS)) == [], "used in the code, missing from atlas/locales"
    assert sorted((KEYS | PLURAL_KEYS) - used) == [], "in atlas/locales, used nowhere: run `make messages`"


def _first_arguments() -> list[tuple[str, ast.expr]]:
    found = []
    for path in [ROOT / "app.py", *sorted((ROOT / "atlas").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "tn", "N_"):  # noqa: SIM102
                if node.args:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0]))
    return found


def test_no_key_is_built_at_run_time() -> None:
    """A key made of pieces (f"precision_{x}", "kind_" + k) is invisible to extraction: use atlas/labels.py."""
    built = [
        f"{where}: {ast.unparse(arg)}"
        for where, arg in _first_arguments()
        if any(isinstance(n, (ast.JoinedStr, ast.BinOp)) for n in ast.walk(arg))
    ]
    assert built == []


def test_the_catalogues_are_what_make_messages_writes(tmp_path: Path) -> None:
    """`make messages` on the catalogues changes nothing: they are in step with the code, sorted, annotated."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    assert i18n_tools.update(ROOT, copy) == []
    for path in sorted(LOCALES.rglob("*.po*")):
        assert (copy / path.relative_to(LOCALES)).read_bytes() == path.read_bytes(), path.name


def test_pybabel_extract_with_babel_cfg_finds_the_same_messages(tmp_path: Path, monkeypatch) -> None:
    """Translators' tools run `pybabel extract -F babel.cfg`: it must agree with `make messages`."""
    from babel.messages.frontend import CommandLineInterface

    monkeypatch.chdir(ROOT)
    out = tmp_path / "atlas.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(out), "atlas", "app.py"])
    with out.open("rb") as f:
        found = {m.id for m in read_po(f) if m.id}
    assert found == KEYS | PLURAL_KEYS


@pytest.mark.parametrize("lang", LANGS)
def test_gettext_itself_accepts_the_catalogues(lang: str) -> None:
    """GNU msgfmt's checks (`-c`: header, plural forms, line ends) pass: what Poedit and Weblate run."""
    require("msgfmt: GNU gettext (apt-get install gettext)", present=shutil.which("msgfmt") is not None)
    done = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(catalogue_path(lang))], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_translators_see_the_english_text() -> None:
    english = {m.id: i18n_tools.english_of(m) for m in _catalogue("en") if m.id}
    for lang in ("fr", "es"):
        for m in _catalogue(lang):
            if m.id:
                shown = " ".join(" ".join(m.auto_comments).split())  # wrapped lines, line breaks of the text
                assert shown == " ".join((i18n_tools.ENGLISH + english[m.id]).split()), (lang, m.id)


def test_placeholders_are_filled_and_unknown_languages_fall_back_to_english() -> None:
    assert t("article_by", "fr", author="Ana") == "par Ana"
    assert t("app_title", "de") == "Social Tech Atlas"
    assert normalise_lang(None) == "en"
    with pytest.raises(KeyError):
        t("no_such_key", "en")
    with pytest.raises(KeyError, match="tn"):
        t("articles_hidden", "en", n=2)
    with pytest.raises(KeyError, match="t\\(\\)"):
        tn("app_title", 2, "en")


@pytest.mark.parametrize(
    ("lang", "n", "text"),
    [
        ("en", 1, "1 article hidden by the filters."),
        ("en", 0, "0 articles hidden by the filters."),
        ("en", 3, "3 articles hidden by the filters."),
        ("fr", 0, "0 article masqué par les filtres."),  # French: 0 and 1 are singular
        ("fr", 1, "1 article masqué par les filtres."),
        ("fr", 3, "3 articles masqués par les filtres."),
        ("es", 1, "1 artículo oculto por los filtros."),
        ("es", 3, "3 artículos ocultos por los filtros."),
        ("es", 0, "0 artículos ocultos por los filtros."),
    ],
)
def test_plural_messages_take_the_form_of_the_count(lang: str, n: int, text: str) -> None:
    assert tn("articles_hidden", n, lang) == text


def test_no_message_fakes_a_plural() -> None:
    faked = re.compile(r"\w(?<!http)\((s|es|x|ies)\)")  # "http(s) links" is no plural
    for lang in LANGS:
        for m in _catalogue(lang):
            for form in _forms(m):
                assert not faked.search(form), (lang, m.id, form)


def test_spanish_translates_the_interface_and_falls_back_to_english_elsewhere() -> None:
    assert "es" in LANGS and "es" not in CONTENT_LANGS
    for key in SPANISH_CHROME:
        assert (
            "es" in TRANSLATIONS[key] and TRANSLATIONS[key]["es"] != TRANSLATIONS[key]["en"]
        ) or key == "layer_odcs", key
    assert t("filters", "es") == "Filtros"


def test_a_message_a_language_lacks_is_shown_in_english(tmp_path: Path) -> None:
    """A catalogue being translated (or a message marked fuzzy) falls back to English, message by message."""
    from atlas import i18n

    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    catalog = i18n_tools.read("es", copy)
    catalog["filters"].string = ""
    catalog["country"].flags.add("fuzzy")
    catalog["drafts_count"].string = ("", "", "")
    i18n_tools.write(catalog, catalogue_path("es", copy))
    translations, *_ = i18n._load(copy)
    assert translations["es"].gettext("filters") == "Filters"
    assert translations["es"].gettext("country") == "Country"
    assert translations["es"].ngettext("drafts_count", "drafts_count_plural", 2) == "{n} drafts waiting"
    assert translations["es"].gettext("region") == "Región"


def test_the_page_in_spanish(app) -> None:
    at = app(lang="es")
    assert at.sidebar.radio(key="lang").value == "es"
    assert "Español" in at.sidebar.radio(key="lang").options
    assert at.title[0].value == "Atlas de la Tecnología Social"
    assert at.sidebar.header[0].value == "Filtros"
    assert any(m.value.startswith("7 de 7 entradas mostradas") for m in at.markdown)
    assert "Senegal (1)" in at.sidebar.multiselect(key="f_country").options  # Babel's Spanish country names


def test_the_page_switches_to_spanish(app) -> None:
    at = app()
    at.sidebar.radio(key="lang").set_value("es").run()
    assert not at.exception
    assert at.sidebar.header[0].value == "Filtros"
    assert at.query_params["lang"] in ("es", ["es"])


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
    # The language switch is labelled in every language on purpose.
    assert [s for s in _ui_string_literals() if s[1] != "Language / Langue / Idioma"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_translations_differ_where_the_languages_do(lang: str) -> None:
    assert t("country", "en") != t("country", "fr")
    assert t("clear_filters", lang)


def test_category_labels_in_the_catalogues_say_what_the_taxonomy_says() -> None:
    from atlas.categories import CATEGORIES, category_label
    from atlas.labels import CATEGORY

    assert set(CATEGORY) == {c.id for c in CATEGORIES}
    for c in CATEGORIES:
        assert (t(CATEGORY[c.id], "en"), t(CATEGORY[c.id], "fr")) == (c.label_en, c.label_fr)
    assert category_label("training", "es") == "Formación y empleo"


def test_a_message_is_added_to_every_catalogue_and_an_old_dict_carried_over(tmp_path: Path) -> None:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    i18n_tools.add(
        "new_count", {"en": ["{n} row", "{n} rows"], "fr": ["{n} ligne", "{n} lignes", "{n} lignes"]}, True, copy
    )
    es = i18n_tools.read("es", copy)["new_count"]
    assert es.pluralizable and es.string == ("", "", "") and es.auto_comments == ["English: {n} row | {n} rows"]
    old = tmp_path / "i18n.py"
    old.write_text(
        'TRANSLATIONS: dict[str, dict[str, str]] = {\n    "app_title": {"en": "X", "fr": "Y"},\n'
        '    # -- another branch\'s block\n    "branch_key": {"en": "Hello {name}", "fr": "Bonjour {name}"},\n}\n',
        encoding="utf-8",
    )
    assert i18n_tools.carry(old, copy) == ["branch_key"]  # the keys the catalogues already have are left alone
    assert i18n_tools.read("fr", copy)["branch_key"].string == "Bonjour {name}"
    assert '#. English: Hello {name}\nmsgid "branch_key"' in catalogue_path("fr", copy).read_text(encoding="utf-8")
    assert i18n_tools.read("en", copy)["app_title"].string == "Social Tech Atlas"
