"""Property-based tests of the loader (Hypothesis): whatever the cells or bytes, nothing raises,
valid rows are kept with their text intact, and every problem points into the file.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
from data_factory import csv_text, odc_row, org_row, write_atlas
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from atlas.countries import is_country_code
from atlas.data import load_atlas, load_file
from atlas.schema import CONTROL, GEO_SOURCE, MAX_TEXT, MONTH, ODCS, ORGANISATIONS, SCHEMAS, SLUG, TEXT_COLUMNS
from atlas.text import is_http_url

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any unicode but NUL and lone surrogates, plus the pieces that break naive CSV and HTML handling.
CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
PIECES = st.sampled_from(
    [
        '"',
        '""',
        ",",
        ";",
        "\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "  ",
        "'",
        "\\",
        "<script>alert(1)</script>",
        "<b>",
        "&amp;",
        "javascript:",
        "=1+2",
        "\ufeff",
        "\u2028",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x85",
        "\xa0",
        "é",
        "ß",
        "日本",
        "🙂",
        "http://[",
        "https://example.org",
        "https://example.org/a?b=c#d",
        "cache:nominatim",
        "2019-04",
        "198٣",
    ]
)
TEXT = st.lists(st.one_of(st.text(CHAR, max_size=12), PIECES), max_size=6).map("".join)
LONG = st.builds(lambda unit, n: unit * n, st.text(CHAR, min_size=1, max_size=3), st.integers(600, 1100))
CELL = st.one_of(TEXT, TEXT, TEXT, LONG)
HOSTS = st.sampled_from(["example.org", "exämple.org", "", "[::1]", "[oops"])
URL = st.one_of(CELL, st.builds("https://{}{}".format, HOSTS, CELL))

FREE = {  # columns that may hold any text in an otherwise valid row
    "organisation": (
        "name",
        "aliases",
        "city",
        "address",
        "description_en",
        "description_fr",
        "source",
        "website",
        "geo_source",
    ),
    "odc": ("name", "city", "address", "description_en", "description_fr", "source", "website", "geo_source", "opened"),
}
FACTORY = {"organisation": org_row, "odc": odc_row}


def expected(column: str, cell: str) -> str:
    """The value the loader must keep for `cell` in a row it keeps."""
    text = cell.strip()
    if column in TEXT_COLUMNS:
        return CONTROL.sub("", text).strip()[:MAX_TEXT]
    if column == "website":
        return text if is_http_url(text) else ""
    if column == "geo_source":
        return text if GEO_SOURCE.fullmatch(text) else ""
    if column == "opened":
        return text if re.fullmatch(MONTH.pattern, text, re.ASCII) else ""
    raise AssertionError(column)


def rows_of(kind: str, count: int, draw_cells) -> list[dict[str, str]]:
    return [FACTORY[kind](id=f"{kind}-{i}", **draw_cells(i)) for i in range(count)]


def free_text_rows(kind: str, max_rows: int = 4):
    cells = st.fixed_dictionaries({col: (URL if col == "website" else CELL) for col in FREE[kind]})
    return st.lists(cells, min_size=1, max_size=max_rows).map(
        lambda drawn: [FACTORY[kind](id=f"{kind}-{i}", **c) for i, c in enumerate(drawn)]
    )


def required_filled(kind: str, row: dict[str, str]) -> bool:
    return all(CONTROL.sub("", row[col]).strip() for col in SCHEMAS[kind].nonempty)


def check_problems_point_into_files(atlas, folder: Path) -> None:
    lines = {}
    for path in folder.glob("*.csv"):
        lines[path.name] = len(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"))
    for p in atlas.problems:
        name = Path(p.file).name
        assert name in lines, p
        assert p.row is None or 1 <= p.row <= lines[name], str(p)
        assert p.severity in ("error", "warning")
        assert str(p).startswith(p.file)


@FAST
@given(orgs=free_text_rows("organisation"), odcs=free_text_rows("odc"))
def test_any_text_in_free_cells_of_valid_rows_round_trips(orgs, odcs) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_atlas(Path(tmp), orgs=orgs, odcs=odcs)
        atlas = load_atlas(folder)
        check_problems_point_into_files(atlas, folder)
    frame = atlas.frame.set_index("id")
    for kind, rows in (("organisation", orgs), ("odc", odcs)):
        kept = [row for row in rows if required_filled(kind, row)]
        assert sorted(frame.index[frame["kind"] == kind]) == sorted(row["id"] for row in kept)
        for row in kept:
            for col in FREE[kind]:
                assert frame.loc[row["id"], col] == expected(col, row[col]), (col, row[col])
            assert frame.loc[row["id"], "lat"] == float(row["lat"])
    errors = [p for p in atlas.problems if p.severity == "error"]
    assert all("is required but empty" in p.message for p in errors), [str(p) for p in errors]


ANY_CELL = st.one_of(
    CELL,
    st.sampled_from(
        [
            "",
            "FR",
            "fr",
            "XX",
            "45.5",
            "-200",
            "nan",
            "inf",
            "1e400",
            "city",
            "open",
            "planned",
            "civic_tech",
            "digital_center",
            "a-b",
        ]
    ),
)


@FAST
@given(kind=st.sampled_from(["organisation", "odc"]), data=st.data())
def test_any_text_in_any_cell_never_raises_and_keeps_valid_rows(kind, data) -> None:
    schema = SCHEMAS[kind]
    rows = []
    for i in range(data.draw(st.integers(1, 4))):
        messed = data.draw(st.dictionaries(st.sampled_from(schema.columns), ANY_CELL, max_size=4))
        rows.append(FACTORY[kind](**{"id": f"row-{i}", **messed}))
    ids = [row["id"].strip() for row in rows]
    assume(len(set(ids)) == len(ids))  # duplicates are tested elsewhere
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / schema.filename
        path.write_text(csv_text(rows), encoding="utf-8", newline="")
        frame, problems = load_file(path, schema, schema.filename)
    by_id = frame.set_index("id")
    for row in rows:
        untouched = all(
            row[col] == FACTORY[kind]()[col] for col in schema.columns if col not in FREE[kind] and col != "id"
        )
        if untouched and required_filled(kind, row) and SLUG.fullmatch(row["id"].strip()):
            assert row["id"].strip() in by_id.index, row
    for ident, kept in by_id.iterrows():  # whatever is kept follows the schema
        assert SLUG.fullmatch(ident) and is_country_code(kept["country"])
        assert np.isnan(kept["lat"]) == np.isnan(kept["lon"])
        assert np.isnan(kept["lat"]) or (abs(kept["lat"]) <= 90 and abs(kept["lon"]) <= 180)
        assert all(len(kept[col]) <= MAX_TEXT for col in TEXT_COLUMNS if col in kept)
    assert frame["lat"].dtype == np.float64
    assert all(p.row is None or p.row >= 1 for p in problems)


@FAST
@given(data=st.binary(max_size=3000), kind=st.sampled_from(["organisation", "odc"]))
def test_arbitrary_bytes_never_raise(data: bytes, kind: str) -> None:
    schema = SCHEMAS[kind]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / schema.filename
        path.write_bytes(data)
        frame, problems = load_file(path, schema, schema.filename)
    assert set(schema.columns) <= set(frame.columns)
    assert frame.empty or problems is not None
    if not data.strip():
        assert [p.message for p in problems] == ["is empty (expected a header line and rows)"]


@FAST
@given(header=st.sampled_from([ORGANISATIONS, ODCS]), tail=st.binary(max_size=2000))
def test_valid_header_then_arbitrary_bytes_never_raise(header, tail: bytes) -> None:
    head = csv_text([], columns=header.columns).encode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / header.filename
        path.write_bytes(head + tail)
        frame, problems = load_file(path, header, header.filename)
    assert frame["_line"].is_monotonic_increasing
    assert all(p.row is None or p.row >= 1 for p in problems)


@FAST
@given(row=st.integers(0, 4), cut=st.integers(0, 20), junk=st.binary(min_size=1, max_size=40))
def test_corrupting_one_row_keeps_the_others(row: int, cut: int, junk: bytes) -> None:
    """Bytes pasted into one row's description spoil at most that row; the others keep their lines."""
    rows = [org_row(id=f"org-{i}") for i in range(5)]
    lines = csv_text(rows, lineterminator="\n").encode().split(b"\n")
    target = lines[row + 1]
    at = target.index(b"A test organisation.") + cut
    lines[row + 1] = target[:at] + junk + target[at:]
    text = junk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    shift = text.count(b"\n")  # line breaks the junk adds, counted as the csv module counts them
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "organisations.csv"
        path.write_bytes(b"\n".join(lines))
        frame, problems = load_file(path, ORGANISATIONS, "organisations.csv")
    kept = dict(zip(frame["id"], frame["_line"], strict=True))
    for i in range(5):
        if i != row:
            assert kept.get(f"org-{i}") == i + 2 + (shift if i > row else 0), ([str(p) for p in problems], kept)
    assert all(p.row is None or p.row == 1 or row + 2 <= p.row <= row + 2 + shift for p in problems), [
        str(p) for p in problems
    ]
