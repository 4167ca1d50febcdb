"""From a feed item and its page to an article draft: what `atlas articles fetch` proposes.

The analysis is the ingest's (`atlas articles ingest`), on the text trafilatura extracted:

- titles and author from the feed item, the page's metadata and the text's own title block
  and "Un article écrit par …" line (`split.py`); which title is English and which French is
  decided by their words;
- the date the feed gives, else the page's, else the latest year the text mentions (marked as
  inferred in `published_note`);
- the language shares, and an extractive draft summary (TextRank, `summarise.py`) in the
  article's language — marked `summary_status: extractive` until a moderator rewrites both;
- the organisations and ODCs of the atlas named in the text (names and aliases, `orgs.py`),
  then the places (`places.py`, with the organisations masked), geocoded through the
  project's pipeline;
- candidate new organisations (`candidates.py`), checked against every entry of the atlas with
  `atlas.matching`: a name close to a published entry becomes a link to it, one close to a
  pending entry links that entry, one a moderator already refused is not proposed again.

Everything taken from the web passes through `plain_text` (no markup), and the text is cut:
`MAX_KEPT_TEXT` characters are kept for the moderator, `MAX_ANALYSED` are analysed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from atlas.articles.candidates import find_candidates
from atlas.articles.clean import plain_text
from atlas.articles.dates import find_dates
from atlas.articles.feed import FeedItem, Page
from atlas.articles.geocode_places import Geocode
from atlas.articles.language import language_shares, votes
from atlas.articles.orgs import KnownOrganisation, OrganisationMatcher
from atlas.articles.places import PlaceFinder, PlaceLookup
from atlas.articles.split import RawArticle, split_articles
from atlas.articles.summarise import split_sentences, summarise
from atlas.countries import country_name, resolve_country
from atlas.geocoding.models import CACHE_PREFIX
from atlas.matching import LIKELY, similar
from atlas.text import fold_key

MAX_KEPT_TEXT = 100_000
MAX_ANALYSED = 30_000
MAX_TITLE = 300
MAX_SUMMARY = 2_000
EXTRACTIVE = "extractive"
MENTIONED = "mentioned in the text"
AUTHOR_PLACE = "where the author signs"
_MASK = "#"


@dataclass(frozen=True)
class KnownEntry:
    """An entry of the atlas, in any state, as the drafting needs it."""

    id: str
    kind: str  # organisation | odc
    name: str
    aliases: tuple[str, ...] = ()
    state: str = "published"
    country: str = ""


@dataclass(frozen=True)
class OrgLink:
    entry_id: str
    kind: str
    written: str
    evidence: str


@dataclass(frozen=True)
class PlaceLink:
    name: str
    country: str
    lat: float | None
    lon: float | None
    geo_precision: str
    geo_source: str
    role: str
    evidence: str

    def record(self) -> dict[str, Any]:
        """The place as `data/articles/*.md` writes it."""
        return {
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "geo_precision": self.geo_precision,
            "geo_source": self.geo_source,
            "role": self.role,
        }


@dataclass(frozen=True)
class CandidateLink:
    name: str
    evidence: str
    existing: str = ""  # a pending entry already proposed under this name


@dataclass
class ArticleDraft:
    title_en: str
    title_fr: str
    author: str
    published: str
    published_precision: str
    published_note: str
    language: str
    languages: dict[str, float]
    summary: list[str]
    link: str
    text: str
    text_cut: bool = False
    organisations: list[OrgLink] = field(default_factory=list)
    places: list[PlaceLink] = field(default_factory=list)
    candidates: list[CandidateLink] = field(default_factory=list)

    @property
    def summary_text(self) -> str:
        return plain_text(" ".join(self.summary), MAX_SUMMARY)

    def front_matter(self, article_id: str) -> dict[str, Any]:
        """The pending article's front matter: links are added when a moderator accepts them."""
        summary = self.summary_text
        return {
            "id": article_id,
            "title_en": self.title_en,
            "title_fr": self.title_fr,
            "author": self.author,
            "published": self.published,
            "published_precision": self.published_precision,
            "published_note": self.published_note,
            "topics": [],
            "organisations": [],
            "odcs": [],
            "places": [],
            "summary_en": summary if self.language == "en" else "",
            "summary_fr": summary if self.language != "en" else "",
            "summary_status": EXTRACTIVE,
            "source": self.link,
        }


