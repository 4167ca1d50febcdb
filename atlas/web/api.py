"""The JSON read API under /api/v1/ (and its small human page at /api/).

- `GET /api/v1/entries`: published entries, filtered with the page's own filters (country, region,
  category, kind, status, q, bbox, updated_since), `limit` (1–1000, default 100) a page, in id
  order, with an opaque `cursor` for the next page. `format=geojson` (or `Accept:
  application/geo+json`) gives a GeoJSON FeatureCollection.
- `GET /api/v1/entries/{id}`: one entry with its source pages, the licence and the articles that
  mention it.
- `GET /api/v1/articles`, `GET /api/v1/articles/{id}`: the published articles.
- `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of every route of `atlas/web/`
  (`atlas/web/openapi.yaml`, checked against the routes by tests/web/test_openapi.py).

Errors are problem+json (`atlas.web.http`); responses carry CORS, ETag and Cache-Control headers.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.routing import BaseRoute

from atlas.categories import CATEGORY_IDS
from atlas.i18n import CONTENT_LANGS, t
from atlas.regions import regions
from atlas.schema import ODC_STATUSES
from atlas.web.http import (
    GEOJSON,
    JSON,
    Params,
    Reply,
    absolute,
    bad_parameter,
    fallback_route,
    not_found,
    read_route,
    redirect_route,
)
from atlas.web.published import Published, Query

HERE = Path(__file__).resolve().parent
OPENAPI_FILE = HERE / "openapi.yaml"
FILTERS = ("country", "region", "category", "kind", "status", "q", "bbox", "updated_since")
KINDS = ("organisation", "odc")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


# -- filters --------------------------------------------------------------------------------------


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise bad_parameter("country", f"country must be ISO 3166-1 alpha-2 codes such as FR or BE, not {value!r}")
    return value.upper()


def _region(value: str) -> str:
    if value not in regions():
        raise bad_parameter("region", f"region must be UN M49 region codes such as 150 (Europe), not {value!r}")
    return value


def _category(value: str) -> str:
    if value not in CATEGORY_IDS:
        raise bad_parameter("category", f"category must be among {', '.join(CATEGORY_IDS)}")
    return value


def _kind(value: str) -> str:
    if value not in KINDS:
        raise bad_parameter("kind", "kind must be organisation or odc")
    return value


def _status(value: str) -> str:
    if value not in ODC_STATUSES:
        raise bad_parameter("status", f"status must be among {', '.join(ODC_STATUSES)}")
    return value


def query_of(params: Params) -> Query:
    """The filters of a request (the names in `FILTERS`), checked."""
    return Query(
        countries=params.values("country", _country),
        regions=params.values("region", _region),
        categories=params.values("category", _category),
        kinds=params.values("kind", _kind),
        statuses=params.values("status", _status),
        q=params.text("q"),
        bbox=params.bbox("bbox"),
        updated_since=params.moment("updated_since"),
    )


# -- shapes ---------------------------------------------------------------------------------------


def licence_of(snapshot: Published) -> dict[str, str]:
    licence = snapshot.licence
    return {"id": licence.id, "name": licence.name, "url": licence.url, "attribution": licence.attribution}


def feature(record: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature of a public record (a Point, or no geometry when the entry has no position)."""
    properties = {k: v for k, v in record.items() if k not in ("lat", "lon")}
    lat, lon = record.get("lat"), record.get("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties}


def encode_cursor(entry_id: str) -> str:
    return base64.urlsafe_b64encode(f"1:{entry_id}".encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        text = ""
    if not text.startswith("1:") or len(cursor) > 400:
        raise bad_parameter("cursor", "cursor is not one this API gave: use the next link of a previous page")
    return text[2:]


def _wants_geojson(request: Request, params: Params) -> bool:
    chosen = params.choice("format", ("json", "geojson"), "")
    if chosen:
        return chosen == "geojson"
    accept = request.headers.get("accept", "")
    return "application/geo+json" in accept and "application/json" not in accept.split("application/geo+json")[0]


# -- handlers -------------------------------------------------------------------------------------


def list_entries(request: Request, params: Params, snapshot: Published) -> Reply:
    query = query_of(params)
    limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    raw_cursor = params.one("cursor")
    after = decode_cursor(raw_cursor) if raw_cursor is not None else None
    geojson = _wants_geojson(request, params)

    def build() -> dict[str, Any]:
        positions = snapshot.positions(query)
        start = snapshot.after(positions, after) if after is not None else 0
        records = snapshot.records_at(positions[start : start + limit])
        more = start + limit < len(positions)
        next_cursor = encode_cursor(records[-1]["id"]) if more and records else None
        kept = {k: params.all(k) for k in {k for k, _ in params.items} if k != "cursor"}
        links = [{"rel": "self", "href": str(request.url)}]
        if next_cursor:
            links.append({"rel": "next", "href": absolute(request, request.url.path, {**kept, "cursor": next_cursor})})
        common = {
            "numberMatched": len(positions),
            "numberReturned": len(records),
            "next_cursor": next_cursor,
            "links": links,
            "licence": licence_of(snapshot),
            "revision": snapshot.revision,
        }
        if geojson:
            return {"type": "FeatureCollection", "features": [feature(r) for r in records], **common}
        return {"entries": records, **common}

    return Reply(build, GEOJSON if geojson else JSON)


def _entry_id(request: Request, snapshot: Published) -> str:
    entry_id = str(request.path_params["id"])
    if not snapshot.has(entry_id):
        raise not_found(f"no published entry has the id {entry_id[:100]!r}")
    return entry_id


def get_entry(request: Request, params: Params, snapshot: Published) -> Reply:
    entry_id = _entry_id(request, snapshot)
    geojson = _wants_geojson(request, params)

    def build() -> dict[str, Any]:
        record = snapshot.entry(entry_id)
        assert record is not None
        extra = {
            "source_pages": list(snapshot.source_pages(entry_id)),
            "articles": [snapshot.article_record(a) for a in snapshot.mentioning(entry_id)],
            "licence": licence_of(snapshot),
        }
        if geojson:
            shaped = feature(record)
            shaped["properties"].update(extra)
            return shaped
        return {**record, **extra}

    return Reply(build, GEOJSON if geojson else JSON)


def list_articles(request: Request, params: Params, snapshot: Published) -> Reply:
    entry = params.text("entry")
    if entry and not snapshot.has(entry):
        raise not_found(f"no published entry has the id {entry[:100]!r}")

    def build() -> dict[str, Any]:
        chosen = snapshot.mentioning(entry) if entry else list(snapshot.articles)
        return {
            "articles": [snapshot.article_record(a) for a in chosen],
            "numberReturned": len(chosen),
            "licence": licence_of(snapshot),
            "revision": snapshot.revision,
        }

    return Reply(build)


def get_article(request: Request, params: Params, snapshot: Published) -> Reply:
    article_id = str(request.path_params["id"])
    article = snapshot.article(article_id)
    if article is None:
        raise not_found(f"no published article has the id {article_id[:100]!r}")
    return Reply(lambda: {**snapshot.article_record(article), "licence": licence_of(snapshot)})


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of every web route (atlas/web/openapi.yaml)."""
    loaded: dict[str, Any] = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=1)
def _openapi_bytes() -> bytes:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=1).encode("utf-8")


def get_openapi(request: Request, params: Params, snapshot: Published) -> Reply:
    return Reply(_openapi_bytes, JSON, raw=True)


# -- the human page -------------------------------------------------------------------------------

_templates = Environment(
    loader=FileSystemLoader(str(HERE)), autoescape=select_autoescape(default=True, default_for_string=True)
)


def _language(request: Request, params: Params) -> str:
    chosen = params.choice("lang", CONTENT_LANGS, "")  # the server's pages are in English and French
    if chosen:
        return chosen
    header = request.headers.get("accept-language", "").lower()
    return "fr" if header.startswith("fr") else "en"


def api_page(request: Request, params: Params, snapshot: Published) -> Reply:
    lang = _language(request, params)
    first = str(snapshot.frame["id"].iloc[0]) if len(snapshot.frame) else "alpha-civic"
    examples = [
        (t("api_example_country", lang), absolute(request, "/api/v1/entries", {"country": "FR", "limit": 10})),
        (t("api_example_search", lang), absolute(request, "/api/v1/entries", {"q": "numerique"})),
        (t("api_example_geojson", lang), absolute(request, "/api/v1/entries", {"format": "geojson", "kind": "odc"})),
        (t("api_example_entry", lang), absolute(request, f"/api/v1/entries/{first}")),
        (t("api_example_articles", lang), absolute(request, "/api/v1/articles")),
        (t("api_example_ogc", lang), absolute(request, "/ogc/")),
        (t("api_example_hsds", lang), absolute(request, "/hsds/organizations")),
        (t("api_example_openapi", lang), absolute(request, "/api/v1/openapi.json")),
    ]
    other = "fr" if lang == "en" else "en"

    def build() -> bytes:
        html = _templates.get_template("api_page.html").render(
            lang=lang,
            title=t("api_page_title", lang),
            intro=t("api_page_intro", lang, licence=snapshot.licence.name),
            examples=examples,
            other_label=t("api_page_other_language", lang),
            other_url=absolute(request, "/api/", {"lang": other}),
            other_lang=other,
        )
        return html.encode("utf-8")

    return Reply(build, "text/html; charset=utf-8", raw=True, headers={"Content-Language": lang}, variant=lang)


ROUTES: list[BaseRoute] = [
    read_route("/api/", api_page, ("lang",)),
    read_route("/api/v1/entries", list_entries, (*FILTERS, "limit", "cursor", "format")),
    read_route("/api/v1/entries/{id}", get_entry, ("format",)),
    read_route("/api/v1/articles", list_articles, ("entry",)),
    read_route("/api/v1/articles/{id}", get_article, ()),
    read_route("/api/v1/openapi.json", get_openapi, ()),
    redirect_route("/api"),
    fallback_route("/api/"),
]
