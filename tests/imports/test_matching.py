"""The matcher on the hand-labelled pairs (tests/fixtures/dedup/pairs.csv): precision, recall, blocking."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from atlas.matching import LIKELY, POSSIBLE, candidate_pairs, domain, name_key, prepare, score, similar

PAIRS = Path(__file__).resolve().parents[1] / "fixtures" / "dedup" / "pairs.csv"


def labelled() -> list[tuple[str, str, dict, dict]]:
    out = []
    with PAIRS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a = {k[2:]: v for k, v in row.items() if k.startswith("a_")}
            b = {k[2:]: v for k, v in row.items() if k.startswith("b_")}
            for side in (a, b):
                side["geo_precision"] = side.pop("precision")
            out.append((row["label"], row["case"], a, b))
    return out


def confusion() -> Counter[str]:
    counts: Counter[str] = Counter()
    for label, _case, a, b in labelled():
        predicted = score(a, b)[0] >= LIKELY
        counts[("t" if predicted == (label == "same") else "f") + ("p" if predicted else "n")] += 1
    return counts


def test_the_labelled_set_covers_every_case() -> None:
    cases = Counter((label, case) for label, case, _a, _b in labelled())
    for case in ("spelling", "accents", "legal_form", "abbreviation", "moved", "website_path"):
        assert cases["same", case] >= 5, case
    assert cases["different", "same_city_similar_name"] >= 30
    assert cases["different", "same_name_other_country"] >= 15
    assert sum(cases.values()) >= 150


def test_precision_and_recall_on_the_labelled_set() -> None:
    c = confusion()
    precision = c["tp"] / (c["tp"] + c["fp"])
    recall = c["tp"] / (c["tp"] + c["fn"])
    print(f"labelled pairs: {sum(c.values())}; precision {precision:.3f}, recall {recall:.3f} ({dict(c)})")
    assert precision >= 0.95
    assert recall >= 0.90


def test_the_score_is_symmetric_and_bounded() -> None:
    for _label, _case, a, b in labelled():
        ab, ba = score(a, b)[0], score(b, a)[0]
        assert ab == ba and 0.0 <= ab <= 1.0


def test_blocking_proposes_every_true_pair_of_the_labelled_set() -> None:
    """All the labelled records in one atlas: every true pair is among the candidates."""
    records, truth = [], []
    for n, (label, _case, a, b) in enumerate(labelled()):
        records += [prepare(a), prepare(b)]
        if label == "same":
            truth.append((2 * n, 2 * n + 1))
    pairs = candidate_pairs(records)
    assert [t for t in truth if t not in pairs] == []
    assert len(pairs) < len(records) * (len(records) - 1) / 2 / 10  # far fewer than every pair


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Association Emmaüs Connect", "emmaus connect"),
        ("Digital Impact Alliance e.V.", "digital impact alliance"),
        ("Fondation Orange", "foundation orange"),
        ("Stichting Bits of Freedom", "bits freedom"),
        ("Tactical Tech gGmbH", "tactical tech"),
    ],
)
def test_name_keys_drop_legal_forms_but_keep_what_tells_bodies_apart(name: str, key: str) -> None:
    assert name_key(name) == key


def test_website_sites() -> None:
    assert domain("https://www.example.org/fr/a") == "example.org"
    assert domain("https://facebook.com/techforgoodlyon/about") == "facebook.com/techforgoodlyon"
    assert domain("https://www.facebook.com/") == ""
    assert domain("javascript:alert(1)") == ""


def test_the_form_still_lists_possible_entries_best_first() -> None:
    existing = [
        {"id": "emmaus-connect", "name": "Emmaüs Connect", "country": "FR", "city": "Paris"},
        {"id": "emmaus-france", "name": "Emmaüs France", "country": "FR", "city": "Paris"},
        {"id": "bayes", "name": "Bayes Impact", "country": "FR", "city": "Paris"},
    ]
    found = similar({"name": "Emmaus Conect", "country": "FR", "city": "Paris"}, existing)
    assert found[0].id == "emmaus-connect" and found[0].score >= LIKELY
    assert all(c.score >= POSSIBLE for c in found) and "bayes" not in [c.id for c in found]
