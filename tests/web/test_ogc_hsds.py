"""OGC API – Features (/ogc/) and the HSDS API (/hsds/): what GIS software and HSDS clients get."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from starlette.testclient import TestClient

from atlas.opendata import NAMESPACE
from tests.web.api_support import problem

ORGS = ["alpha-civic", "beta-commons", "delta-network", "epsilon-fund", "gamma-skills"]


def hrefs(body: dict, rel: str) -> list[str]:
    return [link["href"] for link in body["links"] if link["rel"] == rel]


# -- OGC API – Features ---------------------------------------------------------------------------------


def test_ogc_landing_conformance_and_collections(api_client: TestClient) -> None:
    client = api_client
    landing = client.get("/ogc/")
    assert landing.status_code == 200 and landing.headers["content-type"] == "application/json"
    body = landing.json()
    assert hrefs(body, "service-desc") == ["http://testserver/api/v1/openapi.json"]
    assert hrefs(body, "conformance") == ["http://testserver/ogc/conformance"]
    assert hrefs(body, "data") == ["http://testserver/ogc/collections"]
    assert client.get("/ogc/?f=json").json() == body
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    collections = client.get("/ogc/collections").json()["collections"]
    assert [c["id"] for c in collections] == ["organisations", "odc"]
    orgs = client.get("/ogc/collections/organisations").json()
    assert orgs["itemType"] == "feature"
    assert orgs["extent"]["spatial"]["bbox"] == [[-1.5536, 39.4699, 12.3908, 50.6326]]
    assert hrefs(orgs, "items") == ["http://testserver/ogc/collections/organisations/items"]


def test_ogc_items_pages_with_next_and_prev_links(api_client: TestClient) -> None:
    client = api_client
    seen: list[str] = []
    url = "/ogc/collections/organisations/items?limit=2"
    while url:
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
        body = r.json()
        assert body["type"] == "FeatureCollection" and body["numberMatched"] == len(ORGS)
        assert body["numberReturned"] == len(body["features"]) <= 2
        assert dt.datetime.fromisoformat(body["timeStamp"].replace("Z", "+00:00"))
        seen += [f["id"] for f in body["features"]]
        if seen != ORGS[:2]:
            assert hrefs(body, "prev")
        nexts = hrefs(body, "next")
        url = nexts[0] if nexts else ""
    assert seen == ORGS
    default = client.get("/ogc/collections/organisations/items").json()
    assert default["numberReturned"] == len(ORGS)  # the default limit (10) holds them all


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bbox=-2,43,6,48", ["alpha-civic", "beta-commons"]),
        ("bbox=-2,43,0,6,48,0", ["alpha-civic", "beta-commons"]),  # with heights
        ("country=BE", ["gamma-skills"]),
        ("category=funder", ["epsilon-fund"]),
        ("q=perugia", ["delta-network"]),
        ("datetime=2000-01-01T00:00:00Z/..", ORGS),
        ("datetime=../2000-01-01T00:00:00Z", []),
        ("datetime=2000-01-01", []),
    ],
)
def test_ogc_items_filters(api_sqlite: TestClient, query: str, expected: list[str]) -> None:
    body = api_sqlite.get(f"/ogc/collections/organisations/items?{query}").json()
    assert [f["id"] for f in body["features"]] == expected


def test_ogc_one_item(api_client: TestClient) -> None:
    r = api_client.get("/ogc/collections/odc/items/odc-test-lux")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    body = r.json()
    assert body["type"] == "Feature" and body["geometry"]["coordinates"] == [6.1296, 49.8153]
    assert body["properties"]["status"] == "planned"
    assert hrefs(body, "collection") == ["http://testserver/ogc/collections/odc"]
    problem(api_client.get("/ogc/collections/organisations/items/odc-test-lux"), 404)  # not in that collection
    problem(api_client.get("/ogc/collections/odc/items/nope"), 404)


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/ogc/collections/people", 404, None),
        ("/ogc/collections/people/items", 404, None),
        ("/ogc/collections?f=html", 400, "f"),
        ("/ogc/collections/odc/items?limit=0", 400, "limit"),
        ("/ogc/collections/odc/items?limit=10001", 400, "limit"),
        ("/ogc/collections/odc/items?offset=-1", 400, "offset"),
        ("/ogc/collections/odc/items?bbox=1,2,3,4,5", 400, "bbox"),
        ("/ogc/collections/odc/items?datetime=soon", 400, "datetime"),
        ("/ogc/collections/odc/items?datetime=2020-01-01/2019-01-01", 400, "datetime"),
        ("/ogc/collections/odc/items?sortby=name", 400, "sortby"),
    ],
)
def test_ogc_errors(api_sqlite: TestClient, url: str, status: int, parameter: str | None) -> None:
    problem(api_sqlite.get(url), status, parameter)


# -- HSDS ---------------------------------------------------------------------------------------------------


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def test_hsds_root(api_sqlite: TestClient) -> None:
    body = api_sqlite.get("/hsds/").json()
    assert body["version"].startswith("3.0")
    assert body["openapi_url"] == "http://testserver/api/v1/openapi.json"
    assert body["profile"].startswith("http://testserver/")


def test_hsds_organizations_paged(api_client: TestClient) -> None:
    client = api_client
    first = client.get("/hsds/organizations?per_page=3").json()
    assert first["total_items"] == 7 and first["total_pages"] == 3 and first["page_number"] == 1
    assert first["size"] == 3 and first["first_page"] and not first["last_page"] and not first["empty"]
    last = client.get("/hsds/organizations?per_page=3&page=3").json()
    assert last["size"] == 1 and last["last_page"] and not last["first_page"]
    beyond = client.get("/hsds/organizations?per_page=3&page=9").json()
    assert beyond["empty"] and beyond["contents"] == []
    alpha = first["contents"][0]
    assert alpha == {
        "id": uid("organization", "alpha-civic"),  # the HSDS export's id
        "name": "Alpha Civic Lab",
        "description": "A test civic-tech lab in Lyon.",
        "website": "https://alpha.example.org",
    }
    found = client.get("/hsds/organizations?search=liege").json()
    assert [o["name"] for o in found["contents"]] == ["Gamma Skills"]


def test_hsds_one_organization_nested(api_client: TestClient) -> None:
    body = api_client.get(f"/hsds/organizations/{uid('organization', 'alpha-civic')}").json()
    assert body["name"] == "Alpha Civic Lab"
    assert body["locations"][0]["latitude"] == pytest.approx(45.764)
    assert body["locations"][0]["addresses"][0]["city"] == "Lyon"
    assert body["organization_identifiers"][0]["identifier"] == "alpha-civic"
    terms = {a["taxonomy_term"]["code"] for a in body["attributes"]}
    assert "civic_tech" in terms and "source" in terms
    assert body["services"] == [{"id": uid("service", "alpha-civic"), "name": "Alpha Civic Lab", "status": "active"}]
    problem(api_client.get("/hsds/organizations/alpha-civic"), 404)  # ids are UUIDs
    problem(api_client.get(f"/hsds/organizations/{uid('organization', 'nobody')}"), 404)


def test_hsds_services(api_client: TestClient) -> None:
    client = api_client
    services = client.get("/hsds/services?per_page=100").json()
    assert services["total_items"] == 7
    lux = next(s for s in services["contents"] if s["name"] == "Test Digital Center Luxembourg")
    assert lux["status"] == "inactive"  # a planned ODC
    assert lux["organization_id"] == uid("organization", "odc-test-lux")
    one = client.get(f"/hsds/services/{lux['id']}").json()
    assert one["organization"]["name"] == "Test Digital Center Luxembourg"
    by_org = client.get(f"/hsds/services?organization_id={uid('organization', 'gamma-skills')}").json()
    assert [s["name"] for s in by_org["contents"]] == ["Gamma Skills"]
    by_term = client.get(f"/hsds/services?taxonomy_term_id={uid('term', 'category', 'funder')}").json()
    assert [s["name"] for s in by_term["contents"]] == ["Epsilon Fund"]
    assert client.get("/hsds/services?modified_after=2999-01-01T00:00:00Z").json()["empty"]
    problem(client.get("/hsds/services?per_page=0"), 400, "per_page")
    problem(client.get("/hsds/services?page=0"), 400, "page")
    problem(client.get("/hsds/services?modified_after=last-week"), 400, "modified_after")
    problem(client.get("/hsds/services/not-a-uuid"), 404)
