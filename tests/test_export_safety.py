"""Downloads are safe to open: CSV injection (OWASP) is neutralised, CSV rows survive any text,
GeoJSON is always valid JSON, and the file name says what was filtered."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.countries import is_country_code
from atlas.export import EXPORT_COLUMNS, export_filename, neutralise, to_csv, to_geojson
from atlas.text import is_http_url, safe_url

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT_COLUMNS = tuple(c for c in EXPORT_COLUMNS if c not in ("lat", "lon"))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Any text, with the characters that matter here made frequent.
tricky = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\r\n", ",", ";", '"', "'", "\ufeff", "1", ".", " "])
texts = st.lists(st.one_of(tricky, st.text(max_size=8)), max_size=8).map("".join)
coordinates = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none())


def read_back(data: bytes) -> list[list[str]]:
    """Rows of a downloaded CSV as a spreadsheet-like reader sees them (header included)."""
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM expected"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def frame_of(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(EXPORT_COLUMNS)).astype({"lat": "float64", "lon": "float64"})


def export_row(**cells: object) -> dict:
    row: dict[str, object] = {c: "" for c in TEXT_COLUMNS}
    row.update(lat=45.76, lon=4.84)
    row.update(cells)
    return row


# --- CSV injection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example","click")',
        "=1+1",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
        "-",
        "+",
        "@",
        "=",
        "-inf",
        "+-1",
        "--1",
        "-1e",
        "-0x10",
        "-\u0663",
        "+\uff11",
        '＝HYPERLINK("http://evil.example","click")',  # full-width ＝ ＋ － ＠: see export._FORMULA_START
        "＋1+1",
        "－2+3",
        "－3",
        "＠SUM(A1:A2)",
    ],
)
def test_formula_cells_are_prefixed(cell):
    assert neutralise(cell) == "'" + cell
    (header, row) = read_back(to_csv(frame_of([export_row(name=cell, description=cell)])))
    assert row[header.index("name")] == "'" + cell
    assert row[header.index("description")] == "'" + cell


@pytest.mark.parametrize(
    "cell",
    ["-3.5", "-12", "+4", "-0.5e3", "-.5", "12", "3.25", "Liège", "'=already", " =1+1", "a=b", "", "mail@example.org"],
)
def test_harmless_cells_are_unchanged(cell):
    assert neutralise(cell) == cell


def test_negative_numbers_stay_numbers():
    frame = frame_of([export_row(lat=-3.5, lon=-12.0, address="-12", city="-3.5"), export_row(lat=-0.25, lon=-179.5)])
    header, *rows = read_back(to_csv(frame))
    col = {name: header.index(name) for name in header}
    assert [float(r[col["lat"]]) for r in rows] == [-3.5, -0.25]
    assert [float(r[col["lon"]]) for r in rows] == [-12.0, -179.5]
    assert rows[0][col["address"]] == "-12" and rows[0][col["city"]] == "-3.5"
    back = pd.read_csv(io.BytesIO(to_csv(frame)), encoding="utf-8-sig")
    assert back["lat"].tolist() == [-3.5, -0.25] and back["lon"].dtype == "float64"


@pytest.mark.parametrize("cell", ["safe\r=1+1", "safe\n=1+1", "a\r\n@SUM(A1)", "x\r-2+3"])
def test_a_line_break_inside_a_cell_cannot_start_a_row_of_its_own(cell):
    """A bare CR written unquoted would end the row in every reader, and the rest of the cell would
    become the first cell of a new row (a formula, unneutralised)."""
    header, *rows = read_back(to_csv(frame_of([export_row(name=cell)])))
    assert len(rows) == 1 and rows[0][header.index("name")] == cell


def test_hostile_fixture_export_is_neutralised():
    from pathlib import Path

    from atlas.data import load_atlas
    from atlas.export import export_frame

    frame = load_atlas(Path(__file__).parent / "fixtures" / "hostile_atlas").frame
    header, *rows = read_back(to_csv(export_frame(frame, "fr")))
    assert len(rows) == len(frame)
    for row in rows:
        for name, cell in zip(header, row, strict=True):
            if name not in ("lat", "lon"):
                assert not cell.startswith(FORMULA_START), (name, cell)


@SETTINGS
@given(
    st.lists(
        st.fixed_dictionaries({c: texts for c in TEXT_COLUMNS} | {"lat": coordinates, "lon": coordinates}),
        min_size=1,
        max_size=5,
    )
)
def test_csv_reads_back_to_the_same_rows(rows):
    frame = frame_of(rows)
    header, *back = read_back(to_csv(frame))
    assert header == list(EXPORT_COLUMNS)
    assert len(back) == len(rows)
    for original, cells in zip(rows, back, strict=True):
        assert len(cells) == len(header)
        for name, cell in zip(header, cells, strict=True):
            value = original[name]
            if name in ("lat", "lon"):
                if value is None or math.isnan(value):
                    assert cell == ""
                else:
                    assert float(cell) == value
            elif name == "website":  # only http(s) links are written (issue 21)
                assert cell == neutralise(value if value == "" or is_http_url(value) else "")
            else:
                assert cell == neutralise(value)
                assert not cell.startswith(FORMULA_START) or re.fullmatch(r"[+-][\d.eE+-]+", cell), cell


@SETTINGS
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_neutralise_only_ever_prefixes(value):
    out = neutralise(value)
    if not isinstance(value, str):
        assert out is value
        return
    assert out == value or (out == "'" + value and value.startswith(FORMULA_START))
    if value.startswith(FORMULA_START) and out == value:
        float(value)  # left alone only because it is a plain number


# --- GeoJSON -------------------------------------------------------------------------------------


@SETTINGS
@given(
    st.lists(
        st.fixed_dictionaries({c: st.text() for c in TEXT_COLUMNS} | {"lat": coordinates, "lon": coordinates}),
        max_size=5,
    )
)
def test_geojson_is_valid_json_for_any_text_and_coordinates(rows):
    frame = frame_of(rows)
    data = json.loads(to_geojson(frame).decode("utf-8"), parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(rows)
    for row, feature in zip(rows, data["features"], strict=True):
        lat, lon = row["lat"], row["lon"]
        if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon):
            assert feature["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
        else:
            assert feature["geometry"] is None
        expected = {k: safe_url(row[k]) if k == "website" else row[k] for k in TEXT_COLUMNS}  # http(s) links only
        assert {k: feature["properties"][k] for k in TEXT_COLUMNS} == expected
    json.dumps(data, allow_nan=False)  # and nothing non-finite slipped into the properties


def test_geojson_of_nothing_is_an_empty_collection():
    assert json.loads(to_geojson(frame_of([]))) == {"type": "FeatureCollection", "features": []}


# --- file names ----------------------------------------------------------------------------------

DAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("countries", "filtered", "expected"),
    [
        ((), False, "social-tech-atlas_all_2026-11-28.csv"),
        ((), True, "social-tech-atlas_filtered_2026-11-28.csv"),
        (("FR",), False, "social-tech-atlas_FR_2026-11-28.csv"),
        (("FR", "BE"), False, "social-tech-atlas_BE-FR_2026-11-28.csv"),
        (("FR", "BE"), True, "social-tech-atlas_BE-FR_filtered_2026-11-28.csv"),
        (("../../etc", "fr", "XX"), False, "social-tech-atlas_all_2026-11-28.csv"),
    ],
)
def test_export_filename_says_what_was_filtered(countries, filtered, expected):
    assert export_filename(countries, "csv", today=DAY, filtered=filtered) == expected


@SETTINGS
@given(
    st.lists(
        st.one_of(st.text(max_size=4), st.sampled_from(["FR", "BE", "IT", "SN", "MD", "US", "NZ", "JP"])), max_size=300
    ),
    st.booleans(),
    st.sampled_from(["csv", "geojson"]),
)
def test_export_filename_is_always_a_safe_short_name(countries, filtered, extension):
    name = export_filename(tuple(countries), extension, today=DAY, filtered=filtered)
    assert re.fullmatch(r"social-tech-atlas_[A-Za-z0-9_-]+_2026-11-28\." + extension, name), name
    assert len(name.encode()) <= 255
    codes = sorted({c for c in countries if is_country_code(c)})
    if 0 < len(codes) <= 6:
        assert "-".join(codes) in name
    elif codes:
        assert f"{len(codes)}-countries" in name
    assert ("filtered" in name) == filtered
    assert ("_all_" in name) == (not codes and not filtered)


def test_each_code_is_followed_by_its_label_in_the_page_language():
    from pathlib import Path

    from atlas.data import load_atlas
    from atlas.export import EXPORT_COLUMNS, TABLE_COLUMNS, export_frame

    frame = load_atlas(Path(__file__).parent / "fixtures" / "small_atlas").frame
    for code in ("kind", "category", "geo_precision", "status"):
        assert EXPORT_COLUMNS.index(f"{code}_label") == EXPORT_COLUMNS.index(code) + 1
    fr = export_frame(frame, "fr").set_index("id")
    odc = fr[fr["kind"] == "odc"].iloc[0]
    assert (odc["kind_label"], odc["category_label"]) == ("Orange Digital Center", "Orange Digital Centers")
    assert odc["status_label"] in ("Ouvert", "En projet")
    org = fr[fr["kind"] == "organisation"].iloc[0]
    assert org["kind_label"] == "Organisation" and org["status"] == "" and org["status_label"] == ""
    assert set(fr["geo_precision_label"]) <= {"Adresse", "Ville", "Région", "Pays", ""}
    assert "civic_tech" not in set(fr["category_label"]) and "Civic tech" in set(fr["category_label"])
    # the page's table: labels, no code and no id
    assert not {"id", "kind", "category", "country", "status", "geo_precision", "source"} & set(TABLE_COLUMNS)
    assert set(TABLE_COLUMNS) <= set(EXPORT_COLUMNS)
