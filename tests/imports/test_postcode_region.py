"""Postcode and region, end to end (issue 23, item 4): a real directory's postcode and region columns
are stored in their own fields (never merged into the street address) and reach every export: HSDS
`postal_code`/`state_province`, schema.org `postalCode`/`addressRegion`, the CSV and GeoJSON
downloads, the data folder, the API's records; the matcher uses the postcode."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from frictionless import validate

from atlas import opendata
from atlas.export import export_frame, to_csv, to_geojson
from atlas.imports.mapping import SourceMapping, guess_column
from atlas.imports.run import run_import
from atlas.matching import score
from atlas.store.files import export_folder
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from atlas.web import jsonld, published

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CHARENTE = FIXTURES / "mednum" / "20230711-charente-lieux-de-mediation-numerique.json"
# The département's region, as the fixture's origin names it (tests/fixtures/mednum/README.md).
REGION = "Nouvelle-Aquitaine"


def _real_rows(tmp_path: Path) -> tuple[Path, list[dict]]:
    """Three real places of the Charente file, as a French directory's CSV with a postcode and a region column."""
    places = [p for p in json.loads(CHARENTE.read_text(encoding="utf-8")) if p.get("code_postal")][2:5]
    path = tmp_path / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Nom", "Adresse", "Code postal", "Commune", "Région", "Latitude", "Longitude"])
        for p in places:
            writer.writerow(
                [p["nom"], p["adresse"], p["code_postal"], p["commune"], REGION, p["latitude"], p["longitude"]]
            )
    return path, places


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Code postal", "postcode"),
        ("zip", "postcode"),
        ("Région", "region"),
        ("state", "region"),
        ("state_province", "region"),
        ("addressRegion", "region"),
        ("lib_reg", "region"),
        ("adresse_region", "region"),
        ("Département", None),  # a département is not a region: left to the mapping
    ],
)
def test_postcode_and_region_columns_are_recognised(header: str, field: str | None) -> None:
    assert guess_column(header) == field


def test_a_real_directory_s_postcode_and_region_reach_every_export(store: Store, tmp_path: Path) -> None:
    path, places = _real_rows(tmp_path)
    mapping = SourceMapping(default_category="digital_mediation", defaults={"country": "FR"}, licence="etalab-2.0")
    report = run_import(store, path, "csv", "charente", mapping, publish=True)
    assert report.exit_code == 0, [r.problems for r in report.rows if r.problems]
    assert report.mapping is not None
    assert report.mapping.columns["Code postal"] == "postcode" and report.mapping.columns["Région"] == "region"
    frame = store.published_atlas().frame
    place = places[0]
    row = frame[frame["name"] == place["nom"]].iloc[0]
    # stored apart: the street address is the street address
    assert (row["address"], row["postcode"], row["region"]) == (place["adresse"], place["code_postal"], REGION)
    assert place["code_postal"] not in row["address"]
    entry_id = row["id"]
    mine = frame[frame["id"] == entry_id]

    # HSDS: postal_code and state_province of the physical address, and the package still validates
    tables = opendata.hsds_tables(mine)
    (address,) = tables["addresses.csv"]
    assert (address["address_1"], address["postal_code"], address["state_province"]) == (
        place["adresse"],
        place["code_postal"],
        REGION,
    )
    opendata.write_files(opendata.hsds_files(frame), tmp_path / "hsds")
    result = validate(str(tmp_path / "hsds" / "datapackage.json"))
    assert result.valid, result.flatten(["type", "message"])[:5]
    with (tmp_path / "hsds" / "addresses.csv").open(encoding="utf-8") as fh:
        assert {(r["postal_code"], r["state_province"]) for r in csv.DictReader(fh)} >= {(place["code_postal"], REGION)}

    # schema.org: the download's graph and the entry page's JSON-LD
    (node,) = json.loads(opendata.to_jsonld(mine))["@graph"]
    assert node["address"]["postalCode"] == place["code_postal"] and node["address"]["addressRegion"] == REGION
    assert node["address"]["streetAddress"] == place["adresse"]
    snap = published.load(DatabaseSource(store), live=False)
    (record,) = snap.records_at(snap.frame.index[snap.frame["id"] == entry_id])  # what the API and OGC answer
    assert (record["postcode"], record["region"]) == (place["code_postal"], REGION)
    page = jsonld.entry_jsonld(record, "https://atlas.example.org/entry/x", "fr")
    assert page["address"]["postalCode"] == place["code_postal"] and page["address"]["addressRegion"] == REGION

    # the CSV and GeoJSON downloads: their own columns, after the address
    table = export_frame(mine, "en")
    columns = list(table.columns)
    assert columns[columns.index("address") + 1 : columns.index("address") + 3] == ["postcode", "region"]
    lines = to_csv(table).decode("utf-8-sig").splitlines()
    downloaded = next(csv.DictReader(lines))
    assert (downloaded["postcode"], downloaded["region"]) == (place["code_postal"], REGION)
    (feature,) = json.loads(to_geojson(table))["features"]
    assert (feature["properties"]["postcode"], feature["properties"]["region"]) == (place["code_postal"], REGION)

    # `atlas db export`: the data folder's columns
    export_folder(store, tmp_path / "folder")
    with (tmp_path / "folder" / "organisations.csv").open(encoding="utf-8") as fh:
        exported = {r["id"]: r for r in csv.DictReader(fh)}
    assert (exported[entry_id]["postcode"], exported[entry_id]["region"]) == (place["code_postal"], REGION)
    assert exported["becode"]["postcode"] == "1000" and exported["becode"]["address"] == "Cantersteen 10"


