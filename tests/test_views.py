"""A view's charts and files are built once and shared; another revision or language is another
view (a visitor never gets the charts or files of rows they are not shown)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from atlas.data import load_atlas
from atlas.filters import Filters, apply_filters
from atlas.ui import views

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_atlas(FIXTURES / "small_atlas").frame


def _country_counts(spec: dict) -> dict[str, int]:
    rows = next(iter(spec["datasets"].values()))
    return {r["country"]: r["n"] for r in rows}


def test_the_same_view_is_built_once_and_shared(frame) -> None:
    key = views.view("files:test", "r-shared", Filters(), "en")
    first = views.chart(key, "by_country", frame)
    again = views.chart(key, "by_country", frame.iloc[0:0])  # the rows are not the key: the view names them
    assert again is first
    assert views.chart(key, "by_category", frame) is not first  # each tab's chart is its own
    assert views.table(key, frame) is views.table(key, frame)
    assert views.download(key, "csv", frame) is views.download(key, "csv", frame)


def test_a_new_revision_shows_its_own_rows(frame) -> None:
    fewer = apply_filters(frame, Filters(countries=("FR",)))
    before = views.view("files:test", "r1", Filters(), "en")
    after = views.view("files:test", "r2", Filters(), "en")  # same filters, the data changed
    assert sum(_country_counts(views.chart(before, "by_country", frame)).values()) == len(frame)
    assert _country_counts(views.chart(after, "by_country", fewer)) == {"France": len(fewer)}
    csv_before = views.download(before, "csv", frame).decode("utf-8-sig").splitlines()
    csv_after = views.download(after, "csv", fewer).decode("utf-8-sig").splitlines()
    assert (len(csv_before), len(csv_after)) == (len(frame) + 1, len(fewer) + 1)


def test_filters_and_language_are_part_of_the_view(frame) -> None:
    only_fr = Filters(countries=("FR",))
    assert views.view("s", "r", only_fr, "en") != views.view("s", "r", Filters(), "en")
    english = views.chart(views.view("files:test", "r-lang", Filters(), "en"), "by_country", frame)
    french = views.chart(views.view("files:test", "r-lang", Filters(), "fr"), "by_country", frame)
    assert english is not None and french is not None
    assert "Senegal" in _country_counts(english)
    assert "Sénégal" in _country_counts(french)


def test_the_table_is_searched_and_sorted_over_every_row_of_the_view(frame) -> None:
    key = views.view("files:test", "r-table", Filters(), "en")
    table = views.table(key, frame)
    by_name = list(table["name"].take(views.table_rows(key, table, "", "name", False)))
    assert by_name == sorted(by_name, key=str.casefold)
    assert list(table["name"].take(views.table_rows(key, table, "", "name", True))) == by_name[::-1]
    by_country = list(table["country_name"].take(views.table_rows(key, table, "", "country_name", False)))
    assert by_country == sorted(by_country, key=str.casefold)
    found = views.table_rows(key, table, "  SÉNÉGAL ", "name", False)  # the country's name in the view's language
    assert len(found) == 0
    found = views.table_rows(key, table, "senegal", "name", False)
    assert set(table["country"].take(found)) == {"SN"} and len(found) == (frame["country"] == "SN").sum()
    assert len(views.table_rows(key, table, "liège", "name", False)) == 1  # a city, whatever the case