def known_organisations(entries: Sequence[KnownEntry]) -> list[KnownOrganisation]:
    """The published entries as the name matcher reads them (name and aliases)."""
    return [
        KnownOrganisation(e.id, tuple(dict.fromkeys(n for n in (e.name, *e.aliases) if n.strip())))
        for e in entries
        if e.state == "published" and e.name.strip()
    ]


class Drafter:
    """Analyses pages against one state of the atlas (build it once per run)."""

    def __init__(
        self,
        entries: Sequence[KnownEntry],
        gazetteer: PlaceLookup,
        geocode: Geocode | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.entries = list(entries)
        self.kinds = {e.id: e.kind for e in self.entries}
        self.matcher = OrganisationMatcher(known_organisations(self.entries))
        self.finder = PlaceFinder(gazetteer)
        self.gazetteer = gazetteer
        self.geocode = geocode
        self.today = today
        # Every name and alias of every entry, as records for `atlas.matching.similar`.
        self._records = [
            {"id": e.id, "name": n, "country": "", "_state": e.state}
            for e in self.entries
            for n in dict.fromkeys((e.name, *e.aliases))
            if n.strip()
        ]

    def remember(self, entries: Sequence[KnownEntry]) -> None:
        """Entries made since the drafter was built (candidates of earlier pages of the same run)."""
        for e in entries:
            self.entries.append(e)
            self.kinds[e.id] = e.kind
            self._records += [{"id": e.id, "name": n, "country": "", "_state": e.state} for n in (e.name, *e.aliases)]

    def draft(self, item: FeedItem, page: Page) -> ArticleDraft:
        kept = page.text[:MAX_KEPT_TEXT]
        analysed = plain_text(_cut(kept, MAX_ANALYSED), MAX_ANALYSED, lines=True)  # markup written as text goes
        raw = _raw(analysed, item.title or page.title)
        title_en, title_fr = _titles([item.title, page.title, raw.title_en, raw.title_fr, *raw.subtitles])
        body = raw.body
        shares = language_shares(split_sentences(body))
        language = next(iter(shares), "") or _lang(item.language or page.language)
        text = "\n".join([title_en, title_fr, *raw.subtitles, body])
        mentions = self.matcher.find(text)
        masked = list(text)
        for m in mentions:
            masked[m.start : m.end] = _MASK * (m.end - m.start)
        found = self.finder.find("".join(masked))
        signed = self.finder.find("\n".join(raw.author_details)).places
        places = [(p, MENTIONED) for p in found.places]
        places += [
            (p, AUTHOR_PLACE)
            for p in signed
            if p.geo_precision == "city" and p.key not in {q.key for q in found.places}
        ]
        place_links = [self._place(p, role) for p, role in places]
        organisations: list[OrgLink] = []
        for m in mentions:  # each organisation as first written
            if all(o.entry_id != m.id for o in organisations):
                organisations.append(OrgLink(m.id, self.kinds.get(m.id, "organisation"), m.text, "name in the text"))
        masked_text = "".join(masked)
        for written in sorted({p.written for p, _ in places}, key=len, reverse=True):  # places are not organisations
            masked_text = masked_text.replace(written, _MASK * len(written))
        candidates = self._candidates(masked_text, organisations, place_links)
        published, precision, note = self._published(item, page, body)
        summary = [plain_text(s, MAX_SUMMARY) for s in summarise(body)]
        author = plain_text(item.author or page.author or raw.author, 200)
        return ArticleDraft(
            title_en=title_en,
            title_fr=title_fr,
            author=author,
            published=published,
            published_precision=precision,
            published_note=note,
            language=language,
            languages=shares,
            summary=summary,
            link=item.link or page.url,
            text=kept,
            text_cut=len(page.text) > MAX_KEPT_TEXT,
            organisations=organisations,
            places=place_links,
            candidates=candidates,
        )

    def _place(self, p: Any, role: str) -> PlaceLink:
        lat, lon, precision, source = p.lat, p.lon, p.geo_precision, "gazetteer" if p.lat is not None else ""
        if self.geocode is not None:
            result = self.geocode(None if p.geo_precision == "country" else p.name, p.country)
            if result is not None:
                lat, lon = round(float(result.lat), 5), round(float(result.lon), 5)
                precision, source = result.geo_precision, result.geo_source.removeprefix(CACHE_PREFIX)
        return PlaceLink(p.name, p.country, lat, lon, precision, source, role, f"{p.written} ({p.evidence})")

    def _candidates(self, text: str, recognised: list[OrgLink], places: list[PlaceLink]) -> list[CandidateLink]:
        out: dict[str, CandidateLink] = {}
        known_ids = {o.entry_id for o in recognised}
        place_keys = {fold_key(p.name) for p in places} | {fold_key(country_name(p.country, "fr")) for p in places}
        for name in find_candidates(text):
            key = fold_key(name.name)
            if key in place_keys or resolve_country(name.name):
                continue
            if " " not in name.name.strip() and self.gazetteer.has_name(name.name):
                continue  # a one-word town name
            match = similar({"name": name.name}, self._records, limit=1, threshold=LIKELY)
            if match:
                state = next(r["_state"] for r in self._records if r["id"] == match[0].id)
                if state == "published":
                    if match[0].id not in known_ids:
                        known_ids.add(match[0].id)
                        recognised.append(
                            OrgLink(
                                match[0].id,
                                self.kinds.get(match[0].id, "organisation"),
                                name.name,
                                f"similar name ({match[0].score:.0%})",
                            )
                        )
                elif state == "pending":
                    out.setdefault(match[0].id, CandidateLink(name.name, name.evidence, existing=match[0].id))
                continue  # refused, withdrawn or a duplicate: not proposed again
            out.setdefault(key, CandidateLink(name.name, name.evidence))
        return list(out.values())

    def _published(self, item: FeedItem, page: Page, body: str) -> tuple[str, str, str]:
        if item.published:
            return item.published, "day", "the date the feed gives"
        if page.date:
            return page.date, "day", "the date the page gives"
        this_year = self.today().year
        years = sorted({d.value[:4] for d in find_dates(body) if d.value[:4].isdigit()})
        years = [y for y in years if int(y) <= this_year]
        if years:
            return years[-1], "year", "inferred: the latest year the text mentions (draft, check it)"
        return "", "", "no date in the feed, the page or the text"


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters, ending at a line break when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


def _raw(text: str, title: str) -> RawArticle:
    """The page's text as one article (titles, body, author block); `title` heads it when missing."""
    lines = [line for line in text.splitlines() if line.strip()]
    if title and (not lines or fold_key(lines[0]) != fold_key(title)):
        lines.insert(0, title)
    parts = split_articles("\n".join(lines))
    if not parts:
        return RawArticle("", "", (), "", "", "", ())
    first = parts[0]
    body = "\n".join(p.body for p in parts if p.body)
    author = next((p.author for p in parts if p.author), "")
    details = next((p.author_details for p in parts if p.author), ())
    return RawArticle(first.title_en, first.title_fr, first.subtitles, first.label, body, author, details)


def _titles(options: list[str]) -> tuple[str, str]:
    """(English title, French title) among the titles found, each plain text ("" when none)."""
    seen: dict[str, str] = {}
    for option in options:
        clean = plain_text(option, MAX_TITLE)
        if clean and fold_key(clean) not in seen:
            seen[fold_key(clean)] = clean
    english, french, other = "", "", []
    for title in seen.values():
        v = votes(title)
        if v["en"] > v["fr"] and not english:
            english = title
        elif v["fr"] > v["en"] and not french:
            french = title
        elif v["en"] == v["fr"]:
            other.append(title)
    for title in other:
        if not french and title != english:
            french = title
        elif not english and title != french:
            english = title
    return english, french


def _lang(code: str) -> str:
    code = code.lower()[:2]
    return code if code in ("en", "fr") else ""
