"""The bundled data says no more than its sources (issue 11).

Two checks that can be made from the repository's `data/` alone:

- `geo_precision` never claims a place more precisely than the confidence recorded in the row's
  `source`: a city known only with low confidence is not mapped as a city;
- French prose uses the French names of places (Bruxelles, not Brussels).

How `source` records confidence (README, "The data"): clauses are separated by `;`; a
`research: FILE (…)` or `public: FACT (…)` clause ends with `(where it was read, confidence[: note])`,
the confidence being `high`, `medium` or `low`, for the whole place or per level, e.g.
`medium (country), low (city)`. It rates the place the row is mapped at.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from atlas.articles.model import load_articles

DATA = Path(__file__).resolve().parents[1] / "data"
CSV_FILES = ("organisations.csv", "odc.csv")

LEVELS = {"low": 0, "medium": 1, "high": 2}
SCOPES = "address|city|region|country"
# Precisions that name a place smaller than a region: they need a city known with at least this level.
CITY_PRECISIONS = {"address", "city"}
CITY_MINIMUM = LEVELS["medium"]

_STATEMENT = re.compile(rf"(high|medium|low)(?:\s*\(\s*({SCOPES})\s*\)|\s+({SCOPES}))?")

# English names of places that French writes differently: the cities the atlas names (or could
# soon name), plus a few of its countries and regions. A place spelt alike in both (Tunis, Dakar,
# Madrid, Ljubljana…) needs no entry.
FRENCH_NAMES = {
    "Addis Ababa": "Addis-Abeba",
    "Algiers": "Alger",
    "Antwerp": "Anvers",
    "Athens": "Athènes",
    "Barcelona": "Barcelone",
    "Bucharest": "Bucarest",
    "Brussels": "Bruxelles",
    "Cairo": "Le Caire",
    "Copenhagen": "Copenhague",
    "Edinburgh": "Édimbourg",
    "Geneva": "Genève",
    "Ghent": "Gand",
    "Lisbon": "Lisbonne",
    "London": "Londres",
    "Marrakesh": "Marrakech",
    "Moscow": "Moscou",
    "Nicosia": "Nicosie",
    "Seville": "Séville",
    "The Hague": "La Haye",
    "Venice": "Venise",
    "Vienna": "Vienne",
    "Warsaw": "Varsovie",
    # countries and regions the atlas names
    "Belgium": "Belgique",
    "Cameroon": "Cameroun",
    "Czechia": "Tchéquie",
    "Ethiopia": "Éthiopie",
    "Moldova": "Moldavie",
    "Poland": "Pologne",
    "Romania": "Roumanie",
    "Slovakia": "Slovaquie",
    "Spain": "Espagne",
    "Tunisia": "Tunisie",
    "Umbria": "Ombrie",
}
_ENGLISH_NAME = {english: re.compile(rf"(?<![\w-]){re.escape(english)}(?![\w-])") for english in FRENCH_NAMES}


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def all_rows() -> list[tuple[str, dict[str, str]]]:
    return [(name, row) for name in CSV_FILES for row in rows(name)]


def top_level_split(text: str, separator: str = ";") -> list[str]:
    """`text` cut at `separator` outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth = max(depth - 1, 0)
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def last_group(clause: str) -> str | None:
    """What is inside the parentheses that end `clause`, or None when it does not end with one."""
    if not clause.endswith(")"):
        return None
    depth = 0
    for i in range(len(clause) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(clause[i], 0)
        if depth == 0:
            return clause[i + 1 : -1]
    return None


def confidence_parts(source: str) -> list[str]:
    """The `where read, confidence` text of every `research:` and `public:` clause ("" when it has none)."""
    parts = []
    for clause in top_level_split(source):
        if clause.startswith(("research:", "public:")):
            inner = last_group(clause)
            parts.append("" if inner is None else top_level_split(inner, ":")[0])
    return parts


def statements(part: str) -> list[tuple[int, str | None]]:
    """(level, scope) of the confidences that end `part`, e.g. `…, medium (country), low (city)`; scope None: all."""
    found = []
    for segment in reversed(top_level_split(part, ",")):
        match = _STATEMENT.fullmatch(segment)
        if match is None:
            break
        found.append((LEVELS[match[1]], match[2] or match[3]))
    return found


def city_confidence(source: str) -> int | None:
    """Best recorded confidence in the row's city (or street), or None when the source records none."""
    found = [
        level
        for part in confidence_parts(source)
        for level, scope in statements(part)
        if scope in (None, "city", "address")
    ]
    return max(found) if found else None


# --- the parser itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('seed: "A"; research: odc_and_headquarters.md (lalibre.be 2022-06-21, high: first learners spring 2022)', 2),
        (
            "research: odc_and_headquarters.md (adevarul.ro, medium (country), low (city): "
            "planned in the seed (Sept 2022))",
            0,
        ),
        ("research: odc_and_headquarters.md (agenceecofin.com; africanewsagency.fr, high)", 2),
        ("research: odc_and_headquarters.md (digitalmagazine.bf 2023-10-26, medium (city): open before 2023)", 1),
        ("research: odc_and_headquarters.md (general knowledge, low); public: example.org (Foligno, medium)", 1),
        ("research: odc_and_headquarters.md (seed only, low (country): planned in Sept 2022)", None),
        ('seed: "Rapport d’activité 2021"', None),
        ("public: BeCode moved into BeCentral (Cantersteen 10) in 2017 (bx1.be 2017; trends.levif.be, high)", 2),
    ],
)
def test_city_confidence_is_read_from_source(source: str, expected: int | None) -> None:
    assert city_confidence(source) == expected


