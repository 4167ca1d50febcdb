"""The mapping of one source: which of its columns is which atlas field, and its categories.

A mapping is a small YAML file the curator keeps per source:

```yaml
source: transiscope            # the source's name (--source wins)
kind: organisation             # or odc
description_language: fr       # the language of the column mapped to `description`
columns:                       # source column -> atlas field (null: known, not imported)
  id: source_id
  name: name
  address.addressLocality: city
  address.addressCountry: country
  address.streetAddress: address
  address.postalCode: postcode
  address.addressRegion: region
  categories: category
  description: description
  website: website
  email: null
categories:                    # source category -> atlas category (null: known, not used)
  Numérique: digital_commons
  Alimentation: null
default_category: network      # for rows none of whose categories is mapped (still reported)
defaults: {country: FR}        # a value for rows that have none
same_as: "https://transiscope.org/annuaire#/fiche/x/{source_id}/"   # the row's page there (optional)
keep_ids: false                # true: the source's ids become the atlas's (our own exports)
category_separator: "-"        # category values joined by this too ("M-I-TL"); the first known decides
licence: ODbL-1.0              # the source's licence: an SPDX id or a URL ("" or absent: unknown)
attribution: "© Transiscope contributors"   # the credit the licence asks for
```

A mapping may be partial: the columns it does not name are still guessed from their headers
(and a column whose values look like e-mail addresses or phone numbers is private), so a mapping
that only says `default_category: network` keeps every other column recognised.

Fields: every atlas column (`name`, `aliases`, `category`, `country`, `city`, `address`,
`postcode`, `region` (state, province or region, as the source writes it), `lat`, `lon`,
`geo_precision`, `geo_source`, `website`, `description_en`, `description_fr`, `status`, `opened`,
`source`), plus `source_id` (the row's id in the source), `description` (in
`description_language`), `kind` and `url` (the row's page in the source). A column the mapping
does not name is reported, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from atlas.categories import CATEGORIES, CATEGORY_IDS
from atlas.imports.headers import FRENCH_HEADERS, HEADERS, KNOWN_NOISE
from atlas.imports.private import PRIVATE, looks_private
from atlas.store.models import DATA_FIELDS
from atlas.text import fold_key

EXTRA_FIELDS = ("source_id", "description", "kind", "url", "id")
FIELDS = (*DATA_FIELDS, *EXTRA_FIELDS)
KINDS = ("organisation", "odc")


class MappingError(Exception):
    """The mapping file cannot be used (exit code 2)."""


@dataclass
class SourceMapping:
    columns: dict[str, str | None] = field(default_factory=dict)
    categories: dict[str, str | None] = field(default_factory=dict)
    source: str = ""
    kind: str = "organisation"
    description_language: str = "en"
    default_category: str = ""
    defaults: dict[str, str] = field(default_factory=dict)
    same_as: str = ""
    keep_ids: bool = False
    category_separator: str = ""
    licence: str = ""
    attribution: str = ""
    taxonomy: dict[str, str] = field(default_factory=dict)  # a category's id in the source -> its name

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "kind": self.kind,
            "description_language": self.description_language,
            "keep_ids": self.keep_ids,
            "columns": dict(self.columns),
            "categories": dict(self.categories),
        }
        if self.default_category:
            out["default_category"] = self.default_category
        if self.defaults:
            out["defaults"] = dict(self.defaults)
        if self.same_as:
            out["same_as"] = self.same_as
        if self.category_separator:
            out["category_separator"] = self.category_separator
        if self.licence:
            out["licence"] = self.licence
        if self.attribution:
            out["attribution"] = self.attribution
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=120)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], label: str = "mapping") -> SourceMapping:
        if not isinstance(data, Mapping):
            raise MappingError(f"{label}: expected a YAML mapping (columns:, categories:, …)")
        problems = []
        columns = data.get("columns") or {}
        if not isinstance(columns, Mapping):
            raise MappingError(f"{label}: 'columns' must map source columns to atlas fields")
        for column, target in columns.items():
            if target is not None and target not in (*FIELDS, PRIVATE):
                problems.append(f"column {column!r} -> {target!r}: not an atlas field ({', '.join(FIELDS)})")
        categories = data.get("categories") or {}
        if not isinstance(categories, Mapping):
            raise MappingError(f"{label}: 'categories' must map source categories to atlas categories")
        for value, target in categories.items():
            if target is not None and target not in CATEGORY_IDS:
                problems.append(f"category {value!r} -> {target!r}: not an atlas category ({', '.join(CATEGORY_IDS)})")
        kind = str(data.get("kind") or "organisation")
        if kind not in KINDS:
            problems.append(f"kind {kind!r}: must be organisation or odc")
        default = str(data.get("default_category") or "")
        if default and default not in CATEGORY_IDS:
            problems.append(f"default_category {default!r}: not an atlas category")
        language = str(data.get("description_language") or "en")
        if language not in ("en", "fr"):
            problems.append(f"description_language {language!r}: must be en or fr")
        defaults = data.get("defaults") or {}
        if not isinstance(defaults, Mapping) or any(k not in FIELDS for k in defaults):
            problems.append(f"defaults: must map atlas fields to values ({', '.join(FIELDS)})")
            defaults = {}
        separator = str(data.get("category_separator") or "")
        if len(separator) > 3:
            problems.append(f"category_separator {separator!r}: one to three characters")
        licence = str(data.get("licence") or data.get("license") or "").strip()
        if licence and not _licence_ok(licence):
            problems.append(f"licence {licence!r}: give an SPDX id (ODbL-1.0, CC-BY-4.0, etc.) or the licence's URL")
        if problems:
            raise MappingError(f"{label}: " + "; ".join(problems))
        return cls(
            columns={str(k): (None if v is None else str(v)) for k, v in columns.items()},
            categories={str(k): (None if v is None else str(v)) for k, v in categories.items()},
            source=str(data.get("source") or ""),
            kind=kind,
            description_language=language,
            default_category=default,
            defaults={str(k): str(v) for k, v in defaults.items()},
            same_as=str(data.get("same_as") or ""),
            keep_ids=bool(data.get("keep_ids")),
            category_separator=separator,
            licence=licence,
            attribution=str(data.get("attribution") or "").strip(),
        )

    @classmethod
    def load(cls, path: Path) -> SourceMapping:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(f"{path}: cannot be read ({exc})") from None
        except yaml.YAMLError as exc:
            raise MappingError(f"{path}: not valid YAML ({exc})") from None
        return cls.from_dict(data or {}, str(path))

    def category_of(self, values: Iterable[str]) -> tuple[str, list[str]]:
        """The atlas category of a row's category values (first one known), and the values not known."""
        unknown, found = [], ""
        table = _folded(tuple(self.categories.items()))
        for value in values:
            value = self.taxonomy.get(value.strip(), value)
            key = _fold(value)
            if not key:
                continue
            if key in table:
                target = table[key]
            else:
                target = _atlas_category(key)
                if target is None:
                    unknown.append(value)
                    continue
            if target and not found:
                found = target
        return found, unknown


