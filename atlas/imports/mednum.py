"""`atlas import --format mednum`: the French national standard of digital-inclusion places.

The standard ("Lieux de médiation numérique", La MedNum and ANCT, https://github.com/LaMednum/
standard-mediation-num, Table Schema v1.0.2) describes each place in one CSV row: `id`, `nom`,
`adresse`, `code_postal`, `commune`, `latitude`, `longitude`, `services` (values from a fixed
list, `|`-separated), contact columns, opening hours… The national cartography also publishes the
same records as a JSON array of objects; both are read.

- Every row is checked with frictionless against the standard's Table Schema, rebuilt below from
  the field list of v1.0.2 (names, types, required fields, patterns; the descriptions are left
  out). A row that breaks a rule on a field the standard requires, or whose coordinates are not
  numbers, is refused (listed with the reason, not imported); any other breach (a telephone
  pattern, a service outside the list…) is listed as a warning and the row is imported.
- Columns kept, under the atlas's field names: `id` -> source_id, `nom` -> name, `adresse`
  (+ `complement_adresse`) -> address, `code_postal` -> postcode, `commune` -> city, `latitude`,
  `longitude`, `site_web` (the first one) -> website, `presentation_resume` -> description_fr,
  `source` (who collected the record) -> source, the country from the postcode (FR, or an
  overseas territory's own code), and the category from `services` (see `SERVICE_CATEGORIES`).
- Never imported: `telephone`, `courriels` (and the older `courriel`) — personal or direct
  contact details, not for a public atlas — nor the other columns (hours, publics, labels…), for
  which the atlas has no field. `date_maj` is kept in the row only as the reader saw it (no field).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from atlas.imports.source_file import InputError, RawRow, check_size, detect_encoding

STANDARD = "lieux de médiation numérique v1.0.2"
SEP = "|"

SERVICES_V1 = (
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)

# The standard's services -> atlas categories. Digital mediation is the field itself; only the
# services about work and employment are "training" (our "Training & employment"). A place whose
# every service is a training one is "training", any other place "digital_mediation".
SERVICE_CATEGORIES: dict[str, str] = {
    "Aide aux démarches administratives": "digital_mediation",
    "Maîtrise des outils numériques du quotidien": "digital_mediation",
    "Insertion professionnelle via le numérique": "training",
    "Utilisation sécurisée du numérique": "digital_mediation",
    "Parentalité et éducation avec le numérique": "digital_mediation",
    "Loisirs et créations numériques": "digital_mediation",
    "Compréhension du monde numérique": "digital_mediation",
    "Accès internet et matériel informatique": "digital_mediation",
    "Acquisition de matériel informatique à prix solidaire": "digital_mediation",
    # the wording the national cartography used from 2024 (its files separate them with ";")
    "Favoriser mon insertion professionnelle": "training",
    "Créer et développer mon entreprise": "training",
}
DEFAULT_CATEGORY = "digital_mediation"

# Overseas postcodes (first three digits) -> the territory's ISO code; any other French postcode: FR.
OVERSEAS = {
    "971": "GP",
    "972": "MQ",
    "973": "GF",
    "974": "RE",
    "975": "PM",
    "976": "YT",
    "986": "WF",
    "987": "PF",
    "988": "NC",
}

PRIVATE = frozenset(("telephone", "courriels", "courriel"))


def _pattern(values: tuple[str, ...]) -> str:
    escaped = "|".join(v.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.") for v in values)
    return rf"(?:(?:^|\|)({escaped}))+$"


def _field(name: str, kind: str = "string", required: bool = False, pattern: str = "", **extra: Any) -> dict:
    constraints: dict[str, Any] = {"required": required}
    if pattern:
        constraints["pattern"] = pattern
    constraints.update(extra)
    return {"name": name, "type": kind, "constraints": constraints}


# The Table Schema of the standard (v1.0.2), as its schema.json lists the fields.
FIELDS: tuple[dict, ...] = (
    _field("id", required=True, unique=True),
    _field("pivot", required=True, pattern=r"^[a-zA-Z0-9]{9,14}$"),
    _field("nom", required=True),
    _field("commune", required=True),
    _field("code_postal", required=True, pattern=r"^\d{5}$"),
    _field("code_insee", pattern=r"^([013-9]\d|2[AB1-9])\d{3}$"),
    _field("adresse", required=True),
    _field("complement_adresse"),
    _field("latitude", "number"),
    _field("longitude", "number"),
    _field("typologie"),
    _field("telephone", pattern=r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$"),
    _field("courriels"),
    _field("site_web"),
    _field("horaires"),
    _field("presentation_resume", maxLength=280),
    _field("presentation_detail"),
    _field("source"),
    _field("itinerance", pattern=_pattern(("Itinérant", "Fixe"))),
    _field("structure_parente"),
    _field("date_maj", "date", required=True),
    _field("services", pattern=_pattern(SERVICES_V1)),
    _field(
        "publics_specifiquement_adresses",
        pattern=_pattern(("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")),
    ),
    _field("prise_en_charge_specifique"),
    _field("frais_a_charge", pattern=_pattern(("Gratuit", "Gratuit sous condition", "Payant"))),
    _field("dispositif_programmes_nationaux"),
    _field("formations_labels"),
    _field("autres_formations_labels"),
    _field("modalites_acces"),
    _field(
        "modalites_accompagnement",
        pattern=_pattern(("En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance")),
    ),
    _field("fiche_acces_libre"),
    _field("prise_rdv"),
)
NAMES = tuple(f["name"] for f in FIELDS)
REQUIRED = frozenset(f["name"] for f in FIELDS if f["constraints"].get("required"))
REFUSING = REQUIRED | {"latitude", "longitude"}  # a breach here refuses the row


def table_schema() -> dict:
    return {"fields": [dict(f) for f in FIELDS], "primaryKey": "id"}


# -- reading ---------------------------------------------------------------------------------------


def _records(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The file's records (CSV rows or JSON objects) as dicts, and what was detected."""
    check_size(path)
    with path.open("rb") as fh:
        head = fh.read(64).lstrip()
    if head.startswith((b"[", b"{")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
        if isinstance(data, dict):
            data = data.get("data") or data.get("lieux") or []
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(f"{path}: expected a JSON array of places (objects)")
        return data, {"file": "JSON"}
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(65536)
        fh.seek(0)
        delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
        reader = csv.DictReader(fh, delimiter=delimiter)
        rows = [dict(r) for r in reader]
        header = reader.fieldnames or []
    return rows, {"file": "CSV", "encoding": encoding, "delimiter": delimiter, "_header": "|".join(header)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def check(records: list[dict[str, Any]]) -> dict[int, list[tuple[str, str]]]:
    """Frictionless against the standard's schema: (field, message) per record index."""
    import frictionless

    schema = frictionless.Schema.from_descriptor(table_schema())
    data: list[list[Any]] = [list(NAMES)]
    for record in records:
        data.append([_text(record.get(name)) or None for name in NAMES])
    report = frictionless.Resource(data=data, schema=schema).validate(limit_errors=10**9)
    found: dict[int, list[tuple[str, str]]] = {}
    for row_number, field_name, note, kind in report.flatten(["rowNumber", "fieldName", "note", "type"]):
        if row_number is None:
            continue
        message = _describe(field_name, note, kind)
        found.setdefault(int(row_number) - 2, []).append((field_name or "", message))
    return found


def _describe(field: str | None, note: str, kind: str) -> str:
    if kind == "constraint-error" and '"required"' in note:
        return f"{field}: required by the standard, empty"
    if kind == "constraint-error" and '"unique"' in note:
        return f"{field}: appears twice (the standard wants it unique)"
    if kind == "constraint-error" and '"pattern"' in note:
        return f"{field}: not a value the standard allows"
    if kind == "constraint-error" and "maxLength" in note:
        return f"{field}: longer than the standard allows"
    if kind == "type-error":
        return f"{field}: not of the standard's type ({note})"
    return f"{field or 'row'}: {kind} ({note})"


def category_of(services: str) -> tuple[str, list[str]]:
    """The atlas category of a place's services, and the services the table does not know."""
    values = [v.strip() for part in services.split(SEP) for v in part.split(";") if v.strip()]
    known = [SERVICE_CATEGORIES[v] for v in values if v in SERVICE_CATEGORIES]
    unknown = [v for v in values if v not in SERVICE_CATEGORIES]
    if known and all(c == "training" for c in known):
        return "training", unknown
    return DEFAULT_CATEGORY, unknown


def country_of(postcode: str) -> str:
    if postcode in ("97133", "97150"):  # Saint-Barthélemy and Saint-Martin share Guadeloupe's 971
        return "BL" if postcode == "97133" else "MF"
    return OVERSEAS.get(postcode[:3], "FR") if postcode else "FR"


def read_mednum(path: Path) -> tuple[Iterator[RawRow], dict[str, str]]:
    """The places of a file of the standard, checked, as rows under the atlas's field names."""
    if path.is_dir():
        raise InputError(f"{path}: a folder; give the CSV (or JSON) file of the standard")
    records, detected = _records(path)
    header = detected.pop("_header", "")
    columns = set(header.split("|")) if header else {k for r in records for k in r}
    if not {"id", "nom"} <= columns:
        raise InputError(f"{path}: not a file of the {STANDARD} standard (no 'id' and 'nom' columns)")
    others = sorted(columns - set(NAMES) - PRIVATE)
    detected["standard"] = STANDARD
    if others:
        detected["columns outside the standard, not imported"] = ", ".join(others)
    problems = check(records)
    first_row = 2 if detected.get("file") == "CSV" else 1
    return _rows(records, problems, first_row), detected


def _rows(records: list[dict[str, Any]], problems: dict[int, list[tuple[str, str]]], first: int) -> Iterator[RawRow]:
    for n, record in enumerate(records):
        found = problems.get(n, [])
        refused = [m for f, m in found if f in REFUSING]
        notes = [f"the standard: {m}" for f, m in found if f not in REFUSING]  # messages never hold values
        source_id = _text(record.get("id"))
        if refused:
            notes = [f"refused, not imported: {m}" for m in refused]
            # no name: the atlas's own check makes the row an error, with the reasons above
            yield RawRow(first + n, {"source_id": source_id, "category": DEFAULT_CATEGORY}, notes=notes)
            continue
        postcode = _text(record.get("code_postal"))
        address = ", ".join(p for p in (_text(record.get("adresse")), _text(record.get("complement_adresse"))) if p)
        category, unknown = category_of(_text(record.get("services")))
        if unknown:
            notes.append(f"services not in the standard's list: {', '.join(unknown)} (category {category})")
        websites = [w.strip() for w in _text(record.get("site_web")).split(SEP) if w.strip()]
        producer = _text(record.get("source"))
        values: dict[str, Any] = {
            "source_id": source_id,
            "name": _text(record.get("nom")),
            "address": address,
            "postcode": postcode,
            "city": _text(record.get("commune")),
            "country": country_of(postcode),
            "lat": _text(record.get("latitude")),
            "lon": _text(record.get("longitude")),
            "website": websites[0] if websites else "",
            "description_fr": _text(record.get("presentation_resume")),
            "category": category,
            "source": f"{producer} (lieux de médiation numérique)" if producer else "",
        }
        point = None
        try:
            lat, lon = float(values["lat"]), float(values["lon"])
            point = (lon, lat)
        except ValueError:
            pass
        yield RawRow(first + n, values, point, has_geometry=point is not None, notes=notes)
