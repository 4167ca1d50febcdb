"""The data-source seam: the CSV folder as a source, its revision, any number of parts, one record."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from data_factory import odc_row, org_row, write_atlas

from atlas.data import Part, combine, load_atlas, load_file
from atlas.schema import ODCS, ORGANISATIONS, validate_record
from atlas.sources import CsvFolder, SourceUnavailable, configured_source
from atlas.store.source import DatabaseSource

FIXTURES = Path(__file__).parent / "fixtures"


def _touch_later(path: Path) -> None:
    """Rewrite a file with a later modification time (some file systems keep coarse times)."""
    later = time.time() + 5
    os.utime(path, (later, later))


def test_csv_folder_loads_what_load_atlas_loads() -> None:
    source = CsvFolder(FIXTURES / "small_atlas")
    pd.testing.assert_frame_equal(source.load().frame, load_atlas(FIXTURES / "small_atlas").frame)
    articles, problems = source.articles(set(source.load().frame["id"]), set())
    assert articles and all(a.id for a in articles)
    assert problems == [] or all(isinstance(p, str) for p in problems)


def test_revision_changes_when_any_data_file_changes(tmp_path: Path) -> None:
    folder = tmp_path / "atlas"
    shutil.copytree(FIXTURES / "small_atlas", folder)
    source = CsvFolder(folder)
    first = source.revision()
    assert source.revision() == first  # stable while nothing changes

    _touch_later(folder / "odc.csv")
    second = source.revision()
    assert second != first

    article = next((folder / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = source.revision()
    assert third != second

    article.unlink()
    assert source.revision() != third  # a removed article counts too


def test_revision_of_a_missing_folder_is_stable(tmp_path: Path) -> None:
    source = CsvFolder(tmp_path / "nowhere")
    assert source.revision() == source.revision()
    assert source.articles([], []) == ([], [])


def test_configured_source_follows_the_configuration(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ATLAS_SOURCE", "files")
    source = configured_source()
    assert isinstance(source, CsvFolder) and source.folder == tmp_path
    assert str(tmp_path) in source.key

    monkeypatch.delenv("ATLAS_SOURCE")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "small_atlas"))
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    database = configured_source()
    assert isinstance(database, DatabaseSource) and "db.sqlite3" in database.key
    assert sorted(database.load().frame["id"]) == sorted(CsvFolder(FIXTURES / "small_atlas").load().frame["id"])


def test_an_unreachable_database_is_reported_as_such(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/atlas")
    with pytest.raises(SourceUnavailable):
        configured_source()


def test_combine_takes_any_number_of_parts_and_reports_repeated_ids(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=[org_row(id="a"), org_row(id="b")], odcs=[odc_row(id="odc-x")])
    orgs, _ = load_file(folder / "organisations.csv", ORGANISATIONS, "orgs.csv")
    odcs, _ = load_file(folder / "odc.csv", ODCS, "odc.csv")
    more = orgs[orgs["id"] == "b"].drop(columns="_line")  # rows from a store: no line numbers
    extra = orgs[orgs["id"] == "a"].assign(id="c")
    problems: list = []
    frame = combine(
        [
            Part("organisation", orgs, "orgs.csv"),
            Part("odc", odcs, "odc.csv"),
            Part("organisation", extra, "third.csv"),
            Part("organisation", more, "database"),
        ],
        problems,
    )
    assert sorted(frame["id"]) == ["a", "b", "c", "odc-x"]
    assert frame.loc[frame["id"] == "odc-x", "category"].item() == "digital_center"
    assert [str(p) for p in problems] == ["database: id 'b' is already used by another row; row skipped"]


def test_combine_of_no_parts_is_an_empty_atlas() -> None:
    frame = combine([], [])
    assert frame.empty and "id" in frame and "search_key" in frame


def test_one_record_gets_the_messages_a_file_row_gets(tmp_path: Path) -> None:
    bad = org_row(id="x", lat="123.4", website="javascript:alert(1)")
    folder = write_atlas(tmp_path, orgs=[bad], odcs=[])
    _, file_problems = load_file(folder / "organisations.csv", ORGANISATIONS, "form")
    record, problems = validate_record(bad, ORGANISATIONS)
    assert record is None  # the latitude is an error: nothing to keep
    assert [(p.column, p.value, p.message, p.severity) for p in problems] == [
        (p.column, p.value, p.message, p.severity) for p in file_problems
    ]
    assert all(p.row is None for p in problems)
    assert "form: lat '123.4' is outside [-90, 90]" in [str(p) for p in problems]


def test_a_good_record_comes_back_typed_and_cleaned() -> None:
    record, problems = validate_record(org_row(id="good", lat="45.5", lon="4.25", website="ftp://nope"), ORGANISATIONS)
    assert record is not None
    assert record["lat"] == 45.5 and record["lon"] == 4.25
    assert record["website"] == ""  # not http(s): the link is removed, with a warning
    assert [(p.column, p.severity) for p in problems] == [("website", "warning")]


@pytest.mark.parametrize("missing", ["name", "country", "source"])
def test_a_record_missing_a_required_field_is_refused(missing: str) -> None:
    record = {k: v for k, v in org_row(id="r").items() if k != missing}
    kept, problems = validate_record(record, ORGANISATIONS)
    assert kept is None
    assert any(p.column == missing and "required" in p.message for p in problems)


def test_a_record_without_coordinates_is_kept_with_a_warning() -> None:
    kept, problems = validate_record(org_row(id="r", lat="", lon=""), ORGANISATIONS)
    assert kept is not None and kept["lat"] is None
    assert [p.severity for p in problems] == ["warning"]
