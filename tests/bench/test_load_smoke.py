"""The load script against the real app on loopback: one visitor, a few seconds.

`bench.load` speaks Streamlit's websocket protocol by hand (protobuf messages from
`streamlit.proto`, widget states, deferred files). These tests fail when a Streamlit upgrade
changes that protocol in a way the client no longer follows: they assert what the visitor saw
(the count of entries shown, the widgets, the rows of the downloaded CSV), not merely that
nothing raised. No timing is asserted.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate
from bench.load.__main__ import main
from bench.load.protocol import StreamlitClient
from bench.load.scenario import WIDGET_KEYS, check_csv, entries_shown, summary_patterns
from bench.server import AppServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PATTERNS = summary_patterns()


@pytest.fixture(scope="module")
def small_app(tmp_path_factory) -> Iterator[AppServer]:
    """The small fixture atlas under a path prefix, as behind a proxy (the large one has none)."""
    app = AppServer(FIXTURES / "small_atlas", tmp_path_factory.mktemp("load-small"), base_path="atlas")
    yield app
    app.stop()


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def option(widget, prefix: str) -> str:
    """The option whose label starts with `prefix` ("France" → "France (2)")."""
    return next(o for o in widget.options if o.startswith(prefix))


def test_one_visitor_sees_the_page_changes_a_filter_and_downloads_what_it_shows(small_app) -> None:
    assert small_app.url.endswith("/atlas")

    async def visit() -> None:
        client = StreamlitClient(small_app.url, WIDGET_KEYS.values(), timeout=60)
        try:
            first = await client.connect()
            assert "7 of 7 entries shown (5 organisations, 2 ODCs)" in first.markdown
            assert entries_shown(first.markdown, PATTERNS) == 7 and first.bytes > 0
            widgets = client.widgets
            assert set(WIDGET_KEYS.values()) <= set(widgets), "a widget the visitors use is missing"
            assert widgets["lang"].kind == "radio" and widgets["lang"].value == "English"
            assert widgets["f_country"].kind == "multiselect" and widgets["f_country"].value == []
            assert "France (2)" in widgets["f_country"].options
            assert widgets["clear_sidebar"].disabled  # nothing to clear yet

            # built on the click (deferred), unless a visitor before asked for it: then it came with the page
            assert bool(widgets["dl_csv"].url) != bool(widgets["dl_csv"].deferred_file_id)
            everything = await client.download("dl_csv")
            assert check_csv(everything.body, everything.disposition, 7) == 7

            widgets["f_country"].value = [option(widgets["f_country"], "France")]
            france = await client.rerun()
            assert entries_shown(france.markdown, PATTERNS) == 2
            assert widgets["f_country"].value == ["France (2)"] and not widgets["clear_sidebar"].disabled
            file = await client.download("dl_csv")
            assert check_csv(file.body, file.disposition, 2) == 2
            rows = csv_rows(file.body)
            assert {r["id"] for r in rows} == {"alpha-civic", "beta-commons"}
            assert {r["country"] for r in rows} == {"FR"} and "_FR_" in file.disposition

            widgets["f_query"].value = "liege"  # folded search, on top of the country filter
            assert entries_shown((await client.rerun()).markdown, PATTERNS) == 0
            assert client.click("clear_sidebar")
            cleared = await client.rerun()
            assert entries_shown(cleared.markdown, PATTERNS) == 7
            assert widgets["f_country"].value == [] and widgets["f_query"].value == ""
            assert widgets["dl_csv"].url and not widgets["dl_csv"].deferred_file_id  # built: with the page
            assert check_csv((await client.download("dl_csv")).body, everything.disposition, 7) == 7

            widgets["lang"].value = "Français"
            french = await client.rerun()
            assert "7 entrées affichées sur 7 (5 organisations, 2 ODC)" in french.markdown
        finally:
            await client.close()

    asyncio.run(visit())


def test_the_load_run_drives_a_running_app_without_errors(small_app, tmp_path, capsys) -> None:
    out = tmp_path / "load.json"
    args = ["--url", small_app.url, "--sessions", "1", "--seconds", "4", "--think", "0", "--json", str(out)]
    assert main(args) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == 0, report["error_examples"]
    requests = report["requests"]
    assert requests["page_loads"] >= 1 and requests["filter_changes"] >= 1 and requests["downloads"] >= 1
    assert report["filter_change"]["count"] == requests["filter_changes"]
    assert report["download"]["count"] == requests["downloads"] >= requests["filter_changes"] - 1
    assert report["distinct_result_sizes"] >= 1 and report["bytes_per_run_median"] > 0
    assert report["memory"] is None and report["settings"]["data"] == f"the app at {small_app.url}"
    printed = capsys.readouterr().out
    assert "errors: 0" in printed and "not measured" in printed


def test_a_large_table_is_downloaded_as_a_deferred_file(tmp_path) -> None:
    """A CSV nobody asked for yet is built on the click: the `backend_operation_request` path."""
    data = generate(tmp_path / "atlas", 5_100, seed=4, odcs=6)
    app = AppServer(data, tmp_path)
    try:

        async def visit() -> None:
            client = StreamlitClient(app.url, WIDGET_KEYS.values(), timeout=90)
            try:
                run = await client.connect()
                assert entries_shown(run.markdown, PATTERNS) == 5_106
                button = client.widgets["dl_csv"]
                assert button.deferred_file_id and not button.url
                file = await client.download("dl_csv")
                assert check_csv(file.body, file.disposition, 5_106) == 5_106
                assert file.url != button.url and file.url.startswith("/media/")
            finally:
                await client.close()

        asyncio.run(visit())
    finally:
        app.stop()
