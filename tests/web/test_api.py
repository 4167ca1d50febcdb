"""The JSON read API (/api/v1/, /api/): what a program asking it gets, for good and bad requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from atlas.store.store import Store
from atlas.web.http import RateLimiter, set_limiter
from tests.store.records import new_org
from tests.web.api_support import HOSTILE, SMALL_IDS, problem, serve


def ids(response) -> list[str]:
    return [e["id"] for e in response.json()["entries"]]


# -- entries ----------------------------------------------------------------------------------------


def test_entries_lists_every_published_entry_in_id_order(api_client: TestClient) -> None:
    client = api_client
    r = client.get("/api/v1/entries")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert ids(r) == SMALL_IDS
    assert body["numberMatched"] == body["numberReturned"] == len(SMALL_IDS)
    assert body["next_cursor"] is None
    assert body["licence"]["id"] == "ODbL-1.0" and body["licence"]["attribution"]
    alpha = body["entries"][0]
    assert alpha["name"] == "Alpha Civic Lab" and alpha["country"] == "FR" and alpha["city"] == "Lyon"
    assert alpha["lat"] == pytest.approx(45.764) and alpha["lon"] == pytest.approx(4.8357)
    assert dt.datetime.fromisoformat(alpha["updated_at"].replace("Z", "+00:00")).tzinfo is not None
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=FR", ["alpha-civic", "beta-commons"]),
        ("country=fr,be", ["alpha-civic", "beta-commons", "gamma-skills"]),
        ("country=FR&country=BE", ["alpha-civic", "beta-commons", "gamma-skills"]),
        ("region=011", ["odc-test-dakar"]),  # Western Africa
        ("region=039&country=FR", ["alpha-civic", "beta-commons", "delta-network", "epsilon-fund"]),  # S. Europe
        ("category=training", ["gamma-skills"]),
        ("kind=odc", ["odc-test-dakar", "odc-test-lux"]),
        ("kind=odc&status=planned", ["odc-test-lux"]),
        ("q=LIEGE", ["gamma-skills"]),  # Liège: accents and case ignored
        ("q=pérouse", ["delta-network"]),  # the French description
        ("q=test lyon", ["alpha-civic"]),  # every word must match
        ("q=nowhere-at-all", []),
        ("bbox=-2,43,6,48", ["alpha-civic", "beta-commons"]),
        ("bbox=170,-10,-170,10", []),  # across the antimeridian
        ("updated_since=2000-01-01", SMALL_IDS),
        ("updated_since=2999-01-01T00:00:00Z", []),
    ],
)
def test_entries_filters_as_the_page_does(api_sqlite: TestClient, query: str, expected: list[str]) -> None:
    r = api_sqlite.get(f"/api/v1/entries?{query}")
    assert r.status_code == 200, r.text
    assert ids(r) == sorted(expected)
    assert r.json()["numberMatched"] == len(expected)


def test_cursor_pages_walk_every_entry_once(api_client: TestClient) -> None:
    client = api_client
    seen: list[str] = []
    url = "/api/v1/entries?limit=3&kind=organisation,odc"
    pages = 0
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["numberMatched"] == len(SMALL_IDS)
        assert body["numberReturned"] == len(body["entries"]) <= 3
        seen += [e["id"] for e in body["entries"]]
        nexts = [link["href"] for link in body["links"] if link["rel"] == "next"]
        assert bool(nexts) == (body["next_cursor"] is not None)
        if nexts:
            query = parse_qs(urlsplit(nexts[0]).query)
            assert query["cursor"] == [body["next_cursor"]] and query["kind"] == ["organisation,odc"]
            url = nexts[0]
        else:
            url = ""
        pages += 1
    assert seen == SMALL_IDS and pages == 3


def test_a_cursor_stays_valid_when_entries_are_added(api_client: TestClient, api_store: Store) -> None:
    client = api_client
    first = client.get("/api/v1/entries?limit=2").json()
    submitted = api_store.submit("organisation", new_org(name="Aaa First"), client="c", session="s")
    item = api_store.queue().items[0]
    api_store.approve(item.revision_id, item.version, "mod@example.org")
    rest = client.get(f"/api/v1/entries?limit=100&cursor={first['next_cursor']}").json()
    assert [e["id"] for e in rest["entries"]] == SMALL_IDS[2:]  # the new one sorts before: not repeated
    assert submitted.entry_id in ids(client.get("/api/v1/entries"))


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("contry=FR", "contry"),
        ("country=FRA", "country"),
        ("country=", "country"),
        ("region=999", "region"),
        ("category=bakery", "category"),
        ("kind=person", "kind"),
        ("status=closed", "status"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=0,91,1,92", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=0,10,1,5", "bbox"),  # min latitude above max
        ("bbox=nan,1,2,3", "bbox"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("limit=5&limit=6", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2024-13-45", "updated_since"),
        ("format=xml", "format"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_entries_refuse_bad_parameters_with_a_problem(api_sqlite: TestClient, query: str, parameter: str) -> None:
    body = problem(api_sqlite.get(f"/api/v1/entries?{query}"), 400, parameter)
    assert body["instance"] == "/api/v1/entries"


def test_geojson_by_parameter_or_accept_header(api_sqlite: TestClient) -> None:
    by_param = api_sqlite.get("/api/v1/entries?format=geojson&kind=odc")
    by_header = api_sqlite.get("/api/v1/entries?kind=odc", headers={"Accept": "application/geo+json"})
    for r in (by_param, by_header):
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/geo+json"
        body = r.json()
        assert body["type"] == "FeatureCollection" and body["numberMatched"] == 2
        dakar = body["features"][0]
        assert dakar["type"] == "Feature" and dakar["id"] == "odc-test-dakar"
        assert dakar["geometry"] == {"type": "Point", "coordinates": [-17.4441, 14.6937]}
        assert dakar["properties"]["status"] == "open" and "lat" not in dakar["properties"]
    assert by_param.headers["etag"] != api_sqlite.get("/api/v1/entries?kind=odc").headers["etag"]


def test_one_entry_with_its_articles_and_licence(api_client: TestClient) -> None:
    client = api_client
    r = client.get("/api/v1/entries/alpha-civic")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["id"] == "alpha-civic" and body["website"] == "https://alpha.example.org"
    assert [a["id"] for a in body["articles"]] == ["lyon-lab"]
    assert body["articles"][0]["organisations"] == ["alpha-civic"]
    assert body["licence"]["url"].startswith("https://")
    assert body["source"] == "test fixture" and body["source_pages"] == []
    feature = client.get("/api/v1/entries/alpha-civic?format=geojson").json()
    assert feature["type"] == "Feature" and feature["properties"]["articles"][0]["id"] == "lyon-lab"
    assert client.get("/api/v1/entries/gamma-skills").json()["articles"] == []


def test_unknown_entry_is_a_404_problem(api_client: TestClient) -> None:
    client = api_client
    body = problem(client.get("/api/v1/entries/no-such-entry"), 404)
    assert "no-such-entry" in body["detail"]
    problem(client.get("/api/v1/entries/alpha-civic?colour=red"), 400, "colour")


def test_articles(api_sqlite: TestClient) -> None:
    r = api_sqlite.get("/api/v1/articles")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert {a["id"] for a in body["articles"]} == {"lyon-lab", "perugia-meeting"}
    assert body["numberReturned"] == 2 and body["licence"]["id"]
    article = next(a for a in body["articles"] if a["id"] == "perugia-meeting")
    assert article["organisations"] == ["delta-network"] and article["places"][0]["name"] == "Perugia"
    assert "note" not in article and "body" not in article
    mentioning = api_sqlite.get("/api/v1/articles?entry=delta-network").json()
    assert [a["id"] for a in mentioning["articles"]] == ["perugia-meeting"]
    assert api_sqlite.get("/api/v1/articles/lyon-lab").json()["title_en"]
    problem(api_sqlite.get("/api/v1/articles/no-such-article"), 404)
    problem(api_sqlite.get("/api/v1/articles?entry=no-such-entry"), 404)
    problem(api_sqlite.get("/api/v1/articles?page=2"), 400, "page")


def test_unknown_api_urls_are_404_problems_not_the_page(api_sqlite: TestClient) -> None:
    for url in ("/api/v2/entries", "/api/v1/entriez", "/ogc/nothing", "/hsds/programs"):
        problem(api_sqlite.get(url), 404)


# -- caching and CORS ---------------------------------------------------------------------------------


def test_etag_304_until_the_data_changes(api_client: TestClient, api_store: Store) -> None:
    client = api_client
    url = "/api/v1/entries?country=FR"
    first = client.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and "max-age" in first.headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/api/v1/entries?country=BE").headers["etag"] != etag  # keyed by the query too
    entry = api_store.entry("alpha-civic")
    assert entry is not None
    api_store.edit("alpha-civic", {"name": "Alpha Civic Lab Renamed"}, "mod@example.org", "rename", entry["version"])
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["entries"][0]["name"] == "Alpha Civic Lab Renamed"
    stamp = changed.json()["entries"][0]["updated_at"]
    since = client.get(f"/api/v1/entries?updated_since={stamp}").json()
    assert [e["id"] for e in since["entries"]] == ["alpha-civic"]


def test_cors_preflight(api_sqlite: TestClient) -> None:
    r = api_sqlite.options(
        "/api/v1/entries",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert "GET" in r.headers["access-control-allow-methods"]
    assert "if-none-match" in r.headers["access-control-allow-headers"].lower()
    error = api_sqlite.get("/api/v1/entries?limit=0")
    assert error.headers["access-control-allow-origin"] == "*"


def test_rate_limit_answers_429_problem(api_sqlite: TestClient) -> None:
    now = [0.0]
    set_limiter(RateLimiter(rate=1.0, burst=2.0, clock=lambda: now[0]))
    assert api_sqlite.get("/api/v1/entries").status_code == 200
    assert api_sqlite.get("/ogc/").status_code == 200
    refused = api_sqlite.get("/hsds/")
    problem(refused, 429)
    assert int(refused.headers["retry-after"]) >= 1
    now[0] += 1.0
    assert api_sqlite.get("/api/v1/entries").status_code == 200


# -- the human page -----------------------------------------------------------------------------------


def test_api_page_in_both_languages(api_sqlite: TestClient) -> None:
    en = api_sqlite.get("/api/")
    assert en.status_code == 200 and en.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="en">' in en.text and "/api/v1/entries?country=FR" in en.text and "/ogc/" in en.text
    fr = api_sqlite.get("/api/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in fr.text and "Exemples" in fr.text
    assert fr.headers["etag"] != en.headers["etag"]
    assert '<html lang="fr">' in api_sqlite.get("/api/?lang=fr").text
    problem(api_sqlite.get("/api/?lang=de"), 400, "lang")


# -- what never comes out -----------------------------------------------------------------------------


def every_response(client: TestClient) -> str:
    """The text of every read route's answers (lists, details, GeoJSON, OGC, HSDS), concatenated."""
    texts = []
    entries = client.get("/api/v1/entries?limit=1000").json()["entries"]
    urls = [
        "/api/",
        "/api/v1/entries?limit=1000",
        "/api/v1/entries?format=geojson&limit=1000",
        "/api/v1/articles",
        "/ogc/collections",
        "/ogc/collections/organisations/items?limit=1000",
        "/ogc/collections/odc/items?limit=1000",
        "/hsds/organizations?per_page=1000",
        "/hsds/services?per_page=1000",
    ]
    for e in entries:
        urls.append(f"/api/v1/entries/{e['id']}")
        collection = "odc" if e["kind"] == "odc" else "organisations"
        urls.append(f"/ogc/collections/{collection}/items/{e['id']}")
    for org in client.get("/hsds/organizations?per_page=1000").json()["contents"]:
        urls.append(f"/hsds/organizations/{org['id']}")
    for service in client.get("/hsds/services?per_page=1000").json()["contents"]:
        urls.append(f"/hsds/services/{service['id']}")
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        texts.append(r.text)
    return "\n".join(texts)