@lru_cache(maxsize=64)
def _folded(items: tuple[tuple[str, str | None], ...]) -> dict[str, str | None]:
    return {fold_key(k): v for k, v in items}


@lru_cache(maxsize=4096)
def _fold(value: str) -> str:
    return fold_key(value)


@lru_cache(maxsize=1)
def _atlas_categories() -> dict[str, str]:
    return {fold_key(text): c.id for c in CATEGORIES for text in (c.id, c.label_en, c.label_fr)}


def _atlas_category(key: str) -> str | None:
    return _atlas_categories().get(key)


_BY_HEADER = {header: target for target, headers in HEADERS.items() for header in headers}
_ATLAS_FILE_COLUMNS = frozenset(("id", "name", "country", "lat", "lon", "geo_precision", "source"))


# Headers of French public open data name a column by a short word and what it is of: "lib_fs" (the
# label of a France services: its name), "lib_com" (the commune's label: the town), "id_fs" (its
# identifier), "adresse_commune", "adresse_code_postal" (parts of the address).
_PLACE_WORDS = frozenset(("com", "commune", "ville", "city", "localite", "town", "municipality"))
_LABEL_WORDS = frozenset(("lib", "libelle", "label", "nom", "name", "denomination"))
_ADDRESS_WORDS = frozenset(("adresse", "address"))
_REGION_WORDS = frozenset(("region", "reg", "state", "province"))
_ID_WORDS = frozenset(("id", "identifiant", "identifier"))


