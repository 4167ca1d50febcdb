"""OGC API – Features, Part 1 (Core, GeoJSON) under /ogc/: GIS software adds the atlas as a layer by URL.

Two collections: `organisations` and `odc` (the Orange Digital Centers), points in CRS84
(longitude, latitude). `/ogc/collections/{id}/items` takes `bbox` (4 or 6 numbers), `datetime`
(an instant or an interval `start/end`, `..` open, on the entries' last change), `limit` (1–10000,
default 10) and `offset`, plus the atlas's own filters `country`, `region`, `category`, `status`
and `q`; its answer carries `numberMatched`, `numberReturned`, `timeStamp` and `next`/`prev`
links. JSON is the only encoding (`f=json` is accepted).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from starlette.requests import Request
from starlette.routing import BaseRoute

from atlas.web.api import _category, _country, _region, _status, feature, licence_of
from atlas.web.http import (
    GEOJSON,
    JSON,
    Params,
    Reply,
    absolute,
    bad_parameter,
    fallback_route,
    not_found,
    parse_bbox,
    parse_moment,
    read_route,
    redirect_route,
)
from atlas.web.published import UPDATED, Published, Query, iso

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
COLLECTIONS = {
    "organisations": ("organisation", "Social-tech organisations", "Europe's social-tech organisations (points)."),
    "odc": ("odc", "Orange Digital Centers", "The Orange Digital Center network (points; status open or planned)."),
}
DEFAULT_LIMIT, MAX_LIMIT = 10, 10_000
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.1"
ITEM_FILTERS = ("country", "region", "category", "status", "q")


def _f(params: Params) -> None:
    params.choice("f", ("json",), "json")


def landing(request: Request, params: Params, snapshot: Published) -> Reply:
    _f(params)

    def build() -> dict[str, Any]:
        return {
            "title": "Social Tech Atlas",
            "description": "Europe's social-tech organisations and the Orange Digital Center network "
            "(OGC API – Features). Data licence: " + snapshot.licence.name,
            "links": [
                {"rel": "self", "type": JSON, "title": "This document", "href": absolute(request, "/ogc/")},
                {
                    "rel": "service-desc",
                    "type": OPENAPI_TYPE,
                    "title": "The API definition",
                    "href": absolute(request, "/api/v1/openapi.json"),
                },
                {
                    "rel": "service-doc",
                    "type": "text/html",
                    "title": "The API documentation",
                    "href": absolute(request, "/api/"),
                },
                {
                    "rel": "conformance",
                    "type": JSON,
                    "title": "Conformance classes",
                    "href": absolute(request, "/ogc/conformance"),
                },
                {
                    "rel": "http://www.opengis.net/def/rel/ogc/1.0/conformance",
                    "type": JSON,
                    "title": "Conformance classes",
                    "href": absolute(request, "/ogc/conformance"),
                },
                {"rel": "data", "type": JSON, "title": "Collections", "href": absolute(request, "/ogc/collections")},
                {
                    "rel": "http://www.opengis.net/def/rel/ogc/1.0/data",
                    "type": JSON,
                    "title": "Collections",
                    "href": absolute(request, "/ogc/collections"),
                },
                {"rel": "license", "type": "text/html", "title": snapshot.licence.name, "href": snapshot.licence.url}
                if snapshot.licence.url
                else {"rel": "license", "title": snapshot.licence.name, "href": absolute(request, "/api/")},
            ],
        }

    return Reply(build)


def conformance(request: Request, params: Params, snapshot: Published) -> Reply:
    _f(params)
    return Reply(lambda: {"conformsTo": CONFORMANCE})


def _extent(snapshot: Published, kind: str) -> dict[str, Any]:
    rows = snapshot.frame[snapshot.frame["kind"] == kind]
    lon, lat = pd.to_numeric(rows["lon"], errors="coerce"), pd.to_numeric(rows["lat"], errors="coerce")
    placed = lon.notna() & lat.notna()
    if placed.any():
        box = [float(lon[placed].min()), float(lat[placed].min()), float(lon[placed].max()), float(lat[placed].max())]
    else:
        box = [-180.0, -90.0, 180.0, 90.0]
    extent: dict[str, Any] = {"spatial": {"bbox": [box], "crs": CRS84}}
    if len(rows):
        times = rows[UPDATED]
        extent["temporal"] = {
            "interval": [[iso(times.min().to_pydatetime()), iso(times.max().to_pydatetime())]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return extent


def _collection(request: Request, snapshot: Published, collection_id: str) -> dict[str, Any]:
    kind, title, description = COLLECTIONS[collection_id]
    base = f"/ogc/collections/{collection_id}"
    return {
        "id": collection_id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": _extent(snapshot, kind),
        "links": [
            {"rel": "self", "type": JSON, "title": title, "href": absolute(request, base)},
            {
                "rel": "items",
                "type": GEOJSON,
                "title": f"{title} (GeoJSON)",
                "href": absolute(request, base + "/items"),
            },
        ],
    }


def collections(request: Request, params: Params, snapshot: Published) -> Reply:
    _f(params)

    def build() -> dict[str, Any]:
        return {
            "links": [
                {"rel": "self", "type": JSON, "title": "Collections", "href": absolute(request, "/ogc/collections")}
            ],
            "collections": [_collection(request, snapshot, c) for c in COLLECTIONS],
        }

    return Reply(build)


def _collection_id(request: Request) -> str:
    collection_id = str(request.path_params["collection"])
    if collection_id not in COLLECTIONS:
        raise not_found(f"no collection {collection_id[:100]!r}: the collections are {', '.join(COLLECTIONS)}")
    return collection_id


def collection(request: Request, params: Params, snapshot: Published) -> Reply:
    _f(params)
    collection_id = _collection_id(request)
    return Reply(lambda: _collection(request, snapshot, collection_id))


def _bbox(params: Params) -> tuple[float, float, float, float] | None:
    raw = params.one("bbox")
    if raw is None:
        return None
    parts = raw.split(",")
    if len(parts) == 6:  # with heights: min lon, min lat, min height, max lon, max lat, max height
        parts = [parts[0], parts[1], parts[3], parts[4]]
    return parse_bbox(",".join(parts), "bbox")


def _interval(params: Params) -> tuple[dt.datetime | None, dt.datetime | None]:
    raw = params.one("datetime")
    if raw is None:
        return None, None
    if "/" in raw:
        start_text, _, end_text = raw.partition("/")
        start = None if start_text in ("", "..") else parse_moment(start_text, "datetime")
        end = None if end_text in ("", "..") else parse_moment(end_text, "datetime")
        if start is not None and end is not None and start > end:
            raise bad_parameter("datetime", "datetime: the start of the interval is after its end")
        return start, end
    moment = parse_moment(raw, "datetime")
    if len(raw.strip()) == 10:  # a date: that whole day
        return moment, moment + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return moment, moment


def items(request: Request, params: Params, snapshot: Published) -> Reply:
    _f(params)
    collection_id = _collection_id(request)
    kind = COLLECTIONS[collection_id][0]
    limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = params.integer("offset", 0, 0, 100_000_000)
    start, end = _interval(params)
    query = Query(
        kinds=(kind,),
        countries=params.values("country", _country),
        regions=params.values("region", _region),
        categories=params.values("category", _category),
        statuses=params.values("status", _status),
        q=params.text("q"),
        bbox=_bbox(params),
        updated_since=start,
        updated_until=end,
    )

    def build() -> dict[str, Any]:
        positions = snapshot.positions(query)
        features = [feature(r) for r in snapshot.records_at(positions[offset : offset + limit])]
        kept = {k: params.all(k) for k in {k for k, _ in params.items} if k != "offset"}
        path = request.url.path
        links = [
            {"rel": "self", "type": GEOJSON, "title": "This page", "href": str(request.url)},
            {
                "rel": "collection",
                "type": JSON,
                "title": COLLECTIONS[collection_id][1],
                "href": absolute(request, f"/ogc/collections/{collection_id}"),
            },
        ]
        if offset + limit < len(positions):
            links.append(
                {
                    "rel": "next",
                    "type": GEOJSON,
                    "title": "Next page",
                    "href": absolute(request, path, {**kept, "offset": offset + limit}),
                }
            )
        if offset > 0:
            links.append(
                {
                    "rel": "prev",
                    "type": GEOJSON,
                    "title": "Previous page",
                    "href": absolute(request, path, {**kept, "offset": max(0, offset - limit)}),
                }
            )
        return {
            "type": "FeatureCollection",
            "features": features,
            "links": links,
            "timeStamp": iso(snapshot.loaded_at),
            "numberMatched": len(positions),
            "numberReturned": len(features),
            "licence": licence_of(snapshot),
        }

    return Reply(build, GEOJSON)


def item(request: Request, params: Params, snapshot: Published) -> Reply:
    _f(params)
    collection_id = _collection_id(request)
    feature_id = str(request.path_params["feature"])
    record = snapshot.entry(feature_id)
    if record is None or record["kind"] != COLLECTIONS[collection_id][0]:
        raise not_found(f"no feature {feature_id[:100]!r} in the collection {collection_id}")
    base = f"/ogc/collections/{collection_id}"

    def build() -> dict[str, Any]:
        shaped = feature(record)
        shaped["links"] = [
            {"rel": "self", "type": GEOJSON, "title": record["name"], "href": absolute(request, request.url.path)},
            {
                "rel": "collection",
                "type": JSON,
                "title": COLLECTIONS[collection_id][1],
                "href": absolute(request, base),
            },
        ]
        return shaped

    return Reply(build, GEOJSON)


ROUTES: list[BaseRoute] = [
    read_route("/ogc/", landing, ("f",)),
    read_route("/ogc/conformance", conformance, ("f",)),
    read_route("/ogc/collections", collections, ("f",)),
    read_route("/ogc/collections/{collection}", collection, ("f",)),
    read_route(
        "/ogc/collections/{collection}/items", items, ("f", "bbox", "datetime", "limit", "offset", *ITEM_FILTERS)
    ),
    read_route("/ogc/collections/{collection}/items/{feature}", item, ("f",)),
    redirect_route("/ogc"),
    fallback_route("/ogc/"),
]