def test_only_published_entries_ever_appear(api_client: TestClient, api_store: Store) -> None:
    client = api_client
    store = api_store
    store.submit("organisation", new_org(name="Pending Zeta"), client="a", session="a")
    store.submit("organisation", new_org(name="Rejected Eta"), client="b", session="b")
    store.submit("organisation", new_org(name="Duplicate Theta"), client="c", session="c")
    queue = {item.name: item for item in store.queue().items}
    store.reject(queue["Rejected Eta"].revision_id, queue["Rejected Eta"].version, "mod@example.org", "not social")
    store.mark_duplicate(
        queue["Duplicate Theta"].revision_id, queue["Duplicate Theta"].version, "mod@example.org", "alpha-civic"
    )
    beta = store.entry("beta-commons")
    assert beta is not None
    store.set_state("beta-commons", "withdrawn", "mod@example.org", "closed down", beta["version"])
    text = every_response(client)
    for hidden in ("Pending Zeta", "pending-zeta", "Rejected Eta", "Duplicate Theta", "Beta Commons", "beta-commons"):
        assert hidden not in text
    assert "Alpha Civic Lab" in text
    problem(client.get("/api/v1/entries/beta-commons"), 404)
    problem(client.get("/api/v1/entries/pending-zeta"), 404)
    problem(client.get("/ogc/collections/organisations/items/beta-commons"), 404)
    assert client.get("/api/v1/entries").json()["numberMatched"] == len(SMALL_IDS) - 1


