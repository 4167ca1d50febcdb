"""Find the atlas's organisations in article text by name and aliases, ignoring case and accents.

A name matches whatever its word separators ("OpenStreetMap", "Open Street Map", "Open-AI"),
and also where the export glued words together ("associativesHelloAsso", "Framasoftles").
A one-word name such as "Orange" or "Vendredi" is not matched when written all in lower case,
where it is a common word (the colour, the weekday).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from atlas.text import fold

_CHUNK = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_GLUED_AFTER = re.compile(r"(?:les|le|la|des|et)\b")


@dataclass(frozen=True)
class KnownOrganisation:
    """An atlas organisation and every name it goes by."""

    id: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class OrgMention:
    """Where an organisation is named in a text."""

    id: str
    text: str
    start: int
    end: int


def load_organisations(path: Path) -> list[KnownOrganisation]:
    """Organisations of an atlas CSV with `id`, `name` and `|`-separated `aliases` columns."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    orgs = []
    for row in rows:
        names = [row.get("name") or "", *(row.get("aliases") or "").split("|")]
        names = [n.strip() for n in names if n.strip()]
        if (row.get("id") or "").strip() and names:
            orgs.append(KnownOrganisation(row["id"].strip(), tuple(dict.fromkeys(names))))
    return orgs


def fold_aligned(text: str) -> str:
    """Lower-case, accent-free copy of `text` with one character per original character."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch.casefold()) if not unicodedata.combining(c))
        out.append(base[0] if base else " ")
    return "".join(out)


class OrganisationMatcher:
    """Finds organisation mentions; overlapping matches keep the longest (\"Fondation Orange\" over \"Orange\")."""

    def __init__(self, organisations: Iterable[KnownOrganisation]) -> None:
        self._patterns: list[tuple[str, re.Pattern[str], bool]] = []
        for org in organisations:
            for name in org.names:
                chunks = _CHUNK.findall(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
                if chunks:
                    pattern = re.compile(r"[\W_]*".join(re.escape(fold(c)) for c in chunks))
                    common_word = len(chunks) == 1 and not name.islower() and not name.isupper()
                    self._patterns.append((org.id, pattern, common_word))

    def find(self, text: str) -> list[OrgMention]:
        """Mentions in reading order, at most one per span of text."""
        folded = fold_aligned(text)
        found: list[OrgMention] = []
        for org_id, pattern, common_word in self._patterns:
            for m in pattern.finditer(folded):
                original = text[m.start() : m.end()]
                if common_word and original.islower():
                    continue
                if _bounded(text, folded, m.start(), m.end()):
                    found.append(OrgMention(org_id, original, m.start(), m.end()))
        found.sort(key=lambda o: (o.start - o.end, o.start))
        kept: list[OrgMention] = []
        for mention in found:
            if all(mention.end <= k.start or mention.start >= k.end for k in kept):
                kept.append(mention)
        return sorted(kept, key=lambda o: o.start)


def _bounded(text: str, folded: str, start: int, end: int) -> bool:
    """Word boundaries around a match, tolerating words glued to it in the export."""
    left = start == 0 or not folded[start - 1].isalnum() or (text[start - 1].islower() and text[start].isupper())
    right = end == len(folded) or not folded[end].isalnum() or bool(_GLUED_AFTER.match(folded, end))
    return left and right
