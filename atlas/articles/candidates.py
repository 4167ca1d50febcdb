"""Names in an article that look like organisations: the candidates for new atlas entries.

A capitalised run of words ("Fondation Abbé Pierre", "La Quadrature du Net", "WeTechCare") is a
candidate when something says it is an organisation:

* a word of an organisation's name in it: Association, Fondation, Foundation, Institut, Network,
  Réseau, Lab, Collectif, Fédération, Alliance, Coopérative, Academy, Agence… ("Open Food Lab");
* a word before it that introduces one: "l'association X", "la start-up X", "the non-profit X",
  "le collectif X", "membre X"…;
* one word with capitals inside it, as brand names are written ("HelloAsso", "OpenStreetMap");
* an acronym right after it in brackets ("Social Good Accelerator (SOGA)").

Places, people's names and the atlas's own entries are not candidates: the caller masks the
organisations it recognised and checks the rest against the atlas with `atlas.matching`.
Each candidate keeps the words that made it one, for the moderator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.articles.language import ENGLISH, FRENCH
from atlas.articles.places import candidates as capitalised_runs
from atlas.text import fold, fold_key

ORG_WORDS = frozenset(
    fold(w)
    for w in """
    association associations asso fondation foundation fund fonds institut institute network networks réseau
    lab labs laboratoire collectif collective fédération federation alliance coopérative cooperative coop
    scic scop academy académie agence agency hub incubator incubateur accelerator accélérateur society
    société union ong ngo council conseil observatoire observatory commission center centre centres
    university université école school campus group groupe consortium cluster forum platform plateforme
    movement mouvement partnership partenariat ventures studio tech""".split()
)
CUES = re.compile(
    r"(?:^|\W)(?:l['’]association|l['’]asso|la fondation|le fonds|le collectif|le reseau|la cooperative|"
    r"la federation|l['’]entreprise|la start-?up|la startup|la societe|l['’]ong|l['’]organisation|"
    r"l['’]organisme|l['’]incubateur|le programme|la plateforme|l['’]initiative|le mouvement|"
    r"the association|the foundation|the non-?profit|the charity|the collective|the network|the company|"
    r"the start-?up|the ngo|the organisation|the organization|the cooperative|the platform|the initiative|"
    r"the movement|membre|member|members|membres|partenaire|partner|partners|partenaires)\W*$"
)
_ACRONYM_AFTER = re.compile(r"^\s*\(\s*([A-Z][A-Za-z0-9&.-]{1,11})\s*\)")
_INNER_CAPS = re.compile(r"^[A-Z]?[a-z]+(?:[A-Z][a-z0-9]+)+$|^[A-Z][a-z]+[A-Z]{2,}[a-z]*$")
_STOP = frozenset(fold(w) for w in FRENCH | ENGLISH)
# Words that lead into a name without being part of it (French articles often are: "La MedNum").
_LEADING = re.compile(
    r"^(?:(?:the|a|an|un|une|des|du|de|en|in|au|aux|à|of|for|pour|par|by|with|avec)\s+|d['’]\s*)+", re.IGNORECASE
)
MAX_WORDS = 7


@dataclass(frozen=True)
class NameFound:
    """A name that looks like an organisation, as written, and why."""

    name: str
    evidence: str


def find_candidates(text: str) -> list[NameFound]:
    """Organisation-like names in `text` (recognised organisations already masked out), first seen first."""
    found: dict[str, NameFound] = {}
    for run in capitalised_runs(text):
        name = _LEADING.sub("", run.text).strip(" -'’")
        words = name.split()
        if not words or len(words) > MAX_WORDS or len(name) < 3 or (name.isupper() and len(words) == 1):
            continue
        if len(words) == 1 and fold(name) in _STOP:
            continue
        evidence = _evidence(name, words, run.before, run.after)
        if evidence:
            found.setdefault(fold_key(name), NameFound(name, evidence))
    return list(found.values())


def _evidence(name: str, words: list[str], before: str, after: str) -> str:
    acronym = _ACRONYM_AFTER.match(after)
    if acronym and len(words) >= 2:
        return f"followed by its acronym ({acronym.group(1)})"
    org_words = [w for w in words if fold(w) in ORG_WORDS]
    if org_words and len(words) >= 2:
        return f"an organisation's word in the name ({org_words[0]})"
    folded = fold(before)
    cue = CUES.search(folded)
    if cue:
        return f"introduced by “{folded[cue.start() :].strip(' ,;:')}”"
    if len(words) == 1 and _INNER_CAPS.match(name) and len(name) >= 5:
        return "written as a brand name"
    return ""
