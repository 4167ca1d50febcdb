"""Charts beside the map (Altair / Vega-Lite, Streamlit's own chart stack), following the filters."""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd

from atlas.categories import CATEGORIES, category_label
from atlas.countries import country_name
from atlas.i18n import t
from atlas.shapes import world_geojson

TOP_COUNTRIES = 15


def by_country(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Horizontal bars: entries per country (the most represented first)."""
    counts = (
        frame.groupby(f"country_name_{lang}")
        .size()
        .rename("n")
        .reset_index()
        .rename(columns={f"country_name_{lang}": "country"})
        .sort_values(["n", "country"], ascending=[False, True])
        .head(TOP_COUNTRIES)
    )
    return (
        alt.Chart(counts, title=t("chart_by_country", lang))
        .mark_bar(color="#1f6f5c")
        .encode(
            x=alt.X("n:Q", title=t("chart_count", lang), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("country:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("country:N", title=t("country", lang)),
                alt.Tooltip("n:Q", title=t("chart_count", lang)),
            ],
        )
    )


def by_category(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Horizontal bars: entries per category, in each category's map colour."""
    counts = frame.groupby("category").size().rename("n").reset_index()
    counts["label"] = counts["category"].map(lambda c: category_label(c, lang))
    present = [c for c in CATEGORIES if c.id in set(counts["category"])]
    return (
        alt.Chart(counts, title=t("chart_by_category", lang))
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=t("chart_count", lang), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", sort="-x", title=None),
            color=alt.Color(
                "label:N",
                legend=None,
                scale=alt.Scale(domain=[c.label(lang) for c in present], range=[c.colour for c in present]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("category", lang)),
                alt.Tooltip("n:Q", title=t("chart_count", lang)),
            ],
        )
    )


def odc_openings(frame: pd.DataFrame, lang: str) -> alt.Chart | None:
    """Bars of ODC openings per year with the cumulative count as a line; None when no dates."""
    odc = frame[(frame["kind"] == "odc") & (frame["opened"].fillna("") != "")]
    if odc.empty:
        return None
    years = odc["opened"].str.slice(0, 4).astype(int)
    counts = years.value_counts().sort_index()
    table = pd.DataFrame({"year": counts.index.astype(str), "n": counts.to_numpy()})
    table["total"] = table["n"].cumsum()
    base = alt.Chart(table, title=t("chart_odc_openings", lang)).encode(x=alt.X("year:O", title=t("chart_year", lang)))
    bars = base.mark_bar(color="#FF7900").encode(
        y=alt.Y("n:Q", title=t("chart_count", lang), axis=alt.Axis(tickMinStep=1)),
        tooltip=[
            alt.Tooltip("year:O", title=t("chart_year", lang)),
            alt.Tooltip("n:Q", title=t("chart_count", lang)),
            alt.Tooltip("total:Q", title=t("chart_cumulative", lang)),
        ],
    )
    line = base.mark_line(color="#1d2b2a", point=True).encode(y=alt.Y("total:Q", title=t("chart_cumulative", lang)))
    return alt.layer(bars, line).resolve_scale(y="independent")


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
            "data": {"values": [{"iso": c, "n": int(n)} for c, n in counts.items()]},
            "key": "iso",
            "fields": ["n"],
        },
    }
    name = {"field": "properties.name", "type": "nominal", "title": t("country", lang)}
    return {
        "title": t("chart_choropleth", lang),
        "height": 340,
        "data": {"values": [*shapes, *extra]},
        "projection": {"type": "mercator", "center": [15, 30], "scale": 260},
        "layer": [
            {
                "mark": {"type": "geoshape", "fill": "#e3e8e6", "stroke": "#ffffff", "strokeWidth": 0.4},
                "encoding": {"tooltip": [name]},
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
                    },
                    "tooltip": [name, {"field": "n", "type": "quantitative", "title": t("chart_count", lang)}],
                },
            },
        ],
    }


@lru_cache(maxsize=2)
def _all_shapes(lang: str) -> tuple[dict, ...]:
    return tuple(
        {**f, "properties": {"name": country_name(f["id"], lang)}} for f in world_geojson(precision=1)["features"]
    )


@lru_cache(maxsize=2)
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
