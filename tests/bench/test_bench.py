"""The benchmark's generator and runner, and the fast paths the benchmark led to.

No timing is asserted anywhere: these are correctness tests. The fast paths (Arrow CSV reading,
bulk URL/markup checks, word-wise search keys, RE2 text search, column-wise CSV export) are each
checked against the straightforward code they replace; the packed map points are decoded by the
real JavaScript in tests/test_map_contract.py.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bench.__main__ as runner
from atlas import data as atlas_data
from atlas.categories import CATEGORY_IDS, ODC_CATEGORY
from atlas.data import load_atlas, read_table, search_keys
from atlas.export import export_frame, neutralise, to_csv
from atlas.filters import Filters, apply_filters, literal_pattern
from atlas.map import MapOptions, atlas_layers, build_map
from atlas.map.points import escape_all
from atlas.schema import MARKUP, ORGANISATIONS, http_url_mask, markup_mask
from atlas.text import escape, fold, is_http_url
from bench.generate import generate, organisation_rows, places

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# --- generator --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("gen"), 2_000, seed=3, odcs=12)


def test_generator_is_deterministic(tmp_path) -> None:
    a, b, c = (generate(tmp_path / name, 300, seed=seed) for name, seed in (("a", 5), ("b", 5), ("c", 6)))
    for name in ("organisations.csv", "odc.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / "organisations.csv").read_bytes() != (c / "organisations.csv").read_bytes()


def test_generated_files_load_without_any_problem(generated) -> None:
    atlas = load_atlas(generated)
    assert atlas.problems == []
    frame = atlas.frame
    assert (frame["kind"] == "organisation").sum() == 2_000 and (frame["kind"] == "odc").sum() == 12
    assert frame["id"].is_unique and frame["lat"].notna().all()


def test_generated_organisations_are_varied_and_bilingual(generated) -> None:
    orgs = load_atlas(generated).frame.query("kind == 'organisation'")
    assert set(orgs["category"]) == set(CATEGORY_IDS) - {ODC_CATEGORY}
    assert orgs["country"].nunique() >= 40 and orgs["city"].nunique() >= 500
    assert orgs["name"].nunique() >= 1_900
    assert (orgs["description_en"] != orgs["description_fr"]).all()
    assert orgs["description_en"].str.contains(" offers ").all()
    assert orgs["description_fr"].str.contains(" propose ").all()


def test_generated_places_are_real_gazetteer_places() -> None:
    known: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for p in places():
        known.setdefault((p.name, p.country), []).append((p.lat, p.lon))
    columns = ORGANISATIONS.columns
    for row in organisation_rows(200, seed=11):
        record = dict(zip(columns, row, strict=True))
        lat, lon = float(record["lat"]), float(record["lon"])
        assert any(abs(lat - a) < 0.05 and abs(lon - b) < 0.05 for a, b in known[(record["city"], record["country"])])


# --- runner -----------------------------------------------------------------------------------


def test_runner_reports_every_figure(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(runner, "geocoder_figures", lambda quick: {"index_cold_build_s": 1.0, "lookups_per_s": 9e4})
    out = tmp_path / "figures.json"
    report = runner.main(["--quick", "--sizes", "120,260", "--reps", "1", "--naive-max", "40", "--json", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["sizes"][1]["rows"] == 260
    assert [r["rows"] for r in report["sizes"]] == [120, 260]
    for r in report["sizes"]:
        assert r["problems"] == 0 and r["frame_rows"] > r["rows"]
        for key in (
            "load_s",
            "filter_ms",
            "map_s",
            "map_build_s",
            "map_bytes",
            "naive_s",
            "naive_bytes",
            "charts_s",
            "export_s",
            "peak_rss_mb",
            "ratio_time",
            "ratio_bytes",
        ):
            assert r[key] > 0, key
        assert r["naive_points"] == 40 and r["naive_sampled"]
        assert r["naive_bytes_per_point"] > r["map_bytes_per_point"]
    checks = {c["target"]: c for c in report["targets"]}
    assert checks["geocoder ≥ 20,000 look-ups/s warm"]["met"] is True
    assert checks["load + validate ≤ 2 s"]["met"] is None  # 100,000 rows not run
    printed = capsys.readouterr().out
    assert "load + validate, s" in printed and "ratio naive/ours" in printed


def test_runner_says_when_the_geocoder_bench_is_missing(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "GEOCODING_BENCH", tmp_path / "nowhere.py")
    assert "missing" in runner.geocoder_figures(quick=True)


def test_served_payload_is_what_the_component_receives(generated) -> None:
    frame = load_atlas(generated).frame
    raw, file_size = runner.our_map(frame)
    args = json.loads(raw)
    assert "L.atlas.pointLayer" in args["script"] and args["js_links"] and args["css_links"]
    assert "L.atlas.update" in args["feature_group"] and file_size > 2_000 * 9
    assert any("/app/static/atlas/map.js?v=" in link for link in args["js_links"])
    naive = json.loads(runner.naive_map(frame.iloc[:5], rich=False))
    assert naive["script"].count("L.marker(") == 5


# --- loading: the Arrow reader gives what the csv module gives --------------------------------

HEADER = ",".join(ORGANISATIONS.columns)
# The first 15 columns filled; the ones added later (postcode, region, …) left empty, so the rows
# keep the header's width whatever the schema grows to.
PAD = "," * (len(ORGANISATIONS.columns) - 15)
GOOD = 'x-1,"Name, with comma",civic_tech,FR,Lyon,,45.7,4.8,city,https://a.example,"say ""hi""",fr,src,,gazetteer' + PAD
TRICKY = {
    "plain": f"{HEADER}\n{GOOD}\n",
    "crlf": f"{HEADER}\r\n{GOOD}\r\n",
    "bom_no_final_newline": f"\ufeff{HEADER}\n{GOOD}",
    "blank_line": f"{HEADER}\n\n{GOOD}\n",
    "commas_only_line": f"{HEADER}\n,,,,,,,,,,,,,,\n{GOOD}\n",
    "text_after_closing_quote": f'{HEADER}\n{GOOD}\nx-2,"a"b,civic_tech,FR,,,,,,,,,s,,\n',
    "quote_inside_field": f'{HEADER}\nx-2,a"b,civic_tech,FR,,,,,,,,,s,,\n',
    "unterminated_quote": f'{HEADER}\n{GOOD}\nx-2,"open,civic_tech\n',
    "multiline_field": f'{HEADER}\nx-2,"two\nlines",civic_tech,FR,,,,,,,,,s,,\n{GOOD}\n',
    "too_few_fields": f"{HEADER}\nx-2,b,civic_tech\n{GOOD}\n",
    "lone_cr": f"{HEADER}\n{GOOD}\rx\n",
    "vertical_tab_row": f"{HEADER}\n\x0b,\x0b,,,,,,,,,,,,,\n{GOOD}\n",
    "nul_in_field": f"{HEADER}\nx-2,a\x00b,civic_tech,FR,,,,,,,,,s,,\n",
    "header_only": f"{HEADER}\n",
    "duplicate_header": f"{HEADER},id\n{GOOD},x\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_fast_reader_matches_the_csv_module(name, tmp_path, monkeypatch) -> None:
    path = tmp_path / "organisations.csv"
    path.write_bytes(TRICKY[name].encode("utf-8"))
    fast_table, fast_problems = read_table(path, ORGANISATIONS, "f.csv")
    monkeypatch.setattr(atlas_data, "_parse_fast", lambda raw: None)
    slow_table, slow_problems = read_table(path, ORGANISATIONS, "f.csv")
    pd.testing.assert_frame_equal(fast_table, slow_table)
    assert fast_problems == slow_problems


def test_invalid_utf8_is_still_reported_by_line(tmp_path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_bytes(
        f"{HEADER}\n{GOOD}\n".encode() + b"x-3,Bad \xff name,civic_tech,FR,,,,,,,,,s,," + PAD.encode() + b"\n"
    )
    table, problems = read_table(path, ORGANISATIONS, "f.csv")
    assert len(table) == 1 and [(p.row, "UTF-8" in p.message) for p in problems] == [(3, True)]


def test_fixtures_load_the_same_with_either_reader(monkeypatch) -> None:
    for name in ("small_atlas", "hostile_atlas"):
        fast = load_atlas(FIXTURES / name)
        with monkeypatch.context() as m:
            m.setattr(atlas_data, "_parse_fast", lambda raw: None)
            slow = load_atlas(FIXTURES / name)
        pd.testing.assert_frame_equal(fast.frame, slow.frame)
        assert fast.problems == slow.problems


TEXT = st.text(alphabet=st.sampled_from(list("aZé e\u0301ßÆ\u00a8\u00a0\u2003\t\n\x1c\x0b,.-'İſK…ﬁ日Ω")), max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT, TEXT), min_size=1, max_size=8))
def test_search_keys_equal_fold_of_the_joined_columns(rows) -> None:
    frame = pd.DataFrame(rows, columns=["name", "aliases", "city", "description_en", "description_fr"], dtype="str")
    expected = [fold(" ".join(r)) for r in rows]
    assert search_keys(frame).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            TEXT,
            st.sampled_from(
                [
                    "https://a.example/x?y=1#z",
                    "http://A.b:8080/p",
                    "HTTP://x.org",
                    "https://x.org/a b",
                    "https://[::1",
                    "javascript:alert(1)",
                    "https://x.org/<s>",
                    "https://é.example",
                    "ftp://x.org",
                    "https://",
                    "http://x.org/'",
                ]
            ),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_bulk_url_and_markup_checks_match_the_single_ones(values) -> None:
    series = pd.Series(values, dtype="str")
    assert http_url_mask(series).tolist() == [is_http_url(v) for v in values]
    assert markup_mask(series).tolist() == [MARKUP.search(v) is not None for v in values]


