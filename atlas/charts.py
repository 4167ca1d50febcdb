"""Charts beside the map (Altair / Vega-Lite, Streamlit's own chart stack), following the filters."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import pandas as pd

from atlas import labels
from atlas.categories import CATEGORIES, ODC_COLOUR, category_label
from atlas.countries import country_name
from atlas.i18n import CONTENT_LANGS, LANGS, N_, t, tn
from atlas.shapes import world_geojson

TOP_COUNTRIES = 15
COUNT_FORMAT = ",d"  # whole numbers, grouped in thousands the page language's way
# Vega's number formats (d3-format locales) for the page's languages.
NUMBER_LOCALES = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "fr": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"]},
}


def _config(lang: str) -> dict:
    """The charts' shared configuration: numbers written the page language's way."""
    return {"locale": {"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["en"])}}


def _title(text: str, subtitle: list[str]) -> alt.Title | str:
    """A chart title, with the lines of its subtitle when there are any (what is cut, what is unknown)."""
    return alt.Title(text, subtitle=subtitle, subtitleFontSize=12, subtitleColor="#4b5a58") if subtitle else text


def _count_axis(lang: str, direction: str = "x", title_key: str = N_("chart_count")) -> alt.Axis:
    """An axis of whole counts: no fractional ticks, numbers as the language writes them."""
    return alt.Axis(
        tickMinStep=1, format=COUNT_FORMAT, description=t(labels.CHART_AXIS[direction], lang, what=t(title_key, lang))
    )


BAR_STEP = 34  # px a bar takes: room for a name on two lines
LABEL_WIDTH = 16  # characters of a category's or country's name on one line of an axis (a phone's width)


def _wrapped_labels(names: Iterable[str]) -> str:
    """Vega expression for an axis's `labelExpr`: each long name on lines of at most `LABEL_WIDTH`
    characters, two at most (Vega draws an array as lines), so that a phone never cuts it ("Orange Digital Ce…");
    the bar's tooltip keeps the full name. A name not in the table is drawn as it is."""
    lines = {n: textwrap.wrap(n, LABEL_WIDTH, max_lines=2, placeholder=" …") for n in names if len(n) > LABEL_WIDTH}
    if not lines:
        return "datum.label"
    return f"({json.dumps(lines, ensure_ascii=False)})[datum.label] || datum.label"


def _bar_descriptions(labels: pd.Series, counts: pd.Series, lang: str) -> list[str]:
    """What a screen reader says of each bar ("France : 31 entrée(s)")."""
    return [tn("chart_bar_desc", int(n), lang, label=c) for c, n in zip(labels, counts, strict=True)]


def country_counts(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Entries per country (name in `lang`), the most represented first."""
    names = (
        frame[f"country_name_{lang}"]
        if lang in CONTENT_LANGS
        else frame["country"].map({c: country_name(c, lang) for c in frame["country"].unique()})
    )
    return (
        names.rename("country")
        .to_frame()
        .groupby("country")
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["n", "country"], ascending=[False, True])
    )


def by_country(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Horizontal bars: entries per country (the most represented first); says when some are cut."""
    every = country_counts(frame, lang)
    counts = every.head(TOP_COUNTRIES).copy()
    counts["desc"] = _bar_descriptions(counts["country"], counts["n"], lang)
    cut = len(every) - len(counts)
    subtitle = [t("chart_countries_cut", lang, shown=len(counts), total=len(every))] if cut else []
    return (
        alt.Chart(
            counts,
            title=_title(t("chart_by_country", lang), subtitle),
            description=t("chart_by_country_desc", lang),
        )
        .mark_bar(color="#1f6f5c")
        .encode(
            x=alt.X("n:Q", title=t("chart_count", lang), axis=_count_axis(lang)),
            y=alt.Y(
                "country:N",
                sort="-x",
                title=None,
                axis=alt.Axis(
                    description=t("chart_axis_y", lang, what=t("country", lang)),
                    labelExpr=_wrapped_labels(counts["country"]),
                    labelLimit=160,
                    labelOverlap=False,  # (Vega measures a two-line name as overlapping its neighbours)
                ),
            ),
            description=alt.Description("desc:N"),
            tooltip=[
                alt.Tooltip("country:N", title=t("country", lang)),
                alt.Tooltip("n:Q", title=t("chart_count", lang), format=COUNT_FORMAT),
            ],
        )
        .properties(config=_config(lang), height=alt.Step(BAR_STEP))
    )


def by_category(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Horizontal bars: entries per category, in each category's map colour."""
    counts = frame.groupby("category").size().rename("n").reset_index()
    counts["label"] = counts["category"].map(lambda c: category_label(c, lang))
    counts["desc"] = _bar_descriptions(counts["label"], counts["n"], lang)
    present = [c for c in CATEGORIES if c.id in set(counts["category"])]
    return (
        alt.Chart(counts, title=t("chart_by_category", lang), description=t("chart_by_category_desc", lang))
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=t("chart_count", lang), axis=_count_axis(lang)),
            y=alt.Y(
                "label:N",
                sort="-x",
                title=None,
                axis=alt.Axis(
                    description=t("chart_axis_y", lang, what=t("category", lang)),
                    labelExpr=_wrapped_labels(counts["label"]),
                    labelLimit=160,
                    labelOverlap=False,  # (Vega measures a two-line name as overlapping its neighbours)
                ),
            ),
            color=alt.Color(
                "label:N",
                legend=None,
                scale=alt.Scale(domain=[c.label(lang) for c in present], range=[c.colour for c in present]),
            ),
            description=alt.Description("desc:N"),
            tooltip=[
                alt.Tooltip("label:N", title=t("category", lang)),
                alt.Tooltip("n:Q", title=t("chart_count", lang), format=COUNT_FORMAT),
            ],
        )
        .properties(config=_config(lang), height=alt.Step(BAR_STEP))
    )


