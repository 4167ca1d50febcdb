"""Records a visitor would type, for the store tests."""

from __future__ import annotations


def new_org(**overrides: object) -> dict[str, object]:
    """What a visitor types for a new organisation."""
    record: dict[str, object] = {
        "name": "Tech for Good Lyon",
        "category": "civic_tech",
        "country": "FR",
        "city": "Lyon",
        "lat": 45.7578,
        "lon": 4.832,
        "geo_precision": "city",
        "geo_source": "manual",
        "website": "https://techforgood.example.org",
        "description_en": "A test organisation.",
        "description_fr": "Une organisation de test.",
        "source": "their website",
    }
    record.update(overrides)
    return record
