"""The read routes through nginx (deploy/nginx/atlas.conf.template, as `make cluster` runs it: two
replicas on one PostgreSQL): the entry and country pages, feeds, sitemap, robots.txt and oEmbed
answer through the balancer, from either replica in turn (no session affinity), with nginx's cache
honouring the replicas' ETag and a per-client rate limit. Skipped locally without nginx or
PostgreSQL, failing in CI (tests/cluster/conftest.py)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import feedparser
import pytest

from bench.cluster import Cluster
from tests.browser.conftest import FIXTURES

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower(), [])
        return values[0] if values else ""


def get(url: str, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=30) as response:
            status, raw, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw, body = error.code, error.headers, error.read()
    headers: dict[str, list[str]] = {}
    for name, value in raw.items():
        headers.setdefault(name.lower(), []).append(value)
    return Answer(status, headers, body)


@pytest.fixture(scope="module")
def cluster(can_cluster) -> Iterator[Cluster]:
    with Cluster(2, data_dir=FIXTURES / "small_atlas") as c:
        yield c


def test_every_read_route_answers_through_nginx(cluster: Cluster) -> None:
    base = cluster.url
    page = get(f"{base}/entry/alpha-civic")
    assert page.status == 200 and page.header("content-type") == "text/html; charset=utf-8"
    assert b"<h1>Alpha Civic Lab</h1>" in page.body
    policies = page.headers["content-security-policy"]  # nginx's and the replica's: both strict
    assert policies and all("default-src 'none'" in p and "script-src" not in p for p in policies)
    assert b'lang="fr"' in get(f"{base}/fr/entry/alpha-civic").body
    assert get(f"{base}/country/FR").status == 200
    assert get(f"{base}/fr/country/IT").status == 200
    missing = get(f"{base}/entry/no-such-entry")
    assert missing.status == 404 and b"Page not found" in missing.body
    feed = get(f"{base}/feeds/entries.atom?country=FR")
    parsed = feedparser.parse(feed.body)
    assert not parsed.bozo and {e.title for e in parsed.entries} == {"Alpha Civic Lab", "Beta Commons"}
    assert not feedparser.parse(get(f"{base}/feeds/articles.atom").body).bozo
    sitemap = get(f"{base}/sitemap.xml")
    assert sitemap.status == 200 and f"<loc>{base}/entry/alpha-civic</loc>".encode() in sitemap.body
    assert f"Sitemap: {base}/sitemap.xml".encode() in get(f"{base}/robots.txt").body
    oembed = get(f"{base}/oembed?url={quote(base + '/entry/alpha-civic', safe='')}")
    assert oembed.status == 200 and b'"type":"rich"' in oembed.body
    assert get(f"{base}/oembed?url={quote('https://elsewhere.example/', safe='')}").status == 404
    assert get(f"{base}/feeds/entries.atom?contry=FR").status == 400


def test_any_replica_answers_them_in_turn(cluster: Cluster) -> None:
    assert cluster.balancer is not None
    before = len(cluster.balancer.access_log())
    ids = ["alpha-civic", "beta-commons", "gamma-skills", "delta-network", "epsilon-fund"]
    for entry_id in ids:  # each a first request: a cache miss, sent to a replica
        assert get(f"{cluster.url}/fr/entry/{entry_id}?turn=1").status == 200
    lines = [line for line in cluster.balancer.access_log()[before:] if "/fr/entry/" in line]
    upstreams = {line.split("upstream=")[1].split()[0] for line in lines}
    assert {f"127.0.0.1:{r.port}" for r in cluster.replicas} <= upstreams, lines


def test_nginx_keeps_answers_and_honours_their_etag(cluster: Cluster) -> None:
    url = f"{cluster.url}/country/FR?cache=1"
    first = get(url)
    assert first.status == 200 and first.header("x-atlas-cache") == "MISS"
    second = get(url)
    assert second.status == 200 and second.header("x-atlas-cache") == "HIT"
    assert second.body == first.body and second.header("etag") == first.header("etag")
    again = get(url, {"If-None-Match": first.header("etag")})
    assert again.status == 304 and again.body == b""
    get(f"{cluster.url}/feeds/entries.atom?contry=FR")
    error = get(f"{cluster.url}/feeds/entries.atom?contry=FR")
    assert error.status == 400 and error.header("x-atlas-cache") != "HIT"  # errors are never kept


def test_a_client_asking_too_fast_is_told_to_slow_down(cluster: Cluster) -> None:
    statuses = [get(f"{cluster.url}/robots.txt").status for _ in range(120)]
    assert statuses[0] == 200
    assert 429 in statuses, statuses
    assert get(f"{cluster.url}/_stcore/health").status == 200  # the page itself is not limited
