"""Open data out: HSDS 3.0 (validated with frictionless), JSON-LD, the licence, round trips, no contacts."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from frictionless import validate

from atlas import opendata
from atlas.cli import main
from atlas.imports.run import run_import
from atlas.store import open_store
from atlas.store.files import export_folder
from atlas.store.store import Store
from tests.store.records import new_org


def test_the_hsds_package_of_the_published_atlas_is_valid(store: Store, tmp_path: Path) -> None:
    frame = store.published_atlas().frame
    opendata.write_files(opendata.hsds_files(frame), tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "ODbL-1.0" and descriptor["version"] == "3.0.0"
    assert [r["path"] for r in descriptor["resources"]] == list(opendata.HSDS_FILES)
    for resource in descriptor["resources"]:  # HSDS's own fields, only the documented constraints lifted
        official = opendata.hsds_resources()[resource["name"]]["schema"]["fields"]
        ours = resource["schema"]["fields"]
        assert [f["name"] for f in ours] == [f["name"] for f in official]
        lifted = [
            f["name"]
            for f, o in zip(ours, official, strict=True)
            if o.get("constraints", {}).get("required") and not f["constraints"]["required"]
        ]
        assert lifted == list(opendata.RELAXED.get(resource["name"], ()))
    organizations = (tmp_path / "organizations.csv").read_text(encoding="utf-8").splitlines()
    assert organizations[0].startswith("id,name,alternate_name,description,email,website")
    assert len(organizations) == len(frame) + 1
    uuid.UUID(organizations[1].split(",")[0])


def test_json_ld_is_schema_org(store: Store) -> None:
    graph = json.loads(opendata.to_jsonld(store.published_atlas().frame, {"soga": ["https://x.example/soga"]}))
    assert graph["@context"] == "https://schema.org"
    assert graph["license"] == "https://opendatacommons.org/licenses/odbl/1-0/" and graph["creditText"]
    soga = next(n for n in graph["@graph"] if n["identifier"] == "soga")
    assert soga["@type"] == "Organization" and soga["url"] == "https://www.socialgoodaccelerator.eu"
    assert soga["address"] == {"@type": "PostalAddress", "addressCountry": "FR", "addressLocality": "Paris"}
    assert soga["geo"] == {"@type": "GeoCoordinates", "latitude": 48.85341, "longitude": 2.3488}
    assert {d["@language"] for d in soga["description"]} == {"en", "fr"}
    assert soga["sameAs"] == ["https://x.example/soga"] and soga["alternateName"][0] == "SOGA"
    odc = next(n for n in graph["@graph"] if n["identifier"] == "odc-tn-tunis")
    assert odc["foundingDate"] == "2019-04"


def test_the_licence_is_configurable(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    monkeypatch.setenv("ATLAS_DATA_LICENCE", "cc-by-4.0")
    monkeypatch.setenv("ATLAS_DATA_ATTRIBUTION", "Réseau X")
    licence = opendata.data_licence()
    assert (licence.id, licence.url) == ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert "Attribution : Réseau X" in licence.text("fr")
    frame = store.published_atlas().frame.head(3)
    assert json.loads(opendata.to_jsonld(frame))["license"] == licence.url
    with zipfile.ZipFile(io.BytesIO(opendata.hsds_zip(frame))) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        assert "Réseau X" in archive.read("LICENCE.md").decode("utf-8")
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"


@pytest.mark.parametrize("fmt", ["csv", "hsds", "jsonld"])
def test_an_import_of_our_own_export_loses_nothing(
    fmt: str, store: Store, db_url: str, other_url: str, tmp_path: Path
) -> None:
    store.submit("organisation", new_org(name="Round Trip Org", description_fr="Accents : é, « guillemets »"))
    item = store.queue().items[0]
    store.approve(item.revision_id, item.version, "mod@example.org")
    before = tmp_path / "before"
    export_folder(store, before)
    assert main(["db", "--url", db_url, "export", str(tmp_path / fmt), "--format", fmt]) == 0
    assert (tmp_path / fmt / "LICENCE.md").is_file()
    target = open_store(other_url)
    if fmt == "csv":
        for name in ("organisations.csv", "odc.csv"):
            report = run_import(target, tmp_path / fmt / name, "csv", name, publish=True)
            assert report.exit_code == 0, [r.problems for r in report.rows if r.problems]
    else:
        path = tmp_path / fmt / ("social-tech-atlas.jsonld" if fmt == "jsonld" else "datapackage.json")
        report = run_import(target, path, fmt, "ours", publish=True)
        assert report.exit_code == 0, (report.unknown_fields, [r.problems for r in report.rows if r.problems])
        assert report.summary()["new"] == len(store.published_atlas().frame)
    after = tmp_path / "after"
    export_folder(target, after)
    for name in ("organisations.csv", "odc.csv"):
        assert (after / name).read_bytes() == (before / name).read_bytes()
    target.engine.dispose()


def test_contact_e_mails_are_never_exported(store: Store, db_url: str, tmp_path: Path) -> None:
    sent = store.submit("organisation", new_org(name="Private Contact Org"), contact="secret.person@example.org")
    item = next(i for i in store.queue().items if i.entry_id == sent.entry_id)
    store.approve(item.revision_id, item.version, "mod@example.org")
    gogo = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "gogocarto_elements.json"
    run_import(store, gogo, "gogocarto", "transiscope", publish=True, force=True)  # no mapping: most rows fail
    frame = store.published_atlas().frame
    blobs = [opendata.to_jsonld(frame, store.source_pages()), opendata.hsds_zip(frame)]
    for fmt in ("csv", "hsds", "jsonld"):
        assert main(["db", "--url", db_url, "export", str(tmp_path / fmt), "--format", fmt]) == 0
        blobs += [p.read_bytes() for p in (tmp_path / fmt).rglob("*") if p.is_file()]
    with zipfile.ZipFile(io.BytesIO(blobs[1])) as archive:
        blobs += [archive.read(n) for n in archive.namelist()]
    for blob in blobs:
        assert b"secret.person" not in blob and b"contact@repaircafe" not in blob
