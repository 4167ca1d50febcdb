"""Split a plain-text export of several articles into one `RawArticle` each.

The export runs articles one after another: a title block (an English title line, then the
French title, often repeated or slightly reworded, sometimes with a label such as
"Communiqué de presse" or no English title at all), the body, and often an author block
("Un article écrit par" + name, role, e-mail, city) glued to the next title. Work happens on the
non-blank lines:

* an author block always ends an article, and the next line starts a new one;
* elsewhere a new article starts where lines look like a title block: two short title-like
  lines that repeat each other (or a title line followed by such a repeated pair), or an English
  title line followed by two French ones and then the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from atlas.articles.language import votes
from atlas.countries import resolve_country
from atlas.text import fold, fold_key

LABELS = frozenset({"communique de presse", "press release", "communique"})
MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 200
NEAR_DUPLICATE = 0.8
MAX_MARKER_WORDS = 8  # "Rédigé par 19 États membres, ce rapport …" opens a sentence, not an author block

_AUTHOR_MARKER = re.compile(
    r"^(?:un |an )?(?:article )?(?:ecrit|redige|written) (?:par|by)\b\s*:?\s*|^(?:an )?article by\b\s*:?\s*"
)
_EMAIL = re.compile(r"\S+\s*(?:@|\(at\)|\[at\])\s*\S+\.\w+", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(?:charge|chargee|responsable|directeur|directrice|director|co-directrice|president|presidente|"
    r"manager|officer|coordinat\w*|communication|community|communaute|affaires publiques|public affairs|"
    r"head of|chef de|stagiaire|intern|fondat\w*|founder|ceo|delegue\w*|policy|plaidoyer|advocacy)\b"
)
_BULLET = re.compile(r"^(?:[•\-*–✔➢►▪●]|\d+[.)]\s)")


@dataclass(frozen=True)
class RawArticle:
    """One article as cut out of the export, before any analysis."""

    title_en: str
    title_fr: str
    subtitles: tuple[str, ...]
    label: str
    body: str
    author: str
    author_details: tuple[str, ...]


def split_articles(text: str) -> list[RawArticle]:
    """Cut `text` into articles, in order; an article whose first line is not title-like has no title."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    articles: list[RawArticle] = []
    i = 0
    while i < len(lines):
        titles, label, i = _title_block(lines, i)
        body_start = i
        author = ""
        details: tuple[str, ...] = ()
        while i < len(lines):
            marker = _author_marker(lines[i])
            if marker:
                body_end = i
                same_line_name = " ".join(lines[i].split()[len(marker.group(0).split()) :])
                author, details, i = _author_block(lines, i, same_line_name)
                break
            if i > body_start and _starts_article(lines, i):
                body_end = i
                break
            i += 1
        else:
            body_end = i
        articles.append(_raw_article(titles, label, "\n".join(lines[body_start:body_end]), author, details))
    return articles


def _author_marker(line: str) -> re.Match[str] | None:
    return _AUTHOR_MARKER.match(fold(line)) if len(line.split()) <= MAX_MARKER_WORDS else None


def is_title_like(line: str) -> bool:
    """A short line that does not end like a sentence and is not a bullet, an e-mail or a link."""
    words = line.split()
    return (
        0 < len(words) <= MAX_TITLE_WORDS
        and len(line) <= MAX_TITLE_CHARS
        and not line.rstrip().endswith((".", ":", ";", ","))
        and not _BULLET.match(line)
        and not _EMAIL.search(line)
        and "://" not in line
    )


def is_english(line: str) -> bool:
    """More English than French stop words."""
    v = votes(line)
    return v["en"] > v["fr"]


def _is_french(line: str) -> bool:
    v = votes(line)
    return v["fr"] > v["en"]


def _near_duplicate(a: str, b: str) -> bool:
    ka, kb = fold_key(a), fold_key(b)
    return ka == kb or SequenceMatcher(None, ka, kb).ratio() >= NEAR_DUPLICATE


def _starts_article(lines: list[str], i: int) -> bool:
    """Whether a title block starts at line `i` (see the module docstring)."""
    window = lines[i : i + 4]
    if len(window) < 2 or not all(is_title_like(line) for line in window[:2]):
        return False
    if _near_duplicate(window[0], window[1]):
        return True
    if len(window) < 3 or not is_title_like(window[2]):
        return False
    if _near_duplicate(window[1], window[2]):
        # Not when the repetition goes on: then the block starts one line later.
        return len(window) < 4 or not _near_duplicate(window[2], window[3])
    return (
        is_english(window[0])
        and votes(window[0])["en"] >= 2
        and _is_french(window[1])
        and _is_french(window[2])
        and (len(window) < 4 or not is_title_like(window[3]))
    )


def _title_block(lines: list[str], i: int) -> tuple[list[str], str, int]:
    """Title lines (labels apart) from line `i`, the label if any, and the index after the block."""
    titles: list[str] = []
    label = ""
    while i < len(lines) and is_title_like(lines[i]) and not _author_marker(lines[i]):
        line = lines[i]
        if fold_key(line) in LABELS:
            label = label or line
        elif len(titles) < 2 or _third_title(lines, i, titles):
            titles.append(line)
        else:
            break
        i += 1
        if len(titles) == 3:
            break
    return titles, label, i


def _third_title(lines: list[str], i: int, titles: list[str]) -> bool:
    """A third title line: a repeat of the second, or a French variant right before the body."""
    if _near_duplicate(lines[i], titles[-1]):
        return True
    following = lines[i + 1] if i + 1 < len(lines) else ""
    return _is_french(lines[i]) and not is_title_like(following)


def _author_block(lines: list[str], i: int, same_line_name: str) -> tuple[str, tuple[str, ...], int]:
    """Author name, contact/role lines and the index after the block starting at marker line `i`."""
    i += 1
    name = same_line_name
    if not name and i < len(lines) and len(lines[i].split()) <= 8 and not _starts_article(lines, i):
        name, i = lines[i], i + 1
    details: list[str] = []
    while i < len(lines) and len(details) < 4 and _is_contact_line(lines, i):
        details.append(lines[i])
        i += 1
    return name.strip(" ,"), tuple(details), i


def _is_contact_line(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _EMAIL.search(line) and len(line.split()) <= 4:
        return True
    if len(line.split()) <= 6 and resolve_country(line.rsplit(",", 1)[-1].strip()):
        return True
    return bool(_ROLE_WORDS.search(fold(line))) and len(line.split()) <= 15 and not _starts_article(lines, i)


def _raw_article(titles: list[str], label: str, body: str, author: str, details: tuple[str, ...]) -> RawArticle:
    distinct: list[str] = []
    for title in titles:
        if all(fold_key(title) != fold_key(seen) for seen in distinct):
            distinct.append(title)
    title_en = distinct.pop(0) if distinct and is_english(distinct[0]) else ""
    title_fr = distinct.pop(0) if distinct else ""
    return RawArticle(title_en, title_fr, tuple(distinct), label, body, author, details)
