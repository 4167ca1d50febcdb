"""`atlas import --format mednum`: the French standard of digital-inclusion places (issue 23, item 7).

On a real public file (188 places of Charente, see tests/fixtures/mednum/README.md) and on small
files written here: rows checked against the standard, services mapped to the atlas's
categories, contact columns never stored, refused rows listed with the standard's reason.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from atlas.cli import main
from atlas.imports.mapping import SourceMapping
from atlas.imports.mednum import NAMES, SERVICE_CATEGORIES, category_of, country_of
from atlas.imports.run import run_import
from atlas.store.models import Entry, Revision, SourceLink
from atlas.store.store import Store
from tests.imports.conftest import dump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mednum"
CHARENTE = FIXTURES / "20230711-charente-lieux-de-mediation-numerique.json"


def everything_stored(store: Store) -> str:
    """Every value the database holds, as one text (to look for what must not be there)."""
    return json.dumps(dump(store), default=str, ensure_ascii=False)


def test_the_real_file_is_imported_and_no_contact_detail_is_stored(empty_store: Store) -> None:
    places = json.loads(CHARENTE.read_text(encoding="utf-8"))
    started = time.perf_counter()
    licensed = SourceMapping(licence="etalab-2.0")  # the file's licence (tests/fixtures/mednum/README.md)
    report = run_import(empty_store, CHARENTE, "mednum", "charente", licensed)
    seconds = time.perf_counter() - started
    summary = report.summary()
    print(f"mednum import of {len(places)} rows: {summary} in {seconds:.2f} s")
    assert summary["rows"] == len(places) == 188
    assert summary["error"] == 0
    assert summary["new"] + summary["duplicate"] == 188
    assert report.detected["standard"].startswith("lieux de médiation numérique")
    assert "labels_nationaux" in report.detected["columns outside the standard, not imported"]
    assert not report.unknown_fields and not report.unknown_categories
    with empty_store.reading() as s:
        every = s.scalars(select(Entry)).all()
        links = s.scalar(select(SourceLink).where(SourceLink.external_id == places[2]["id"]))
    assert len(every) == 188 and {e.state for e in every} == {"pending"}
    entries = {e.name: e for e in every}
    place = places[2]  # JEUNESSE ASSOCIATION DE BAIL-AIR, Angoulême: a website and a telephone
    entry = entries[place["nom"]]
    assert (entry.city, entry.country, entry.website) == ("ANGOULÊME", "FR", place["site_web"])
    assert entry.postcode == place["code_postal"] == "16000" and entry.address.startswith(place["adresse"])
    assert "16000" not in entry.address  # the postcode has its own field
    assert (entry.lat, entry.lon) == pytest.approx((place["latitude"], place["longitude"]))
    assert entry.category == "digital_mediation"
    assert entry.source.startswith("conseiller-numerique (lieux de médiation numérique)")
    assert "etalab-2.0" in entry.source and "unknown" not in entry.source  # the source's licence, carried
    assert links is not None and links.entry_id == entry.id
    stored = everything_stored(empty_store)
    phones = [p["telephone"] for p in places if p.get("telephone")]
    emails = [p["courriel"] for p in places if p.get("courriel")]
    assert phones and emails
    assert not [x for x in phones + emails if x in stored]
    assert "@" not in "".join(e.website + e.description_fr for e in entries.values())


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(NAMES))
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in NAMES})
    return path


def place(n: int, **values: str) -> dict[str, str]:
    base = {
        "id": f"lieu-{n}",
        "pivot": "43493312300029",
        "nom": f"Espace numérique {n}",
        "commune": "Reims",
        "code_postal": "51100",
        "adresse": f"{n} rue de Vesle",
        "latitude": "49.2535",
        "longitude": "4.0287",
        "date_maj": "2024-04-02",
        "services": "Maîtrise des outils numériques du quotidien",
        "telephone": "+33326000000",
        "courriels": f"contact{n}@espace.example.org",
        "site_web": f"https://espace{n}.example.org|https://social.example.org/espace{n}",
        "presentation_resume": "Ateliers et accompagnement individuel.",
        "source": "Hubik",
    }
    base.update(values)
    return base


def test_a_csv_of_the_standard_refused_rows_warnings_categories(
    empty_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path / "lieux.csv",
        [
            place(1),
            place(2, nom=""),  # the standard requires a name: refused
            place(3, latitude="quarante-neuf"),  # coordinates that are not numbers: refused
            place(4, telephone="03 26 00 00 00", nom="Médiathèque Jean Falala"),  # a warning; imported
            place(5, services="Insertion professionnelle via le numérique", nom="Cap Emploi Numérique"),
            place(
                6,
                code_postal="97400",
                commune="Saint-Denis",
                nom="Cyberbase Saint-Denis",
                latitude="-20.88",
                longitude="55.45",
            ),
            place(7, services="Aide aux démarches administratives|Cours de cuisine", nom="Maison France Services"),
        ],
    )
    code = main(["import", str(path), "--format", "mednum", "--url", db_url])
    out = capsys.readouterr().out
    assert code == 1  # some rows with problems, listed
    assert "row 3 (lieu-2): refused, not imported: nom: required by the standard, empty" in out
    assert "row 4 (lieu-3): refused, not imported: latitude: not of the standard's type" in out
    assert "row 5 (Médiathèque Jean Falala): the standard: telephone: not a value the standard allows" in out
    assert "Cours de cuisine" in out
    assert "5 new" in out and "2 errors" in out
    with empty_store.reading() as s:
        entries = {e.name: e for e in s.scalars(select(Entry))}
        revisions = s.scalars(select(Revision)).all()
    assert set(entries) == {
        "Espace numérique 1",
        "Médiathèque Jean Falala",
        "Cap Emploi Numérique",
        "Cyberbase Saint-Denis",
        "Maison France Services",
    }
    assert all(e.state == "pending" for e in entries.values())  # the moderators decide
    assert entries["Cap Emploi Numérique"].category == "training"
    assert entries["Maison France Services"].category == "digital_mediation"
    assert entries["Cyberbase Saint-Denis"].country == "RE"
    first = entries["Espace numérique 1"]
    assert first.website == "https://espace1.example.org"
    assert first.description_fr == "Ateliers et accompagnement individuel."
    stored = everything_stored(empty_store) + json.dumps([r.changes for r in revisions], ensure_ascii=False)
    assert "+33326000000" not in stored and "espace.example.org" not in stored and "03 26 00" not in stored


def test_a_file_that_is_not_of_the_standard_is_unusable(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,city\nA,Lyon\n", encoding="utf-8")
    assert main(["import", str(path), "--format", "mednum", "--url", db_url]) == 2
    assert "not a file of the lieux de médiation numérique" in capsys.readouterr().err


def test_every_service_of_the_standard_has_a_category() -> None:
    standard = (
        "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|"
        "Insertion professionnelle via le numérique|Utilisation sécurisée du numérique|"
        "Parentalité et éducation avec le numérique|Loisirs et créations numériques|"
        "Compréhension du monde numérique|Accès internet et matériel informatique|"
        "Acquisition de matériel informatique à prix solidaire"
    ).split("|")
    assert set(standard) <= set(SERVICE_CATEGORIES)
    assert category_of("|".join(standard)) == ("digital_mediation", [])
    assert category_of("Insertion professionnelle via le numérique") == ("training", [])
    assert category_of("") == ("digital_mediation", [])
    assert country_of("98800") == "NC" and country_of("16000") == "FR" and country_of("97150") == "MF"
    assert country_of("97133") == "BL" and country_of("97110") == "GP"
