"""What the map reports back to the page (pure: no Streamlit here)."""

from __future__ import annotations


def clicked_row(tooltip: str | None) -> int | None:
    """Frame position of the marker whose tooltip text the map reported on click.

    The tooltip ends with `#<row>` (`tooltipHtml` in static/atlas/map.js); points of other
    layers carry a prefix there (`#place-3`) and are not rows.
    """
    if not tooltip or "#" not in tooltip:
        return None
    tail = tooltip.rsplit("#", 1)[1].strip()
    return int(tail) if tail.isdigit() else None


def clicked_place(tooltip: str | None) -> int | None:
    """Row (in the article places frame) of the article place whose tooltip the map reported (`#place-3`)."""
    if not tooltip or "#place-" not in tooltip:
        return None
    tail = tooltip.rsplit("#place-", 1)[1].strip()
    return int(tail) if tail.isdigit() else None
