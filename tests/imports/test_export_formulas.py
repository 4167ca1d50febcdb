"""Every file the atlas gives out is safe to open (issue 21, item 6).

Every CSV meant for people and other systems (the page's CSV download, the HSDS package of the page
and of `atlas db export --format hsds`) passes a formula scan: no cell starts with = + - @, a tab or
a CR (or a full-width ＝ ＋ － ＠) unless it is a plain number; and no export holds a link that is
not http(s): a `javascript:` page or website is dropped on the way in (with a located message) and
left out on the way out (CSV, GeoJSON, HSDS, JSON-LD).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from atlas import opendata
from atlas.cli import main
from atlas.export import export_frame, to_csv, to_geojson
from atlas.imports.mapping import SourceMapping
from atlas.imports.run import run_import
from atlas.store.store import Store
from tests.store.records import new_org

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "=1+1",
    "@SUM(1,2)",
    "+1+1",
    "-2+3",
    "=cmd|' /C calc'!A0",
    "\uff1d1+1",
    "\uff20SUM(1,2)",
    "\uff0d2+3",
]


def formula_cells(data: bytes) -> list[str]:
    """The cells of a CSV file a spreadsheet would run as formulas."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [c for row in rows for c in row if c.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(c)]


def csv_files_of_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.endswith(".csv")}


def publish_hostile(store: Store) -> None:
    for i, cell in enumerate(HOSTILE):
        sent = store.submit(
            "organisation",
            new_org(
                name=f"{cell} {i}" if i % 2 else cell,
                aliases=cell,
                city=cell,
                address=cell,
                description_en=cell,
                description_fr=cell,
                source=cell,
                lat=45.0 + i / 10,
                lon=-4.5 - i / 10,  # negative numbers stay numbers
            ),
        )
        item = next(i for i in store.queue().items if i.entry_id == sent.entry_id)
        store.approve(item.revision_id, item.version, "mod@example.org")


def test_every_csv_download_and_hsds_file_passes_a_formula_scan(store: Store, db_url: str, tmp_path: Path) -> None:
    publish_hostile(store)
    frame = store.published_atlas().frame
    assert set(HOSTILE) <= set(frame["description_en"])  # the values are stored as typed
    files = {"page.csv": to_csv(export_frame(frame, "en")), "page-fr.csv": to_csv(export_frame(frame, "fr"))}
    files |= {f"zip/{name}": data for name, data in csv_files_of_zip(opendata.hsds_zip(frame)).items()}
    assert main(["db", "--url", db_url, "export", str(tmp_path / "hsds"), "--format", "hsds"]) == 0
    files |= {f"cli/{p.name}": p.read_bytes() for p in (tmp_path / "hsds").glob("*.csv")}
    assert {"zip/organizations.csv", "cli/organizations.csv", "cli/attributes.csv", "cli/addresses.csv"} <= set(files)
    for name, data in files.items():
        assert formula_cells(data) == [], name
    organizations = list(csv.DictReader(io.StringIO((tmp_path / "hsds" / "organizations.csv").read_text("utf-8"))))
    assert {"'" + cell for cell in HOSTILE} <= {o["description"] for o in organizations}  # neutralised, kept
    locations = list(csv.DictReader(io.StringIO((tmp_path / "hsds" / "locations.csv").read_text("utf-8"))))
    assert "-4.5" in {loc["longitude"] for loc in locations}  # a negative number stays a number


def test_the_data_folder_export_stays_a_raw_dump(store: Store, db_url: str, tmp_path: Path) -> None:
    """The data folder is the database's re-importable dump (documented as not for spreadsheets)."""
    publish_hostile(store)
    assert main(["db", "--url", db_url, "export", str(tmp_path / "raw")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "raw" / "organisations.csv").read_text("utf-8-sig"))))
    assert set(HOSTILE) <= {r["description_en"] for r in rows}


