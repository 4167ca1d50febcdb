"""The map's legend: a swatch, label and count per marker style; the browser keeps the counts
to what lies in the current view (`L.atlas.legend` in static/atlas/map.js)."""

from __future__ import annotations

import pandas as pd
from folium.template import Template

from atlas.categories import CATEGORIES, ODC_CATEGORY, ODC_COLOUR, PLACE_COLOUR
from atlas.i18n import t
from atlas.map.elements import ScriptElement, to_json
from atlas.map.points import CATEGORY_INDEX, PLACE_STYLE, PLANNED_STYLE
from atlas.text import escape


class Legend(ScriptElement):
    """A Leaflet control: each marker style with how many of its points lie in the map's current view.

    The counts start as those of the filtered rows and follow every pan, zoom and layer toggle.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.atlas.legend({{ this.options }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)
    data_attributes = ("options",)

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.options = to_json({"position": "bottomright", "html": html})


def legend_html(frame: pd.DataFrame, lang: str, with_places: bool = False) -> str:
    """Legend rows (escaped): a swatch, label and count per marker style present in `frame`.

    Counts carry `data-style`, the style code the map uses, so the browser can update them.
    """
    counts = frame["category"].value_counts()
    rows = [
        _legend_row(
            i,
            f'<span class="atlas-swatch" style="background:{c.colour}"></span>',
            c.label(lang),
            int(counts.get(c.id, 0)),
        )
        for i, c in enumerate(CATEGORIES)
        if counts.get(c.id, 0) and c.id != ODC_CATEGORY
    ]
    odc = frame[frame["kind"] == "odc"]
    if len(odc):
        n_open = int((odc["status"] == "open").sum())
        rows.append(
            _legend_row(
                CATEGORY_INDEX[ODC_CATEGORY],
                f'<span class="atlas-swatch atlas-square" style="background:{ODC_COLOUR}"></span>',
                t("odc_open", lang),
                n_open,
            )
        )
        rows.append(
            _legend_row(
                PLANNED_STYLE,
                f'<span class="atlas-swatch atlas-square atlas-hollow" style="border-color:{ODC_COLOUR}"></span>',
                t("odc_planned", lang),
                len(odc) - n_open,
            )
        )
    if with_places:
        rows.append(
            _legend_row(
                PLACE_STYLE,
                f'<span class="atlas-swatch atlas-diamond" style="background:{PLACE_COLOUR}"></span>',
                t("kind_place", lang),
                0,
            )
        )
    return (
        f'<details open><summary class="atlas-legend-title">{escape(t("legend", lang))}</summary>'
        + "".join(rows)
        + "</details>"
    )


def _legend_row(style: int, swatch: str, label: str, count: int) -> str:
    return f'<div>{swatch}{escape(label)} <b data-style="{style}">{count}</b></div>'
