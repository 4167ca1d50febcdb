"""Properties of the filters on frames built by the real loader from generated CSV rows.

No exception escapes; the result is a subset; OR within one filter, AND across filters; no filter
keeps every row; text search ignores case and accents; map bounds work across the antimeridian.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from atlas.categories import CATEGORY_IDS, ODC_CATEGORY
from atlas.data import load_atlas
from atlas.filters import Filters, apply_filters, filter_mask, in_bounds, option_counts, place_counts
from atlas.regions import regions
from atlas.schema import KINDS, ODC_STATUSES, ODCS, ORGANISATIONS
from atlas.text import fold

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
SEARCHED = ("name", "aliases", "city", "description_en", "description_fr")
COUNTRIES = ("FR", "BE", "IT", "SN", "MD", "FJ", "NZ", "JP")
LIST_FIELDS = ("countries", "regions", "categories", "kinds", "statuses")
REGIONS = ("150", "155", "011", "053", "142", "999")  # Europe, Western Europe, Western Africa, Australasia, Asia, none

# --- generated atlas files -------------------------------------------------------------------------

# Control characters are removed by the loader (tested with it): the filters are tested on text.
letters = st.characters(
    codec="utf-8",
    exclude_categories=("Cc",),
    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
latin = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "àâäçéèêëîïôöùûüÿñåøæœßÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÑÅØÆŒ"
    "ăąćčďđęěğıłńňőřśşšţťůűźżžȘșȚț"
)
word = st.text(latin, min_size=1, max_size=8)
phrase = st.lists(st.one_of(word, st.text(letters, max_size=6)), max_size=4).map(" ".join)
half = st.integers(-170, 170).map(lambda x: x / 2)  # latitudes, exact in binary
lon_half = st.integers(-360, 360).map(lambda x: x / 2)  # longitudes, exact in binary


@st.composite
def org_rows(draw, i: int) -> dict[str, str]:
    located = draw(st.booleans())
    return {
        "id": f"org-{i}",
        "name": draw(phrase.filter(str.strip)),
        "aliases": draw(phrase),
        "category": draw(st.sampled_from([c for c in CATEGORY_IDS if c != ODC_CATEGORY])),
        "country": draw(st.sampled_from(COUNTRIES)),
        "city": draw(phrase),
        "address": draw(phrase),
        "postcode": draw(phrase),
        "region": draw(phrase),
        "lat": str(draw(half)) if located else "",
        "lon": str(draw(lon_half)) if located else "",
        "geo_precision": "city" if located else "",
        "geo_source": "manual",
        "website": "",
        "description_en": draw(phrase),
        "description_fr": draw(phrase),
        "source": "generated",
    }


@st.composite
def odc_rows(draw, i: int) -> dict[str, str]:
    return {
        "id": f"odc-{i}",
        "name": draw(phrase.filter(str.strip)),
        "country": draw(st.sampled_from(COUNTRIES)),
        "city": draw(phrase),
        "address": "",
        "lat": str(draw(half)),
        "lon": str(draw(lon_half)),
        "geo_precision": "city",
        "geo_source": "manual",
        "status": draw(st.sampled_from(ODC_STATUSES)),
        "opened": "",
        "description_en": draw(phrase),
        "description_fr": draw(phrase),
        "website": "",
        "source": "generated",
    }


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]], style: int = 0) -> bytes:
    """CSV bytes; `style` 0: minimal quoting, CRLF (a bare CR in a cell gets quoted); 1: every cell quoted, LF."""
    out = io.StringIO()
    writer = (
        csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        if style == 0
        else csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    )
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)  # (a column a row lacks: empty)
    return out.getvalue().encode("utf-8")


@st.composite
def frames(draw, min_size: int = 0) -> pd.DataFrame:
    """An atlas frame: generated rows written as CSV files and read by the real loader."""
    n_orgs = draw(st.integers(min_size, 12))
    n_odcs = draw(st.integers(0, 4))
    orgs = [draw(org_rows(i)) for i in range(n_orgs)]
    odcs = [draw(odc_rows(i)) for i in range(n_odcs)]
    style = draw(st.integers(0, 1))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ORGANISATIONS.filename).write_bytes(_csv(ORGANISATIONS.columns, orgs, style))
        (Path(tmp) / ODCS.filename).write_bytes(_csv(ODCS.columns, odcs, style))
        atlas = load_atlas(tmp)
    assert len(atlas.frame) == n_orgs + n_odcs, [str(p) for p in atlas.problems if p.severity == "error"]
    return atlas.frame


@st.composite
def filters(draw, frame: pd.DataFrame | None = None, bounds=None) -> Filters:
    """Filters mixing values found in `frame` with unknown ones; a query of words from the frame or not."""
    words = [w for text in (frame["name"] if frame is not None else []) for w in text.split()]
    queries = (
        st.one_of(st.just(""), phrase, st.lists(st.sampled_from(words), max_size=2).map(" ".join))
        if words
        else st.one_of(st.just(""), phrase)
    )
    return Filters(
        countries=tuple(draw(st.lists(st.sampled_from((*COUNTRIES, "XX", "fr", "")), max_size=3, unique=True))),
        categories=tuple(draw(st.lists(st.sampled_from((*CATEGORY_IDS, "nope")), max_size=3, unique=True))),
        kinds=tuple(draw(st.lists(st.sampled_from((*KINDS, "other")), max_size=2, unique=True))),
        statuses=tuple(draw(st.lists(st.sampled_from((*ODC_STATUSES, "closed")), max_size=2, unique=True))),
        query=draw(queries),
        bounds=draw(bounds if bounds is not None else st.none()),
        regions=tuple(draw(st.lists(st.sampled_from(REGIONS), max_size=2, unique=True))),
    )


grid_bounds = st.one_of(
    st.none(),
    st.tuples(half, st.integers(-800, 800).map(lambda x: x / 2), half, st.integers(-800, 800).map(lambda x: x / 2)),
)
wild = st.floats(allow_nan=True, allow_infinity=True)
wild_bounds = st.one_of(st.none(), st.tuples(wild, wild, wild, wild))


# --- a plain reference implementation ----------------------------------------------------------------


def lon_inside(lon: float, west: float, east: float) -> bool:
    """Some copy of `lon` shifted by a multiple of 360° lies in [west, east] (exact for the grid values)."""
    if not math.isfinite(lon) or math.isnan(west) or math.isnan(east):
        return False
    if east - west >= 360:
        return True
    if not (math.isfinite(west) and math.isfinite(east)):
        return False
    if east < west:  # a wrapped view (west 170, east -170): it ends at the first copy of `east` after `west`
        east += 360 * math.ceil((west - east) / 360)
    shifted = lon + 360 * math.ceil((west - lon) / 360)
    return shifted <= east


def reference(frame: pd.DataFrame, f: Filters) -> set[int]:
    kept = set()
    words = fold(f.query).split()
    for idx, row in frame.iterrows():
        text = fold(" ".join(row[c] if isinstance(row[c], str) else "" for c in SEARCHED))
        places = set(f.countries) | {c for r in f.regions if r in regions() for c in regions()[r].countries}
        if (f.countries or f.regions) and row["country"] not in places:
            continue
        if f.categories and row["category"] not in f.categories:
            continue
        if f.kinds and row["kind"] not in f.kinds:
            continue
        if f.statuses and row["kind"] == "odc" and row["status"] not in f.statuses:
            continue
        if any(w not in text for w in words):
            continue
        if f.bounds is not None:
            south, west, north, east = f.bounds
            if not (south <= row["lat"] <= north and lon_inside(row["lon"], west, east)):
                continue
        kept.add(idx)
    return kept


def rows_of(frame: pd.DataFrame, f: Filters) -> set[int]:
    return set(apply_filters(frame, f).index)


# --- properties ------------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_no_exception_and_the_result_is_a_subset(data):
    frame = data.draw(frames())
    f = data.draw(filters(frame, bounds=st.one_of(grid_bounds, wild_bounds)))
    shown = apply_filters(frame, f)
    assert set(shown.index) <= set(frame.index)
    assert list(shown.columns) == list(frame.columns)
    pd.testing.assert_frame_equal(shown, frame.loc[shown.index])
    assert filter_mask(frame, f).dtype == bool


@SETTINGS
@given(st.data())
def test_the_filters_match_a_plain_reference(data):
    frame = data.draw(frames())
    f = data.draw(filters(frame, bounds=grid_bounds))
    assert rows_of(frame, f) == reference(frame, f)


@SETTINGS
@given(st.data())
def test_and_across_filters(data):
    frame = data.draw(frames())
    f = data.draw(filters(frame, bounds=grid_bounds))
    alone = [Filters(**{name: getattr(f, name)}) for name in (*LIST_FIELDS, "query", "bounds") if name != "regions"]
    alone[0] = Filters(countries=f.countries, regions=f.regions)  # countries and regions both choose places (OR)
    expected = set(frame.index)
    for single in alone:
        expected &= rows_of(frame, single)
    assert rows_of(frame, f) == expected
    some, rest = (
        replace(f, countries=(), regions=(), categories=()),
        replace(f, kinds=(), statuses=(), query="", bounds=None),
    )
    assert rows_of(frame, f) == rows_of(frame, some) & rows_of(frame, rest)


@SETTINGS
@given(st.data())
def test_or_within_one_filter(data):
    frame = data.draw(frames())
    f = data.draw(filters(frame))
    for name in LIST_FIELDS:
        values = getattr(f, name)
        if len(values) < 2:
            continue
        union = set().union(*(rows_of(frame, Filters(**{name: (v,)})) for v in values))
        assert rows_of(frame, Filters(**{name: values})) == union, name


@SETTINGS
@given(st.data())
def test_query_words_must_all_match_in_any_order(data):
    frame = data.draw(frames(min_size=1))
    words = data.draw(
        st.lists(st.sampled_from([w for n in frame["name"] for w in n.split()] or ["x"]), min_size=1, max_size=3)
    )
    together = rows_of(frame, Filters(query=" ".join(words)))
    assert together == set.intersection(*(rows_of(frame, Filters(query=w)) for w in words))
    assert together == rows_of(frame, Filters(query="  ".join(reversed(words))))


@SETTINGS
@given(frames())
def test_no_filter_keeps_every_row(frame):
    assert Filters().is_empty()
    pd.testing.assert_frame_equal(apply_filters(frame, Filters()), frame)
    assert rows_of(frame, Filters(query="   ")) == set(frame.index)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@SETTINGS
@given(st.data())
def test_search_ignores_case_and_accents(data):
    frame = data.draw(frames(min_size=1))
    row = data.draw(st.sampled_from(list(frame.index)))
    words = frame.at[row, "name"].split()
    typed = data.draw(st.sampled_from(words))
    spelling = data.draw(
        st.sampled_from(
            [str.upper, str.lower, str.title, strip_accents, lambda w: strip_accents(w).upper(), lambda w: w.swapcase()]
        )
    )
    assume(fold(spelling(typed)))  # a word that folds to nothing (only marks) searches for nothing
    assert row in rows_of(frame, Filters(query=spelling(typed))), (typed, spelling(typed))


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("Liège", "LIEGE"),
        ("Liège", "liege"),
        ("LIÈGE", "Liège"),
        ("Chișinău", "chisinau"),
        ("Malmö", "MALMO"),
        ("Saint-Étienne", "saint-etienne"),
        ("Kraków", "krakow"),
        ("Łódź", "lodz"),
        ("Straße", "STRASSE"),
        ("Ærøskøbing", "aeroskobing"),
        ("Œuvre", "oeuvre"),
        ("Český Krumlov", "cesky KRUMLOV"),
        ("Pérouse", "perouse"),
    ],
)
def test_search_examples(tmp_path, name, query):
    orgs = [
        {
            "id": "target",
            "name": name,
            "aliases": "",
            "category": "civic_tech",
            "country": "FR",
            "city": "",
            "address": "",
            "lat": "",
            "lon": "",
            "geo_precision": "",
            "geo_source": "",
            "website": "",
            "description_en": "",
            "description_fr": "",
            "source": "t",
        },
        {
            "id": "other",
            "name": "Other",
            "aliases": "",
            "category": "civic_tech",
            "country": "FR",
            "city": "",
            "address": "",
            "lat": "",
            "lon": "",
            "geo_precision": "",
            "geo_source": "",
            "website": "",
            "description_en": "",
            "description_fr": "",
            "source": "t",
        },
    ]
    (tmp_path / ORGANISATIONS.filename).write_bytes(_csv(ORGANISATIONS.columns, orgs))
    (tmp_path / ODCS.filename).write_bytes(_csv(ODCS.columns, []))
    frame = load_atlas(tmp_path).frame
    assert apply_filters(frame, Filters(query=query))["id"].tolist() == ["target"]


def test_fixture_liege_is_found_by_an_unaccented_upper_case_query():
    frame = load_atlas(Path(__file__).parent / "fixtures" / "small_atlas").frame
    assert apply_filters(frame, Filters(query="LIEGE"))["name"].tolist() == ["Gamma Skills"]


def test_a_repeated_word_is_searched_once(monkeypatch):
    """100 times the same word (in any case or accent) costs one search, and finds what the word alone finds."""
    import atlas.filters

    frame = load_atlas(Path(__file__).parent / "fixtures" / "small_atlas").frame
    searched: list[str] = []
    real = atlas.filters.literal_pattern
    monkeypatch.setattr(atlas.filters, "literal_pattern", lambda word: searched.append(word) or real(word))
    once = apply_filters(frame, Filters(query="liège"))["id"].tolist()
    searched.clear()
    atlas.filters._TEXT.clear()  # forget the search just made
    repeated = apply_filters(frame, Filters(query=" ".join(["liège", "LIEGE", "Liége"] * 34)))["id"].tolist()
    assert repeated == once == ["gamma-skills"]
    assert searched == ["liege"]
    # The same word on the same frame (another rerun, the option counts, the map's rows) is not searched again.
    apply_filters(frame, Filters(query="Liège", kinds=("organisation",)))
    option_counts(frame, Filters(query="liege"))
    assert searched == ["liege"]


# --- map bounds --------------------------------------------------------------------------------------


def points(lons: list[float], lat: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"lat": [lat] * len(lons), "lon": lons})


@pytest.mark.parametrize(
    ("bounds", "inside"),
    [
        ((-10, -20, 10, 20), [False, False, True, False, False]),
        ((-10, 170, 10, -170), [True, True, False, False, True]),  # wrapped, across the antimeridian
        ((-10, 170, 10, 190), [True, True, False, False, True]),  # as Leaflet reports it after a pan east
        ((-10, -190, 10, -170), [True, True, False, False, True]),  # ... and after a pan west
        ((-10, 530, 10, 550), [True, True, False, False, True]),  # a world further east
        ((-10, -400, 10, 400), [True, True, True, True, True]),  # zoomed out: more than one world
    ],
)
def test_bounds_across_the_antimeridian(bounds, inside):
    assert in_bounds(points([-175.0, 175.0, 0.0, 90.0, 180.0]), bounds).tolist() == inside


def test_bounds_leave_out_rows_without_coordinates():
    frame = pd.DataFrame({"lat": [np.nan, 1.0, np.nan], "lon": [1.0, np.nan, np.nan]})
    assert not in_bounds(frame, (-90, -180, 90, 180)).any()
    assert not in_bounds(frame, (-90, -1000, 90, 1000)).any()


@SETTINGS
@given(
    st.lists(st.tuples(half, lon_half), max_size=20),
    st.tuples(half, st.integers(-800, 800).map(lambda x: x / 2), half, st.integers(-800, 800).map(lambda x: x / 2)),
)
def test_bounds_match_the_reference(coords, bounds):
    frame = pd.DataFrame(coords, columns=["lat", "lon"], dtype=float)
    south, west, north, east = bounds
    expected = [south <= lat <= north and lon_inside(lon, west, east) for lat, lon in coords]
    assert in_bounds(frame, bounds).tolist() == expected


@SETTINGS
@given(st.data())
def test_countries_and_regions_choose_places_together(data):
    frame = data.draw(frames())
    f = data.draw(filters(frame))
    by_countries = rows_of(frame, Filters(countries=f.countries))
    by_regions = rows_of(frame, Filters(regions=f.regions))
    if f.countries and f.regions:
        assert rows_of(frame, Filters(countries=f.countries, regions=f.regions)) == by_countries | by_regions
    per_country, per_region = place_counts(frame, f)
    others = replace(f, countries=(), regions=())
    for code, region in regions().items():
        inside = rows_of(frame, replace(others, regions=(code,)))
        assert per_region[code] == len(inside), code
        assert inside == {i for i in rows_of(frame, others) if frame.at[i, "country"] in region.countries}
    assert int(per_country.sum()) == len(rows_of(frame, others))


@SETTINGS
@given(st.data())
def test_each_option_counts_what_choosing_it_alone_would_show(data):
    """The number beside an option is the rows the page would show with that option alone chosen in
    its filter, every other filter as it is (the counts come from integer codes, not from filtering)."""
    frame = data.draw(frames())
    f = data.draw(filters(frame))
    counts = option_counts(frame, f)
    for field, column, got in (("categories", "category", counts.categories), ("kinds", "kind", counts.kinds)):
        for value in set(frame[column]):
            assert got.get(value, 0) == len(rows_of(frame, replace(f, **{field: (value,)}))), (field, value)
    for code in set(frame["country"]):
        assert counts.countries.get(code, 0) == len(rows_of(frame, replace(f, countries=(code,), regions=()))), code
    for status in ODC_STATUSES:
        odcs = {i for i in rows_of(frame, replace(f, statuses=(status,))) if frame.at[i, "kind"] == "odc"}
        assert counts.statuses.get(status, 0) == len(odcs), status