def opening_dates(frame: pd.DataFrame) -> tuple[int, int]:
    """Open ODCs of `frame` with a known opening date, and without one."""
    odc = frame[(frame["kind"] == "odc") & (frame["status"] == "open")]
    dated = int((odc["opened"].fillna("") != "").sum())
    return dated, len(odc) - dated


def odc_openings(frame: pd.DataFrame, lang: str) -> alt.LayerChart | None:
    """Bars of ODC openings per year with the cumulative count as a line; None when no dates.

    The subtitle says how many open centres have no known opening date (the line cannot count them).
    """
    odc = frame[(frame["kind"] == "odc") & (frame["opened"].fillna("") != "")]
    if odc.empty:
        return None
    years = odc["opened"].str.slice(0, 4).astype(int)
    counts = years.value_counts().sort_index()
    table = pd.DataFrame({"year": counts.index.astype(str), "n": counts.to_numpy()})
    table["total"] = table["n"].cumsum()
    table["desc"] = [
        tn("chart_opening_desc", int(n), lang, year=y, total=int(c))
        for y, n, c in zip(table["year"], table["n"], table["total"], strict=True)
    ]
    _, unknown = opening_dates(frame)
    dated = int(table["total"].iloc[-1])
    subtitle = (
        [t("chart_openings_unknown", lang, n=unknown), t("chart_openings_line", lang, shown=dated)] if unknown else []
    )
    base = alt.Chart(table).encode(
        x=alt.X(
            "year:O",
            title=t("chart_year", lang),
            axis=alt.Axis(description=t("chart_axis_x", lang, what=t("chart_year", lang))),
        ),
        description=alt.Description("desc:N"),
    )
    bars = base.mark_bar(color=ODC_COLOUR).encode(
        y=alt.Y("n:Q", title=t("chart_count", lang), axis=_count_axis(lang, "y")),
        tooltip=[
            alt.Tooltip("year:O", title=t("chart_year", lang)),
            alt.Tooltip("n:Q", title=t("chart_count", lang), format=COUNT_FORMAT),
            alt.Tooltip("total:Q", title=t("chart_cumulative", lang), format=COUNT_FORMAT),
        ],
    )
    line = base.mark_line(color="#1d2b2a", point=True).encode(
        y=alt.Y("total:Q", title=t("chart_cumulative", lang), axis=_count_axis(lang, "y", N_("chart_cumulative")))
    )
    return (
        alt.layer(bars, line)
        .resolve_scale(y="independent")
        .properties(
            title=_title(t("chart_odc_openings", lang), subtitle),
            description=t("chart_odc_openings_desc", lang),
            config=_config(lang),
        )
    )


