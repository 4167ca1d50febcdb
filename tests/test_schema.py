"""The schema's row checks, one class of bad input at a time, on files the tests write themselves.

Each bad row sits between two good ones, so every test also checks that only that row is
touched: an *error* drops it, a *warning* keeps it (with the value cleaned when unusable).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from data_factory import odc_row, org_row, write_csv

from atlas.data import load_file
from atlas.schema import MAX_TEXT, ODCS, ORGANISATIONS, FileSchema, Problem, show_value

FACTORIES = {"organisation": org_row, "odc": odc_row}
SCHEMAS = {"organisation": ORGANISATIONS, "odc": ODCS}


def load_rows(tmp_path: Path, rows: list[dict[str, str]], schema: FileSchema = ORGANISATIONS):
    """Load `rows` written as `schema`'s file: (frame of kept rows, problems as strings)."""
    path = write_csv(tmp_path / schema.filename, rows)
    frame, problems = load_file(path, schema, schema.filename)
    return frame, problems


def sandwich(factory, **bad: str) -> list[dict[str, str]]:
    """A good row, the row with `bad` cells (line 3), another good row."""
    return [factory(id="good-1"), factory(**{"id": "bad-row", **bad}), factory(id="good-2")]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- good input -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["organisation", "odc"])
def test_valid_rows_load_without_problems(tmp_path: Path, kind: str) -> None:
    rows = [FACTORIES[kind](id=f"row-{i}") for i in range(3)]
    frame, problems = load_rows(tmp_path, rows, SCHEMAS[kind])
    assert problems == []
    assert frame["id"].tolist() == ["row-0", "row-1", "row-2"]
    assert frame["_line"].tolist() == [2, 3, 4]


def test_cells_are_stripped_and_optional_columns_may_be_absent(tmp_path: Path) -> None:
    rows = [org_row(name="  Padded Name  ", country=" BE ", aliases=None, geo_source=None)]
    frame, problems = load_rows(tmp_path, rows)
    assert problems == []
    assert frame.loc[0, "name"] == "Padded Name"
    assert frame.loc[0, "country"] == "BE"
    assert frame.loc[0, "aliases"] == "" and frame.loc[0, "geo_source"] == ""


def test_accepted_forms_of_optional_values(tmp_path: Path) -> None:
    rows = [
        odc_row(id="a", opened="2019", status="planned", geo_source="cache:nominatim"),
        odc_row(id="b", opened="2024-12", lat="-90", lon="180", geo_precision="address"),
    ]
    frame, problems = load_rows(tmp_path, rows, ODCS)
    assert problems == []
    assert frame["opened"].tolist() == ["2019", "2024-12"]
    assert frame["status"].tolist() == ["planned", "open"]
    assert frame["lat"].tolist() == [14.6937, -90.0]


# --- errors: the row is dropped, the others are kept ---------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("country", "XX", "is not an ISO 3166-1 alpha-2 country code"),
        ("country", "fr", "is not an ISO 3166-1 alpha-2 country code"),
        ("country", "FRA", "is not an ISO 3166-1 alpha-2 country code"),
        ("category", "robotics", "is not a known category"),
        ("id", "Not A Slug", "is not a slug"),
        ("id", "double--hyphen", "is not a slug"),
        ("lat", "north", "is not a number"),
        ("lat", "123", "is outside [-90, 90]"),
        ("lon", "-180.5", "is outside [-180, 180]"),
        ("lat", "NaN", "is not a finite number"),
        ("lon", "inf", "is not a finite number"),
        ("lat", "-Infinity", "is not a finite number"),
        ("lat", "1e400", "is not a finite number"),
        ("geo_precision", "street", "must be one of address, city, region, country"),
    ],
)
def test_bad_value_drops_only_its_row(tmp_path: Path, column: str, value: str, message: str) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, **{column: value}))
    assert frame["id"].tolist() == ["good-1", "good-2"]
    problem = only(problems)
    assert (problem.severity, problem.file, problem.row, problem.column, problem.value) == (
        "error",
        "organisations.csv",
        3,
        column,
        value,
    )
    assert message in problem.message
    assert str(problem).startswith(f"organisations.csv row 3: {column} '{value}' ")


def test_unknown_category_message_lists_the_known_ones(tmp_path: Path) -> None:
    _, problems = load_rows(tmp_path, sandwich(org_row, category="robotics"))
    assert "civic_tech" in only(problems).message and "digital_mediation" in only(problems).message


