"""The atlas as open data in the field's standards: Open Referral HSDS 3.0 and schema.org JSON-LD.

Both take the atlas frame (`atlas.data.FRAME_COLUMNS`: the filtered view, or every published
entry) and carry the declared licence and attribution (`data_licence`, `ATLAS_DATA_LICENCE`,
ODbL by default). Submitters' contact e-mails are not in the frame and so never in any file.

**HSDS 3.0** is written as its tabular data package: `organizations.csv`, `locations.csv`,
`addresses.csv`, `organization_identifiers.csv`, `taxonomies.csv`, `taxonomy_terms.csv`,
`attributes.csv` and `datapackage.json`, whose resources are HSDS's own (field names, types,
formats, keys: `hsds_3_0_resources.json`, copied from the specification) with five `required`
constraints relaxed, as HSDS profiles allow, because the atlas does not know them for every
entry: `organization.description`, `address.address_1`, `address.city` (an entry placed at
country level has none), `address.state_province` and `address.postal_code`. Ids are UUIDs
derived from the atlas's ids (stable from one export to the next); the atlas id itself is an
`organization_identifier` ("social-tech-atlas id"); the category is a term of the
"social-tech-atlas category" taxonomy; fields HSDS has no column for (French description, kind,
ODC status and opening, geocoding precision and source, the source text) are attributes of the
"social-tech-atlas field" taxonomy holding the value. `atlas import --format hsds` reads all of
this back: an export re-imported loses nothing, but for the neutralising below.

Both are files for other systems, and both are made safe to open: every CSV goes through the
page's neutralising writer (`atlas.export.write_csv`: a cell a spreadsheet would run as a formula
gets a leading apostrophe, which a re-import keeps), and every URL written (HSDS `website`,
JSON-LD `url` and `sameAs`) is an http(s) URL or is left out (docs/security-data.md).

**JSON-LD**: a `@graph` of schema.org `Organization`s with `identifier`, `name`, `alternateName`,
`url`, `description` in both languages (`@language`), `address` (`PostalAddress`), `geo`
(`GeoCoordinates`), `foundingDate` (an ODC's opening), `sameAs` (the entry's pages in the
directories it was imported from, when known) and `additionalProperty` for the rest; `license`
on the graph.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
import os
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from atlas.categories import CATEGORIES, category_label
from atlas.export import write_csv
from atlas.i18n import t
from atlas.text import is_http_url, safe_url

NAMESPACE = uuid.UUID("6b0f3c58-7d2c-4c1e-9a54-0c1d7e0a5a11")  # the atlas's namespace for derived UUIDs
ID_TYPE = "social-tech-atlas id"
CATEGORY_TAXONOMY = "social-tech-atlas category"
FIELD_TAXONOMY = "social-tech-atlas field"
# Atlas fields HSDS has no column for, kept as attributes with a value.
FIELD_TERMS = {
    "kind": "organisation or odc (an Orange Digital Center)",
    "description_fr": "the description in French (HSDS's description is the English one)",
    "status": "an ODC's status: open or planned",
    "opened": "an ODC's opening: YYYY or YYYY-MM",
    "geo_precision": "what the coordinates locate: address, city, region or country",
    "geo_source": "where the coordinates come from (gazetteer, nominatim, manual, import…)",
    "source": "where the atlas's facts about the entry come from",
}
RELAXED = {  # resource -> fields whose `required` constraint the atlas's profile lifts
    "organization": ("description",),
    "address": ("address_1", "city", "state_province", "postal_code"),
}
HSDS_FILES = (
    "organizations.csv",
    "locations.csv",
    "addresses.csv",
    "organization_identifiers.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
)

LICENCES = {
    "ODbL-1.0": (
        "Open Data Commons Open Database License (ODbL) 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "etalab-2.0": (
        "Licence Ouverte / Open Licence 2.0 (Etalab)",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
}
DEFAULT_LICENCE = "ODbL-1.0"
DEFAULT_ATTRIBUTION = "Social Tech Atlas contributors, from the articles of the Social Good Accelerator (SOGA)"


@dataclass(frozen=True)
class Licence:
    """The data's licence: an SPDX-style id, its name and URL, and the attribution to give."""

    id: str
    name: str
    url: str
    attribution: str

    def text(self, lang: str = "en") -> str:
        """One line for the download area, the About page and LICENCE.md (the URL written out)."""
        url = f" ({self.url})" if self.url else ""
        # the default attribution in the page's language; a configured one as it was written
        default = self.attribution == DEFAULT_ATTRIBUTION
        attribution = t("licence_attribution_default", lang) if default else self.attribution
        return t("licence_line", lang, name=self.name, url=url, attribution=attribution)