def _by_first_word(key: str) -> str | None:
    head, _, rest = key.partition(" ")
    if not rest:
        return None
    if rest in _PLACE_WORDS and head in _LABEL_WORDS | _ADDRESS_WORDS:
        return "city"
    if rest in _REGION_WORDS and head in _LABEL_WORDS | _ADDRESS_WORDS:  # "lib_reg", "adresse_region"
        return "region"
    if head in _ADDRESS_WORDS:
        return {"postcode": "postcode", "country": "country", "city": "city", "region": "region"}.get(
            _BY_HEADER.get(rest, ""), "address"
        )
    if head in ("lib", "libelle") and " " not in rest:
        return "name"
    if head in _ID_WORDS and " " not in rest:
        return "source_id"
    return None


def guess_column(column: str) -> str | None:
    """The field a column's header names, if it is a common one ("Code postal" -> postcode, "lib_com" ->
    city)."""
    if column in FIELDS and column not in ("id", "description", "url"):
        return column
    key = fold_key(column.replace("_", " "))
    if key in _BY_HEADER:
        return _BY_HEADER[key]
    last = fold_key(column.rsplit(".", 1)[-1].replace("_", " "))
    return _BY_HEADER.get(last) or _by_first_word(key)


def guess(
    columns: Iterable[str],
    fmt: str,
    source: str = "",
    base: SourceMapping | None = None,
    samples: Mapping[str, list[Any]] | None = None,
) -> SourceMapping:
    """A mapping for the columns of a file: the common headers recognised, the rest left for the person.

    With `base` (a partial mapping), what it says wins and the columns it does not name are guessed
    (never onto a field it already maps). `samples` (values of each column) make a column whose values
    look like e-mail addresses or phone numbers private.
    """
    columns = list(dict.fromkeys(columns))
    samples = samples or {}
    if base is not None:
        mapping = SourceMapping.from_dict(base.to_dict())
        mapping.taxonomy = dict(base.taxonomy)
        mapping.source = source or base.source
        given = set(mapping.columns)
        taken: set[str] = {t for t in mapping.columns.values() if t}
        for column in columns:
            if column in given:
                continue
            if looks_private(column, samples.get(column, [])):
                mapping.columns[column] = PRIVATE
                continue
            target = _guess_known(column, fmt, False)
            if target == "":
                target = guess_column(column)
            if target is None or target in taken:
                continue
            if target != PRIVATE:
                taken.add(target)
            mapping.columns[column] = target
        return mapping
    mapping = SourceMapping(source=source)
    folded = {fold_key(c.replace("_", " ")) for c in columns}
    own = set(columns) >= _ATLAS_FILE_COLUMNS  # one of the atlas's own files: same ids, same fields
    if own:
        mapping.keep_ids = True
        if "status" in columns and "opened" in columns and "category" not in columns:
            mapping.kind = "odc"
    mapping.description_language = "fr" if folded & FRENCH_HEADERS else "en"
    taken = set()
    if fmt == "hsds" and "identifier.social-tech-atlas id" in columns:  # the atlas's own HSDS export
        mapping.keep_ids, own = True, False
        mapping.columns["id"] = None
        taken.add("source_id")
        mapping.columns["identifier.social-tech-atlas id"] = "source_id"
    if fmt == "jsonld" and "additionalProperty.kind" in columns:  # the atlas's own JSON-LD export
        mapping.keep_ids = True
    for column in columns:
        if column in mapping.columns:
            continue
        if looks_private(column, samples.get(column, [])):
            mapping.columns[column] = PRIVATE
            continue
        target = _guess_known(column, fmt, own)
        if target is None or (target == "" and column in KNOWN_NOISE):
            mapping.columns[column] = None  # known, carries nothing for the atlas
            continue
        if target == "":
            target = guess_column(column)
        if target is None or (target in taken and target != PRIVATE):
            continue  # unknown (or a second column for a field already taken): the person decides
        taken.add(target)
        mapping.columns[column] = target
    return mapping


