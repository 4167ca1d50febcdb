"""`atlas articles ingest`: raw article text in, draft entries for an editor to review out.

Reading (`read_input`), analysing (`ingest_texts`), writing (`write_drafts`) and reporting
(`report`) are separate so tests can feed their own texts, a small fake gazetteer and their own
organisation list. Drafts follow the front matter of `data/articles/*.md`, with what only an
editor can settle left empty (topics, published date, own-words summaries) and the machine's
findings kept under a `draft` key: languages, dates mentioned, extractive summary, unmatched names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from atlas.articles.dates import MentionedDate, find_dates
from atlas.articles.frontmatter import render_front_matter
from atlas.articles.language import language_shares
from atlas.articles.orgs import KnownOrganisation, OrganisationMatcher
from atlas.articles.places import Candidate, PlaceFinder, PlaceLookup, PlaceMention
from atlas.articles.split import RawArticle, split_articles
from atlas.articles.summarise import split_sentences, summarise
from atlas.errors import UnusableInput
from atlas.text import fold_key

MENTIONED = "mentioned in the text"
AUTHOR_PLACE = "where the author signs"
_MASK = "#"


@dataclass
class Draft:
    """One article found in the input, with everything the ingest could tell about it."""

    id: str
    source_file: str
    raw: RawArticle
    languages: dict[str, float]
    dates: list[MentionedDate]
    summary: list[str]
    organisations: list[str]
    places: list[tuple[PlaceMention, str]]
    unmatched: list[str]
    unconfirmed: dict[str, Candidate] = field(default_factory=dict, repr=False)


def read_input(path: Path) -> list[tuple[str, str]]:
    """(file name, text) of a text file, or of every `*.txt` file of a folder; UnusableInput if unreadable."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not files:
            raise UnusableInput(f"{path} is a folder without any .txt file")
    elif path.is_file():
        files = [path]
    else:
        raise UnusableInput(f"{path} does not exist")
    texts = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnusableInput(f"{file} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        except OSError as exc:
            raise UnusableInput(f"cannot read {file}: {exc.strerror or exc}") from exc
        if "\x00" in text:
            raise UnusableInput(f"{file} looks like a binary file, not text")
        texts.append((file.name, text))
    if not any(text.strip() for _, text in texts):
        raise UnusableInput(f"{path} holds no text")
    return texts


def ingest_texts(
    texts: Iterable[tuple[str, str]], gazetteer: PlaceLookup, organisations: Sequence[KnownOrganisation]
) -> list[Draft]:
    """Split every text into articles and analyse each one."""
    matcher, finder = OrganisationMatcher(organisations), PlaceFinder(gazetteer)
    drafts: list[Draft] = []
    ids: set[str] = set()
    for name, text in texts:
        for raw in split_articles(text):
            drafts.append(_analyse(raw, name, matcher, finder, _unique_slug(raw, ids)))
    _confirm_towns(drafts, finder)
    return drafts


def _analyse(raw: RawArticle, source: str, matcher: OrganisationMatcher, finder: PlaceFinder, slug: str) -> Draft:
    text = "\n".join([raw.title_en, raw.title_fr, *raw.subtitles, raw.body])
    mentions = matcher.find(text)
    masked = list(text)
    for m in mentions:
        masked[m.start : m.end] = _MASK * (m.end - m.start)
    found = finder.find("".join(masked))
    signed = finder.find("\n".join(raw.author_details)).places
    places = [(p, MENTIONED) for p in found.places]
    places += [
        (p, AUTHOR_PLACE) for p in signed if p.geo_precision == "city" and p.key not in {q.key for q in found.places}
    ]
    return Draft(
        id=slug,
        source_file=source,
        raw=raw,
        languages=language_shares(split_sentences(raw.body)),
        dates=find_dates(raw.body),
        summary=summarise(raw.body),
        organisations=list(dict.fromkeys(m.id for m in mentions)),
        places=places,
        unmatched=found.unmatched,
        unconfirmed=found.unconfirmed,
    )


def _confirm_towns(drafts: list[Draft], finder: PlaceFinder) -> None:
    """Accept a town seen without evidence in one article when another article placed it."""
    known = {p.key for d in drafts for p, _ in d.places if p.geo_precision == "city"}
    for draft in drafts:
        have = {p.key for p, _ in draft.places}
        for cand in draft.unconfirmed.values():
            mention = finder.confirm(cand, known)
            if mention and mention.key not in have:
                draft.places.append((mention, MENTIONED))
                have.add(mention.key)


def _unique_slug(raw: RawArticle, taken: set[str]) -> str:
    words = fold_key(raw.title_en or raw.title_fr or "untitled").split()
    base = "-".join(words[:8])[:60].strip("-") or "untitled"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def draft_record(draft: Draft) -> dict[str, Any]:
    """The draft as a front-matter mapping shaped like `data/articles/*.md`."""
    raw = draft.raw
    return {
        "id": draft.id,
        "title_en": raw.title_en,
        "title_fr": raw.title_fr,
        "author": raw.author,
        "published": "",
        "published_precision": "",
        "published_note": "",
        "topics": [],
        "organisations": draft.organisations,
        "places": [
            {
                "name": p.name,
                "country": p.country,
                "lat": p.lat,
                "lon": p.lon,
                "geo_precision": p.geo_precision,
                "geo_source": "gazetteer" if p.lat is not None else "",
                "role": role,
            }
            for p, role in draft.places
        ],
        "summary_en": "",
        "summary_fr": "",
        "source": f"{draft.source_file}: {raw.title_en or raw.title_fr}",
        "draft": {
            "title_variants": list(raw.subtitles),
            "label": raw.label,
            "author_details": [re.sub(r"\s*\((?:at)\)\s*", "@", d) for d in raw.author_details],
            "languages": draft.languages,
            "dates_mentioned": [{"text": d.text, "value": d.value, "precision": d.precision} for d in draft.dates],
            "extractive_summary": draft.summary,
            "place_evidence": {p.name: f"{p.written} ({p.evidence})" for p, _ in draft.places},
            "unmatched_names": draft.unmatched,
        },
    }


def write_drafts(drafts: Sequence[Draft], folder: Path, fmt: str) -> list[Path]:
    """One `<id>.md` (front matter) or `<id>.json` file per draft in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for draft in drafts:
        record = draft_record(draft)
        path = folder / f"{draft.id}.{fmt}"
        if fmt == "json":
            path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            path.write_text(render_front_matter(record), encoding="utf-8")
        paths.append(path)
    return paths


def report(drafts: Sequence[Draft], out: TextIO) -> None:
    """Human summary: each article's titles, author, languages, places, organisations and unmatched names."""
    out.write(f"{len(drafts)} article(s) found\n")
    for n, d in enumerate(drafts, 1):
        raw = d.raw
        out.write(f"\n{n}. {raw.title_en or '(no English title)'}\n")
        out.write(f"   fr: {raw.title_fr or '(no French title)'}{f'  [{raw.label}]' if raw.label else ''}\n")
        langs = ", ".join(f"{lang} {share:.0%}" for lang, share in d.languages.items()) or "undecided"
        out.write(f"   author: {raw.author or '(none)'} | languages: {langs}\n")
        dates = ", ".join(x.value for x in d.dates) or "(none)"
        out.write(f"   dates: {dates}\n")
        places = [f"{p.name} ({p.country}{', author' if role == AUTHOR_PLACE else ''})" for p, role in d.places]
        out.write(f"   places: {', '.join(places) or '(none)'}\n")
        out.write(f"   organisations: {', '.join(d.organisations) or '(none)'}\n")
        shown = ", ".join(d.unmatched[:8]) + (", …" if len(d.unmatched) > 8 else "")
        out.write(f"   unmatched names ({len(d.unmatched)}): {shown or '-'}\n")
    distinct_places = {p.key for d in drafts for p, _ in d.places}
    orgs = {o for d in drafts for o in d.organisations}
    out.write(
        f"\nTotal: {len(drafts)} articles, {len(distinct_places)} distinct places, {len(orgs)} organisations; "
        f"{sum(not d.raw.author for d in drafts)} without author, "
        f"{sum(not d.raw.title_en for d in drafts)} without English title, "
        f"{sum(not d.places for d in drafts)} without place, "
        f"{sum(not d.organisations for d in drafts)} without organisation.\n"
    )


def run(
    input_path: Path,
    output: Path | None,
    fmt: str,
    load_gazetteer: Callable[[], PlaceLookup],
    organisations: Sequence[KnownOrganisation],
    out: TextIO,
    err: TextIO,
) -> int:
    """The whole command: 0 when done, 2 (with a message on `err`) when the input cannot be read."""
    try:
        texts = read_input(input_path)
    except UnusableInput as exc:
        err.write(f"atlas articles ingest: cannot use the input: {exc}\n")
        return 2
    drafts = ingest_texts(texts, load_gazetteer(), organisations)
    report(drafts, out)
    if output is not None:
        paths = write_drafts(drafts, output, fmt)
        out.write(f"{len(paths)} draft file(s) written to {output}\n")
    return 0