def test_a_re_import_with_the_same_postcode_changes_nothing(store: Store, tmp_path: Path) -> None:
    path, _places = _real_rows(tmp_path)
    mapping = SourceMapping(default_category="digital_mediation", defaults={"country": "FR"})
    run_import(store, path, "csv", "charente", mapping, publish=True)
    again = run_import(store, path, "csv", "charente", mapping, publish=True)
    assert again.summary()["unchanged"] == 3 and again.summary()["update"] == 0


def test_the_postcode_field_lets_the_matcher_see_one_street_address() -> None:
    """Two listings of one place without coordinates, one town written two ways: the postcode, in its
    own field now, says the street address is one; without it the matcher cannot tell."""
    a = {"name": "Atelier Vélo Solidaire", "address": "12 rue de Marseille", "city": "Lyon", "country": "FR"}
    b = {**a, "name": "Atelier Velo Solidaire", "address": "12, r. de Marseille", "city": "Lyon 7e Arrondissement"}
    with_postcode = score({**a, "postcode": "69007"}, {**b, "postcode": "69007"})
    assert with_postcode[0] >= 0.9 and "same street address" in with_postcode[1]
    without = score(a, b)
    assert without[0] < 0.9 and "same street address" not in without[1]
    other = score({**a, "postcode": "69007"}, {**b, "postcode": "69003"})  # another arrondissement
    assert other[0] < 0.9 and "same street address" not in other[1]


def test_a_new_row_is_a_duplicate_of_an_entry_at_the_same_address_and_postcode(store: Store, tmp_path: Path) -> None:
    """The importer gives the matcher the stored entries' postcodes: a second listing of a place,
    without coordinates and with its town written another way, is found by its address and postcode."""
    path = tmp_path / "first.csv"
    path.write_text(
        "name,address,postcode,city,country,lat,lon\nAtelier Vélo Solidaire,12 rue de Marseille,69007,Lyon,FR,,\n",
        encoding="utf-8",
    )
    mapping = SourceMapping(default_category="digital_mediation")
    assert run_import(store, path, "csv", "first", mapping, publish=True).exit_code == 0
    second = tmp_path / "second.csv"
    second.write_text(
        'nom,adresse,code postal,ville,pays\nAtelier Velo Solidaire,"12, r. de Marseille",69007,'
        "Lyon 7e Arrondissement,FR\n",
        encoding="utf-8",
    )
    report = run_import(store, second, "csv", "second", mapping, dry_run=True)
    assert [r.action for r in report.rows] == ["duplicate"], [(r.action, r.problems) for r in report.rows]
