"""The column names the import's guess knows, per atlas field, in the languages of the directories
it reads (English, French, schema.org's and GoGoCarto's dotted names), and the bookkeeping columns
of known formats that carry nothing for the atlas."""

from __future__ import annotations

from atlas.imports.private import PRIVATE

# Header words (folded) that name each field, in English and French (and what the common
# exports call them: GoGoCarto, uMap, HSDS, schema.org, the atlas's own files).
HEADERS: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "identifiant", "source id", "ref", "reference", "uuid", "code", "identifier", "@id"),
    "name": (
        "name",
        "nom",
        "title",
        "titre",
        "organisation",
        "organization",
        "organisme",
        "structure",
        "nom de la structure",
        "nom structure",
        "nom de l organisation",
        "raison sociale",
        "denomination",
    ),
    "aliases": ("aliases", "alias", "sigle", "acronyme", "acronym", "alternate name", "alternatename", "nom court"),
    "city": (
        "city",
        "ville",
        "commune",
        "town",
        "localite",
        "locality",
        "municipality",
        "addresslocality",
        "address locality",
        "address city",
    ),
    "country": ("country", "pays", "country code", "code pays", "addresscountry", "address country"),
    "address": (
        "address",
        "adresse",
        "street",
        "rue",
        "streetaddress",
        "street address",
        "adresse postale",
        "address 1",
        "address address 1",
    ),
    "postcode": ("postcode", "postal code", "code postal", "cp", "zip", "zipcode", "postalcode", "address postal code"),
    # A département or a county is not a region: such columns stay unmapped (reported) unless a mapping says.
    "region": (
        "region",
        "state",
        "province",
        "state province",
        "stateprovince",
        "state or province",
        "addressregion",
        "address region",
        "address state province",
        "nom region",
        "nom de la region",
        "libelle region",
        "lib region",
    ),
    "lat": ("lat", "latitude", "y", "geo latitude", "location latitude"),
    "lon": ("lon", "lng", "long", "longitude", "x", "geo longitude", "location longitude"),
    "website": ("website", "site", "site web", "site internet", "url", "web", "homepage", "www", "lien", "link"),
    "description": (
        "description",
        "descriptif",
        "presentation",
        "resume",
        "summary",
        "about",
        "a propos",
        "objet",
        "activites",
        "activities",
    ),
    "description_en": ("description en", "description english", "description anglais"),
    "description_fr": ("description fr", "description french", "description francais"),
    "category": (
        "category",
        "categorie",
        "categories",
        "type",
        "thematique",
        "thematiques",
        "secteur",
        "sector",
        "domaine",
        "taxonomy",
    ),
    "geo_precision": ("geo precision", "precision"),
    "geo_source": ("geo source",),
    "status": ("status", "statut"),
    "opened": ("opened", "ouverture", "date d ouverture"),
    "source": ("source", "sources"),
    PRIVATE: (
        "email",
        "e mail",
        "mail",
        "courriel",
        "telephone",
        "tel",
        "phone",
        "mobile",
        "contact",
        "contact email",
    ),
}
FRENCH_HEADERS = frozenset(
    ("nom", "ville", "adresse", "pays", "commune", "descriptif", "categorie", "code postal", "site web", "structure")
)
# Columns of known formats that carry nothing for the atlas (GoGoCarto's and schema.org's bookkeeping).
KNOWN_NOISE = frozenset(
    (
        "createdAt",
        "updatedAt",
        "status",
        "moderationState",
        "sourceKey",
        "address.customFormatedAddress",
        "categoriesDescriptions",
        "@context",
        "@type",
        "license",
        "sameAs",
        "ontology",
    )
)
