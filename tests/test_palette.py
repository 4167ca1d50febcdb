"""The marker palette: readable on the base maps (WCAG non-text contrast, 3:1) and apart for colour-blind
eyes (Machado et al. 2009 simulation, severity 1, then CIE76 distance in CIELAB)."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest

from atlas.categories import CATEGORIES, ODC_CATEGORY, ODC_COLOUR, PLACE_COLOUR
from atlas.map.points import styles

ROOT = Path(__file__).resolve().parent.parent
LAND = {"outlines": "#eef2f0", "OpenStreetMap land": "#f2efe9", "marker ring": "#ffffff"}
SIMULATIONS = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def linear(colour: str) -> tuple[float, ...]:
    values = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values)


def luminance(colour: str) -> float:
    r, g, b = linear(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = rgb
    x, y, z = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(colour: str, simulation: str | None) -> tuple[float, float, float]:
    rgb = linear(colour)
    if simulation:
        rgb = tuple(
            max(0.0, min(1.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in SIMULATIONS[simulation]
        )
    return lab(rgb)


MARKERS = {c.id: c.colour for c in CATEGORIES} | {"place": PLACE_COLOUR}


@pytest.mark.parametrize("name", sorted(MARKERS))
def test_every_marker_colour_has_3_to_1_contrast_on_the_base_maps(name: str) -> None:
    for where, background in LAND.items():
        assert contrast(MARKERS[name], background) >= 3.0, (name, where, round(contrast(MARKERS[name], background), 2))


@pytest.mark.parametrize("simulation", [None, *SIMULATIONS])
def test_organisation_colours_stay_apart_for_colour_blind_eyes(simulation: str | None) -> None:
    circles = [c.colour for c in CATEGORIES if c.id != ODC_CATEGORY]
    closest = min(math.dist(seen(a, simulation), seen(b, simulation)) for a, b in itertools.combinations(circles, 2))
    assert closest >= 13, (simulation, closest)


def test_the_map_draws_the_palette_and_nothing_else() -> None:
    drawn = {s["colour"] for s in styles("en")}
    assert drawn == set(MARKERS.values()) | {ODC_COLOUR}
    css = (ROOT / "static" / "atlas" / "map.css").read_text()
    legend_font = re.search(r"\.atlas-legend \{[^}]*font: (\d+)px", css)
    assert legend_font and int(legend_font.group(1)) >= 12  # legend text at least 12 px
