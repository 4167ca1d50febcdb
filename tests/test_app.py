"""The page's widgets through Streamlit's AppTest: filters, language, link state, download, notices."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import APP, FIXTURES


def summary(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "shown" in m.value or "affichées" in m.value)


def bold_texts(at: AppTest) -> set[str]:
    """Texts shown in bold by `atlas.ui.safe.strong` (titles and names from the data), unescaped."""
    return {
        html.unescape(re.sub(r"<[^>]*>", "", e.proto.body)) for e in at.get("html") if "font-weight" in e.proto.body
    }


def map_args(at: AppTest) -> dict:
    import json

    element = next(
        e for e in at.main if type(e).__name__ == "UnknownElement" and "script" in getattr(e.proto, "json_args", "")
    )
    return json.loads(element.proto.json_args)


def map_script(at: AppTest) -> str:
    return map_args(at)["script"]


def map_update(at: AppTest) -> dict:
    """The update the rerun sent the map (`L.atlas.update(group, spec)` in the feature group)."""
    import json
    import re

    return json.loads(re.search(r"L\.atlas\.update\([\w]+, (\{.*\})\);", map_args(at)["feature_group"]).group(1))


def points_file(at: AppTest) -> dict:
    """The published points file the map's script fetches."""
    import json
    import re

    from atlas.map import files

    url = re.search(r'"url":"([^"]+)"', map_script(at)).group(1)
    return json.loads(files.url_path(url).read_text(encoding="utf-8"))


def names_shown(at: AppTest) -> set[str]:
    """Names of the points the map shows after the rerun: the file's, through the update's masks."""
    import base64

    import numpy as np

    published, spec = points_file(at), map_update(at)
    names = set()
    for key, part in spec["layers"].items():
        all_names = published[key]["name"]
        if part["mask"] is None:
            names.update(all_names)
            continue
        bits = np.unpackbits(np.frombuffer(base64.b64decode(part["mask"]), dtype=np.uint8), bitorder="little")
        names.update(n for n, bit in zip(all_names, bits, strict=False) if bit)
    return names


def component_data(at: AppTest, key: str) -> dict:
    """The `data` of the page's component (st.components.v2) mounted with `key`."""
    import json

    element = next(
        e for e in at.main if type(e).__name__ == "UnknownElement" and getattr(e.proto, "id", "").endswith(f"-{key}")
    )
    return json.loads(element.proto.json)


def test_default_view_shows_everything(app) -> None:
    at = app()
    assert summary(at) == "7 of 7 entries shown (5 organisations, 2 ODCs)"
    assert at.title[0].value == "Social Tech Atlas"
    assert "Alpha Civic Lab" in names_shown(at) and len(names_shown(at)) == 7
    assert not at.warning  # clean data: no data-problem warning


def test_country_filter(app) -> None:
    at = app()
    before = map_args(at)
    at.sidebar.multiselect(key="f_country").set_value(["FR", "BE"]).run()
    assert summary(at) == "3 of 7 entries shown (3 organisations, 0 ODCs)"
    assert at.query_params["country"] == ["FR,BE"] or at.query_params["country"] == "FR,BE"
    assert names_shown(at) == {"Alpha Civic Lab", "Beta Commons", "Gamma Skills"}
    after = map_args(at)
    assert after["script"] == before["script"] and after["key"] == before["key"]  # the same iframe, kept
    assert after["feature_group"] != before["feature_group"]


def test_category_kind_status_and_text_filters(app) -> None:
    at = app()
    at.sidebar.multiselect(key="f_category").set_value(["training", "civic_tech"]).run()
    assert summary(at).startswith("2 of 7")
    at.sidebar.multiselect(key="f_category").set_value([]).run()
    at.sidebar.button_group(key="f_kind").set_value(["odc"]).run()
    assert summary(at) == "2 of 7 entries shown (0 organisations, 2 ODCs)"
    at.sidebar.button_group(key="f_status").set_value(["planned"]).run()
    assert summary(at) == "1 of 7 entries shown (0 organisations, 1 ODCs)"
    at.sidebar.button_group(key="f_kind").set_value([]).run()
    at.sidebar.button_group(key="f_status").set_value([]).run()
    at.sidebar.text_input(key="f_query").set_value("LIEGE").run()  # accent- and case-insensitive
    assert summary(at).startswith("1 of 7")


