"""The first visit's language from the browser's Accept-Language (atlas/browser_lang.py, issue 25 item 7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atlas.browser_lang import negotiate, preferred


@pytest.mark.parametrize(
    ("header", "locale", "expected"),
    [
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", None, "fr"),  # Chrome in French
        ("fr-CA", None, "fr"),
        ("FR-be", None, "fr"),
        ("en-US,en;q=0.9", None, "en"),
        ("de-DE,de;q=0.9,fr;q=0.5,en;q=0.3", None, "fr"),  # the best the atlas has
        ("en;q=0.1, fr;q=0.9", None, "fr"),  # by weight, not by order
        ("fr;q=0, en", None, "en"),  # q=0: not this one
        ("de", None, "en"),  # nothing the atlas speaks: English
        ("", "fr-FR", "fr"),  # no header: the browser's locale
        (None, None, "en"),
    ],
)
def test_the_browser_language_picks_the_atlas_language(header, locale, expected) -> None:
    assert negotiate(header, locale) == expected


def test_preferred_tags_by_weight_then_order() -> None:
    assert preferred("a;q=0.5, b, c;q=0.5, d;q=bad, *") == ["b", "a", "c"]


@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=20)))
def test_any_header_gives_a_language_of_the_atlas(header: str, locale: str | None) -> None:
    assert negotiate(header, locale) in ("en", "fr")
