"""Issue 23: imports right without a hand-written mapping, losing nothing, safe by default (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from atlas.cli import main
from atlas.countries import country_from_any_name, resolve_country
from atlas.imports.geo import country_at
from atlas.imports.mapping import SourceMapping
from atlas.imports.run import ImportRefused, run_import
from atlas.store.imports import undo_run
from atlas.store.models import Entry, ImportRun, ImportSource, SourceLink
from atlas.store.store import Store
from tests.imports.conftest import FIXTURES, dump

ONLY_CATEGORY = SourceMapping.from_dict({"default_category": "network"})
# Real places (city centres), none with a country column: the country comes from the point.
PLACES = [
    ("Fablab Lille", 50.6292, 3.0573, "FR"),
    ("Hackspace Manchester", 53.4808, -2.2426, "GB"),
    ("Makerspace Rotterdam", 51.9244, 4.4777, "NL"),
    ("Chaos Treff Berlin", 52.52, 13.405, "DE"),
    ("Fablab Abidjan", 5.36, -4.0083, "CI"),
    ("Maker Hub Nairobi", -1.2921, 36.8219, "KE"),
    ("Hacklab Montréal", 45.5017, -73.5673, "CA"),
    ("Fablab Genève", 46.2044, 6.1432, "CH"),
    ("Makers Monaco", 43.7384, 7.4246, "MC"),
    ("Hackerspace Singapore", 1.2966, 103.7764, "SG"),
    ("Fablab Dakar", 14.7167, -17.4677, "SN"),
    ("Lab Lisboa", 38.7223, -9.1393, "PT"),
]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def places_csv(tmp_path: Path, extra: dict[str, list[object]] | None = None) -> Path:
    extra = extra or {}
    header = ["id", "name", "lat", "lon", *extra]
    rows = [[f"p{i}", name, lat, lon, *(v[i] for v in extra.values())] for i, (name, lat, lon, _c) in enumerate(PLACES)]
    return write_csv(tmp_path / "places.csv", header, rows)


# -- countries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("UK", "GB"),
        ("The Netherlands", "NL"),
        ("Nederland", "NL"),
        ("Deutschland", "DE"),
        ("Cote d Ivoire", "CI"),
        ("España", "ES"),
        ("Россия", "RU"),
        ("Atlantis", None),
    ],
)
def test_country_names_in_any_common_form_and_language(name: str, code: str | None) -> None:
    assert country_from_any_name(name) == code


def test_free_text_is_not_matched_against_every_language() -> None:
    assert country_from_any_name("Island") == "IS"  # a country column: German for Iceland
    assert resolve_country("Island") is None  # an article's words: an island is no country


def test_the_country_of_a_point_offline(gazetteer) -> None:
    for _name, lat, lon, code in PLACES:
        assert country_at(lat, lon) == code, (lat, lon)
    assert country_at(0.0, -30.0) is None  # the middle of the Atlantic


def test_rows_without_a_country_column_get_it_from_their_coordinates(store: Store, tmp_path: Path) -> None:
    """Only a default category given: name, lat, lon are still recognised and every row is placed."""
    report = run_import(store, places_csv(tmp_path), "csv", "places", ONLY_CATEGORY)
    assert [r.action for r in report.rows] == ["new"] * len(PLACES), [r.problems for r in report.rows]
    with store.reading() as s:
        countries = dict(s.execute(select(Entry.name, Entry.country)).all())
    assert {name: countries[name] for name, *_ in PLACES} == {name: code for name, _la, _lo, code in PLACES}
    assert report.mapping is not None and report.mapping.columns["lat"] == "lat"


def test_a_point_far_outside_its_stated_country_is_a_problem_on_its_row(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "far.csv",
        ["name", "country", "lat", "lon"],
        [["Paris lab", "France", 48.8566, 2.3522], ["Not in Kenya", "Kenya", 48.8566, 2.3522]],
    )
    report = run_import(store, path, "csv", "far", ONLY_CATEGORY, dry_run=True)
    assert report.rows[0].problems == []
    assert any("km outside KE" in p and "it is in FR" in p for p in report.rows[1].problems)


def test_a_point_on_an_island_of_its_country_is_not_a_problem(store: Store, tmp_path: Path) -> None:
    """The simplified outlines leave out the Canaries, the Balearics, Okinawa: a town of the stated
    country there places the point in it (before: "more than 500 km outside ES (it is in ES)")."""
    islands = [
        ["La Palma lab", "Spain", 28.6925, -17.7666],
        ["Palma lab", "Spain", 39.5696, 2.6502],
        ["Naha lab", "Japan", 26.2124, 127.6809],
    ]
    path = write_csv(tmp_path / "islands.csv", ["name", "country", "lat", "lon"], islands)
    report = run_import(store, path, "csv", "islands", ONLY_CATEGORY, dry_run=True)
    assert [r.problems for r in report.rows] == [[], [], []]


def test_category_codes_joined_by_another_separator(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "codes.csv", ["name", "country", "city", "type"], [["A", "FR", "Lille", "M-I-TL"]])
    mapping = SourceMapping.from_dict({"category_separator": "-", "categories": {"I": "training", "M": None}})
    report = run_import(store, path, "csv", "codes", mapping, dry_run=True)
    assert report.rows[0].action == "new" and not report.unknown_categories.get("M-I-TL")


def test_gogocarto_numeric_option_ids_are_named_by_its_taxonomy(store: Store, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "gogocarto_elements.json").read_text(encoding="utf-8"))
    element = dict(data["data"][0])
    element.pop("categories", None)
    element.pop("categoriesFull", None)
    element["optionValues"] = [{"optionId": 10427, "index": 0}]
    path = tmp_path / "gogo.json"
    path.write_text(json.dumps({"data": [element]}), encoding="utf-8")
    taxonomy = tmp_path / "taxonomy.json"
    taxonomy.write_text(json.dumps([{"id": 1, "name": "Thèmes", "options": [{"id": 10427, "name": "Formation"}]}]))
    mapping = SourceMapping.from_dict({"categories": {"Formation": "training"}})
    report = run_import(store, path, "gogocarto", "gogo", mapping, dry_run=True, taxonomy=taxonomy)
    assert report.rows[0].action in ("new", "duplicate") and not report.unknown_categories


def test_a_french_description_is_stored_as_french(store: Store, tmp_path: Path) -> None:
    text = "Un atelier où les habitants apprennent à réparer leurs ordinateurs avec des bénévoles du quartier."
    header = ["name", "country", "city", "description"]
    path = write_csv(tmp_path / "fr.csv", header, [["Atelier", "FR", "Lille", text]])
    report = run_import(store, path, "csv", "fr", ONLY_CATEGORY)
    assert report.rows[0].action == "new"
    with store.reading() as s:
        en, fr = s.execute(select(Entry.description_en, Entry.description_fr).where(Entry.name == "Atelier")).one()
    assert fr == text and en == ""


# -- private values ----------------------------------------------------------------------------------


def test_phone_and_email_columns_are_private_and_never_printed(
    store: Store, db_url: str, tmp_path: Path, capsys
) -> None:
    phones = [f"+33 6 12 34 {i:02d} {i:02d}" for i in range(len(PLACES))]
    mails = [f"someone{i}@example.org" for i in range(len(PLACES))]
    notes = [f"ask Jo on 06.12.34.56.{i:02d}" for i in range(len(PLACES))]
    path = places_csv(tmp_path, {"contact_tel": phones, "contact": mails, "misc": notes})
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("default_category: network\n", encoding="utf-8")
    report_file = tmp_path / "report.json"
    args = ["import", str(path), "--format", "csv", "--mapping", str(mapping_file), "--report", str(report_file)]
    code = main([*args, "--url", db_url])
    assert code in (0, 1)
    printed = capsys.readouterr()
    outputs = [printed.out, printed.err, report_file.read_text(encoding="utf-8")]
    with store.reading() as s:
        outputs += [json.dumps(row, default=str) for row in s.execute(select(SourceLink.data)).scalars()]
        outputs += [json.dumps(m, default=str) for m in s.execute(select(ImportSource.mapping)).scalars()]
    for out in outputs:
        for value in phones + mails:
            assert value not in out
        assert "06.12.34.56" not in out


# -- safe by default ---------------------------------------------------------------------------------


def test_a_geojson_file_given_as_csv_changes_nothing(store: Store, tmp_path: Path) -> None:
    run_import(store, FIXTURES / "umap.geojson", "geojson", "umap", ONLY_CATEGORY, force=True)
    before = dump(store)
    with pytest.raises(Exception) as caught:
        run_import(store, FIXTURES / "umap.geojson", "csv", "umap", ONLY_CATEGORY)
    assert "JSON" in str(caught.value)
    assert dump(store) == before


def test_a_run_where_most_rows_fail_writes_nothing_and_says_why(store: Store, tmp_path: Path, db_url: str) -> None:
    path = places_csv(tmp_path)
    run_import(store, path, "csv", "places", ONLY_CATEGORY)
    before = dump(store)
    broken = write_csv(tmp_path / "broken.csv", ["id", "name", "lat", "lon"], [["p0", "", "x", "y"]] * 1)
    with pytest.raises(ImportRefused):
        run_import(store, broken, "csv", "places", ONLY_CATEGORY)
    assert dump(store) == before
    assert main(["import", str(broken), "--format", "csv", "--source", "places", "--url", db_url]) == 2
    assert dump(store) == before


def test_a_datapackage_name_clash_changes_nothing(store: Store, tmp_path: Path) -> None:
    """Two unrelated HSDS packages, each given as …/datapackage.json: each named after its folder; the same
    name forced on both stops the second run instead of flagging the first one's rows as gone."""
    import shutil

    first, second = tmp_path / "hsds-dublin", tmp_path / "hsds-other"
    shutil.copytree(FIXTURES / "hsds", first)
    shutil.copytree(FIXTURES / "hsds", second)
    for table in second.glob("*.csv"):  # other organisations, same columns (HSDS is a standard)
        table.write_text(table.read_text(encoding="utf-8").replace("3f1c7a52", "99999999"), encoding="utf-8")
    mapping = SourceMapping.from_dict({"default_category": "network"})
    one = run_import(store, first / "datapackage.json", "hsds", mapping=mapping)
    assert one.source == "hsds-dublin"
    before = dump(store)
    with pytest.raises(ImportRefused) as caught:
        run_import(store, second / "datapackage.json", "hsds", "hsds-dublin", mapping)
    assert "not in this file" in str(caught.value)
    assert dump(store) == before
    two = run_import(store, second / "datapackage.json", "hsds", mapping=mapping)
    assert two.source == "hsds-other" and not two.gone