def choropleth(frame: pd.DataFrame, lang: str) -> dict:
    """Vega-Lite spec: countries shaded by their number of entries, from bundled shapes (works offline).

    The shapes (Europe, Africa and the Middle East, plus any other country with entries) are
    built once per language; only the small table of counts changes with the filters.
    """
    counts = frame.groupby("country").size()
    shapes = _region_shapes(lang)
    shown = {f["id"] for f in shapes}
    extra = [f for f in _all_shapes(lang) if f["id"] in counts.index and f["id"] not in shown]
    lookup = {
        "lookup": "id",
        "from": {
            "data": {
                "values": [
                    {"iso": c, "n": int(n), "desc": desc}
                    for (c, n), desc in zip(
                        counts.items(),
                        _bar_descriptions(pd.Series([country_name(str(c), lang) for c in counts.index]), counts, lang),
                        strict=True,
                    )
                ]
            },
            "key": "iso",
            "fields": ["n", "desc"],
        },
    }
    name = {"field": "properties.name", "type": "nominal", "title": t("country", lang)}
    return {
        "title": t("chart_choropleth", lang),
        "description": t("chart_choropleth_desc", lang),
        "height": 340,
        "config": _config(lang),
        "data": {"values": [*shapes, *extra]},
        "projection": {"type": "mercator", "center": [15, 30], "scale": 260},
        "layer": [
            {
                "mark": {"type": "geoshape", "fill": "#e3e8e6", "stroke": "#ffffff", "strokeWidth": 0.4},
                "encoding": {"tooltip": [name], "description": {"field": "properties.name", "type": "nominal"}},
            },
            {
                "transform": [lookup, {"filter": "datum.n > 0"}],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4},
                "encoding": {
                    "color": {
                        "field": "n",
                        "type": "quantitative",
                        "title": t("chart_count", lang),
                        "scale": {"scheme": "teals", "type": "sqrt"},
                        "legend": {
                            "format": COUNT_FORMAT,
                            "tickMinStep": 1,
                            "description": t("chart_legend", lang, what=t("chart_count", lang)),
                        },
                    },
                    "description": {"field": "desc", "type": "nominal"},
                    "tooltip": [
                        name,
                        {"field": "n", "type": "quantitative", "title": t("chart_count", lang), "format": COUNT_FORMAT},
                    ],
                },
            },
        ],
    }


@lru_cache(maxsize=len(LANGS))  # one per language: fewer would evict on every page in turn
def _all_shapes(lang: str) -> tuple[dict, ...]:
    return tuple(
        {**f, "properties": {"name": country_name(f["id"], lang)}} for f in world_geojson(precision=1)["features"]
    )


@lru_cache(maxsize=len(LANGS))  # one per language: fewer would evict on every page in turn
def _region_shapes(lang: str) -> tuple[dict, ...]:
    return tuple(f for f in _all_shapes(lang) if _in_region(f["geometry"]["coordinates"]))


REGION = (-35.0, -26.0, 72.0, 60.0)  # south, west, north, east: Europe, Africa and the Middle East


def _in_region(coords: list) -> bool:
    """True when a shape's first point lies in the region the choropleth shows."""
    while isinstance(coords[0], list):
        coords = coords[0]
    lon, lat = coords[0], coords[1]
    south, west, north, east = REGION
    return south <= lat <= north and west <= lon <= east


@dataclass(frozen=True)
class ChartSpecs:
    """The four charts of one view as Vega-Lite specifications (plain dicts, ready to serialise):
    built once per view and shared, since turning an Altair chart into its specification (with
    schema validation) costs more than drawing it."""

    by_country: dict
    by_category: dict
    openings: dict | None  # None: no open ODC in the view has a known opening date
    openings_unknown: int  # open ODCs without a known opening date
    choropleth: dict


CHARTS = ("by_country", "by_category", "openings", "choropleth")


def chart_spec(frame: pd.DataFrame, lang: str, which: str) -> dict | None:
    """One chart of `frame` (`which`, one of `CHARTS`) as a Vega-Lite specification (None: the
    openings chart of a view with no dated opening)."""
    if which == "by_country":
        return by_country(frame, lang).to_dict()
    if which == "by_category":
        return by_category(frame, lang).to_dict()
    if which == "choropleth":
        return choropleth(frame, lang)
    if which == "openings":
        openings = odc_openings(frame, lang)
        return openings.to_dict() if openings is not None else None
    raise ValueError(f"no chart {which!r}")


def chart_specs(frame: pd.DataFrame, lang: str) -> ChartSpecs:
    """Every chart of `frame` (the rows shown) in `lang`."""
    openings = odc_openings(frame, lang)
    return ChartSpecs(
        by_country=by_country(frame, lang).to_dict(),
        by_category=by_category(frame, lang).to_dict(),
        openings=openings.to_dict() if openings is not None else None,
        openings_unknown=opening_dates(frame)[1],
        choropleth=choropleth(frame, lang),
    )