def test_language_switch_changes_labels(app) -> None:
    at = app()
    at.sidebar.radio(key="lang").set_value("fr").run()
    assert at.title[0].value == "Atlas de la Social Tech"
    assert summary(at) == "7 entrées affichées sur 7 (5 organisations, 2 ODC)"
    assert "Sénégal (1)" in at.sidebar.multiselect(key="f_country").options
    assert "Un laboratoire civic tech de test à Lyon." in points_file(at)["organisations"]["desc"]


def test_query_parameters_round_trip(app) -> None:
    at = app(lang="fr", country="BE,FR", category="training", q="liège")
    assert at.sidebar.multiselect(key="f_country").value == ["BE", "FR"]
    assert at.sidebar.radio(key="lang").value == "fr"
    assert summary(at).startswith("1 entrées affichées sur 7")
    params = {k: at.query_params[k] for k in at.query_params}
    flat = {k: v[0] if isinstance(v, list) else v for k, v in params.items()}
    assert flat == {"lang": "fr", "country": "BE,FR", "category": "training", "q": "liège"}


def test_invalid_parameters_are_ignored_with_a_notice(app) -> None:
    at = app(country="XX,BE", kind="spaceship", view="a,b,c")
    assert summary(at).startswith("1 of 7")
    assert "were not understood and were ignored" in at.info[0].value
    listed = " ".join(x.value for x in at.text)
    assert "country=XX" in listed and "kind=spaceship" in listed and "view=a,b,c" in listed


def test_empty_result_says_so_and_offers_to_clear(app) -> None:
    at = app(q="nothing-matches-this")
    assert summary(at).startswith("0 of 7")
    assert any("No entry matches" in i.value for i in at.info)
    at.button(key="clear_empty").click().run()
    assert summary(at).startswith("7 of 7")


def test_download_offers_exactly_the_filtered_table(app, monkeypatch) -> None:
    files = deferred_files(monkeypatch)
    at = app(country="FR")
    table = next(d.value for d in at.dataframe if "kind_label" in d.value.columns)
    assert len(table) == 2  # the table shows the filtered rows
    rows = list(csv.DictReader(io.StringIO(files["csv"]().decode("utf-8-sig"))))
    from atlas.export import EXPORT_COLUMNS

    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [r["id"] for r in rows] == ["alpha-civic", "beta-commons"]
    assert [b.label for b in at.get("download_button")] == [
        "Download CSV",
        "Download GeoJSON",
        "Download HSDS (zip)",
        "Download JSON-LD",
    ]
    assert any("Open Data Commons Open Database License" in h.proto.body for h in at.get("html"))
    assert [b.proto.url for b in at.get("link_button")] == ["https://opendatacommons.org/licenses/odbl/1-0/"]