def data_licence() -> Licence:
    """The declared licence: `ATLAS_DATA_LICENCE` (an id such as ODbL-1.0, CC-BY-4.0, CC0-1.0,
    etalab-2.0, or a licence URL), ODbL by default; attribution from `ATLAS_DATA_ATTRIBUTION`."""
    value = (os.environ.get("ATLAS_DATA_LICENCE") or DEFAULT_LICENCE).strip()
    attribution = (os.environ.get("ATLAS_DATA_ATTRIBUTION") or DEFAULT_ATTRIBUTION).strip()
    known = {k.lower(): k for k in LICENCES}
    if value.lower() in known:
        key = known[value.lower()]
        name, url = LICENCES[key]
        return Licence(key, name, url, attribution)
    if value.startswith(("http://", "https://")):
        return Licence(value, value, value, attribution)
    return Licence(value, value, "", attribution)


SOURCE_LICENCE_MARK = "source licence:"  # written by atlas.imports.run into an imported row's `source`


def source_licence(source: str) -> str:
    """The licence an imported row's `source` names ("… — source licence: CC-BY-4.0; © X" -> "CC-BY-4.0",
    "… source licence: unknown …" -> "unknown"); "" for the atlas's own rows."""
    if SOURCE_LICENCE_MARK not in source:
        return ""
    rest = source.split(SOURCE_LICENCE_MARK, 1)[1].strip()
    return rest.split(";", 1)[0].split(" ", 1)[0].strip()


def licence_readme(lang: str = "en") -> str:
    """The text of the LICENCE.md written beside exported files."""
    licence = data_licence()
    return (
        "# Social Tech Atlas — data licence\n\n"
        f"{licence.text('en')}\n\n{licence.text('fr')}\n\n"
        "Submitters' contact details are never part of the exported data.\n\n"
        "Rows imported from other directories are not under the licence above: each keeps its source's "
        f"licence, named in its `source` field ('{SOURCE_LICENCE_MARK} …', with the attribution it asks for; "
        "'unknown' when the source did not say).\n"
    )


# -- helpers ----------------------------------------------------------------------------------------


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(value)
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def _csv(columns: Sequence[str], rows: list[dict[str, Any]]) -> bytes:
    return write_csv(columns, ([_cell(r.get(c)) for c in columns] for r in rows))


@lru_cache(maxsize=1)
def hsds_resources() -> dict[str, dict[str, Any]]:
    """HSDS 3.0's own resource descriptors for the files the atlas writes (from the specification)."""
    data = json.loads((Path(__file__).with_name("hsds_3_0_resources.json")).read_text(encoding="utf-8"))
    return {r["name"]: r for r in data["resources"]}


def _resource(name: str) -> dict[str, Any]:
    resource = copy.deepcopy(hsds_resources()[name])
    for f in resource["schema"]["fields"]:
        if f["name"] in RELAXED.get(name, ()):
            f.setdefault("constraints", {})["required"] = False
    resource["encoding"] = "utf-8"
    return resource


def _columns(name: str) -> list[str]:
    return [f["name"] for f in hsds_resources()[name]["schema"]["fields"]]


# -- HSDS ---------------------------------------------------------------------------------------------


