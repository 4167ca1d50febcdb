"""`atlas import` on SQLite and PostgreSQL: each format, dry run, queue, re-import, gone rows, concurrency."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

from sqlalchemy import func, select, text

from atlas.cli import main
from atlas.imports.mapping import SourceMapping
from atlas.imports.run import run_import
from atlas.store import open_store
from atlas.store.models import Entry, Revision, SourceLink
from atlas.store.store import Store
from tests.imports.conftest import FIXTURES, dump

GOGO = FIXTURES / "gogocarto_elements.json"
GOGO_MAPPING = SourceMapping.load(FIXTURES / "gogocarto_mapping.yaml")
ROW_KEYS = ["row", "source_id", "name", "action", "match", "score", "problems"]


def count(store: Store, model, *where) -> int:
    with store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def clean_gogocarto(tmp_path: Path, drop: str = "", change: dict | None = None) -> Path:
    """The GoGoCarto fixture without its problem rows (and with one element dropped or changed)."""
    data = json.loads(GOGO.read_text(encoding="utf-8"))
    data["data"] = [e for e in data["data"] if e["id"] not in ("g7H8", "i9J0", drop)]
    for element in data["data"]:
        element.update((change or {}).get(element["id"], {}))
    path = tmp_path / f"gogo-{drop}-{len(change or {})}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_dry_run_changes_nothing_and_says_what_would_happen(store: Store, db_url: str) -> None:
    if db_url.startswith("sqlite"):
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database = Path(store.engine.url.database or "")
        file_before = database.read_bytes()
    before = dump(store)
    report = run_import(store, GOGO, "gogocarto", mapping=GOGO_MAPPING, dry_run=True)
    assert dump(store) == before
    if db_url.startswith("sqlite"):
        store.engine.dispose()
        assert database.read_bytes() == file_before
    out = report.to_json()
    assert list(out)[:2] == ["summary", "rows"]
    assert [list(r) for r in out["rows"]] == [ROW_KEYS] * 5
    assert [(r["row"], r["source_id"], r["action"]) for r in out["rows"]] == [
        (1, "a1B2", "new"),
        (2, "c3D4", "duplicate"),
        (3, "e5F6", "new"),
        (4, "g7H8", "new"),
        (5, "i9J0", "error"),
    ]
    duplicate = out["rows"][1]
    assert duplicate["match"] == "emmaus-connect" and duplicate["score"] >= 0.85
    assert out["summary"] == {
        "rows": 5,
        "new": 3,
        "update": 0,
        "unchanged": 0,
        "duplicate": 1,
        "error": 1,
        "gone": 0,
        "with_problems": 3,
    }
    assert out["unknown_categories"] == {"Mobilité": 1}
    assert any("swapped back" in p for p in out["rows"][3]["problems"])
    assert report.exit_code == 1


def test_an_import_fills_the_moderation_queue_and_keeps_contacts_out(store: Store) -> None:
    published = count(store, Entry, Entry.state == "published")
    report = run_import(store, GOGO, "gogocarto", mapping=GOGO_MAPPING)
    assert report.summary()["new"] == 3 and report.source == "transiscope"
    assert count(store, Entry, Entry.state == "published") == published  # nothing public yet
    queue = store.queue(size=50)
    imported = [i for i in queue.items if i.submitted_by.startswith("import #")]
    assert len(imported) == 4  # 3 new and the duplicate, all waiting for a moderator
    repair = next(i for i in imported if i.name == "Repair Café Lyon 7e")
    store.approve(repair.revision_id, repair.version, "mod@example.org")
    entry = store.entry(repair.entry_id)
    assert entry["state"] == "published" and entry["country"] == "FR"
    assert (entry["address"], entry["postcode"]) == ("12 rue de Marseille", "69007")
    assert entry["description_fr"].startswith("Atelier")
    assert entry["category"] == "digital_mediation" and entry["geo_precision"] == "address"
    hostile = store.entry(next(i.entry_id for i in imported if "onerror" in i.name))
    assert hostile["name"] == "<img src=x onerror=alert(1)>Tiers-Lieu du Code"  # kept literally, shown as text
    assert hostile["website"] == ""  # javascript: dropped
    swapped = store.entry(next(i.entry_id for i in imported if i.name == "Fablab des Coteaux"))
    assert (swapped["lat"], swapped["lon"]) == (43.6047, -1.4442)
    everything = repr(dump(store))
    assert "contact@repaircafe-lyon7.example.org" not in everything and "04 00 00 00 00" not in everything
    with store.reading() as s:
        link = s.scalar(select(SourceLink).where(SourceLink.external_id == "a1B2"))
        assert link is not None and link.entry_id == repair.entry_id
        assert link.url == "https://transiscope.example.org/annuaire#/fiche/x/a1B2/"
    assert store.source_pages()[repair.entry_id] == [link.url]


def test_re_import_is_idempotent_and_changes_become_revisions(store: Store, tmp_path: Path) -> None:
    first = run_import(store, clean_gogocarto(tmp_path), "gogocarto", "transiscope", GOGO_MAPPING, publish=True)
    assert first.summary()["new"] == 2 and first.summary()["duplicate"] == 1
    revisions, entries = count(store, Revision), count(store, Entry)
    again = run_import(store, clean_gogocarto(tmp_path), "gogocarto", "transiscope", GOGO_MAPPING, publish=True)
    assert again.summary()["unchanged"] == 3
    assert [r.source_id for r in again.rows if r.problems] == ["e5F6"]  # the hostile row's warnings, every time
    assert (count(store, Revision), count(store, Entry)) == (revisions, entries)  # nothing at all

    changed = clean_gogocarto(tmp_path, drop="e5F6", change={"a1B2": {"description": "Tous les samedis."}})
    third = run_import(store, changed, "gogocarto", "transiscope", GOGO_MAPPING)
    by_id = {r.source_id: r for r in third.rows}
    assert by_id["a1B2"].action == "update" and by_id["c3D4"].action == "unchanged"
    assert [g["source_id"] for g in third.gone] == ["e5F6"]
    repair = by_id["a1B2"].match
    pending = [i for i in store.queue(size=50).items if i.entry_id == repair]
    assert len(pending) == 1 and pending[0].action == "correction"
    assert [c.field for c in pending[0].changes] == ["description_fr"]
    assert store.entry(repair)["description_fr"].startswith("Atelier")  # not applied before a moderator says so
    gone_entry = next(g["entry"] for g in third.gone)
    assert store.entry(gone_entry)["state"] == "published"  # flagged, never withdrawn
    with store.reading() as s:
        assert s.scalar(select(SourceLink.gone_since).where(SourceLink.external_id == "e5F6")) is not None

    fourth = run_import(store, changed, "gogocarto", "transiscope", GOGO_MAPPING)  # the same again
    assert fourth.summary()["update"] == 0 and len([i for i in store.queue(size=50).items if i.entry_id == repair]) == 1
    edited = clean_gogocarto(tmp_path, drop="e5F6", change={"a1B2": {"description": "Le dimanche."}})
    run_import(store, edited, "gogocarto", "transiscope", GOGO_MAPPING, publish=True)
    assert store.entry(repair)["description_fr"] == "Le dimanche."
    assert [h.author for h in store.history(repair, public=False)][-1] == "import:transiscope"


def test_a_umap_geojson_with_guessed_mapping(store: Store) -> None:
    report = run_import(store, FIXTURES / "umap.geojson", "geojson", "umap-belgique")
    rows = {r.row: r for r in report.rows}
    assert report.mapping is not None and report.mapping.columns["ville"] == "city"
    assert report.mapping.description_language == "fr"
    assert report.unknown_fields == {"couleur": "#ff0000"} and dict(report.unknown_categories) == {"Open data": 1}
    assert rows[6].action == "error" and report.exit_code == 1
    namur = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name == "Point Numérique de Namur"))
    assert namur["country"] == "BE" and namur["geo_precision"] == "city" and namur["geo_source"] == "gazetteer"
    assert abs(namur["lat"] - 50.47) < 0.1
    lab = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name == "Lab Citoyen Bruxellois"))
    assert (lab["lat"], lab["lon"]) == (50.8503, 4.3517)
    liege = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name == "Coop Digitale Liège"))
    assert liege["country"] == "BE" and liege["category"] == "digital_mediation"  # "Belgique", French label


def test_a_semicolon_latin1_csv_with_french_headers(store: Store) -> None:
    report = run_import(store, FIXTURES / "reseau_latin1.csv", "csv", "reseau")
    rows = {r.row: r for r in report.rows}
    assert report.detected == {"encoding": "cp1252", "delimiter": "semicolon"}
    assert rows[6].action == "error" and "Atlantide" in rows[6].problems[0]
    assert any("not placed" in p for p in rows[7].problems)
    formula = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name.startswith("=HYPER")))
    assert formula["name"] == '=HYPERLINK("http://evil.example";"clic")'  # stored as typed; exports neutralise it
    ateliers = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name.startswith("Les Ateliers")))
    assert ateliers["country"] == "FR" and ateliers["description_fr"].startswith("Accompagnement")
    assert (ateliers["address"], ateliers["postcode"]) == ("3 rue de la République", "13002")
    assert ateliers["city"] == "Marseille"


def test_an_hsds_package_with_a_category_mapping(store: Store) -> None:
    mapping = SourceMapping.from_dict(
        {"categories": {"digital-skills": "training", "open-data": "digital_commons"}, "description_language": "en"}
    )
    columns = run_import(store, FIXTURES / "hsds", "hsds", "irish", dry_run=True).mapping
    assert columns is not None
    mapping.columns = columns.columns
    report = run_import(store, FIXTURES / "hsds", "hsds", "irish", mapping)
    assert [r.action for r in report.rows] == ["new", "new", "new"]
    cork = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name == "Open Data Cork"))
    assert (
        cork["category"] == "digital_commons" and cork["geo_source"].endswith("gazetteer") and cork["country"] == "IE"
    )
    dublin = store.entry(next(i.entry_id for i in store.queue(size=50).items if i.name.startswith("Digital Incl")))
    assert dublin["aliases"] == "DIND" and (dublin["address"], dublin["postcode"]) == ("1 O'Connell Street", "D01")
    assert dublin["region"] == "Leinster"  # HSDS state_province


def test_two_imports_at_once_create_each_entry_once(store: Store, db_url: str, tmp_path: Path) -> None:
    path = clean_gogocarto(tmp_path)
    stores = [open_store(db_url) for _ in range(2)]
    reports: list = []
    errors: list = []
    barrier = threading.Barrier(2, timeout=60)

    def go(s: Store) -> None:
        try:
            barrier.wait()
            reports.append(run_import(s, path, "gogocarto", "transiscope", GOGO_MAPPING, publish=True))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is still running after 120 s"
    assert errors == []
    assert sorted(r.summary()["unchanged"] for r in reports) == [0, 3]
    assert count(store, SourceLink) == 3 and count(store, Entry, Entry.name == "Repair Café Lyon 7e") == 1
    with store.engine.connect() as conn:
        doubled = conn.execute(
            text(
                "SELECT entry_id, COUNT(*) FROM revisions GROUP BY entry_id, action, status "
                "HAVING COUNT(*) > 1 AND entry_id IN (SELECT entry_id FROM source_links)"
            )
        ).all()
    assert doubled == []
    for s in stores:
        s.engine.dispose()


def test_the_command_line_exit_codes_and_report(store: Store, db_url: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.json"
    code = main(
        [
            "import",
            str(GOGO),
            "--format",
            "gogocarto",
            "--mapping",
            str(FIXTURES / "gogocarto_mapping.yaml"),
            "--dry-run",
            "--report",
            str(out),
            "--url",
            db_url,
        ]
    )
    assert code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["duplicate"] == 1 and report["dry_run"] is True
    printed = capsys.readouterr().out
    assert "row 5 (Atelier Vélo Solidaire)" in printed and "would be" in printed
    assert main(["import", str(FIXTURES / "broken.json"), "--format", "geojson", "--url", db_url]) == 2
    assert main(["import", str(tmp_path / "missing.csv"), "--format", "csv", "--url", db_url]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: {name: nonsense}\n", encoding="utf-8")
    assert main(["import", str(GOGO), "--format", "gogocarto", "--mapping", str(bad), "--url", db_url]) == 2
    clean = tmp_path / "clean.csv"
    shutil.copy(Path(__file__).resolve().parents[2] / "data" / "organisations.csv", clean)
    assert main(["import", str(clean), "--format", "csv", "--url", db_url]) == 0  # our own file: all known
    assert "keep_ids: true" in capsys.readouterr().out  # the guessed mapping is printed to be saved


def test_the_hostile_fixture_imports_as_plain_text(store: Store) -> None:
    hostile = Path(__file__).resolve().parents[1] / "fixtures" / "hostile_atlas" / "organisations.csv"
    report = run_import(store, hostile, "csv", "hostile")
    rows = len(hostile.read_text(encoding="utf-8").strip().splitlines()) - 1
    assert [r.action for r in report.rows] == ["new"] * rows and report.exit_code == 1
    xss = store.entry("xss-img")  # our own file's format: the ids are kept
    assert xss["name"] == "<img src=x onerror=alert(1)>" and xss["website"] == ""
    assert any("markup" in p for p in report.rows[0].problems)
    tick = store.entry("xss-tick")
    assert tick["city"] == "<b>Bold</b>ville" and tick["website"] == ""  # quotes and brackets: not a link