def deferred_files(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """The callables the page's download buttons hand Streamlit (run on a visitor's click), by
    file name extension: filled by every run of the page."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict[str, Callable[[], bytes]] = {}
    add_deferred = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name.split(".", 1)[1].replace("hsds.zip", "hsds")] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return files


def test_a_rerun_builds_no_download_file_and_a_click_builds_one(app, monkeypatch) -> None:
    """The four files were built for every new view whether or not anyone downloaded (issue 26)."""
    import atlas.ui.views as views

    built: list[str] = []
    for which, make in list(views.FILES.items()):
        monkeypatch.setitem(
            views.FILES, which, lambda table, rows, which=which, make=make: built.append(which) or make(table, rows)
        )
    files = deferred_files(monkeypatch)
    at = app(country="BE", q="liège")  # a view no other test asks for
    at.multiselect(key="f_country").set_value(["BE", "FR"]).run()
    assert not at.exception
    assert built == []  # two runs, two views: no file built
    assert sorted(files) == ["csv", "geojson", "hsds", "jsonld"]
    geojson = json.loads(files["geojson"]())  # the visitor clicks "Download GeoJSON"
    assert built == ["geojson"]
    assert {f["properties"]["country"] for f in geojson["features"]} <= {"BE", "FR"}
    files["geojson"]()  # again, or another visitor with the same view: shared, not built again
    assert built == ["geojson"]
    at.run()  # once built, the file goes with the page (Streamlit keeps it while the page shows it)
    buttons = {b.label: b.proto for b in at.get("download_button")}
    assert buttons["Download GeoJSON"].url and not buttons["Download GeoJSON"].deferred_file_id
    assert buttons["Download CSV"].deferred_file_id and not buttons["Download CSV"].url
    assert built == ["geojson"]


def test_warning_when_data_rows_failed_validation(app, monkeypatch, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "small_atlas", data)
    with (data / "organisations.csv").open("a", encoding="utf-8") as fh:
        fh.write("bad-lat,Bad Lat,,civic_tech,FR,Paris,,123.4,2.35,city,manual,,x,x,test\n")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    monkeypatch.setenv("ATLAS_SOURCE", "files")  # the files as they are (a database is checked when seeded)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "1 data row was skipped or corrected" in at.warning[0].value
    assert summary(at).startswith("7 of 7")  # the good rows are all there
    problems = at.dataframe[0].value
    assert "row 7: lat '123.4' is outside [-90, 90]" in " ".join(problems["problem"])


def test_articles_follow_the_country_filter(app) -> None:
    at = app()
    assert {"A test meeting in Umbria", "A test lab opens in Lyon"} <= bold_texts(at)
    at.sidebar.multiselect(key="f_country").set_value(["IT"]).run()
    titles = bold_texts(at)
    assert "A test meeting in Umbria" in titles and "A test lab opens in Lyon" not in titles
    assert "1 article hidden by the filters." in [c.value for c in at.caption]


def test_choosing_an_article_highlights_its_places_and_organisations(app) -> None:
    at = app()
    at.button(key="art_perugia-meeting").click().run()
    assert at.query_params["article"] in ("perugia-meeting", ["perugia-meeting"])
    spec = map_update(at)
    assert any(part.get("hl") for part in spec["layers"].values())  # its organisation is highlighted
    assert spec["places"]["show"] and spec["places"]["payload"]["ref"] == "place-"  # its places, shown
    at.text_input(key="a_query").set_value("lyon").run()
    titles = bold_texts(at)
    assert "A test lab opens in Lyon" in titles and "A test meeting in Umbria" not in titles


def test_marker_click_shows_record_and_articles_that_mention_it(app, monkeypatch) -> None:
    at = app()
    from atlas.data import load_atlas

    frame = load_atlas(FIXTURES / "small_atlas").frame
    row = int(frame.index[frame["id"] == "delta-network"][0])
    import streamlit_folium

    monkeypatch.setattr(
        streamlit_folium,
        "st_folium",
        lambda *a, **k: {"last_object_clicked_tooltip": f"Delta NetworkPerugia, Italy#{row}"},
    )
    monkeypatch.setattr(
        "atlas.ui.map_panel.st_folium",
        lambda *a, **k: {"last_object_clicked_tooltip": f"Delta NetworkPerugia, Italy#{row}"},
    )
    at.run()
    texts = [x.value for x in at.text]
    assert "A test network in Perugia." in texts
    mentioned = component_data(at, "mentioned_delta-network")
    assert [i["text"] for i in mentioned["items"]] == ["A test meeting in Umbria"]


def test_only_what_the_map_shows(app) -> None:
    at = app()
    at.session_state["map_bounds"] = (40.0, -5.0, 48.0, 6.0)  # south, west, north, east: Lyon and Nantes
    at.run()
    assert summary(at).startswith("7 of 7")  # the toggle is off: bounds are ignored
    at.sidebar.toggle(key="f_inview").set_value(True).run()
    assert summary(at) == "2 of 7 entries shown (2 organisations, 0 ODCs)"
    assert at.query_params["inview"] in ("1", ["1"])


def test_a_data_change_reaches_an_open_session_without_a_restart(monkeypatch, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "small_atlas", data)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    monkeypatch.setenv("ATLAS_ASSETS", "local")
    monkeypatch.setenv("ATLAS_SOURCE", "files")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert summary(at).startswith("7 of 7")
    with (data / "organisations.csv").open("a", encoding="utf-8") as fh:
        fh.write("new-row,Brand New Org,,civic_tech,FR,Paris,,48.85,2.35,city,manual,,x,x,test\n")
    later = os.stat(data / "organisations.csv").st_mtime + 5
    os.utime(data / "organisations.csv", (later, later))  # coarse file-system clocks
    at.run()
    assert summary(at).startswith("8 of 8")
    assert "Brand New Org" in names_shown(at)


def test_only_the_state_modules_touch_session_state() -> None:
    """Every session-state key lives behind `atlas.ui.state` (the page) or `atlas.ui.form_state` (the
    contribution form): the places to read what a session holds."""
    root = Path(APP).parent
    sources = [root / "app.py", *(root / "atlas").rglob("*.py")]
    allowed = {root / "atlas" / "ui" / "state.py", root / "atlas" / "ui" / "form_state.py"}
    offenders = [
        str(p.relative_to(root))
        for p in sources
        if "session_state" in p.read_text(encoding="utf-8") and p not in allowed
    ]
    assert offenders == []


def test_bad_article_files_leave_the_atlas_served_with_each_one_located(monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(FIXTURES / "hostile_atlas"))
    monkeypatch.setenv("ATLAS_SOURCE", "files")  # the files themselves (a database seed logs what it skips)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert summary(at).startswith("6 of 6")
    assert {"An impossible day", "A timestamp that is not one", "A number as a field name"} <= bold_texts(at)
    problems = " | ".join(at.dataframe[0].value["problem"])
    for located in (
        "bad-date.md: field 'published' = '2023-02-30'",
        "bad-timestamp.md: field 'published' = 'abc'",
        "bad-int.md: field 'title_en' = 'abc'",
        "int-key.md: field '1'",
        "nested.md: front matter is nested deeper",
        "not-mapping.md: front matter is not a mapping",
        "binary.md: cannot read the file",
        "alias-bomb.md: front matter uses more than 10 YAML aliases",
    ):
        assert located in problems, located
    assert max(len(p) for p in at.dataframe[0].value["problem"]) <= 400


def test_only_the_open_charts_tab_is_drawn(app) -> None:
    """Four charts in tabs; a rerun draws the open one only (the first on a new visit), in the page's language."""
    at = app()
    assert [tab.label for tab in at.tabs] == ["By country", "By category", "ODC openings", "Map of countries"]
    drawn = [len(tab.get("vega_lite_chart")) for tab in at.tabs]
    assert drawn == [1, 0, 0, 0]
    assert "By country" not in [tab.label for tab in app(lang="fr").tabs]


def test_the_table_sends_a_page_of_rows_searched_sorted_and_paged_on_the_server(app, monkeypatch) -> None:
    """The table serialised every shown row on every rerun (issue 26): now a page, over all the rows."""
    from atlas.ui import table_panel

    monkeypatch.setattr(table_panel, "PAGE_ROWS", 3)
    at = app()

    def names() -> list[str]:
        return list(next(d.value for d in at.dataframe if "kind_label" in d.value.columns)["name"])

    def pager():
        return next(n for n in at.number_input if n.label.startswith("Page"))

    first = names()
    assert len(first) == 3 and first == sorted(first, key=str.casefold)
    assert any(c.value.startswith("Rows 1–3 of 7") for c in at.caption)
    assert pager().label == "Page (of 3)"
    pager().set_value(3).run()
    last = names()
    assert len(last) == 1 and last[0].casefold() > first[-1].casefold()
    assert any(c.value.startswith("Rows 7–7 of 7") for c in at.caption)
    at.toggle(key="table_descending").set_value(True).run()  # another order starts at its first page
    assert names()[0] == last[0] and pager().value == 1
    at.text_input(key="table_search").input("LIÈGE").run()
    assert len(names()) == 1 and not [n for n in at.number_input if n.label.startswith("Page")]
    assert any(c.value.startswith("1 of 7 rows match the search") for c in at.caption)
    assert summary(at).startswith("7 of 7")  # the search narrows the table, not the map or the downloads
