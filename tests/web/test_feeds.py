"""The Atom feeds (/feeds/entries.atom, /feeds/articles.atom): valid Atom that feedparser reads
without complaint, filtered like the page, published entries only, hostile text kept as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import feedparser
import pytest
from defusedxml import ElementTree

from atlas.web.feeds import ATOM, Feed, FeedItem, atom, urn
from tests.web.site import SECRET_CONTACT, Site, make_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    yield from make_site(tmp_path_factory.mktemp("feeds"))


def parsed(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_entries_feed_lists_published_entries_newest_change_first(site: Site) -> None:
    feed = parsed(site.client.get("/feeds/entries.atom"))
    titles = [e.title for e in feed.entries]
    assert titles[0] == "Fresh Approved Org"  # approved after the seeding: the newest change
    assert set(titles) == {
        "Fresh Approved Org",
        "<img src=x onerror=alert(1)>",
        "Tick `${alert(5)}` \\u0060 name",
        "Beacon ![x](http://attacker.invalid/pixel.png)",
        '＝HYPERLINK("http://attacker.invalid/","click")',
        "ODC <iframe src=javascript:alert(9)>",
    }
    first = feed.entries[0]
    assert first.link == "http://testserver/entry/fresh-approved-org"
    assert first.id.startswith("urn:uuid:")
    assert first.updated_parsed is not None
    assert "A test organisation." in first.summary
    assert feed.feed.title == "Social Tech Atlas: new and changed entries"
    assert feed.feed.updated_parsed is not None
    assert feed.feed.id.startswith("urn:uuid:")
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_nothing_unpublished_or_private_is_in_a_feed(site: Site) -> None:
    for url in ("/feeds/entries.atom", "/feeds/entries.atom?country=SN", "/feeds/articles.atom"):
        body = site.client.get(url).text
        for secret in (SECRET_CONTACT, "Pending Secret Org", "Rejected Spam Shop", "Plain Row", "advertising"):
            assert secret not in body, (url, secret)


def test_hostile_text_stays_text_in_the_xml(site: Site) -> None:
    response = site.client.get("/feeds/entries.atom")
    assert b"<img" not in response.content and b"<iframe" not in response.content
    assert b"<script" not in response.content
    root = ElementTree.fromstring(response.content)
    titles = [e.text for e in root.iter(f"{{{ATOM}}}title")]
    assert "<img src=x onerror=alert(1)>" in titles


def test_filtered_like_the_page_and_the_api(site: Site) -> None:
    feed = parsed(site.client.get("/feeds/entries.atom?country=SN"))
    assert [e.title for e in feed.entries] == ["Fresh Approved Org", "ODC <iframe src=javascript:alert(9)>"]
    feed = parsed(site.client.get("/feeds/entries.atom?country=sn,FR&category=training"))
    assert [e.title for e in feed.entries] == ["Tick `${alert(5)}` \\u0060 name"]
    feed = parsed(site.client.get("/feeds/entries.atom?kind=odc"))
    assert [e.title for e in feed.entries] == ["ODC <iframe src=javascript:alert(9)>"]
    feed = parsed(site.client.get("/feeds/entries.atom?q=fresh"))
    assert [e.title for e in feed.entries] == ["Fresh Approved Org"]
    feed = parsed(site.client.get("/feeds/entries.atom?country=JP"))
    assert feed.entries == [] and feed.feed.updated_parsed is not None
    feed = parsed(site.client.get("/feeds/entries.atom?bbox=-20,10,-10,20"))  # west, south, east, north
    assert [e.title for e in feed.entries] == ["ODC <iframe src=javascript:alert(9)>"]  # Dakar
    feed = parsed(site.client.get("/feeds/entries.atom?updated_since=2100-01-01"))
    assert feed.entries == []
    # the feed follows the view: its alternate link is the map with the same filters
    feed = parsed(site.client.get("/feeds/entries.atom?country=SN&lang=fr"))
    assert feed.feed.link == "http://testserver/?lang=fr&country=SN"
    assert feed.entries[0].link == "http://testserver/fr/entry/fresh-approved-org"
    assert feed.feed.title == "Atlas de la Social Tech : entrées nouvelles et modifiées"


def test_each_filter_has_its_own_feed_id(site: Site) -> None:
    ids = {parsed(site.client.get(f"/feeds/entries.atom{q}")).feed.id for q in ("", "?country=SN", "?country=FR")}
    assert len(ids) == 3


BAD_QUERIES = ["contry=FR", "country=FRA", "category=nope", "kind=person", "status=closed", "lang=de", "bbox=1,2"]


@pytest.mark.parametrize("query", [*BAD_QUERIES, "updated_since=yesterday", "q=" + "a" * 300])
def test_a_bad_parameter_is_a_400_that_names_it_as_the_api_does(site: Site, query: str) -> None:
    response = site.client.get(f"/feeds/entries.atom?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == query.split("=")[0]


def test_the_articles_feed(site: Site) -> None:
    feed = parsed(site.client.get("/feeds/articles.atom"))
    assert feed.feed.title == "Social Tech Atlas: articles"
    assert feed.entries, "the hostile atlas has readable articles"
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.updated_parsed is not None
        assert entry.link.startswith("http://testserver/?article=")
    french = parsed(site.client.get("/feeds/articles.atom?lang=fr"))
    assert french.feed.title == "Atlas de la Social Tech : articles"
    assert "lang=fr" in french.entries[0].link
    assert site.client.get("/feeds/articles.atom?country=FR").status_code == 400


def test_an_unchanged_feed_is_a_304(site: Site) -> None:
    first = site.client.get("/feeds/entries.atom?country=SN")
    again = site.client.get("/feeds/entries.atom?country=SN", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_writer_drops_what_xml_cannot_carry() -> None:
    now = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    item = FeedItem(urn("https://a.example/", "entry", "x"), "Nul\x00 & <b>", "https://a.example/entry/x", now)
    body = atom(Feed("urn:x", "T", "https://a.example/f", "https://a.example/", now, "A", items=[item]))
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert feed.entries[0].title == "Nul & <b>"
    assert feed.entries[0].updated == "2025-01-02T03:04:05Z"
    assert urn("https://a.example/", "entry", "x") == urn("https://a.example/", "entry", "x")
    assert urn("https://a.example/", "entry", "x") != urn("https://b.example/", "entry", "x")
