"""The one category taxonomy: id, English and French labels, and a marker colour.

Marker colours: each has at least 3:1 contrast (WCAG's non-text contrast) against the base maps'
land (the outlines' #eef2f0, OpenStreetMap's #f2efe9) and the markers' white ring, and the
organisation colours (circles) stay apart for the three kinds of colour blindness (a CIE76
distance of at least 13 between any two under Machado's simulation; tests/test_palette.py checks
both). ODCs are squares and article places diamonds, so their colours need not differ from the
circles' as much: the shape tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas.i18n import LANGS, t
from atlas.labels import CATEGORY


@dataclass(frozen=True)
class Category:
    id: str
    label_en: str
    label_fr: str
    colour: str

    def label(self, lang: str) -> str:
        """Label in `lang`: English and French from here, other languages from the catalogues."""
        if lang == "fr":
            return self.label_fr
        if lang in LANGS and lang != "en" and self.id in CATEGORY:
            return t(CATEGORY[self.id], lang)
        return self.label_en


CATEGORIES: tuple[Category, ...] = (
    Category("civic_tech", "Civic tech", "Civic tech", "#0072B2"),
    Category("digital_mediation", "Digital mediation & inclusion", "Médiation et inclusion numérique", "#888855"),
    Category("resource_mobilisation", "Resource mobilisation", "Mobilisation de ressources", "#335500"),
    Category("digital_commons", "Digital commons", "Communs numériques", "#991177"),
    Category("training", "Training & employment", "Formation et insertion", "#D55E00"),
    Category("network", "Networks & advocacy", "Réseaux et plaidoyer", "#6633BB"),
    Category("tech_company", "Tech companies", "Entreprises technologiques", "#666666"),
    Category("funder", "Funders & public bodies", "Financeurs et institutions publiques", "#664433"),
    Category("digital_center", "Orange Digital Centers", "Orange Digital Centers", "#C25E00"),
)

BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}
CATEGORY_IDS: tuple[str, ...] = tuple(BY_ID)
ODC_CATEGORY = "digital_center"
ODC_COLOUR = BY_ID[ODC_CATEGORY].colour
PLACE_COLOUR = "#7B3294"  # article places (diamonds)


def category_label(category_id: str, lang: str = "en") -> str:
    """Label of a category id in `lang`; the id itself when unknown."""
    cat = BY_ID.get(category_id)
    return cat.label(lang) if cat else category_id


def category_colour(category_id: str) -> str:
    """Marker colour of a category id (grey when unknown)."""
    cat = BY_ID.get(category_id)
    return cat.colour if cat else "#999999"
