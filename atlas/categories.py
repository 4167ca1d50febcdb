"""The one category taxonomy: id, English and French labels, and a marker colour.

Colours follow the Okabe-Ito colour-blind-safe palette where possible.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: str
    label_en: str
    label_fr: str
    colour: str

    def label(self, lang: str) -> str:
        """Label in `lang` ("en" or "fr")."""
        return self.label_fr if lang == "fr" else self.label_en


CATEGORIES: tuple[Category, ...] = (
    Category("civic_tech", "Civic tech", "Civic tech", "#0072B2"),
    Category("digital_mediation", "Digital mediation & inclusion", "Médiation et inclusion numérique", "#E6AB02"),
    Category("resource_mobilisation", "Resource mobilisation", "Mobilisation de ressources", "#009E73"),
    Category("digital_commons", "Digital commons", "Communs numériques", "#CC79A7"),
    Category("training", "Training & employment", "Formation et insertion", "#D55E00"),
    Category("network", "Networks & advocacy", "Réseaux et plaidoyer", "#56B4E9"),
    Category("tech_company", "Tech companies", "Entreprises technologiques", "#666666"),
    Category("funder", "Funders & public bodies", "Financeurs et institutions publiques", "#8B5A2B"),
    Category("digital_center", "Orange Digital Centers", "Orange Digital Centers", "#FF7900"),
)

BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}
CATEGORY_IDS: tuple[str, ...] = tuple(BY_ID)
ODC_CATEGORY = "digital_center"


def category_label(category_id: str, lang: str = "en") -> str:
    """Label of a category id in `lang`; the id itself when unknown."""
    cat = BY_ID.get(category_id)
    return cat.label(lang) if cat else category_id


def category_colour(category_id: str) -> str:
    """Marker colour of a category id (grey when unknown)."""
    cat = BY_ID.get(category_id)
    return cat.colour if cat else "#999999"
