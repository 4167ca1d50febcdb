"""The only ways the page shows text that comes from outside: a URL, a data file, an article, a visitor.

THE RULE: outside text is never Markdown. It goes through one of these functions, and never into
`st.markdown`, `st.caption`, `st.info`/`warning`/`error`/`success`, `st.write`, titles and headers,
widget labels, `help=` tooltips or `st.html` directly: Streamlit renders Markdown in all of those.

Why not escape it for Markdown instead: Streamlit's Markdown cannot be escaped completely. Its
renderer (react-markdown with remark-gfm, remark-math, remark-directive and Streamlit's own
plugins) turns `www.…`, `https://…` and e-mail addresses into links, `:streamlit:` into an image,
`:material/…:` into an icon and ` -> ` into an arrow *after* backslash escapes are resolved, so an
escaped `www\\.example\\.org` is still a link; even a code span has `:material/` rewritten.

So:
- `text(value)`: plain text (`st.text` parses neither Markdown nor HTML);
- `strong(value)`, `small(value)`: the same text in bold or caption size: HTML-escaped into one
  `<div>` the project builds (`st.html`, which parses no Markdown; see `atlas.text.text_html`);
- `notice(message, items)`: a project message in an info box, the outside items as plain text.

Text the project writes (`t(...)`, literals, numbers) may use any element;
`tests/test_safe_display.py` fails when outside text reaches a Markdown element.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from atlas.text import text_html

STRONG = "font-weight: 600"
SMALL = "font-size: 0.875rem; opacity: 0.6"  # Streamlit's caption: small, faded


def text(value: object) -> None:
    """Outside text as plain text."""
    st.text(str(value))


def strong(value: object) -> None:
    """Outside text in bold (a name, a title)."""
    st.html(text_html(value, STRONG))


def small(value: object) -> None:
    """Outside text in caption size (a byline, a source, a list of places)."""
    st.html(text_html(value, SMALL))


def notice(message: str, items: Sequence[str], icon: str = "ℹ️") -> None:
    """An info box with the project's `message`; the outside `items` (already cut) as plain text below it."""
    st.info(message, icon=icon)
    st.text("; ".join(items))
