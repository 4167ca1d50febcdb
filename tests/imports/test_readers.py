"""Reading exports: CSV dialects and encodings, GeoJSON, GoGoCarto, HSDS; broken and huge files."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from atlas.imports.geo import check_order
from atlas.imports.mapping import SourceMapping, guess
from atlas.imports.readers import InputError, read, read_csv
from tests.imports.conftest import FIXTURES


@pytest.mark.parametrize(
    ("text", "encoding", "delimiter"),
    [
        ("name,city\nA,Paris\n", "utf-8", "comma"),
        ("\ufeffname;city\nÉcole;Liège\n", "utf-8-sig", "semicolon"),
        ("name\tcity\nA, B\tParis\n", "utf-8", "tab"),
        ("nom;ville\nCafé;Liège\n", "latin-1", "semicolon"),
    ],
)
def test_csv_dialects_and_encodings_are_detected(tmp_path: Path, text: str, encoding: str, delimiter: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("latin-1" if encoding == "latin-1" else "utf-8"))
    header, rows, detected = read_csv(path)
    assert detected["delimiter"] == delimiter
    assert detected["encoding"] in ({"cp1252", "latin-1"} if encoding == "latin-1" else {encoding})
    assert len(header) == 2 and len(list(rows)) == 1


def test_the_french_latin1_fixture_is_read_with_line_numbers_and_a_french_mapping() -> None:
    rows, detected = read(FIXTURES / "reseau_latin1.csv", "csv")
    rows = list(rows)
    assert detected == {"encoding": "cp1252", "delimiter": "semicolon"}
    assert [r.row for r in rows] == [2, 3, 4, 5, 6, 7]  # the header is line 1
    assert rows[0].values["Ville"] == "Marseille" and rows[3].values["Nom"].startswith("=HYPERLINK(")
    mapping = guess(rows[0].values, "csv")
    assert mapping.description_language == "fr"
    assert mapping.columns == {
        "Nom": "name",
        "Ville": "city",
        "Pays": "country",
        "Adresse": "address",
        "Code postal": "postcode",
        "Site web": "website",
        "Description": "description",
        "Catégorie": "category",
        "Courriel": "private",
    }
    assert SourceMapping.from_dict(mapping.to_dict()) == mapping  # what is printed can be saved and reused


def test_geojson_features_are_numbered_from_one_with_their_points() -> None:
    rows, _ = read(FIXTURES / "umap.geojson", "geojson")
    rows = list(rows)
    assert [r.row for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].point == (4.3517, 50.8503)
    assert rows[2].point is None and "without geometry" in rows[2].notes[0]


def test_gogocarto_elements_are_flattened() -> None:
    rows, _ = read(FIXTURES / "gogocarto_elements.json", "gogocarto")
    first = next(iter(rows))
    assert first.values["address.addressLocality"] == "Lyon"
    assert first.values["categories"] == ["Réemploi et réparation", "Numérique"]
    assert first.point == (4.8467, 45.7485) and "geo.latitude" not in first.values


def test_an_hsds_package_is_joined_into_one_row_per_organisation() -> None:
    rows = list(read(FIXTURES / "hsds", "hsds")[0])
    assert [r.row for r in rows] == [2, 3, 4]
    assert rows[0].values["address.city"] == "Dublin" and rows[0].point == (-6.2603, 53.3498)
    assert rows[0].values["attributes.Local Services"] == ["digital-skills"]
    assert rows[1].point is None  # a location without coordinates


def test_broken_json_is_unusable_input() -> None:
    rows, _ = read(FIXTURES / "broken.json", "geojson")
    with pytest.raises(InputError, match="not valid JSON"):
        list(rows)


@pytest.mark.parametrize("fmt", ["geojson", "gogocarto", "jsonld"])
def test_json_that_is_not_the_format_is_refused(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"something": []}), encoding="utf-8")
    with pytest.raises(InputError):
        list(read(path, fmt)[0])


def test_a_50_mb_json_file_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """50 MB of GeoJSON: features are read one at a time, each value cut; memory stays far below the file."""
    path = tmp_path / "big.geojson"
    text = "x" * (5 * 1024 * 1024)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        for i in range(10):
            feature = {"type": "Feature", "geometry": None, "properties": {"name": f"Big {i}", "description": text}}
            fh.write(("," if i else "") + json.dumps(feature))
        fh.write("]}")
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    rows = list(read(path, "geojson")[0])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(rows) == 10 and all(len(r.values["description"]) == 20_000 for r in rows)
    assert any("cut to 20,000" in n for n in rows[0].notes)
    assert peak < 40_000_000


def test_a_50_mb_csv_line_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,description\n")
        fh.write("A," + "y" * 50_000_000 + "\n")
    tracemalloc.start()
    with pytest.raises(InputError, match="line 2 is longer than 4 MB"):
        list(read(path, "csv")[0])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40_000_000


def test_files_over_the_limit_are_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_IMPORT_MAX_BYTES", "1000")
    path = tmp_path / "x.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}' + " " * 2000, encoding="utf-8")
    with pytest.raises(InputError, match="more than the 0 MB an import takes"):
        list(read(path, "geojson")[0])


@pytest.mark.parametrize(
    ("lat", "lon", "country", "expected", "swapped"),
    [
        (48.85, 2.35, "FR", (48.85, 2.35), False),
        (2.35, 48.85, "FR", (48.85, 2.35), True),  # clearly swapped for France
        (123.0, 45.0, "", (45.0, 123.0), True),  # impossible latitude
        (-33.9, 18.4, "ZA", (-33.9, 18.4), False),
        (4.3517, 50.8503, "BE", (50.8503, 4.3517), True),
    ],
)
def test_swapped_coordinates_are_detected(lat, lon, country, expected, swapped) -> None:
    new_lat, new_lon, note = check_order(lat, lon, country)
    assert (new_lat, new_lon) == expected and bool(note) == swapped
