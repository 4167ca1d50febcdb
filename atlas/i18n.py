"""Every string a person reads, looked up in the gettext catalogues of atlas/locales.

The catalogues (``atlas/locales/<lang>/LC_MESSAGES/atlas.po``) are read once, at import, with Babel
and turned into :class:`gettext.GNUTranslations` in memory: no build step, and plural forms are
chosen by each catalogue's ``Plural-Forms`` rule (``ngettext``). Message ids are symbolic keys
(``filters_country``), the English catalogue holds the English text, and a message missing from
another language falls back to English. docs/develop/translations.md tells how to add a message
or a language; ``make messages`` (atlas/i18n_tools.py) keeps the catalogues in step with the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGS = ("en", "fr", "es")
DEFAULT_LANG = "en"
# The languages the content is written in (descriptions, summaries, country columns of the data):
# the interface in any other language shows the content in English.
CONTENT_LANGS = ("en", "fr")
# Each language's name in itself, for the language switch.
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DOMAIN = "atlas"
LOCALES = Path(__file__).with_name("locales")
PLURAL_SUFFIX = "_plural"  # a plural message's msgid_plural is its key with this suffix


def catalogue_path(lang: str, root: Path = LOCALES) -> Path:
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(lang: str, root: Path = LOCALES) -> Catalog:
    with catalogue_path(lang, root).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def N_(key: str) -> str:
    """Mark a message key that the code passes to t() or tn() later (in a table), so that extraction
    (`make messages`) sees it. Returns the key unchanged."""
    return key


def is_translated(string: object) -> bool:
    """A message counts when every one of its forms is written."""
    if isinstance(string, str):
        return bool(string)
    return isinstance(string, (tuple, list)) and bool(string) and all(string)


def _gettext(catalog: Catalog) -> GNUTranslations:
    """The catalogue's translated, non-fuzzy messages as a GNUTranslations (compiled in memory)."""
    for message in list(catalog):
        if message.id and (message.fuzzy or not is_translated(message.string)):
            del catalog[message.id]
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


def _load(
    root: Path = LOCALES,
) -> tuple[dict[str, GNUTranslations], frozenset[str], frozenset[str], dict[str, dict[str, str]]]:
    catalogues = {lang: read_catalogue(lang, root) for lang in LANGS}
    english = catalogues[DEFAULT_LANG]
    singular = frozenset(str(m.id) for m in english if m.id and not m.pluralizable)
    plural = frozenset(str(m.id[0]) for m in english if m.id and m.pluralizable)
    texts: dict[str, dict[str, str]] = {key: {} for key in sorted(singular)}
    for lang, catalog in catalogues.items():
        for m in catalog:
            if isinstance(m.id, str) and m.id in texts and isinstance(m.string, str) and m.string and not m.fuzzy:
                texts[m.id][lang] = m.string
    translations = {lang: _gettext(catalog) for lang, catalog in catalogues.items()}
    for lang, translation in translations.items():
        if lang != DEFAULT_LANG:
            translation.add_fallback(translations[DEFAULT_LANG])
    return translations, singular, plural, texts


_TRANSLATIONS, KEYS, PLURAL_KEYS, _TEXTS = _load()
# Each singular message's text by language (only the languages that translate it), read-only by convention.
TRANSLATIONS: Mapping[str, Mapping[str, str]] = _TEXTS


def normalise_lang(lang: object) -> str:
    """A supported language code; English for anything else."""
    return lang if isinstance(lang, str) and lang in LANGS else DEFAULT_LANG


def content_lang(lang: object) -> str:
    """The language to show content in (descriptions, summaries): `lang` when the content is written in
    it, English otherwise."""
    return lang if isinstance(lang, str) and lang in CONTENT_LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of `key` in `lang` (English when `lang` lacks it), with `{placeholders}` filled from
    `values`. An unknown key raises KeyError."""
    if key not in KEYS:
        hint = "a plural message: use tn()" if key in PLURAL_KEYS else "not in atlas/locales"
        raise KeyError(f"{key!r}: {hint}")
    text = _TRANSLATIONS[normalise_lang(lang)].gettext(key)
    return text.format(**values) if values else text


def tn(key: str, n: int, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The plural message `key` for the count `n` in `lang` (the form its Plural-Forms rule picks), with
    `{n}` and the other `{placeholders}` filled. An unknown key raises KeyError."""
    if key not in PLURAL_KEYS:
        hint = "a singular message: use t()" if key in KEYS else "not a plural message of atlas/locales"
        raise KeyError(f"{key!r}: {hint}")
    return _TRANSLATIONS[normalise_lang(lang)].ngettext(key, key + PLURAL_SUFFIX, n).format(n=n, **values)