@pytest.mark.parametrize(
    "value",
    [
        "<b>",
        "< img",
        "&amp;",
        "&#39;",
        "JAVASCRIPT:x",
        "javaſcript:x",
        "javascrİpt:",
        "&é;",
        "a < b",
        "pt: no",
        "plain",
        "[x](y)",
        "![x](y)",
        ":red[x]",
        ":ſmall[x]",
        "$x$",
        "$$ y $$",
        "$ 5",
    ],
)
def test_markup_hint_never_misses(value) -> None:
    assert markup_mask(pd.Series([value], dtype="str"))[0] == (MARKUP.search(value) is not None)


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["a.b", "c++", "(x)", "é$^", "[q]", "\\e", "50%", "a|b", "#~&", "\x00"])
def test_literal_pattern_matches_the_word_itself(word) -> None:
    keys = pd.Series([f"xx{word}yy", "nothing", word.upper() + "!"], dtype="str")
    found = keys.str.contains(literal_pattern(word), regex=True).tolist()
    assert found == [word in k for k in keys]


def test_filter_is_the_and_of_each_filter(generated) -> None:
    frame = load_atlas(generated).frame
    f = Filters(
        countries=("FR", "DE", "IN", "CN", "US"),
        categories=("digital_mediation", "training"),
        query="numérique ateliers",
    )
    shown = apply_filters(frame, f)
    expected = frame[
        frame["country"].isin(f.countries)
        & frame["category"].isin(f.categories)
        & frame["search_key"].str.contains("numerique", regex=False)
        & frame["search_key"].str.contains("ateliers", regex=False)
    ]
    assert shown.index.tolist() == expected.index.tolist() and len(shown)


