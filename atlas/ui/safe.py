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
- `notice(message, items)`: a project message in an info box, the outside items as plain text;
- `choices(items, key, label, on_choose)`: outside texts as the names of buttons (a list of links
  such as an entry's articles), drawn by static/atlas/choices.mjs with `textContent`: Streamlit's
  own buttons render their labels as Markdown.
- `stylesheet(path)`: one of the project's own CSS files under `static/` (never outside text).

Text the project writes (`t(...)`, literals, numbers) may use any element;
`tests/test_safe_display.py` fails when outside text reaches a Markdown element.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from atlas import assets
from atlas.text import text_html
from atlas.ui import state

STRONG = "font-weight: 600"
SMALL = "font-size: 0.875rem; color: #56605f"  # a caption: small, faded yet 6:1 on white (WCAG AA)


def text(value: object) -> None:
    """Outside text as plain text."""
    st.text(str(value))


def strong(value: object) -> None:
    """Outside text in bold (a name, a title)."""
    st.html(text_html(value, STRONG))


def small(value: object) -> None:
    """Outside text in caption size (a byline, a source, a list of places)."""
    st.html(text_html(value, SMALL))


def code(value: object) -> None:
    """Outside text to copy (a link, a snippet of HTML): shown as it is, with Streamlit's copy button."""
    st.code(str(value), language=None, wrap_lines=True)


def notice(message: str, items: Sequence[str], icon: str = "ℹ️") -> None:
    """An info box with the project's `message`; the outside `items` (already cut) as plain text below it."""
    st.info(message, icon=icon)
    st.text("; ".join(items))


@cache
def _choices_component() -> Any:
    return st.components.v2.component(
        "atlas_choices",
        js=(assets.OWN_DIR / "choices.mjs").read_text(encoding="utf-8"),
        css=(assets.OWN_DIR / "choices.css").read_text(encoding="utf-8"),
    )


def choices(
    items: Sequence[tuple[str, str]],
    key: str,
    label: str,
    on_choose: Callable[[str], None],
    current: str = "",
) -> None:
    """A list of buttons named by outside text: `items` are (id, text) pairs; choosing one calls
    `on_choose(id)` before the rerun (like a button's `on_click`). `label` (project text) names the
    list for screen readers; the item whose id is `current` is marked."""

    def chosen() -> None:
        value = state.component_trigger(key, "chosen")
        if value:
            on_choose(value)

    _choices_component()(
        key=key,
        data={"label": label, "items": [{"id": i, "text": str(text), "current": i == current} for i, text in items]},
        on_chosen_change=chosen,
    )


STATIC = Path(__file__).resolve().parents[2] / "static"


def stylesheet(path: Path) -> None:
    """The project's own CSS file `path` (under `static/`), put in the page as a `<style>` element."""
    if path.suffix != ".css" or STATIC not in path.resolve().parents:
        raise ValueError(f"not one of the project's stylesheets: {path}")
    st.html(path)  # a path to a .css file: Streamlit wraps its content in <style> (and adds no space)
