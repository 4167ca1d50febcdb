"""Text helpers shared by every module: accent/case folding, escaping, URL checks, invisible characters."""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO
from urllib.parse import urlsplit

# Characters that are not text, removed wherever text is cleaned (`clean_text`; the schema's
# CONTROL, so the loader, the importer, the contribution form and moderation): C0 and C1 controls
# but tab and line breaks (NUL, escape sequences…), the bidirectional overrides and isolates that
# can make a name display as another (U+202A–202E, U+2066–2069), and the zero-width and format
# characters that make two equal-looking names differ: U+200B–200F (zero-width space, non-joiner,
# joiner, the left-to-right and right-to-left marks), U+2060–2064 (word joiner, invisible operators)
# and U+FEFF (zero-width no-break space, a BOM in the middle of text). The joiners U+200C/U+200D
# carry meaning in a few scripts (Persian, some Indic scripts, emoji sequences); for the names and
# descriptions of an atlas of European organisations we remove them too (docs/security-data.md).
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# What a terminal must not receive raw: every control character but tab and line feed (a CR or an
# escape sequence rewrites what is shown), the bidirectional controls (U+061C, U+200E/F, U+202A–202E,
# U+2066–2069) and the other invisible characters above, and the line and paragraph separators.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

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


def clean_text(text: str) -> str:
    """`text` without the control, bidirectional and zero-width characters of `INVISIBLE`."""
    return INVISIBLE.sub("", text)


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on or hide (`_TERMINAL`) written as an
    escape (`\\x1b`, `\\u202e`), so a message shows the data as it is and cannot rewrite the screen."""
    return _TERMINAL.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class _TerminalStream:
    """A text stream that writes through `terminal_safe` (everything else is the wrapped stream's)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """While inside, `print` to stdout and stderr goes through `terminal_safe` (the command line's
    messages quote names, values and paths from outside)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalStream(out), _TerminalStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def is_http_url(value: object) -> bool:
    """True for absolute http(s) URLs with a host; False for javascript:, data:, etc., and for URLs
    holding an invisible character (`INVISIBLE`: a link that does not show where it goes)."""
    if not isinstance(value, str) or not value.strip():
        return False
    v = value.strip()
    if any(ord(c) < 32 or c in "<>\"'` " for c in v) or INVISIBLE.search(v):
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