# --- export -----------------------------------------------------------------------------------

CELLS = st.text(alphabet=st.sampled_from(list('ab,"\r\n =+-@\t1.é ')), max_size=8)


def _pandas_csv(frame: pd.DataFrame) -> bytes:
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(CELLS, CELLS, st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))), max_size=6
    )
)
def test_column_wise_csv_equals_pandas_csv(rows) -> None:
    frame = pd.DataFrame(
        {
            "a": pd.Series([r[0] for r in rows], dtype="str"),
            "b": pd.Series([r[1] for r in rows], dtype="str"),
            "lat": pd.Series([np.nan if r[2] is None else r[2] for r in rows], dtype="float64"),
        }
    )
    assert to_csv(frame) == _pandas_csv(frame)


def test_export_of_generated_rows_equals_pandas_csv(generated) -> None:
    exported = export_frame(load_atlas(generated).frame, "fr")
    exported.loc[3, "name"] = "=HYPERLINK(1)"
    assert to_csv(exported) == _pandas_csv(exported)


# --- map --------------------------------------------------------------------------------------


def test_escape_all_equals_escape_of_each() -> None:
    values = ["a<b", "", "x\x00y", "`${1}`", "&amp;", 'O\'Neil "q" \\']
    assert escape_all(values) == [escape(v) for v in values]
    assert escape_all(["a", None, 3]) == ["a", "", "3"]


def test_template_syntax_in_data_is_neither_run_nor_fatal(tmp_path) -> None:
    frame = load_atlas(FIXTURES / "small_atlas").frame.copy()
    frame.loc[frame.index[0], "name"] = "A{{ 7*7 }}B"
    frame.loc[frame.index[1], "name"] = "broken {% if"
    layers = atlas_layers(frame, "en", tmp_path)
    assert "A{{ 7*7 }}B" in layers.text and "A49B" not in layers.text and "broken {% if" in layers.text
    args = json.loads(runner.served(build_map(layers, MapOptions())))
    assert "L.atlas.pointLayer" in args["script"] and layers.url in args["script"]


def test_generated_map_payload_parses(generated, tmp_path) -> None:
    layers = atlas_layers(load_atlas(generated).frame, "en", tmp_path)
    payload = json.loads(layers.text)["organisations"]
    assert len(payload["name"]) == len(base64.b64decode(payload["pts"])) // 9 >= 2_000
    assert len(payload["places"]) == len(payload["pc"]) > 100


def test_browser_report_puts_the_compared_checkout_beside_this_one() -> None:
    from bench.browser import report

    timeline = {"page_loaded": 100, "markers": 900}
    mine = {"entries": 70, "country": "FR", "country_entries": 31, "filter_change_s": 0.5, "timeline_ms": timeline}
    theirs = mine | {"filter_change_s": 1.5, "filter_change_reloads": 3, "timeline_ms": {"page_loaded": 120}}
    text = report(mine | {"filter_change_reloads": 0}, theirs)
    line = next(row for row in text.splitlines() if row.startswith("filter change → map redrawn"))
    assert line.split()[-3:] == ["1.50", "0.50", "3.0×"]
    assert "iframe reloads" in text and "first markers (atlas:markers)" in text
    assert report(mine, None).count("×") == 0  # alone: no ratios
