"""Open Referral HSDS API 3.0 (minimal compliance) under /hsds/, from the HSDS export's own mapping.

`GET /hsds/` says which HSDS version and profile this is and where the OpenAPI document is;
`/hsds/organizations` and `/hsds/services` are paged as the specification's `Page` (total_items,
total_pages, page_number, size, first_page, last_page, empty, contents); `/hsds/organizations/{id}`
and `/hsds/services/{id}` return one, nested. Ids are the export's UUIDs (`atlas.opendata`), so a
record here and in the downloaded HSDS package is the same record.

The atlas describes organisations, not services: each entry is also one service, "the entry's
activity", with the same name, description and website (status `active`, or `inactive` for a
planned Orange Digital Center) and the entry's last change as `last_modified`.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import pandas as pd
from starlette.requests import Request
from starlette.routing import BaseRoute

from atlas.categories import CATEGORY_IDS
from atlas.opendata import _uid, hsds_tables, hsds_version
from atlas.web.http import Params, Reply, absolute, fallback_route, not_found, read_route, redirect_route
from atlas.web.published import UPDATED, Published, Query, iso

DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 1000


_UUIDS: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
_UUIDS_LOCK = threading.Lock()


def _uuids(snapshot: Published) -> tuple[dict[str, str], dict[str, str]]:
    """Organisation UUID -> entry id, service UUID -> entry id, for one snapshot (kept per revision)."""
    key = f"{snapshot.revision}:{id(snapshot.frame)}"
    with _UUIDS_LOCK:
        found = _UUIDS.get(key)
        if found is None:
            ids = [str(i) for i in snapshot.frame["id"]]
            found = ({_uid("organization", i): i for i in ids}, {_uid("service", i): i for i in ids})
            _UUIDS.clear()
            _UUIDS[key] = found
        return found


def _term_categories() -> dict[str, str]:
    return {_uid("term", "category", c): c for c in CATEGORY_IDS}


def _clean(record: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record without its empty values (HSDS leaves unknown fields out), but `keep` always."""
    out = {}
    for key, value in record.items():
        if key in keep or not (value is None or value == "" or (isinstance(value, float) and math.isnan(value))):
            out[key] = value
    return out


def _page(params: Params, rows: pd.DataFrame, shape: Any) -> dict[str, Any]:
    page = params.integer("page", 1, 1, 10_000_000)
    per_page = params.integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = len(rows)
    chunk = rows.iloc[(page - 1) * per_page : page * per_page]
    contents = shape(chunk)
    pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _organizations(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(o, ("id", "name", "description")) for o in hsds_tables(frame)["organizations.csv"]]


def _services(snapshot: Published, frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.to_dict("records"):
        entry = str(r["id"])
        out.append(
            _clean(
                {
                    "id": _uid("service", entry),
                    "organization_id": _uid("organization", entry),
                    "name": r["name"],
                    "description": r["description_en"],
                    "url": r["website"],
                    "status": "inactive" if r["kind"] == "odc" and r["status"] == "planned" else "active",
                    "last_modified": iso(r[UPDATED].to_pydatetime()),
                },
                ("id", "name", "status"),
            )
        )
    return out


def root(request: Request, params: Params, snapshot: Published) -> Reply:
    return Reply(
        lambda: {
            "version": hsds_version(),
            "profile": absolute(request, "/api/") + "#hsds",
            "openapi_url": absolute(request, "/api/v1/openapi.json"),
        }
    )


def organizations(request: Request, params: Params, snapshot: Published) -> Reply:
    query = Query(q=params.text("search"))
    params.integer("page", 1, 1, 10_000_000), params.integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    return Reply(lambda: _page(params, snapshot.select(query), _organizations))


def _entry_of(request: Request, snapshot: Published, services: bool) -> str:
    uid = str(request.path_params["id"])
    entry = _uuids(snapshot)[1 if services else 0].get(uid)
    if entry is None:
        what = "service" if services else "organization"
        raise not_found(f"no {what} has the id {uid[:100]!r} (ids are UUIDs)")
    return entry


def _nested_organization(snapshot: Published, entry: str) -> dict[str, Any]:
    row = snapshot.rows(entry)
    tables = hsds_tables(row)
    terms = {term["id"]: term for term in tables["taxonomy_terms.csv"]}
    taxonomies = {tax["id"]: tax for tax in tables["taxonomies.csv"]}
    organization = _organizations(row)[0]
    addresses = {a["location_id"]: _clean(a) for a in tables["addresses.csv"]}
    organization["locations"] = [
        {**_clean(loc), "addresses": [addresses[loc["id"]]] if loc["id"] in addresses else []}
        for loc in tables["locations.csv"]
    ]
    organization["organization_identifiers"] = [_clean(i) for i in tables["organization_identifiers.csv"]]
    attributes = []
    for attribute in tables["attributes.csv"]:
        term = dict(terms[attribute["taxonomy_term_id"]])
        term["taxonomy_detail"] = taxonomies[term["taxonomy_id"]]
        attributes.append({**_clean(attribute), "taxonomy_term": _clean(term)})
    organization["attributes"] = attributes
    return organization


def organization(request: Request, params: Params, snapshot: Published) -> Reply:
    entry = _entry_of(request, snapshot, services=False)

    def build() -> dict[str, Any]:
        nested = _nested_organization(snapshot, entry)
        row = snapshot.rows(entry)
        nested["services"] = [
            {k: v for k, v in s.items() if k in ("id", "name", "status")} for s in _services(snapshot, row)
        ]
        return nested

    return Reply(build)


def services(request: Request, params: Params, snapshot: Published) -> Reply:
    organization_id = params.text("organization_id")
    term = params.text("taxonomy_term_id")
    query = Query(
        q=params.text("search"),
        updated_since=params.moment("modified_after"),
        categories=(_term_categories().get(term, "-"),) if term else (),
    )
    params.integer("page", 1, 1, 10_000_000), params.integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)

    def build() -> dict[str, Any]:
        rows = snapshot.select(query)
        if organization_id:
            entry = _uuids(snapshot)[0].get(organization_id, "")
            rows = rows[(rows["id"] == entry).to_numpy()]
        return _page(params, rows, lambda chunk: _services(snapshot, chunk))

    return Reply(build)


def service(request: Request, params: Params, snapshot: Published) -> Reply:
    entry = _entry_of(request, snapshot, services=True)

    def build() -> dict[str, Any]:
        row = snapshot.rows(entry)
        nested = _services(snapshot, row)[0]
        nested["organization"] = _organizations(row)[0]
        return nested

    return Reply(build)


ROUTES: list[BaseRoute] = [
    read_route("/hsds/", root, ()),
    read_route("/hsds/organizations", organizations, ("search", "page", "per_page")),
    read_route("/hsds/organizations/{id}", organization, ()),
    read_route(
        "/hsds/services",
        services,
        ("search", "page", "per_page", "modified_after", "organization_id", "taxonomy_term_id"),
    ),
    read_route("/hsds/services/{id}", service, ()),
    redirect_route("/hsds"),
    fallback_route("/hsds/"),
]
