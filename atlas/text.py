"""Text helpers shared by every module: accent/case folding, escaping, URL checks."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
# Letters that NFKD does not decompose into a base letter plus accent.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th"})


def fold(text: object) -> str:
    """Lower-case, strip accents and collapse spaces: "Chișinău " -> "chisinau"."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text).casefold().translate(_SPECIAL))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _SPACES.sub(" ", s).strip()


def fold_key(text: object) -> str:
    """`fold` plus punctuation and hyphens as spaces: "Saint-Ouen" -> "saint ouen"."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(text)).replace("_", " ")).strip()


def escape(text: object) -> str:
    """Make any data string safe inside HTML *and* inside a JavaScript template literal.

    HTML-escapes (quotes included), then neutralises the characters that still
    act inside a JS string or template: backtick, dollar and backslash.
    """
    if text is None:
        return ""
    s = html.escape(str(text), quote=True)
    return s.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def is_http_url(value: object) -> bool:
    """True for absolute http(s) URLs with a host; False for javascript:, data:, etc."""
    if not isinstance(value, str) or not value.strip():
        return False
    v = value.strip()
    if any(ord(c) < 32 or c in "<>\"'` " for c in v):
        return False
    try:
        parts = urlsplit(v)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 host)
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def safe_url(value: object) -> str:
    """The URL if it is http(s), otherwise an empty string (never rendered as a link)."""
    return value.strip() if isinstance(value, str) and is_http_url(value) else ""


def text_html(text: object, style: str = "") -> str:
    """`text` as the whole content of one `<div>` the project builds: every character shows as itself.

    `escape` leaves no `<`, `&` or quote of the text, so nothing in it can open a tag, an attribute,
    an entity or a comment, and HTML knows no Markdown, autolinks, directives or math. `style` is
    the project's own CSS, never outside text.
    """
    if any(c in style for c in '<>"&'):
        raise ValueError("style must be plain CSS")
    return f'<div style="{style}">{escape(text)}</div>'