def test_every_run_is_recorded_with_real_counts(store: Store, tmp_path: Path) -> None:
    report = run_import(store, places_csv(tmp_path), "csv", "places", ONLY_CATEGORY)
    with store.reading() as s:
        source = s.scalar(select(ImportSource).where(ImportSource.name == "places"))
        run = s.scalar(select(ImportRun).where(ImportRun.id == report.run))
        assert source is not None and run is not None
        assert source.last_summary["new"] == len(PLACES) and source.last_summary["rows"] == len(PLACES)
        assert run.counts["new"] == len(PLACES) and len(run.file_hash) == 64 and run.kind == "import"


def test_undo_restores_the_state_before_the_run(store: Store, tmp_path: Path, db_url: str) -> None:
    path = places_csv(tmp_path)
    run_import(store, path, "csv", "places", ONLY_CATEGORY, publish=True)
    before_atlas = store.published_atlas().frame.to_dict("records")
    with store.reading() as s:
        links_before = sorted(s.execute(select(SourceLink.external_id, SourceLink.data, SourceLink.gone_since)).all())
    # The source changes: one row renamed, one gone, one new; published at once.
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][1] = "Fablab Lille Métropole"
    rows[3:4] = []  # p2 is gone
    rows.append(["p99", "Hackspace Oslo", "59.9139", "10.7522"])
    changed = write_csv(tmp_path / "changed.csv", rows[0], rows[1:])
    second = run_import(store, changed, "csv", "places", ONLY_CATEGORY, publish=True)
    assert second.summary()["update"] == 1 and second.summary()["new"] == 1 and len(second.gone) == 1
    assert main(["import", "undo", "places", "--run", str(second.run), "--url", db_url]) == 0
    assert store.published_atlas().frame.to_dict("records") == before_atlas
    with store.reading() as s:
        links_after = sorted(s.execute(select(SourceLink.external_id, SourceLink.data, SourceLink.gone_since)).all())
        oslo = s.scalar(select(Entry).where(Entry.name == "Hackspace Oslo"))
        undo = s.scalar(select(ImportRun).where(ImportRun.kind == "undo"))
        assert oslo is not None and oslo.state == "withdrawn"  # kept, withdrawn, through a revision
        assert undo is not None and undo.of_run == second.run
    assert links_after == links_before
    assert undo_run(store, "places")["run"] != second.run  # the earlier run is next; the undone one is done
    assert store.published_atlas().frame.query("source.str.contains('places')").empty