def test_no_private_contact_anywhere(api_client: TestClient, api_store: Store) -> None:
    client = api_client
    store = api_store
    store.submit(
        "organisation",
        new_org(name="Contactable Org"),
        contact="secret.person@private.example",
        note="call me on my private line",
        client="x",
        session="y",
    )
    item = store.queue().items[0]
    assert item.has_contact
    store.approve(item.revision_id, item.version, "moderator.name@example.org", note="fine")
    text = every_response(client)
    assert "Contactable Org" in text
    for private in ("secret.person", "private.example", "private line", "moderator.name"):
        assert private not in text


def test_hostile_names_come_back_as_plain_strings(seeded: Callable[[Path], Store]) -> None:
    client = serve(seeded(HOSTILE))
    entries = {e["id"]: e for e in client.get("/api/v1/entries?limit=1000").json()["entries"]}
    assert entries["xss-img"]["name"] == "<img src=x onerror=alert(1)>"
    assert entries["xss-img"]["description_en"] == "</script><script>alert(3)</script>"
    assert entries["xss-img"]["website"] == ""  # not an http(s) URL: the schema leaves it out
    assert entries["fullwidth-formula"]["name"] == '＝HYPERLINK("http://attacker.invalid/","click")'
    assert entries["md-beacon"]["description_en"].startswith(":red[red text]")
    detail = client.get("/api/v1/entries/xss-tick").json()
    assert detail["name"] == "Tick `${alert(5)}` \\u0060 name" and detail["city"] == "<b>Bold</b>ville"
    assert client.get("/api/v1/entries/xss-img").headers["content-type"] == "application/json"
    hsds = client.get("/hsds/organizations?search=img&per_page=10").json()["contents"]
    assert [o["name"] for o in hsds] == ["<img src=x onerror=alert(1)>"]
    page = client.get("/api/").text
    assert "<img src=x" not in page and "<script>" not in page


