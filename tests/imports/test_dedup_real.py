"""The matcher on three real open directories (tests/fixtures/dedup_real/, see its README).

Pairs judged by hand (`pairs.csv`: id_a, id_b, same, why, kind) from the real rows and from
realistic second listings derived from real rows (`derived.csv`): precision and recall, the
hard negatives the issue names, and the pairs the matcher proposes over each whole directory.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from atlas.matching import LIKELY, score
from atlas.moderation import reason_text
from bench import dedup_real as real

MIN_ROWS = 500


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, object]]:
    return real.every_record()


@pytest.mark.parametrize("directory", sorted(real.DIRECTORIES))
def test_each_real_directory_has_at_least_500_rows_and_is_documented(directory: str) -> None:
    rows = real.DIRECTORIES[directory]()
    assert len(rows) >= MIN_ROWS
    readme = (real.FOLDER / "README.md").read_text(encoding="utf-8")
    for needed in ("Licence", "commit", "repository"):
        assert needed.lower() in readme.lower()


def test_the_labelled_sample_has_hard_negatives_and_derived_positives() -> None:
    pairs = real.labelled()
    why = Counter((p.same, p.kind) for p in pairs)
    assert why[False, "real"] >= 100 and why[True, "real"] >= 80 and why[True, "derived"] >= 40
    text = " ".join(p.why for p in pairs if not p.same)
    for kind in ("network", "co-located", "one town"):
        assert text.count(kind) >= 5, kind
    derived = Counter(p.why for p in pairs if p.kind == "derived")
    for change in ("transposed letter", "no coordinates", "look-alike", "legal form"):
        assert sum(n for w, n in derived.items() if change in w) >= 10, change
    with (real.FOLDER / "pairs.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["id_a", "id_b", "same", "why", "kind"]


def test_precision_and_recall_on_the_real_labelled_sample() -> None:
    figures = real.evaluate()
    print(
        f"real pairs {figures.pairs}: precision {figures.precision:.3f}, recall {figures.recall:.3f} "
        f"(tp {figures.tp}, fp {figures.fp}, fn {figures.fn})"
    )
    assert figures.precision >= 0.95
    assert figures.recall >= 0.90


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("166", "175"),  # MSAP Objectif Emploi Clerval / … Sancey
        ("172", "178"),  # Agence Crédit Agricole Audincourt / … Bavans
        ("183", "195"),  # "Ecole primaire" of Vieux-Charmont / of Mathay
        ("397", "630"),  # CCAS Chalon-sur-Saône / CCAS de Virey-le-Grand
        ("259", "260"),  # the Maison France services and the Mission locale in one building
    ],
)
def test_the_branches_and_neighbours_the_issue_names_are_not_duplicates(
    records: dict[str, dict[str, object]], a: str, b: str
) -> None:
    value, reasons = score(records[f"bfc:mednumBFC_TL_{a}_"], records[f"bfc:mednumBFC_TL_{b}_"])
    assert value < LIKELY, reasons
    assert "same name but the city" not in reasons


def test_network_branches_say_so(records: dict[str, dict[str, object]]) -> None:
    _value, reasons = score(records["bfc:mednumBFC_TL_397_"], records["bfc:mednumBFC_TL_630_"])
    assert "branches of one network" in reasons


@pytest.mark.parametrize("change", ["transposed letter", "no coordinates", "look-alike", "legal form"])
def test_second_listings_derived_from_real_rows_are_found(records: dict[str, dict[str, object]], change: str) -> None:
    pairs = [p for p in real.labelled() if p.kind == "derived" and change in p.why]
    found = [p for p in pairs if score(records[p.id_a], records[p.id_b])[0] >= LIKELY]
    assert len(found) >= 0.9 * len(pairs), [p.id_b for p in pairs if p not in found]


def test_the_renamed_public_service_points_are_found_across_two_directories() -> None:
    """The MSAP of the 2021 regional map are the France services of the 2022 national list."""
    found = real.proposals(real.CROSS)
    assert len(found) >= 80
    assert ("fs:1168", "bfc:mednumBFC_TL_97_") in {(a, b) for a, b, _v, _r in found}  # MSAP Seurre


@pytest.mark.parametrize("directory", [*sorted(real.DIRECTORIES), real.CROSS])
def test_the_pairs_proposed_over_a_whole_directory_are_judged_and_right(directory: str) -> None:
    total, judged, right, unjudged = real.proposal_precision(directory, sample=50)
    print(f"{directory}: {total} proposed, {right}/{judged} of the first 50 right")
    assert unjudged == 0, "judge the new proposals (python -m bench.dedup_real --proposals 50) in pairs.csv"
    assert judged == 0 or right / judged >= 0.9


def test_every_reason_on_real_data_is_shown_in_french(records: dict[str, dict[str, object]]) -> None:
    reasons = {r for p in real.labelled() for r in score(records[p.id_a], records[p.id_b])[1]}
    untranslated = sorted(r for r in reasons if reason_text(r, "fr") == r)
    assert untranslated == []


def test_the_score_is_symmetric_on_real_pairs(records: dict[str, dict[str, object]]) -> None:
    for p in real.labelled():
        assert score(records[p.id_a], records[p.id_b])[0] == score(records[p.id_b], records[p.id_a])[0], p