_SPDX = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+\-]*(?:\s+(?:AND|OR|WITH)\s+[A-Za-z0-9][A-Za-z0-9.+\-]*)*")


def _licence_ok(licence: str) -> bool:
    return licence.startswith(("https://", "http://")) or bool(_SPDX.fullmatch(licence))


def _guess_known(column: str, fmt: str, own: bool) -> str | None:
    """Columns of the formats the atlas knows by heart; "" when the generic guess should decide."""
    if own and column == "id":
        return "source_id"
    if own and column in DATA_FIELDS:
        return column
    if fmt == "gogocarto":
        known = {
            "id": "source_id",
            "name": "name",
            "address.streetAddress": "address",
            "address.addressLocality": "city",
            "address.postalCode": "postcode",
            "address.addressRegion": "region",
            "address.addressCountry": "country",
            "categories": "category",
            "description": "description",
            "descriptionMore": None,
            "website": "website",
            "email": PRIVATE,
            "telephone": PRIVATE,
        }
        if column.startswith(("openHours", "images", "stamps", "files")):
            return None
        return known.get(column, "")
    if fmt == "jsonld":
        if column.startswith("additionalProperty."):
            name = column.split(".", 1)[1]
            return name if name in (*DATA_FIELDS, "kind") else (None if name == "category_label" else "")
        known = {
            "identifier": "source_id",
            "name": "name",
            "alternateName": "aliases",
            "url": "website",
            "address.streetAddress": "address",
            "address.addressLocality": "city",
            "address.addressCountry": "country",
            "address.postalCode": "postcode",
            "address.addressRegion": "region",
            "description.en": "description_en",
            "description.fr": "description_fr",
            "foundingDate": "opened",
            "additionalProperty.category_label": None,
            "creditText": None,
            "@id": None,
            "geo.@type": None,
            "address.@type": None,
        }
        return known.get(column, "")
    if fmt == "hsds":
        if column.startswith("identifier."):
            return "source_id" if column == "identifier.social-tech-atlas id" else None
        if column.startswith("attributes.social-tech-atlas field."):
            name = column.rsplit(".", 1)[1]
            return name if name in (*DATA_FIELDS, "kind") else ""
        if column == "attributes.social-tech-atlas category":
            return "category"
        known = {
            "id": "source_id",
            "name": "name",
            "alternate_name": "aliases",
            "description": "description",
            "website": "website",
            "email": PRIVATE,
            "address.address_1": "address",
            "address.city": "city",
            "address.country": "country",
            "address.postal_code": "postcode",
            "address.state_province": "region",
        }
        if column.startswith("attributes.") and column.count(".") == 1:
            return "category"  # a taxonomy's terms: mapped to the atlas's categories by `categories:`
        if column.startswith(("location.", "address.")) and column not in known:
            return None  # the join's keys and the HSDS columns the atlas has no field for
        if column in ("tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri"):
            return None
        if column == "parent_organization_id":
            return None
        return known.get(column, "")
    return ""
