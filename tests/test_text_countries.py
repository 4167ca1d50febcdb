"""Text helpers (folding, escaping, URL checks) and country codes and names."""

from __future__ import annotations

import pytest

from atlas.countries import alpha3, country_name, is_country_code, resolve_country
from atlas.text import escape, fold, fold_key, is_http_url, safe_url

# --- folding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Chișinău ", "chisinau"),
        ("  ÉCOLE   du\tNUMÉRIQUE\n", "ecole du numerique"),
        ("Straße Œuvre Ærø Łódź", "strasse oeuvre aero lodz"),
        ("Liège", "liege"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_fold(text: object, folded: str) -> None:
    assert fold(text) == folded


def test_fold_key_turns_punctuation_into_spaces() -> None:
    assert fold_key("Saint-Ouen") == "saint ouen"
    assert fold_key("  L'Île—d’Yeu (FR)_x ") == "l ile d yeu fr x"
    assert fold_key("Saint-Ouen") == fold_key("saint ouen") == fold_key("SAINT  OUEN")


# --- escaping -------------------------------------------------------------------------------


def test_escape_neutralises_html_and_javascript_templates() -> None:
    hostile = '<img src=x onerror="alert(1)">`${alert(2)}`\\\'end'
    out = escape(hostile)
    for char in "<>\"'`$\\":
        assert char not in out, char
    assert out == ("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#96;&#36;{alert(2)}&#96;&#92;&#x27;end")
    assert escape(None) == "" and escape("Café & co") == "Café &amp; co"


# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "http://example.org/a?b=c#d",
        " https://x.example/ ",
        "HTTPS://EXAMPLE.ORG",
        "https://[::1]:8080/",
        "https://exämple.org",
    ],
)
def test_http_urls_are_accepted(url: str) -> None:
    assert is_http_url(url)
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "ftp://example.org",
        "//example.org",
        "example.org",
        "http://",
        "https:///path",
        "",
        "   ",
        'https://example.org/"onmouseover="x',
        "https://example.org/<script>",
        "https://exa mple.org",
        "https://example.org/\nx",
        "http://[",
        "https://[::1",
        "http://a]b",
        None,
        42,
    ],
)
def test_other_urls_are_refused_without_raising(url: object) -> None:
    assert is_http_url(url) is False
    assert safe_url(url) == ""


# --- countries --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["FR", "BE", "MD", "SN", "CI", "GB", "MQ"])
def test_assigned_codes_are_country_codes(code: str) -> None:
    assert is_country_code(code)


@pytest.mark.parametrize("code", ["XX", "UK", "EU", "fr", "Fr", "FRA", "F", "", " FR", None, 33])
def test_other_values_are_not_country_codes(code: object) -> None:
    assert not is_country_code(code)


@pytest.mark.parametrize(
    ("code", "en", "fr"),
    [
        ("MD", "Moldova", "Moldavie"),
        ("DE", "Germany", "Allemagne"),
        ("BE", "Belgium", "Belgique"),
        ("CI", "Côte d’Ivoire", "Côte d’Ivoire"),
        ("SN", "Senegal", "Sénégal"),
        ("GB", "United Kingdom", "Royaume-Uni"),
    ],
)
def test_country_names_in_english_and_french(code: str, en: str, fr: str) -> None:
    assert country_name(code) == country_name(code, "en") == en
    assert country_name(code, "fr") == fr


def test_unknown_code_or_language() -> None:
    assert country_name("XX", "fr") == "XX"
    assert country_name("MD", "de") == "Moldova"  # unsupported language: English


def test_alpha3() -> None:
    assert alpha3("FR") == "FRA" and alpha3("MD") == "MDA"
    assert alpha3("XX") is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("fr", "FR"),
        (" FRA ", "FR"),
        ("France", "FR"),
        ("Moldavie", "MD"),
        ("moldova", "MD"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Allemagne", "DE"),
        ("Royaume-Uni", "GB"),
        ("SÉNÉGAL", "SN"),
        ("Türkiye", "TR"),
    ],
)
def test_resolve_country(value: str, code: str) -> None:
    assert resolve_country(value) == code


@pytest.mark.parametrize("value", ["Atlantis", "", "  ", None, "XX", "ZZZ", 12])
def test_resolve_country_unknown(value: object) -> None:
    assert resolve_country(value) is None
