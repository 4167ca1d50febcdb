"""Is it the same organisation? One matcher for the submission form, imports and `atlas dedup`.

Names are compared after folding (case, accents, punctuation) and without legal-form noise
(association, asbl, e.V., GmbH, SAS, SCIC, coop…), with rapidfuzz's token measures; the
distance between the two points, the website's domain and the city and country weigh in.
`score` is a number in [0, 1]; `likely_same` applies the thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from atlas.text import fold_key

# Words that say what legal form an organisation has, not which one it is (folded forms).
LEGAL_FORMS = frozenset(
    """
    association asso asbl aisbl vzw ev e v ev gmbh ggmbh ag sa sas sasu sarl eurl scic scop sci coop
    cooperative cooperativa cooperatieve ltd limited llc inc corp plc cic srl spa onlus aps ets ong ngo
    fondation foundation fundacion fundacio fondazione stiftung the la le les l de du des of and et
    """.split()
)


def name_key(name: object) -> str:
    """Folded name without legal-form words: "Association Emmaüs Connect" -> "emmaus connect"."""
    words = [w for w in fold_key(name).split() if w not in LEGAL_FORMS]
    return " ".join(words) or fold_key(name)


def domain(url: object) -> str:
    """The website's host without `www.`: "https://www.example.org/a" -> "example.org" ("" if none)."""
    if not isinstance(url, str) or "//" not in url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def distance_km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance, or None when a coordinate is missing."""
    if None in (lat1, lon1, lat2, lon2) or any(
        isinstance(v, float) and math.isnan(v) for v in (lat1, lon1, lat2, lon2)
    ):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(lon2 - lon1)  # type: ignore[operator]
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Candidate:
    """An existing entry that may be the same as the one being added, and why."""

    id: str
    name: str
    city: str
    country: str
    score: float
    reasons: tuple[str, ...]


def score(a: Mapping[str, object], b: Mapping[str, object]) -> tuple[float, tuple[str, ...]]:
    """How likely records `a` and `b` describe the same organisation, in [0, 1], with the reasons.

    Reads `name`, `country`, `city`, `lat`, `lon`, `website` (missing values are ignored).
    """
    key_a, key_b = name_key(a.get("name")), name_key(b.get("name"))
    if not key_a or not key_b:
        return 0.0, ()
    names = max(fuzz.token_set_ratio(key_a, key_b), fuzz.ratio(key_a, key_b)) / 100
    reasons = [f"name {names:.0%}"]
    value = names
    web_a, web_b = domain(a.get("website")), domain(b.get("website"))
    if web_a and web_a == web_b:
        value = max(value, 0.9) + 0.1
        reasons.append("same website")
    country_a, country_b = str(a.get("country") or ""), str(b.get("country") or "")
    if country_a and country_b and country_a != country_b:
        value -= 0.35
        reasons.append("other country")
    km = distance_km(_num(a.get("lat")), _num(a.get("lon")), _num(b.get("lat")), _num(b.get("lon")))
    if km is not None:
        if km <= 1:
            value += 0.08
            reasons.append(f"{km * 1000:.0f} m apart")
        elif km > 50:
            value -= 0.2
            reasons.append(f"{km:.0f} km apart")
    elif fold_key(a.get("city")) and fold_key(a.get("city")) == fold_key(b.get("city")):
        value += 0.05
        reasons.append("same city")
    return max(0.0, min(1.0, value)), tuple(reasons)


LIKELY = 0.85  # at or above: proposed as a duplicate
POSSIBLE = 0.6  # at or above: shown as "Is it one of these?"


def similar(
    record: Mapping[str, object], existing: Iterable[Mapping[str, object]], limit: int = 5, threshold: float = POSSIBLE
) -> list[Candidate]:
    """Existing records that may be `record`, best first (those scoring at least `threshold`)."""
    found = []
    for other in existing:
        value, reasons = score(record, other)
        if value >= threshold:
            found.append(
                Candidate(
                    str(other.get("id") or ""),
                    str(other.get("name") or ""),
                    str(other.get("city") or ""),
                    str(other.get("country") or ""),
                    round(value, 3),
                    reasons,
                )
            )
    found.sort(key=lambda c: (-c.score, c.name))
    return found[:limit]


def _num(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
