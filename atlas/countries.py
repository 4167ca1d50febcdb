"""Countries: ISO 3166-1 codes validated by pycountry, names in every CLDR language (Babel)."""

from __future__ import annotations

import gettext
import re
from functools import cache, lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from atlas.i18n import LANGS
from atlas.text import fold


@cache
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale(lang).territories)


def is_country_code(code: object) -> bool:
    """True when `code` is an assigned ISO 3166-1 alpha-2 code (upper case)."""
    return (
        isinstance(code, str)
        and len(code) == 2
        and code.isupper()
        and pycountry.countries.get(alpha_2=code) is not None
    )


def country_name(code: str, lang: str = "en") -> str:
    """Display name of an alpha-2 code in `lang` ("MD", "fr" -> "Moldavie"); the code itself if unknown."""
    return _territories(lang if lang in LANGS else "en").get(code, code)


def alpha3(code: str) -> str | None:
    """ISO alpha-3 code for an alpha-2 code ("FR" -> "FRA")."""
    c = pycountry.countries.get(alpha_2=code)
    return c.alpha_3 if c else None


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", ""), getattr(c, "official_name", ""), fr.gettext(c.name)}
        names.update(_territories(lang).get(c.alpha_2, "") for lang in LANGS)
        for name in filter(None, names):
            index.setdefault(fold(name), c.alpha_2)
    return index


# ISO 3166-1's exceptionally reserved codes in common use for a country ("UK" for the United Kingdom).
_RESERVED = {"UK": "GB", "EL": "GR"}
_NOT_WORD = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    """A name folded for lookup: accents, case, punctuation and a leading article dropped
    ("The Netherlands" -> "netherlands", "Côte d'Ivoire" / "Cote d Ivoire" -> "cote d ivoire")."""
    key = _NOT_WORD.sub(" ", fold(name).replace("’", "'")).strip()
    for article in ("the ", "la ", "le ", "les ", "l "):
        if key.startswith(article) and len(key) > len(article) + 2:
            key = key[len(article) :]
            break
    return key


@lru_cache(maxsize=1)
def _all_names() -> dict[str, str]:
    """Every country's name in every language CLDR (Babel) has, and pycountry's names: the first
    language to claim a spelling keeps it (English and French first)."""
    index: dict[str, str] = {}
    for name, code in _name_index().items():
        index.setdefault(_key(name), code)
    codes = {c.alpha_2 for c in pycountry.countries}
    for lang in (*LANGS, *sorted(i for i in locale_identifiers() if "_" not in i)):
        try:
            territories = _territories(lang)
        except (ValueError, UnknownLocaleError):
            continue
        for code, name in territories.items():
            if code in codes and _key(name):
                index.setdefault(_key(name), code)
    return index


def resolve_country(value: object) -> str | None:
    """Alpha-2 code for a code, an alpha-3 code or a name in English or French; None if unknown.

    "fr", "FRA", "France", "Moldavie", "Côte d'Ivoire" all resolve; "Atlantis" does not. (Free text
    is matched against this; a value known to name a country: `country_from_any_name`.)
    """
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip()
    if len(v) == 2 and is_country_code(v.upper()):
        return v.upper()
    if len(v) == 3:
        c = pycountry.countries.get(alpha_3=v.upper())
        if c:
            return c.alpha_2
    key = fold(v).replace("’", "'")
    return _name_index().get(key) or _name_index().get(key.replace("'", "’"))


def country_from_any_name(value: object) -> str | None:
    """Alpha-2 code for a value that names a country (an imported country column) in any common form
    and language: codes, ISO's reserved "UK", and every CLDR name, case, accents, punctuation and a
    leading article ignored ("UK", "The Netherlands", "Nederland", "Deutschland", "Cote d Ivoire",
    "Россия"). Not for free text: "Island" is Iceland in German."""
    found = resolve_country(value)
    if found or not isinstance(value, str) or not value.strip():
        return found
    v = value.strip()
    if v.upper() in _RESERVED:
        return _RESERVED[v.upper()]
    key = _key(v)
    return _all_names().get(key) if key else None


def place_label(name: str, country: str, lang: str = "en") -> str:
    """How a place reads in `lang`: "Lille (France)", "Lille (France)"; a place that is a whole country
    is that country's name in `lang` alone ("Kenya", "Ethiopia" -> "Éthiopie"), not "Kenya (Kenya)"."""
    names = {fold(country_name(country, lang_)) for lang_ in LANGS} | {fold(country)}
    if fold(name) in names or resolve_country(name) == country:
        return country_name(country, lang)
    return f"{name} ({country_name(country, lang)})" if name else country_name(country, lang)