@pytest.mark.parametrize(
    ("source", "parts"),
    [
        ("public: causette.fr; lemoniteur77.com (Melun, high)", [""]),  # the sites belong inside the parentheses
        ("research: odc_and_headquarters.md (general knowledge)", ["general knowledge"]),
        ("research: odc_and_headquarters.md", [""]),
    ],
)
def test_malformed_clauses_state_no_confidence(source: str, parts: list[str]) -> None:
    assert confidence_parts(source) == parts
    assert not all(statements(part) for part in parts)


def test_every_research_or_public_clause_states_a_confidence() -> None:
    missing = [
        f"{name} {row['id']}: {part!r}"
        for name, row in all_rows()
        for part in confidence_parts(row["source"])
        if not statements(part)
    ]
    assert missing == []


# --- the data ------------------------------------------------------------------------------


def test_geo_precision_is_consistent_with_recorded_confidence() -> None:
    """A place mapped as a city (or street) is one whose city the sources give with medium or high confidence."""
    overclaimed = []
    for name, row in all_rows():
        confidence = city_confidence(row["source"])
        if row["geo_precision"] in CITY_PRECISIONS and confidence is not None and confidence < CITY_MINIMUM:
            overclaimed.append(
                f"{name} {row['id']}: geo_precision={row['geo_precision']} "
                f"but the source rates the city low: {row['source']}"
            )
    assert overclaimed == []


def test_a_named_city_is_what_the_point_shows() -> None:
    """A row mapped at country level names no city: the city it leaves out is in `source`."""
    mismatched = [
        f"{name} {row['id']}: city={row['city']!r} with geo_precision=country"
        for name, row in all_rows()
        if row["geo_precision"] == "country" and row["city"].strip()
    ]
    assert mismatched == []


def french_texts() -> list[tuple[str, str]]:
    texts = [(f"{name} {row['id']} description_fr", row["description_fr"]) for name, row in all_rows()]
    articles, problems = load_articles(DATA / "articles")
    assert problems == []
    for article in articles:
        texts += [
            (f"articles/{article.id} title_fr", article.title_fr),
            (f"articles/{article.id} summary_fr", article.summary_fr),
        ]
    return texts


def test_french_text_uses_french_place_names() -> None:
    found = [
        f"{where}: {english!r} should be {FRENCH_NAMES[english]!r}"
        for where, text in french_texts()
        for english, pattern in _ENGLISH_NAME.items()
        if pattern.search(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("Centre à Brussels", ["Brussels"]),
        ("Centre à Bruxelles, comme BeCentral", []),
        ("Brussels-Capital", []),  # part of a longer proper name: not the city's exonym on its own
        ("à Addis Ababa puis au Caire", ["Addis Ababa"]),
        ("Warsawski", []),
    ],
)
def test_exonym_matching_uses_word_boundaries(text: str, hits: list[str]) -> None:
    assert [english for english, pattern in _ENGLISH_NAME.items() if pattern.search(text)] == hits
