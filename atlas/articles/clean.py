"""Text from the web made plain: what the atlas keeps of a feed or a page is text, never markup.

`plain_text` removes HTML tags (and decodes entities once), Markdown links, images, emphasis
and heading marks, control and bidirectional-override characters, and collapses white space.
What remains is shown literally by the app anyway (`escape_markdown`, `st.text`): this is the
second line of defence, so that no title, author or draft summary even *looks* like markup.
"""

from __future__ import annotations

import html
import re

from atlas.schema import CONTROL

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^<>]*>|<!--.*?-->", re.DOTALL)
_DROP_BLOCKS = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_PARENS = r"\((?:[^()]|\([^()]*\))*\)"  # a link's target, with one level of brackets inside: (javascript:f(1))
_MD_IMAGE = re.compile(rf"!\[([^\]]*)\]{_PARENS}")
_MD_LINK = re.compile(rf"\[([^\]]*)\]{_PARENS}|\[([^\]]*)\]\[[^\]]*\]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")  # terminal escape sequences, whole
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto|javascript|data|vbscript):[^>]*)>", re.IGNORECASE)
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)(?=\S)(.+?)(?<=\S)\1")
_MD_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))", re.MULTILINE)
_SCRIPT_SCHEME = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


def plain_text(value: object, limit: int = 2000, *, lines: bool = False) -> str:
    """`value` as plain text of at most `limit` characters (one line unless `lines`)."""
    if value is None:
        return ""
    text = str(value)
    for _ in range(3):  # entities that decode into tags ("&lt;b&gt;") are removed on the next pass
        before = text
        text = _DROP_BLOCKS.sub(" ", text)
        text = _TAG.sub(" ", text)
        text = html.unescape(text)
        if text == before:
            break
    text = _TAG.sub(" ", text)
    text = _ANSI.sub("", text)
    text = CONTROL.sub("", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_LINE_MARK.sub("", text)
    text = _SCRIPT_SCHEME.sub(lambda m: m.group(0).rstrip(":").rstrip() + " ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if lines:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    else:
        text = " ".join(text.split())
    if len(text) > limit:
        text = text[: max(0, limit - 1)].rstrip() + "…"
    return text
