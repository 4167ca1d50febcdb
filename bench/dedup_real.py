"""The matcher on real open directories: `python -m bench.dedup_real [--proposals N]`.

Reads the three real directories kept in `tests/fixtures/dedup_real/` (see its README for their
origin and licence) as matcher records, the perturbed copies derived from real rows
(`derived.csv`) and the hand-labelled pairs (`pairs.csv`), and reports:

- precision and recall of `atlas.matching` on the labelled pairs (a pair is found when it scores
  at least `LIKELY`);
- per directory, the pairs the matcher proposes over the whole directory (`find_duplicates`) and
  how many of them are labelled, and right.

`tests/imports/test_dedup_real.py` asserts the figures; docs/data/duplicates.md reports them.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from atlas.matching import LIKELY, find_duplicates, prepare, score

FOLDER = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "dedup_real"
Record = dict[str, object]


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (FOLDER / name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _located(record: Record) -> Record:
    record["geo_precision"] = "address" if record.get("lat") and record.get("lon") else ""
    return record


def bfc() -> list[Record]:
    """Lieux de médiation numérique en Bourgogne-Franche-Comté (MedNum BFC)."""
    return [
        _located(
            {
                "id": f"bfc:{r['bfc_id']}",
                "name": r["nom_structure"],
                "address": r["adresse"],
                "postcode": r["code_postal"],
                "city": r["ville"],
                "country": "FR",
                "lat": r["lat"],
                "lon": r["lon"],
                "website": r["url_lieu"],
                "phone": r["phone_hash"],
            }
        )
        for r in _rows("bfc_mednum.csv")
    ]


def france_services() -> list[Record]:
    """The France services of 1 December 2022 (ANCT)."""
    return [
        _located(
            {
                "id": f"fs:{r['id_fs']}",
                "name": r["lib_fs"],
                "address": r["adresse"],
                "postcode": r["code_postal"],
                "city": r["lib_com"],
                "country": "FR",
                "lat": r["latitude"],
                "lon": r["longitude"],
                "phone": r["phone_hash"],
            }
        )
        for r in _rows("france_services_2022.csv")
    ]


def paca() -> list[Record]:
    """Lieux d'inclusion numérique de la Région Sud (PACA), 2022."""
    return [
        _located(
            {
                "id": f"paca:{r['row']}",
                "name": r["nom"],
                "address": " ".join(p for p in (r["adresse_numero"], r["adresse_rue"]) if p),
                "postcode": r["adresse_code_postal"],
                "city": r["adresse_commune"],
                "country": "FR",
                "lat": r["latitude"],
                "lon": r["longitude"],
                "website": r["contact_web"],
                "phone": r["phone_hash"],
            }
        )
        for r in _rows("paca_inclusion_2022.csv")
    ]


DIRECTORIES: dict[str, Callable[[], list[Record]]] = {"bfc": bfc, "france_services": france_services, "paca": paca}
BFC_DEPARTMENTS = ("21", "25", "39", "58", "70", "71", "89", "90")


def derived() -> list[Record]:
    """Copies of real rows with a realistic change (derived.csv: a typo, a shift, no coordinates…)."""
    out = []
    for r in _rows("derived.csv"):
        record: Record = {k: v for k, v in r.items() if k not in ("change", "from")}
        out.append(_located(record))
    return out


def every_record() -> dict[str, Record]:
    records = {str(r["id"]): r for load in DIRECTORIES.values() for r in load()}
    records.update({str(r["id"]): r for r in derived()})
    return records


@dataclass(frozen=True)
class Labelled:
    id_a: str
    id_b: str
    same: bool
    why: str
    kind: str  # real | derived


def labelled() -> list[Labelled]:
    return [Labelled(r["id_a"], r["id_b"], r["same"] == "yes", r["why"], r["kind"]) for r in _rows("pairs.csv")]


@dataclass(frozen=True)
class Figures:
    pairs: int
    tp: int
    fp: int
    fn: int
    tn: int
    wrong: tuple[tuple[Labelled, float, tuple[str, ...]], ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(scorer: Callable[[Record, Record], tuple[float, tuple[str, ...]]] = score) -> Figures:
    records = every_record()
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong = []
    pairs = labelled()
    for pair in pairs:
        value, reasons = scorer(records[pair.id_a], records[pair.id_b])
        found = value >= LIKELY
        counts[("t" if found == pair.same else "f") + ("p" if found else "n")] += 1
        if found != pair.same:
            wrong.append((pair, value, reasons))
    return Figures(len(pairs), wrong=tuple(wrong), **counts)


CROSS = "bfc+france_services"  # the regional map imported into an atlas that has the national list


def proposals(directory: str) -> list[tuple[str, str, float, tuple[str, ...]]]:
    """The pairs `find_duplicates` proposes over one whole directory, best first; for `CROSS`, the
    pairs between a row of the BFC map and a France services of the same region."""
    if directory == CROSS:
        regional = bfc()
        national = [r for r in france_services() if str(r["postcode"])[:2] in BFC_DEPARTMENTS]
        records = national + regional
        among = [False] * len(national) + [True] * len(regional)
    else:
        records, among = DIRECTORIES[directory](), None
    prepared = [prepare(r) for r in records]
    return [
        (str(records[i]["id"]), str(records[j]["id"]), value, reasons)
        for i, j, value, reasons in find_duplicates(prepared, among)
        if among is None or among[i] != among[j]
    ]


def proposal_precision(directory: str, sample: int = 50) -> tuple[int, int, int, int]:
    """(proposed, judged among the first `sample`, right, unjudged) for one directory."""
    judged = {frozenset((p.id_a, p.id_b)): p.same for p in labelled()}
    found = proposals(directory)
    first = found[:sample]
    verdicts = [judged.get(frozenset((a, b))) for a, b, _v, _r in first]
    return len(found), sum(v is not None for v in verdicts), sum(v is True for v in verdicts), verdicts.count(None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=0, help="print the first N proposals of each directory")
    args = parser.parse_args(argv)
    figures = evaluate()
    print(
        f"labelled pairs {figures.pairs}: precision {figures.precision:.3f}, recall {figures.recall:.3f} "
        f"(tp {figures.tp}, fp {figures.fp}, fn {figures.fn}, tn {figures.tn})"
    )
    for pair, value, reasons in figures.wrong:
        print(f"  wrong: {pair.id_a} ~ {pair.id_b} same={pair.same} score {value} {reasons}")
    records = every_record()
    for name in (*DIRECTORIES, CROSS):
        total, judged, right, unjudged = proposal_precision(name)
        print(
            f"{name}: {total} proposed; of the first {judged + unjudged}: "
            f"{right}/{judged} judged right, {unjudged} unjudged"
        )
        for a, b, value, reasons in proposals(name)[: args.proposals]:
            ra, rb = records[a], records[b]
            print(
                f"  {value:.2f} {a} | {ra['name']} | {ra['address']} {ra['city']}  ~  {b} | {rb['name']} | "
                f"{rb['address']} {rb['city']}  {'; '.join(reasons)}"
            )


if __name__ == "__main__":
    main()