def test_no_export_holds_a_link_that_is_not_http(store: Store, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "hostile.geojson"
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.35 + i / 100, 48.85]},
            "properties": {"id": f"x{i}", "name": f"Hostile {i}", "country": "FR", "city": "Paris", **props},
        }
        for i, props in enumerate(
            [
                {"page": "javascript:alert(1)", "website": "javascript:alert(2)"},
                {"page": " JavaScript:alert(3)", "website": "data:text/html,<script>alert(4)</script>"},
                {"page": "https://directory.example.org/x2", "website": "https://ok.example.org/"},
            ]
        )
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    mapping = SourceMapping.from_dict(
        {
            "source": "hostile",
            "default_category": "civic_tech",
            "columns": {"id": "source_id", "name": "name", "country": "country", "city": "city"}
            | {"page": "url", "website": "website"},
        }
    )
    report = run_import(store, path, "geojson", "hostile", mapping, publish=True)
    problems = {r.row: " | ".join(r.problems) for r in report.rows}
    assert "url 'javascript:alert(1)' is not an http(s) URL; the link was dropped" in problems[1]
    assert "url 'JavaScript:alert(3)' is not an http(s) URL" in problems[2]
    assert "website" in problems[1] and "not an http(s) URL" in problems[1]
    assert report.summary()["new"] == 3  # the rows are kept, without the links
    assert store.source_pages() and all(
        u.startswith("https://") for pages in store.source_pages().values() for u in pages
    )

    frame = store.published_atlas().frame
    blobs = {
        "csv": to_csv(export_frame(frame, "en")),
        "geojson": to_geojson(export_frame(frame, "fr")),
        "hsds.zip": b"".join(csv_files_of_zip(opendata.hsds_zip(frame)).values()),
        "jsonld": opendata.to_jsonld(frame, store.source_pages()),
    }
    for fmt in ("csv", "hsds", "jsonld"):
        assert main(["db", "--url", db_url, "export", str(tmp_path / fmt), "--format", fmt]) == 0
        blobs |= {f"cli/{fmt}/{p.name}": p.read_bytes() for p in (tmp_path / fmt).rglob("*") if p.is_file()}
    for name, blob in blobs.items():
        assert b"javascript:" not in blob.lower() and b"data:text" not in blob, name
    graph = json.loads(blobs["jsonld"])["@graph"]
    hostile = sorted((n for n in graph if n["name"].startswith("Hostile")), key=lambda n: n["name"])
    assert [n.get("sameAs") for n in hostile] == [
        None,
        None,
        ["https://directory.example.org/x2"],
    ]


def test_links_stored_before_the_checks_are_left_out_of_every_export() -> None:
    """Whatever a frame holds (a database filled before the checks), the writers keep only http(s) links."""
    from atlas.data import load_atlas

    frame = load_atlas(Path(__file__).resolve().parents[1] / "fixtures" / "small_atlas").frame.head(3).copy()
    frame["website"] = ["javascript:alert(1)", "https://ok.example.org/", "vbscript:x"]
    ids = frame["id"].tolist()
    same_as = {ids[0]: ["javascript:alert(2)", "https://dir.example.org/a"], ids[1]: ["data:text/html,x"]}
    table = export_frame(frame, "en")
    assert table["website"].tolist() == ["", "https://ok.example.org/", ""]
    raw = pd.DataFrame({"website": frame["website"].tolist(), "name": ["a", "b", "c"]})  # not through export_frame
    blobs = [to_csv(table), to_csv(raw), to_geojson(raw), opendata.hsds_zip(frame), opendata.to_jsonld(frame, same_as)]
    blobs += list(csv_files_of_zip(blobs[3]).values())
    for blob in blobs:
        assert b"javascript:" not in blob and b"vbscript:" not in blob and b"data:text" not in blob
    nodes = {n["identifier"]: n for n in json.loads(opendata.to_jsonld(frame, same_as))["@graph"]}
    assert nodes[ids[0]]["sameAs"] == ["https://dir.example.org/a"] and "url" not in nodes[ids[0]]
    assert "sameAs" not in nodes[ids[1]] and nodes[ids[1]]["url"] == "https://ok.example.org/"


@pytest.mark.parametrize("cell", HOSTILE)
def test_the_one_writer_neutralises_headers_and_cells(cell: str) -> None:
    from atlas.export import write_csv

    assert formula_cells(write_csv([cell, "b"], [[cell, -3.5], [None, float("nan")]])) == []