def hsds_tables(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The rows of each HSDS file for the atlas frame's entries."""
    organizations, locations, addresses, identifiers, attributes = [], [], [], [], []
    category_tax, field_tax = _uid("taxonomy", "category"), _uid("taxonomy", "field")
    taxonomies = [
        {
            "id": category_tax,
            "name": CATEGORY_TAXONOMY,
            "description": "The atlas's categories of organisations (code: the category's id)",
            "version": "1",
        },
        {
            "id": field_tax,
            "name": FIELD_TAXONOMY,
            "description": "Fields of the atlas HSDS has no column for; the attribute's value holds the field's value",
            "version": "1",
        },
    ]
    terms = [
        {
            "id": _uid("term", "category", c.id),
            "code": c.id,
            "name": c.label_en,
            "description": c.label_fr,
            "taxonomy": CATEGORY_TAXONOMY,
            "language": "en",
            "taxonomy_id": category_tax,
        }
        for c in CATEGORIES
    ] + [
        {
            "id": _uid("term", "field", name),
            "code": name,
            "name": name,
            "description": text,
            "taxonomy": FIELD_TAXONOMY,
            "language": "en",
            "taxonomy_id": field_tax,
        }
        for name, text in FIELD_TERMS.items()
    ]
    for r in _records(frame):
        entry = str(r["id"])
        org = _uid("organization", entry)
        organizations.append(
            {
                "id": org,
                "name": r["name"],
                "alternate_name": r.get("aliases", ""),
                "description": r.get("description_en", ""),
                "website": safe_url(r.get("website", "")),
            }
        )
        identifiers.append(
            {
                "id": _uid("identifier", entry),
                "organization_id": org,
                "identifier_type": ID_TYPE,
                "identifier": entry,
            }
        )
        location = _uid("location", entry)
        locations.append(
            {
                "id": location,
                "location_type": "physical",
                "organization_id": org,
                "latitude": r.get("lat"),
                "longitude": r.get("lon"),
            }
        )
        addresses.append(
            {
                "id": _uid("address", entry),
                "location_id": location,
                "address_1": r.get("address", ""),
                "city": r.get("city", ""),
                "state_province": r.get("region", ""),
                "postal_code": r.get("postcode", ""),
                "country": r.get("country", ""),
                "address_type": "physical",
            }
        )
        if r.get("kind") != "odc" and r.get("category"):
            attributes.append(
                {
                    "id": _uid("attribute", entry, "category"),
                    "link_id": org,
                    "taxonomy_term_id": _uid("term", "category", str(r["category"])),
                    "link_entity": "organization",
                }
            )
        for name in FIELD_TERMS:
            value = _cell(r.get(name))
            if value:
                attributes.append(
                    {
                        "id": _uid("attribute", entry, name),
                        "link_id": org,
                        "taxonomy_term_id": _uid("term", "field", name),
                        "link_entity": "organization",
                        "value": value,
                    }
                )
    return {
        "organizations.csv": organizations,
        "locations.csv": locations,
        "addresses.csv": addresses,
        "organization_identifiers.csv": identifiers,
        "taxonomies.csv": taxonomies,
        "taxonomy_terms.csv": terms,
        "attributes.csv": attributes,
    }


def datapackage(today: dt.date | None = None) -> dict[str, Any]:
    """The package descriptor: HSDS's resources, the licence, the attribution."""
    licence = data_licence()
    by_path = {r["path"]: name for name, r in hsds_resources().items()}
    return {
        "name": "social-tech-atlas-hsds",
        "title": "Social Tech Atlas — Open Referral HSDS 3.0",
        "description": (
            "Europe's social-tech organisations and the Orange Digital Center network, as an Open Referral "
            "HSDS 3.0 tabular data package. Profile of HSDS 3.0: these required constraints are lifted because "
            "the atlas does not know the values for every entry: "
            + "; ".join(f"{res}.{', '.join(fields)}" for res, fields in RELAXED.items())
            + ". The atlas id is an organization_identifier ('social-tech-atlas id'); fields HSDS has no "
            "column for are attributes of the 'social-tech-atlas field' taxonomy."
        ),
        "profile": "tabular-data-package",
        "version": hsds_version(),
        "created": f"{(today or dt.date.today()).isoformat()}T00:00:00Z",
        "licenses": [{"name": licence.id, "path": licence.url, "title": licence.name}]
        if licence.url
        else [{"name": licence.id, "title": licence.name}],
        "contributors": [{"title": licence.attribution, "role": "author"}],
        "sources": [{"title": licence.attribution}],
        "resources": [_resource(by_path[path]) for path in HSDS_FILES],
    }


def hsds_version() -> str:
    return str(json.loads(Path(__file__).with_name("hsds_3_0_resources.json").read_text(encoding="utf-8"))["version"])


def hsds_files(frame: pd.DataFrame, today: dt.date | None = None) -> dict[str, bytes]:
    """File name -> bytes of the HSDS package (the CSV files, datapackage.json, LICENCE.md)."""
    tables = hsds_tables(frame)
    by_path = {r["path"]: name for name, r in hsds_resources().items()}
    files = {path: _csv(_columns(by_path[path]), rows) for path, rows in tables.items()}
    files["datapackage.json"] = (json.dumps(datapackage(today), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files["LICENCE.md"] = licence_readme().encode("utf-8")
    return files


def write_files(files: Mapping[str, bytes], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def hsds_zip(frame: pd.DataFrame) -> bytes:
    """The HSDS package as one zip file (the download button's)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in hsds_files(frame).items():
            archive.writestr(name, data)
    return out.getvalue()


# -- JSON-LD ------------------------------------------------------------------------------------------


def jsonld_graph(frame: pd.DataFrame, same_as: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """schema.org JSON-LD of the frame's entries; `same_as` maps an atlas id to its pages elsewhere."""
    licence = data_licence()
    nodes = []
    for r in _records(frame):
        node: dict[str, Any] = {"@type": "Organization", "identifier": str(r["id"]), "name": r["name"]}
        if r.get("aliases"):
            node["alternateName"] = [a for a in str(r["aliases"]).split("|") if a]
        if safe_url(r.get("website")):
            node["url"] = safe_url(r["website"])
        descriptions = [
            {"@value": r[f"description_{lang}"], "@language": lang}
            for lang in ("en", "fr")
            if r.get(f"description_{lang}")
        ]
        if descriptions:
            node["description"] = descriptions
        address = {"@type": "PostalAddress", "addressCountry": r.get("country", "")}
        if r.get("city"):
            address["addressLocality"] = r["city"]
        if r.get("address"):
            address["streetAddress"] = r["address"]
        if r.get("postcode"):
            address["postalCode"] = r["postcode"]
        if r.get("region"):
            address["addressRegion"] = r["region"]
        node["address"] = address
        lat, lon = r.get("lat"), r.get("lon")
        if isinstance(lat, float) and isinstance(lon, float) and math.isfinite(lat) and math.isfinite(lon):
            node["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
        if r.get("opened"):
            node["foundingDate"] = r["opened"]
        row_licence = source_licence(str(r.get("source") or ""))
        if row_licence:  # an imported row: its source's licence, never the atlas's own
            node["license"] = row_licence
        links = [safe_url(u) for u in (same_as or {}).get(str(r["id"]), ()) if is_http_url(u)]
        if links:
            node["sameAs"] = links
        extra = {
            "kind": r.get("kind", ""),
            "category": r.get("category", "") if r.get("kind") != "odc" else "",
            "category_label": category_label(str(r.get("category", "")), "en") if r.get("kind") != "odc" else "",
            "status": r.get("status", ""),
            "geo_precision": r.get("geo_precision", ""),
            "geo_source": r.get("geo_source", ""),
            "source": r.get("source", ""),
        }
        node["additionalProperty"] = [
            {"@type": "PropertyValue", "propertyID": k, "value": _cell(v)} for k, v in extra.items() if _cell(v)
        ]
        nodes.append(node)
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Social Tech Atlas",
        "license": licence.url or licence.name,
        "creditText": licence.attribution,
        "@graph": nodes,
    }


def to_jsonld(frame: pd.DataFrame, same_as: Mapping[str, Sequence[str]] | None = None) -> bytes:
    return (json.dumps(jsonld_graph(frame, same_as), ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode(
        "utf-8"
    )
