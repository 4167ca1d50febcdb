"""Loading the atlas: the bundled data, the combined frame, the data folder setting, and broken files.

Broken input (issue 7) must never raise: each case gives a clear message located in the file,
and the good rows are kept.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from data_factory import ODC_COLUMNS, ORG_COLUMNS, csv_text, numbered, odc_row, org_row, write_atlas, write_csv

from atlas import config
from atlas.data import FRAME_COLUMNS, SEARCH_COLUMN, load_atlas, load_file
from atlas.schema import MAX_TEXT, ODCS, ORGANISATIONS, Problem

BUNDLED = config.PROJECT_ROOT / "data"


def load_bytes(tmp_path: Path, data: bytes, schema=ORGANISATIONS):
    """Load `data` as the file of `schema`: (kept ids, their lines, problems as strings)."""
    path = tmp_path / schema.filename
    path.write_bytes(data)
    frame, problems = load_file(path, schema, schema.filename)
    return frame["id"].tolist(), frame["_line"].tolist(), [str(p) for p in problems]


def good_orgs(count: int = 3) -> list[dict[str, str]]:
    return numbered(org_row, count, "org")


def records(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


# --- the bundled data ---------------------------------------------------------------------


def test_bundled_data_loads_without_problems() -> None:
    atlas = load_atlas(BUNDLED)
    assert atlas.problems == []
    counts = atlas.frame["kind"].value_counts().to_dict()
    assert counts == {"organisation": records(BUNDLED / "organisations.csv"), "odc": records(BUNDLED / "odc.csv")}
    assert counts["organisation"] > 0 and counts["odc"] > 0
    assert atlas.frame["id"].is_unique


def test_frame_columns_and_types() -> None:
    frame = load_atlas(BUNDLED).frame
    assert list(frame.columns) == [*FRAME_COLUMNS, SEARCH_COLUMN]
    assert frame["lat"].dtype == np.float64 and frame["lon"].dtype == np.float64
    assert frame["lat"].between(-90, 90).all() and frame["lon"].between(-180, 180).all()
    assert set(frame["kind"]) == {"organisation", "odc"}
    odcs = frame[frame["kind"] == "odc"]
    assert (odcs["category"] == "digital_center").all()
    assert set(odcs["status"]) <= {"open", "planned"}
    orgs = frame[frame["kind"] == "organisation"]
    assert (orgs["status"] == "").all() and (orgs["opened"] == "").all()
    assert "digital_center" not in set(orgs["category"])
    assert not frame[[c for c in FRAME_COLUMNS if c not in ("lat", "lon")]].isna().any().any()


def test_combined_frame_of_written_files(tmp_path: Path) -> None:
    folder = write_atlas(
        tmp_path,
        orgs=[org_row(id="alpha", country="MD", aliases="A|Alf")],
        odcs=[odc_row(id="odc-x", country="CI", lat="", lon="", geo_precision="")],
    )
    frame = load_atlas(folder).frame.set_index("id")
    assert frame.loc["alpha", "kind"] == "organisation"
    assert (frame.loc["alpha", "country_name_en"], frame.loc["alpha", "country_name_fr"]) == ("Moldova", "Moldavie")
    assert frame.loc["odc-x", "kind"] == "odc" and frame.loc["odc-x", "category"] == "digital_center"
    assert frame.loc["odc-x", "country_name_fr"] == "Côte d’Ivoire"
    assert np.isnan(frame.loc["odc-x", "lat"]) and frame.loc["alpha", "lat"] == pytest.approx(45.764)
    assert frame.loc["odc-x", "aliases"] == "" and frame.loc["odc-x", "website"] == ""
    assert "alf" in frame.loc["alpha", SEARCH_COLUMN]  # aliases are searched


def test_search_key_folds_accents_and_case(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=[org_row(name="Chișinău ÉCOLE", city="Liège")], odcs=[])
    key = load_atlas(folder).frame.loc[0, SEARCH_COLUMN]
    assert "chisinau ecole" in key and "liege" in key


def test_header_only_files_give_an_empty_typed_frame(tmp_path: Path) -> None:
    atlas = load_atlas(write_atlas(tmp_path, orgs=[], odcs=[]))
    assert atlas.problems == []
    assert atlas.frame.empty
    assert list(atlas.frame.columns) == [*FRAME_COLUMNS, SEARCH_COLUMN]


# --- ids unique across the two files ----------------------------------------------------


def test_duplicate_id_in_one_file_keeps_the_first(tmp_path: Path) -> None:
    folder = write_atlas(
        tmp_path, orgs=[org_row(id="same", name="First"), org_row(id="other"), org_row(id="same", name="Second")]
    )
    atlas = load_atlas(folder)
    assert atlas.frame.set_index("id").loc["same", "name"] == "First"
    assert len(atlas.frame) == 3  # two organisations, one ODC
    [problem] = atlas.problems
    assert (problem.severity, problem.row, problem.column, problem.value) == ("error", 4, "id", "same")
    assert problem.file.endswith("organisations.csv")
    assert "already used" in problem.message


def test_duplicate_id_across_the_two_files(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=[org_row(id="shared")], odcs=[odc_row(id="odc-a"), odc_row(id="shared")])
    atlas = load_atlas(folder)
    assert atlas.frame["id"].tolist() == ["shared", "odc-a"]
    assert atlas.frame["kind"].tolist() == ["organisation", "odc"]
    [problem] = atlas.problems
    assert problem.file.endswith("odc.csv") and problem.row == 3 and problem.value == "shared"


def test_a_dropped_row_does_not_claim_its_id(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=[org_row(id="shared", country="XX")], odcs=[odc_row(id="shared")])
    atlas = load_atlas(folder)
    assert atlas.frame["kind"].tolist() == ["odc"]
    assert [p.column for p in atlas.problems] == ["country"]


# --- where the data is read from -------------------------------------------------------


def test_messages_name_the_file_relative_to_the_working_folder(tmp_path: Path, monkeypatch) -> None:
    write_atlas(tmp_path / "data", odcs=[*numbered(odc_row, 5, "odc"), odc_row(id="far-north", lat="123.4")])
    monkeypatch.chdir(tmp_path)
    atlas = load_atlas("data")
    assert [str(p) for p in atlas.problems] == ["data/odc.csv row 7: lat '123.4' is outside [-90, 90]"]


def test_data_dir_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    write_atlas(tmp_path, orgs=[org_row(id="from-env")], odcs=[])
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    assert load_atlas().frame["id"].tolist() == ["from-env"]
    monkeypatch.delenv("ATLAS_DATA_DIR")
    assert "from-env" not in set(load_atlas().frame["id"])  # back to the bundled data
    assert len(load_atlas().frame) == len(load_atlas(BUNDLED).frame)


def test_missing_files_are_reported(tmp_path: Path) -> None:
    write_csv(tmp_path / "organisations.csv", [org_row()])
    atlas = load_atlas(tmp_path)
    assert atlas.frame["id"].tolist() == ["test-org"]
    [problem] = atlas.problems
    assert problem.file.endswith("odc.csv") and problem.row is None
    assert "cannot be read" in problem.message


# --- broken input files (issue 7) --------------------------------------------------------


def test_file_cut_in_the_middle_of_a_row(tmp_path: Path) -> None:
    data = csv_text(good_orgs(3)).encode()
    ids, lines, problems = load_bytes(tmp_path, data[: data.rindex(b",civic_tech,")])
    assert ids == ["org-1", "org-2"] and lines == [2, 3]
    assert len(problems) == 1
    assert (
        problems[0].startswith("organisations.csv row 4: has ")
        and f"fields but the header has {len(ORG_COLUMNS)}" in problems[0]
    )


def test_unclosed_quote_at_the_end(tmp_path: Path) -> None:
    data = csv_text(good_orgs(3)).encode() + b'org-4,"Unclosed name,,civic_tech,FR\r\n'
    ids, _, problems = load_bytes(tmp_path, data)
    assert ids == ["org-1", "org-2", "org-3"]
    assert len(problems) == 1 and problems[0].startswith("organisations.csv row 5: is malformed CSV")


def test_unclosed_quote_in_the_middle_keeps_the_rows_after_it(tmp_path: Path) -> None:
    data = csv_text(good_orgs(4)).replace("org-2,Test", 'org-2,"Test').encode()
    ids, lines, problems = load_bytes(tmp_path, data)
    assert ids == ["org-1", "org-3", "org-4"] and lines == [2, 4, 5]
    assert len(problems) == 1 and problems[0].startswith("organisations.csv row 3: is malformed CSV")


def test_stray_quote_after_a_quoted_field(tmp_path: Path) -> None:
    data = csv_text(good_orgs(3)).replace("org-2,Test Organisation", 'org-2,"Test" Organisation').encode()
    ids, _, problems = load_bytes(tmp_path, data)
    assert ids == ["org-1", "org-3"]
    assert len(problems) == 1 and problems[0].startswith("organisations.csv row 3: is malformed CSV")


def test_malformed_header(tmp_path: Path) -> None:
    data = csv_text(good_orgs(2)).replace("id,name", 'id,"name', 1).encode()
    ids, _, problems = load_bytes(tmp_path, data)
    assert ids == []
    assert problems == [
        "organisations.csv: has no header line",
        "organisations.csv row 1: is malformed CSV (unexpected end of data); row skipped",
    ]


def test_rows_with_too_many_fields(tmp_path: Path) -> None:
    last = csv_text([org_row(id="org-3")]).split("\r\n", 1)[1]  # the row without a header
    data = csv_text(good_orgs(2)).encode() + b"org-9" + b",x" * 20 + b"\r\n" + last.encode()
    ids, lines, problems = load_bytes(tmp_path, data)
    assert ids == ["org-1", "org-2", "org-3"] and lines == [2, 3, 5]
    assert problems == [f"organisations.csv row 4: has 21 fields but the header has {len(ORG_COLUMNS)}; row skipped"]


def test_semicolon_delimiter_is_recognised(tmp_path: Path) -> None:
    ids, _, problems = load_bytes(tmp_path, csv_text(good_orgs(2), delimiter=";").encode())
    assert ids == []
    errors = [p for p in problems if "header lacks required column(s)" in p]
    assert len(errors) == 1 and errors[0].startswith("organisations.csv row 1:")
    assert "another delimiter than ','" in errors[0] and "file skipped" in errors[0]


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    ids, lines, problems = load_bytes(tmp_path, b"\xef\xbb\xbf" + csv_text(good_orgs(2)).encode())
    assert (ids, lines, problems) == (["org-1", "org-2"], [2, 3], [])


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_any_line_end(tmp_path: Path, line_end: str) -> None:
    ids, lines, problems = load_bytes(tmp_path, csv_text(good_orgs(3), lineterminator=line_end).encode())
    assert (ids, lines, problems) == (["org-1", "org-2", "org-3"], [2, 3, 4], [])


def test_latin1_bytes_drop_only_the_affected_rows(tmp_path: Path) -> None:
    rows = [org_row(id="r1"), org_row(id="r2", name="Café"), org_row(id="r3"), org_row(id="r4", city="Liège")]
    ids, lines, problems = load_bytes(tmp_path, csv_text(rows).encode("latin-1"))
    assert ids == ["r1", "r3"] and lines == [2, 4]
    assert problems == [
        "organisations.csv row 3: is not valid UTF-8 (save the file as UTF-8); row skipped",
        "organisations.csv row 5: is not valid UTF-8 (save the file as UTF-8); row skipped",
    ]


def test_latin1_bytes_inside_a_multiline_cell_drop_that_row(tmp_path: Path) -> None:
    rows = [
        org_row(id="r1", description_en="page\x0cbreak and\u2028separator"),
        org_row(id="r2", description_en="first line\nsecond line, Café"),
        org_row(id="r3"),
        org_row(id="r4", name="Café"),
    ]
    data = csv_text(rows).encode().replace("Café".encode(), "Café".encode("latin-1"))
    ids, lines, problems = load_bytes(tmp_path, data)
    assert ids == ["r1", "r3"] and lines == [2, 5]
    assert problems == [
        "organisations.csv row 2: description_en 'page\\x0cbreak and\\u2028separator' "
        "contains control characters; they were removed",
        "organisations.csv row 3: is not valid UTF-8 (save the file as UTF-8); row skipped",
        "organisations.csv row 6: is not valid UTF-8 (save the file as UTF-8); row skipped",
    ]


def test_utf8_replacement_character_itself_is_fine(tmp_path: Path) -> None:
    ids, _, problems = load_bytes(tmp_path, csv_text([org_row(name="Odd \ufffd name")]).encode())
    assert (ids, problems) == (["test-org"], [])


def test_duplicate_header_column(tmp_path: Path) -> None:
    ids, _, problems = load_bytes(tmp_path, csv_text([org_row()], columns=[*ORG_COLUMNS, "name"]).encode())
    assert ids == []
    assert problems == [
        "organisations.csv row 1: name appears twice in the header "
        f"(columns 2 and {len(ORG_COLUMNS) + 1}); file skipped"
    ]


def test_trailing_empty_header_columns_are_ignored(tmp_path: Path) -> None:
    ids, _, problems = load_bytes(tmp_path, csv_text(good_orgs(2), columns=[*ORG_COLUMNS, "", ""]).encode())
    assert (ids, problems) == (["org-1", "org-2"], [])


def test_missing_header_columns(tmp_path: Path) -> None:
    rows = [org_row(id="a", lon=None, country=None)]
    ids, _, problems = load_bytes(tmp_path, csv_text(rows).encode())
    assert ids == []
    assert problems == ["organisations.csv row 1: header lacks required column(s) country, lon; file skipped"]


def test_unknown_header_column_is_a_warning(tmp_path: Path) -> None:
    ids, _, problems = load_bytes(tmp_path, csv_text([org_row(notes="hello")]).encode())
    assert ids == ["test-org"]
    assert problems == ["organisations.csv row 1: has unknown column(s) notes; ignored"]


@pytest.mark.parametrize("data", [b"", b"   \n\n\t", b"\r\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    ids, _, problems = load_bytes(tmp_path, data)
    assert ids == []
    assert problems == ["organisations.csv: is empty (expected a header line and rows)"]


def test_empty_file_beside_a_good_one(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=good_orgs(2))
    (folder / "odc.csv").write_bytes(b"")
    atlas = load_atlas(folder)
    assert atlas.frame["id"].tolist() == ["org-1", "org-2"]
    assert [p.message for p in atlas.problems] == ["is empty (expected a header line and rows)"]


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path: Path) -> None:
    data = csv_text(good_orgs(2)).replace("\r\norg-2", "\r\n\r\n,,,\r\norg-2").encode()
    ids, lines, problems = load_bytes(tmp_path, data)
    assert (ids, lines, problems) == (["org-1", "org-2"], [2, 5], [])


def test_line_breaks_inside_cells_keep_later_line_numbers_right(tmp_path: Path) -> None:
    rows = [org_row(id="a", description_en="one\ntwo\nthree"), org_row(id="b", country="XX")]
    ids, _, problems = load_bytes(tmp_path, csv_text(rows).encode())
    assert ids == ["a"]
    assert problems == ["organisations.csv row 5: country 'XX' is not an ISO 3166-1 alpha-2 country code (e.g. FR, BE)"]


@pytest.mark.parametrize("multiline", [False, True], ids=["plain", "with-line-breaks"])
def test_million_character_cells_are_cut(tmp_path: Path, multiline: bool) -> None:
    rows = [org_row(id="huge", description_en="x" * 1_000_000, name="<b>" * 400_000), org_row(id="ok")]
    if multiline:
        rows.append(org_row(id="ok-2", description_fr="a\nb"))
    path = write_csv(tmp_path / "organisations.csv", rows)
    frame, problems = load_file(path, ORGANISATIONS, "organisations.csv")
    assert frame["id"].tolist()[:2] == ["huge", "ok"]
    assert len(frame.loc[0, "description_en"]) == MAX_TEXT and len(frame.loc[0, "name"]) == MAX_TEXT
    assert frame.loc[1, "description_en"] == "A test organisation."
    cut = [p for p in problems if "longer than" in p.message]
    assert {(p.row, p.column, p.severity) for p in cut} == {(2, "description_en", "warning"), (2, "name", "warning")}
    assert all(len(str(p)) < 300 for p in problems)  # messages show a cut value, not the whole cell


def test_nan_and_infinite_coordinates(tmp_path: Path) -> None:
    rows = [
        odc_row(id="a", lat="nan", lon="nan"),
        odc_row(id="b", lon="Infinity"),
        odc_row(id="c", lat="-inf"),
        odc_row(id="d"),
    ]
    ids, _, problems = load_bytes(tmp_path, csv_text(rows).encode(), ODCS)
    assert ids == ["d"]
    assert problems == [
        "odc.csv row 2: lat 'nan' is not a finite number",
        "odc.csv row 2: lon 'nan' is not a finite number",
        "odc.csv row 3: lon 'Infinity' is not a finite number",
        "odc.csv row 4: lat '-inf' is not a finite number",
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00\x01",
        "id,name\n".encode("utf-16"),
        b"\x00" * 50,
        b'"' * 7,
        b"id\n\xff",
        b'\r\r\r,\n"',
        bytes(range(256)),
        b"\xef\xbb\xbf",
    ],
)
def test_garbage_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "organisations.csv"
    path.write_bytes(data)
    frame, problems = load_file(path, ORGANISATIONS, "organisations.csv")
    assert frame.empty
    assert problems and all(isinstance(p, Problem) and p.severity in ("error", "warning") for p in problems)
    assert any(p.severity == "error" for p in problems)


def test_one_broken_file_does_not_spoil_the_other(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path, orgs=good_orgs(2))
    (folder / "odc.csv").write_bytes(csv_text([odc_row()], columns=ODC_COLUMNS, delimiter=";").encode())
    atlas = load_atlas(folder)
    assert atlas.frame["id"].tolist() == ["org-1", "org-2"]
    assert all(p.file.endswith("odc.csv") for p in atlas.problems)
