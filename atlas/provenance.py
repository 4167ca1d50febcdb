"""An entry's `source` column, as a reader would read it.

The column is written for the people who keep the atlas: clauses separated by `;`, such as

    seed: "Emmaüs Connect becomes a member of the Social Good Accelerator!"
    research: odc_and_headquarters.md (fr.wikipedia.org; lalibre.be 2022-06-21, high: first learners…)
    public: seat in Brussels (general knowledge, high)

`parse_source` reads it into `Clause`s; `reader_sources` turns those into short sentences in the
page's language: the article's title for a `seed:` clause, the public sites (with how sure the
fact is, in words) for `research:` and `public:` ones. Internal words (file names, notes after a
colon) are left out; text that follows no known form (a visitor's proposal, an import) is shown
as it is. The downloads keep the raw column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from atlas import labels
from atlas.articles.model import Article
from atlas.i18n import N_, t
from atlas.text import fold

KINDS = ("seed", "research", "public")
CONFIDENCES = ("low", "medium", "high")  # weakest first
# Sources that are not web sites, as the research notes name them -> translation key.
BASES = {
    "general knowledge": N_("source_basis_general"),
    "legal notice": N_("source_basis_legal_notice"),
    "contract notice": N_("source_basis_contract_notice"),
    "association statutes": N_("source_basis_statutes"),
}
_CLAUSE_START = re.compile(r"\s*(seed|research|public)\s*:\s*", re.IGNORECASE)
_HOST = re.compile(r"(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-])", re.IGNORECASE)
_CONFIDENCE = re.compile(r"^\s*(high|medium|low)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """One clause of a source: what kind, and what a reader needs of it."""

    kind: str  # "seed", "research", "public", or "other" (text in no known form)
    title: str = ""  # seed: the article's title as cited
    sites: tuple[str, ...] = ()  # research/public: the web sites cited (host names, lower case)
    bases: tuple[str, ...] = ()  # research/public: other sources, as keys of BASES
    confidence: str = ""  # research/public: "high", "medium", "low" (the weakest given), or ""
    raw: str = ""  # the clause as written


def _top_level_split(text: str, sep: str) -> list[str]:
    """`text` cut at each `sep` outside quotes and parentheses."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth = max(0, depth - 1)
        elif not quoted and depth == 0 and ch == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _clauses(text: str) -> list[str]:
    """The clauses of a source: cut at the top-level `;` that start a known kind (`seed:`…)."""
    out: list[str] = []
    for piece in _top_level_split(text, ";"):
        if out and not _CLAUSE_START.match(piece):
            out[-1] += ";" + piece  # a `;` inside free text: not a new clause
        else:
            out.append(piece)
    return [c.strip() for c in out if c.strip()]


def _parenthesis(text: str) -> str | None:
    """The content of the last top-level parenthesis of `text` (None when it has none)."""
    depth, start, last = 0, -1, None
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                last = text[start:i]
    return last


def _cited(body: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Sites, other sources and confidence of a research/public clause's parenthesis.

    The parenthesis reads `<sources>, <confidence>[: note]`, sources separated by `;` (each a site,
    maybe with a date, or words such as "general knowledge"), the confidence maybe qualified
    ("medium (country), low (city)"): the weakest counts.
    """
    head = _top_level_split(body, ":")[0]
    pieces = _top_level_split(head, ",")
    sources: list[str] = []
    levels: list[str] = []
    for piece in pieces:
        level = _CONFIDENCE.match(piece)
        if level and sources:
            levels.append(level.group(1).lower())
        elif not levels:
            sources.append(piece)
    sites: list[str] = []
    bases: list[str] = []
    for source in ",".join(sources).split(";"):
        hosts = [h.lower() for h in _HOST.findall(source)]
        sites += [h.removeprefix("www.") for h in hosts]
        if not hosts:
            words = fold(source)
            bases += [b for b in BASES if words.startswith(b)]
    confidence = min(levels, key=CONFIDENCES.index) if levels else ""
    return tuple(dict.fromkeys(sites)), tuple(dict.fromkeys(bases)), confidence


def parse_clause(text: str) -> Clause:
    """One clause (see the module's docstring); text in no known form is kind "other"."""
    raw = text.strip()
    start = _CLAUSE_START.match(raw)
    if not start:
        return Clause("other", raw=raw)
    kind, rest = start.group(1).lower(), raw[start.end() :].strip()
    if kind == "seed":
        title = rest.strip()
        if len(title) >= 2 and title[0] == title[-1] == '"':
            title = title[1:-1]
        return Clause("seed", title=title.strip(), raw=raw) if title.strip() else Clause("other", raw=raw)
    body = _parenthesis(rest)
    if body is None:
        return Clause("other", raw=raw)
    sites, bases, confidence = _cited(body)
    if not sites and not bases:
        return Clause(kind, confidence=confidence, raw=raw)
    return Clause(kind, sites=sites, bases=bases, confidence=confidence, raw=raw)


def parse_source(text: object) -> tuple[Clause, ...]:
    """Every clause of a `source` cell, in order; never raises."""
    if not isinstance(text, str) or not text.strip():
        return ()
    return tuple(parse_clause(c) for c in _clauses(text))


def title_index(titles: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Folded title -> article id, from (id, titles in every language) pairs (the first id wins)."""
    index: dict[str, str] = {}
    for article_id, names in titles:
        for name in names:
            if name:
                index.setdefault(fold(name), article_id)
    return index


def reader_sources(
    source: object,
    lang: str,
    articles: Mapping[str, str] | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[str]:
    """The sources of an entry as short sentences in `lang`, each once.

    `articles` maps a folded cited title to an article id (`title_index`) and `titles` an article id
    to its title in `lang`: a `seed:` clause naming a known article shows that article's title in
    the page's language, others the title as cited.
    """
    lines: list[str] = []
    for clause in parse_source(source):
        line = _reader_line(clause, lang, articles or {}, titles or {})
        if line and line not in lines:
            lines.append(line)
    return lines


def _reader_line(clause: Clause, lang: str, articles: Mapping[str, str], titles: Mapping[str, str]) -> str:
    if clause.kind == "other":
        return clause.raw
    if clause.kind == "seed":
        article_id = articles.get(fold(clause.title), "")
        return t("source_article", lang, title=titles.get(article_id) or clause.title)
    named = list(clause.sites) + [t(BASES[b], lang) for b in clause.bases]
    if not named:
        return ""
    key = N_("source_public") if clause.sites and len(named) == 1 else N_("source_public_many")
    if not clause.sites:
        key = N_("source_basis")
    line = t(key, lang, sites=", ".join(named))
    if clause.confidence:
        line += " " + t(labels.SOURCE_CONFIDENCE[clause.confidence], lang)
    return line


def mention_items(articles: Sequence[Article], lang: str) -> list[tuple[str, str]]:
    """(article id, how it reads) for an entry's "Mentioned in" list: each article once, and two
    articles with the same title in `lang` told apart by their author and date (or a number)."""
    unique = list({a.id: a for a in articles}.values())
    same = Counter(fold(a.title(lang)) for a in unique)
    items: list[tuple[str, str]] = []
    for article in unique:
        label = article.title(lang)
        if same[fold(label)] > 1:
            detail = ", ".join(p for p in (article.author, article.published) if p)
            label = f"{label} ({detail})" if detail else label
        items.append((article.id, label))
    seen = Counter(label for _, label in items)
    numbers: Counter[str] = Counter()
    out = []
    for article_id, label in items:
        if seen[label] > 1:
            numbers[label] += 1
            label = f"{label} ({numbers[label]})"
        out.append((article_id, label))
    return out