def test_files_mode_serves_the_folder_read_only(tmp_path: Path) -> None:
    from starlette.applications import Starlette

    from atlas.sources import CsvFolder
    from atlas.web import published
    from tests.web.api_support import SMALL, api_routes

    published.use(CsvFolder(SMALL), interval=0)
    try:
        client = TestClient(Starlette(routes=api_routes()))
        r = client.get("/api/v1/entries?kind=odc")
        assert [e["id"] for e in r.json()["entries"]] == ["odc-test-dakar", "odc-test-lux"]
        assert r.json()["revision"] == CsvFolder(SMALL).revision()
        assert client.get("/api/v1/entries/delta-network").json()["articles"][0]["id"] == "perugia-meeting"
    finally:
        published.use(None)


def test_head_and_urls_without_their_slash(api_sqlite: TestClient) -> None:
    head = api_sqlite.head("/api/v1/entries?country=FR")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"]
    for bare in ("/api", "/ogc", "/hsds"):
        r = api_sqlite.get(f"{bare}?f=json" if bare == "/ogc" else bare, follow_redirects=False)
        assert r.status_code == 308 and r.headers["location"].startswith(f"{bare}/")
    assert api_sqlite.get("/ogc?f=json").json()["links"]  # followed


def test_large_answers_gzip_compressed_once_for_clients_that_accept_it(api_sqlite: TestClient) -> None:
    plain = api_sqlite.get("/api/v1/entries", headers={"Accept-Encoding": "identity"})
    packed = api_sqlite.get("/api/v1/entries", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and "Accept-Encoding" in packed.headers["vary"]
    assert packed.json() == plain.json()  # (httpx decompresses)
    small = api_sqlite.get("/hsds/", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers  # under 1 KB: as is