def test_publish_a_reviewed_run_in_one_step(store: Store, tmp_path: Path, db_url: str) -> None:
    report = run_import(store, places_csv(tmp_path), "csv", "places", ONLY_CATEGORY)
    names = {name for name, *_ in PLACES}
    assert not names & set(store.published_atlas().frame["name"])
    assert main(["import", "publish", "places", "--run", str(report.run), "--url", db_url]) == 0
    assert names <= set(store.published_atlas().frame["name"])


# -- nothing lost: HSDS ------------------------------------------------------------------------------


def test_every_location_of_an_hsds_organisation_is_kept(store: Store, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "hsds-multi"
    shutil.copytree(FIXTURES / "hsds", folder)
    locations = list(csv.reader((folder / "locations.csv").open(encoding="utf-8")))
    header, first = locations[0], locations[1]
    extra = dict(zip(header, first, strict=True))
    extra.update(id="loc-second", name="Branch office", latitude="53.35", longitude="-6.27")
    orphan = dict(extra, id="loc-orphan", organization_id="no-such-org", latitude="100")
    write_csv(folder / "locations.csv", header, [*locations[1:], list(extra.values()), list(orphan.values())])
    report = run_import(store, folder, "hsds", mapping=ONLY_CATEGORY, dry_run=True)
    owner = extra["organization_id"]
    mine = [r for r in report.rows if r.source_id.startswith(owner)]
    assert len(mine) == 2 and {r.action for r in mine} <= {"new", "duplicate"}
    orphaned = [r for r in report.rows if "loc-orphan" in r.source_id]
    assert len(orphaned) == 1 and orphaned[0].action == "error"
    assert any("does not have" in p for p in orphaned[0].problems)


# -- licences ----------------------------------------------------------------------------------------


def test_each_row_carries_its_source_licence_into_every_export(store: Store, tmp_path: Path) -> None:
    from atlas import opendata

    licensed = SourceMapping.from_dict(
        {"default_category": "network", "licence": "CC-BY-4.0", "attribution": "© Places contributors"}
    )
    run_import(store, places_csv(tmp_path), "csv", "places", licensed, publish=True)
    unknown = write_csv(tmp_path / "other.csv", ["name", "lat", "lon"], [["Fablab Lyon", 45.764, 4.8357]])
    run_import(store, unknown, "csv", "other", ONLY_CATEGORY, publish=True)
    with store.reading() as s:
        assert s.scalar(select(ImportSource.licence).where(ImportSource.name == "places")) == "CC-BY-4.0"
    frame = store.published_atlas().frame
    imported = frame[frame["name"].isin([p[0] for p in PLACES])]
    assert len(imported) == len(PLACES)
    assert imported["source"].str.contains("source licence: CC-BY-4.0; © Places contributors").all()
    lyon = frame[frame["name"] == "Fablab Lyon"].iloc[0]
    assert "source licence: unknown" in lyon["source"]
    nodes = {n["name"]: n for n in opendata.jsonld_graph(frame)["@graph"]}
    assert nodes["Fablab Lille"]["license"] == "CC-BY-4.0" and nodes["Fablab Lyon"]["license"] == "unknown"
    own = frame[~frame["name"].isin([*(p[0] for p in PLACES), "Fablab Lyon"])].iloc[0]
    assert "license" not in nodes[own["name"]]  # the atlas's own rows: the graph's licence
    assert "not under the licence above" in opendata.licence_readme()


def test_an_hsds_package_says_its_licence(store: Store, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "hsds-licensed"
    shutil.copytree(FIXTURES / "hsds", folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["licenses"] = [{"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/"}]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = run_import(store, folder / "datapackage.json", "hsds", mapping=ONLY_CATEGORY, dry_run=True)
    assert report.source == "hsds-licensed" and report.mapping is not None and report.mapping.licence == "ODbL-1.0"


# -- messages ----------------------------------------------------------------------------------------


def test_messages_a_person_can_act_on(store: Store, db_url: str, tmp_path: Path, capsys) -> None:
    """One cause once with its count; how to give a default country; no geocode advice; no progress
    bar when not on a terminal."""
    rows = [[f"r{i}", f"Lab {i}", "Nowhere-sur-Mer", ""] for i in range(3)]
    rows += [[f"p{i}", name, "", ""] for i, (name, *_rest) in enumerate(PLACES)]
    path = write_csv(tmp_path / "mixed.csv", ["id", "name", "city", "category"], rows)
    code = main(["import", str(path), "--format", "csv", "--source", "mixed", "--dry-run", "--url", db_url])
    printed = capsys.readouterr()
    assert code == 2  # most rows cannot be placed: a real run would stop
    lines = printed.out.splitlines()
    country = [line for line in lines if "country is required" in line]
    assert len(country) == 1 and "defaults: {country:" in country[0] and f"{len(rows)} rows" in country[0]
    assert "atlas geocode" not in printed.out
    assert "not in the mapping's categories" not in printed.out  # the old garbled "none given not in…"
    assert "no category: the row has none" in printed.out
    assert "\r" not in printed.err and "rows/s" not in printed.err


def test_force_imports_what_can_be_and_runs_are_listed(store: Store, tmp_path: Path, db_url: str, capsys) -> None:
    rows = [["a", "Fablab Lille", 50.6292, 3.0573], ["b", "", "x", "y"], ["c", "", "x", "y"]]
    path = write_csv(tmp_path / "mostly-broken.csv", ["id", "name", "lat", "lon"], rows)
    with pytest.raises(ImportRefused):
        run_import(store, path, "csv", "broken", ONLY_CATEGORY)
    report = run_import(store, path, "csv", "broken", ONLY_CATEGORY, force=True)
    assert [r.action for r in report.rows] == ["new", "error", "error"] and report.run is not None
    capsys.readouterr()
    assert main(["import", "runs", "broken", "--url", db_url]) == 0
    assert f"run {report.run} " in capsys.readouterr().out


def test_the_progress_bar_shows_on_a_terminal_only() -> None:
    import io

    from atlas.imports.cli import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        with Progress(stream) as progress:
            for done in range(0, 1001, 100):
                progress("reading", done, 1000)
    assert "rows/s" in screen.getvalue() and "reading" in screen.getvalue()
    assert pipe.getvalue() == ""


def test_a_country_column_in_common_forms_imports(store: Store, tmp_path: Path) -> None:
    rows = [
        ["London lab", "UK", 51.5072, -0.1276],
        ["Amsterdam lab", "The Netherlands", 52.3676, 4.9041],
        ["Utrecht lab", "Nederland", 52.0907, 5.1214],
        ["Köln lab", "Deutschland", 50.9375, 6.9603],
        ["Abidjan lab", "Cote d Ivoire", 5.36, -4.0083],
    ]
    path = write_csv(tmp_path / "forms.csv", ["name", "country", "lat", "lon"], rows)
    report = run_import(store, path, "csv", "forms", ONLY_CATEGORY, dry_run=True)
    assert [r.problems for r in report.rows] == [[]] * len(rows)
    assert [r.action for r in report.rows] == ["new"] * len(rows)