def test_bad_odc_status_is_an_error(tmp_path: Path) -> None:
    frame, problems = load_rows(tmp_path, sandwich(odc_row, status="closed"), ODCS)
    assert frame["id"].tolist() == ["good-1", "good-2"]
    assert str(only(problems)) == "odc.csv row 3: status 'closed' must be 'open' or 'planned'"


@pytest.mark.parametrize("kind", ["organisation", "odc"])
def test_every_required_value_is_checked(tmp_path: Path, kind: str) -> None:
    schema = SCHEMAS[kind]
    for column in schema.nonempty:
        frame, problems = load_rows(tmp_path, sandwich(FACTORIES[kind], **{column: "   "}), schema)
        assert frame["id"].tolist() == ["good-1", "good-2"], column
        problem = only(problems)
        assert (problem.severity, problem.row, problem.column) == ("error", 3, column)
        assert str(problem) == f"{schema.filename} row 3: {column} '   ' is required but empty"  # the cell as written


def test_latitude_out_of_range_message_is_exact(tmp_path: Path) -> None:
    rows = [odc_row(id=f"odc-{i}") for i in range(5)] + [odc_row(id="far-north", lat="123.4")]
    frame, problems = load_rows(tmp_path, rows, ODCS)
    assert [str(p) for p in problems] == ["odc.csv row 7: lat '123.4' is outside [-90, 90]"]
    assert "far-north" not in set(frame["id"])
    assert len(frame) == 5


@pytest.mark.parametrize(("lat", "lon"), [("45.1", ""), ("", "4.8")])
def test_a_coordinate_without_the_other_is_an_error(tmp_path: Path, lat: str, lon: str) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, lat=lat, lon=lon))
    assert frame["id"].tolist() == ["good-1", "good-2"]
    problem = only(problems)
    assert (problem.row, problem.column, problem.severity) == (3, "lat", "error")
    assert "and lon must be given together" in problem.message


def test_coordinates_need_a_precision(tmp_path: Path) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, geo_precision=""))
    assert frame["id"].tolist() == ["good-1", "good-2"]
    assert only(problems).column == "geo_precision"


def test_several_problems_in_one_row_are_all_reported(tmp_path: Path) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, country="ZZ", category="x", lat="95"))
    assert frame["id"].tolist() == ["good-1", "good-2"]
    assert {(p.row, p.column) for p in problems} == {(3, "country"), (3, "category"), (3, "lat")}


# --- warnings: the row is kept -----------------------------------------------------------


def test_missing_coordinates_keep_the_row_with_a_warning(tmp_path: Path) -> None:
    frame, problems = load_rows(tmp_path, sandwich(odc_row, lat="", lon="", geo_precision=""), ODCS)
    assert frame["id"].tolist() == ["good-1", "bad-row", "good-2"]
    assert frame["lat"].isna().tolist() == [False, True, False]
    assert frame["lon"].isna().tolist() == [False, True, False]
    problem = only(problems)
    assert (problem.severity, problem.row, problem.column) == ("warning", 3, "lat")
    assert "not shown on the map" in problem.message


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "www.example.org",
        "ftp://example.org",
        "http://",
        "http://[broken",
    ],
)
def test_website_that_is_not_http_is_removed_with_a_warning(tmp_path: Path, url: str) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, website=url))
    assert frame["id"].tolist() == ["good-1", "bad-row", "good-2"]
    assert frame["website"].tolist() == ["https://org.example.org", "", "https://org.example.org"]
    problem = next(p for p in problems if p.column == "website")
    assert (problem.severity, problem.row, problem.value) == ("warning", 3, url)
    assert problem.message == "is not an http(s) URL; the link was removed"
    assert all(p.severity == "warning" for p in problems)


def test_javascript_website_message(tmp_path: Path) -> None:
    _, problems = load_rows(tmp_path, sandwich(org_row, website="javascript:alert(1)"))
    assert str(only(problems)) == (
        "organisations.csv row 3: website 'javascript:alert(1)' is not an http(s) URL; the link was removed"
    )


@pytest.mark.parametrize("opened", ["2020-13", "20-01", "1850", "2020/01", "yesterday", "2020-1", "198٠", "２０２０"])
def test_bad_opening_date_is_cleared_with_a_warning(tmp_path: Path, opened: str) -> None:
    frame, problems = load_rows(tmp_path, sandwich(odc_row, opened=opened), ODCS)
    assert frame["id"].tolist() == ["good-1", "bad-row", "good-2"]
    assert frame["opened"].tolist() == ["2020-01", "", "2020-01"]
    problem = only(problems)
    assert (problem.severity, problem.row, problem.column, problem.value) == ("warning", 3, "opened", opened)
    assert "YYYY or YYYY-MM" in problem.message


