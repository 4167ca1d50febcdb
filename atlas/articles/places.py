"""Find the places an article mentions: country names (English or French) and gazetteer towns.

Candidates are runs of capitalised words ("Saint-Ouen", "Côte d'Ivoire", "Ljubljana"). A
country name is taken as is. A town needs evidence, because most capitalised words are also
the name of some village somewhere:

* a locative word before it ("à Foligno", "in Mannheim", "entre Compiègne", "commune d'Autrêches";
  not French "en", which mostly comes before common nouns: "en Start up studio");
* its country right after it ("Lille, France", "Bruxelles en Belgique");
* being listed with a place already found ("Foligno et Montefalco", "Compiègne et Soissons").

False friends are refused even then: brands and media named like towns ("Time", "Orange",
"Meta") and any word the text also writes in lower case (a common word). Organisations found
in the text are masked before the search, so "Fondation Orange" never reaches the gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from atlas.articles.language import ENGLISH, FRENCH
from atlas.countries import country_name, resolve_country
from atlas.text import fold, fold_key

# Brands, media and common words that the gazetteer also knows as towns.
FALSE_FRIENDS = frozenset(
    {"time", "orange", "meta", "google", "amazon", "apple", "twitter", "sama", "vendredi", "simplon"}
)

_WORD = r"[A-ZÀ-ÖØ-Þ]\w*(?:-\w+)*"
_SPACE = r"[ \u00a0]+"
# Small words inside place names: "Rio de Janeiro", "Côte d'Ivoire", "Stratford upon Avon".
_LINKS = "de|du|des|la|le|les|sur|di|da|del|do|dos|das|van|von|am|upon|of|the"
_LINK_WORD = rf"{_SPACE}(?:{_LINKS}){_SPACE}|{_SPACE}[dl]['’]"
_LINK_SPLIT = re.compile(_LINK_WORD)
_RUN_BODY = rf"{_WORD}(?:(?:{_LINK_WORD}|{_SPACE}){_WORD})*"
_RUN = re.compile(rf"(?<!\w){_RUN_BODY}")
_CUE_BEFORE = re.compile(
    r"(?:^|\W)(?:a|in|at|near|from|entre|vers|to|pres de|commune d|ville d|city of|based in|located in"
    r"|situe a|situee a|base a|basee a)\W*$"
)
_COUNTRY_AFTER = re.compile(rf"^(?:\s*,\s*|\s*\(\s*|\s+(?:en|in|au|aux)\s+)({_RUN_BODY})")
_LISTED_WITH = re.compile(r"^\s*(?:,|et|and|ou|or)\s*$")
_SENTENCE_START = re.compile(r"(?:^|[^\w\s,'’])\s*$")
_STOP = frozenset(fold(w) for w in FRENCH | ENGLISH)


class GazetteerPlace(Protocol):
    """What the ingest reads from a gazetteer entry (read-only, as `atlas.geocoding.gazetteer.Place` is)."""

    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


class PlaceLookup(Protocol):
    """The part of `atlas.geocoding.gazetteer.Gazetteer` the ingest uses (tests pass a small fake)."""

    def find(self, name: str, country: str | None = None) -> Sequence[GazetteerPlace]: ...

    def has_name(self, name: str) -> bool: ...


@dataclass(frozen=True)
class PlaceMention:
    """A place an article mentions, as the gazetteer or the country list names it."""

    name: str
    country: str
    lat: float | None
    lon: float | None
    geo_precision: str  # city | country
    written: str
    evidence: str

    @property
    def key(self) -> tuple[str, str]:
        return fold_key(self.name), self.country


@dataclass(frozen=True)
class Candidate:
    """A capitalised run of words that may name a place, with its surroundings."""

    text: str
    before: str
    after: str
    sentence_start: bool


@dataclass
class PlaceFinding:
    """What one text gave: places found, capitalised names left unmatched, and town names seen without evidence."""

    places: list[PlaceMention]
    unmatched: list[str]
    unconfirmed: dict[str, Candidate]


def candidates(text: str) -> list[Candidate]:
    """Capitalised runs of `text`, each with up to 40 characters of context on its line."""
    found = []
    for match in _RUN.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        before = text[max(line_start, match.start() - 40) : match.start()]
        found.append(
            Candidate(
                text=match.group(0),
                before=before,
                after=text[match.end() : min(line_end, match.end() + 40)],
                sentence_start=bool(_SENTENCE_START.search(before)),
            )
        )
    return found


class PlaceFinder:
    """Matches candidates against country names and a gazetteer."""

    def __init__(self, gazetteer: PlaceLookup) -> None:
        self.gazetteer = gazetteer

    def find(self, text: str) -> PlaceFinding:
        """Places in `text` (organisation names already masked out by the caller)."""
        lowercase_words = {w for w in re.findall(r"\b[^\W\d_]+\b", text) if w.islower()}
        places: dict[tuple[str, str], PlaceMention] = {}
        unmatched: dict[str, str] = {}
        unconfirmed: dict[str, Candidate] = {}
        previous = ""
        for run in candidates(text):
            listed = bool(previous) and bool(_LISTED_WITH.match(_gap(run.before, previous)))
            mention, town = None, None
            for cand in _sub_candidates(run):
                if fold(cand.text) in FALSE_FRIENDS or (" " not in cand.text and cand.text.lower() in lowercase_words):
                    continue
                mention = self._country(cand.text) or self._town(cand, listed)
                if mention:
                    break
                if town is None and self._is_town_name(cand.text):
                    town = cand
            if mention:
                places.setdefault(mention.key, mention)
            elif town:
                unconfirmed.setdefault(fold_key(town.text), town)
            elif not (run.sentence_start and " " not in run.text) and fold(run.text) not in _STOP:
                unmatched.setdefault(fold_key(run.text), run.text)
            previous = run.text if mention else ""
        return PlaceFinding(list(places.values()), list(unmatched.values()), unconfirmed)

    def confirm(self, cand: Candidate, known: set[tuple[str, str]]) -> PlaceMention | None:
        """A town seen without evidence, accepted when the same place was found elsewhere in the export."""
        for place in self.gazetteer.find(cand.text):
            if (fold_key(place.name), place.country) in known:
                return _town_mention(place, cand.text, "found as a place elsewhere in the input")
        return None

    def _is_town_name(self, name: str) -> bool:
        folded = fold(name)
        return len(name) > 2 and folded not in FALSE_FRIENDS and folded not in _STOP and self.gazetteer.has_name(name)

    @staticmethod
    def _country(name: str) -> PlaceMention | None:
        if len(name) < 4 or name.isupper():
            return None
        code = resolve_country(name)
        if code is None:
            return None
        return PlaceMention(country_name(code, "en"), code, None, None, "country", name, "country name")

    def _town(self, cand: Candidate, listed: bool) -> PlaceMention | None:
        name = cand.text
        if len(name) < 3 or name.isupper() or not self.gazetteer.has_name(name):
            return None
        options = list(self.gazetteer.find(name))
        if not options:
            return None
        country = _country_after(cand.after)
        same_country = [p for p in options if country and p.country == country[0]]
        if country and same_country:
            return _town_mention(same_country[0], name, f"followed by its country ({country[1]})")
        if _CUE_BEFORE.search(fold(cand.before)):
            return _town_mention(options[0], name, "place word before it")
        if listed:
            return _town_mention(options[0], name, "listed with another place")
        return None


def _country_after(after: str) -> tuple[str, str] | None:
    """(code, name) of a country named right after a town: ", France", " en Belgique", " (Italie)"."""
    match = _COUNTRY_AFTER.match(after)
    words = match.group(1).split() if match else []
    for n in range(len(words), 0, -1):
        code = resolve_country(" ".join(words[:n]))
        if code:
            return code, " ".join(words[:n])
    return None


def _gap(before: str, previous: str) -> str:
    """Text between the previous candidate and this one when it sits in `before`, else a non-gap."""
    index = before.rfind(previous) if previous else -1
    return before[index + len(previous) :] if index >= 0 else "\x00"


def _sub_candidates(run: Candidate) -> list[Candidate]:
    """The run itself, then without leading stop words ("À Paris"), then its parts around links.

    Words taken off a run move into the context, so "À Paris" still has its locative word.
    """
    text = run.text
    spans = [(0, len(text))]
    start = 0
    for word in re.finditer(r"\S+[ \u00a0]+", text):
        if fold(word.group()) not in _STOP:
            break
        start = word.end()
        spans.append((start, len(text)))
    cut = start
    for link in _LINK_SPLIT.finditer(text, start):
        spans.extend([(cut, link.start())] if cut < link.start() else [])
        cut = link.end()
    if cut > start:
        spans.append((cut, len(text)))
    return [
        Candidate(text[s:e], run.before + text[:s], text[e:] + run.after, run.sentence_start and s == 0)
        for s, e in dict.fromkeys(spans)
    ]


def _town_mention(place: GazetteerPlace, written: str, evidence: str) -> PlaceMention:
    return PlaceMention(place.name, place.country, place.lat, place.lon, "city", written, evidence)
