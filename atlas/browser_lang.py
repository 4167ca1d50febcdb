"""The language of a first visit: what the browser asks for (`Accept-Language`), among the atlas's.

A French browser gets the French atlas on its first page (issue 25, item 7); afterwards the
visitor's own choice rules, kept in the session and in the page's address (`atlas.ui.state`).
The header is read as RFC 9110 says (tags by their `q` weight, `q=0` meaning "not this one") and
matched with Babel's negotiation (`fr-CA` finds `fr`).
"""

from __future__ import annotations

from babel import Locale

from atlas.i18n import DEFAULT_LANG, LANGS

MAX_HEADER = 1000  # characters of the header read (a browser sends a few dozen)
MAX_TAGS = 20


def preferred(header: str | None) -> list[str]:
    """The language tags of an `Accept-Language` header, most wanted first (ties: in order)."""
    tags: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "")[:MAX_HEADER].split(",")[:MAX_TAGS]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            tags.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(tags)]


def negotiate(header: str | None, locale: str | None = None) -> str:
    """The atlas language for a browser: its `Accept-Language` header, else its locale
    (`navigator.language`), else English."""
    wanted = preferred(header) or ([locale] if locale else [])
    try:
        found = Locale.negotiate(wanted, list(LANGS), sep="-")
    except (ValueError, TypeError):
        found = None
    language = found.language if found is not None else DEFAULT_LANG
    return language if language in LANGS else DEFAULT_LANG