def test_bad_geocoding_source_is_cleared_with_a_warning(tmp_path: Path) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, geo_source="Some Person"))
    assert frame["geo_source"].tolist() == ["manual", "", "manual"]
    assert (only(problems).severity, only(problems).column) == ("warning", "geo_source")


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "Caf&eacute; <b>Bold</b>", "<img src=x onerror=alert(1)>"]
)
def test_html_in_a_name_is_kept_unchanged_with_a_warning(tmp_path: Path, name: str) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, name=name))
    assert frame["name"].tolist() == ["Test Organisation", name, "Test Organisation"]
    problem = only(problems)
    assert (problem.severity, problem.row, problem.column, problem.value) == ("warning", 3, "name", name)
    assert problem.message == "contains markup; it will be shown as plain text"


def test_plain_text_with_angle_brackets_or_ampersands_is_not_markup(tmp_path: Path) -> None:
    _, problems = load_rows(tmp_path, sandwich(org_row, name="R&D < 5 people", description_en="a -> b"))
    assert problems == []


def test_overlong_text_is_cut_with_a_warning(tmp_path: Path) -> None:
    text = "é" * (MAX_TEXT + 500)
    frame, problems = load_rows(tmp_path, sandwich(org_row, description_fr=text))
    assert frame["id"].tolist() == ["good-1", "bad-row", "good-2"]
    assert frame.loc[1, "description_fr"] == "é" * MAX_TEXT
    problem = only(problems)
    assert (problem.severity, problem.row, problem.column) == ("warning", 3, "description_fr")
    assert f"longer than {MAX_TEXT} characters" in problem.message


def test_text_of_exactly_the_limit_is_not_cut(tmp_path: Path) -> None:
    frame, problems = load_rows(tmp_path, [org_row(description_en="x" * MAX_TEXT)])
    assert problems == []
    assert len(frame.loc[0, "description_en"]) == MAX_TEXT


# --- how problems read ---------------------------------------------------------------------


def test_problem_text_names_file_row_column_and_value() -> None:
    assert str(Problem("data/odc.csv", 7, "lat", "123.4", "is outside [-90, 90]")) == (
        "data/odc.csv row 7: lat '123.4' is outside [-90, 90]"
    )
    assert str(Problem("data/odc.csv", None, None, None, "is empty")) == "data/odc.csv: is empty"
    assert str(Problem("f.csv", 4, None, None, "has 3 fields")) == "f.csv row 4: has 3 fields"


def test_shown_values_make_control_characters_visible_and_are_cut() -> None:
    assert show_value("a\nb\tc") == r"'a\nb\tc'"
    shown = show_value("x" * 500)
    assert len(shown) == 62 and shown.endswith("…'")
    assert show_value(None) == "''"


def test_shown_values_of_any_size_or_shape_stay_short() -> None:
    bomb: list = ["lol"] * 9
    for _ in range(9):  # 9**10 items when printed whole
        bomb = [bomb] * 9
    looped: list = []
    looped.append(looped)
    for value in (bomb, looped, {"name": "x" * 10_000, "more": [1, 2, 3]}, b"\x00" * 10_000, "\n" * 10_000):
        assert len(show_value(value)) <= 62
    assert show_value(5) == "5" and show_value(["a"]) == "['a']"  # not text: shown as Python writes it
    assert show_value("lang=x", quote=False) == "lang=x"


@pytest.mark.parametrize(
    "source",
    [
        "[Your session expired](https://attacker.invalid/login)",
        "seed ![x](http://attacker.invalid/pixel.png)",
        "see :red[this] or :blue-background[that]",
        "the formula $x^2$ and $$y$$",
    ],
)
def test_markdown_that_would_render_is_markup(tmp_path: Path, source: str) -> None:
    frame, problems = load_rows(tmp_path, sandwich(org_row, source=source))
    assert frame["source"].tolist()[1] == source  # kept as it is: the page shows it as text
    problem = only(problems)
    assert (problem.severity, problem.column, problem.message) == (
        "warning",
        "source",
        "contains markup; it will be shown as plain text",
    )


def test_urls_addresses_and_prices_are_ordinary_text(tmp_path: Path) -> None:
    source = "research: https://example.org/report.pdf (site, high); www.example.org; ask someone@example.org"
    _, problems = load_rows(tmp_path, sandwich(org_row, source=source, description_en="from $5 to $ 10, [1] *new*"))
    assert problems == []
