"""The entry and country pages (/entry/{id}, /country/{cc}, /fr/…): what a reader, a search engine
and a link preview get; hostile data escaped; nothing unpublished or private ever shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin

import lxml.html
import pytest

from tests.web.site import SECRET_CONTACT, Site, make_site

HOSTILE = {
    "xss-img": "<img src=x onerror=alert(1)>",
    "xss-tick": "Tick `${alert(5)}` \\u0060 name",
    "md-beacon": "Beacon ![x](http://attacker.invalid/pixel.png)",
    "odc-xss": "ODC <iframe src=javascript:alert(9)>",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    yield from make_site(tmp_path_factory.mktemp("pages"))


def doc(response) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(response.text)


def meta(page: lxml.html.HtmlElement, key: str) -> str:
    (value,) = page.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
    return str(value)


def jsonld_of(page: lxml.html.HtmlElement) -> dict:
    (script,) = page.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def assert_inert(response) -> None:
    """No element or attribute of the page can run anything: the one script is the JSON-LD, no
    `on…` attribute, every link and source http(s) or relative."""
    page = doc(response)
    for script in page.iter("script"):
        assert script.get("type") == "application/ld+json"
        assert "</" not in script.text and "<!--" not in script.text
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("iframe", "img", "svg", "object", "embed", "b", "form"), element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src"):
                assert value.startswith(("http://", "https://", "/app/static/")), value


def test_an_entry_page_says_what_the_record_says(site: Site) -> None:
    response = site.client.get("/entry/alpha-civic")
    assert response.status_code == 404  # the hostile atlas has no such entry
    response = site.client.get("/entry/fresh-approved-org")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = doc(response)
    assert page.get("lang") == "en"
    assert page.findtext(".//title") == "Fresh Approved Org · Social Tech Atlas"
    assert page.findtext(".//h1") == "Fresh Approved Org"
    assert meta(page, "description") == "A test organisation."
    body = page.text_content()
    for text in ("Civic tech", "Dakar, Senegal", "their website", "Open Data Commons", "Last change"):
        assert text in body, text
    (link,) = page.xpath('//a[@class="map-link"]/@href')
    assert link == "http://testserver/?entry=fresh-approved-org"
    assert page.xpath('//a[@href="https://techforgood.example.org"]')
    assert page.xpath("//time/@datetime")[0].startswith("20")


def test_the_french_page_is_french_and_opens_the_french_map(site: Site) -> None:
    page = doc(site.client.get("/fr/entry/fresh-approved-org"))
    assert page.get("lang") == "fr"
    assert meta(page, "description") == "Une organisation de test."
    assert "Dernière modification" in page.text_content()
    assert "Sénégal" in page.text_content()
    (link,) = page.xpath('//a[@class="map-link"]/@href')
    assert link == "http://testserver/?lang=fr&entry=fresh-approved-org"
    assert page.xpath('//a[@class="map-link"]')[0].text == "Ouvrir sur la carte"


def test_addresses_canonical_alternates_and_previews(site: Site, monkeypatch) -> None:
    page = doc(site.client.get("/fr/entry/xss-img"))
    assert page.xpath('//link[@rel="canonical"]/@href') == ["http://testserver/fr/entry/xss-img"]
    alternates = {a.get("hreflang"): a.get("href") for a in page.xpath('//link[@rel="alternate"][@hreflang]')}
    assert alternates == {
        "en": "http://testserver/entry/xss-img",
        "fr": "http://testserver/fr/entry/xss-img",
        "x-default": "http://testserver/entry/xss-img",
    }
    assert meta(page, "og:title") == HOSTILE["xss-img"]
    assert meta(page, "og:url") == "http://testserver/fr/entry/xss-img"
    assert meta(page, "og:locale") == "fr_FR"
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "twitter:title") == HOSTILE["xss-img"]
    feeds = page.xpath('//link[@type="application/atom+xml"]/@href')
    assert feeds == ["http://testserver/feeds/entries.atom?lang=fr"]
    (oembed,) = page.xpath('//link[@type="application/json+oembed"]/@href')
    assert oembed.startswith("http://testserver/oembed?url=http")

    monkeypatch.setenv("ATLAS_PUBLIC_URL", "https://atlas.example.org/")
    page = doc(site.client.get("/entry/xss-img"))
    assert page.xpath('//link[@rel="canonical"]/@href') == ["https://atlas.example.org/entry/xss-img"]
    assert page.xpath('//a[@class="map-link"]/@href') == ["https://atlas.example.org/?entry=xss-img"]
    assert jsonld_of(page)["url"] == "https://atlas.example.org/entry/xss-img"


def test_the_json_ld_parses_and_names_the_entry(site: Site) -> None:
    page = doc(site.client.get("/entry/fresh-approved-org"))
    data = jsonld_of(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == "Fresh Approved Org"
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Dakar", "addressCountry": "SN"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 45.7578, "longitude": 4.832}
    assert data["sameAs"] == ["https://techforgood.example.org"]


@pytest.mark.parametrize("entry_id", sorted(HOSTILE))
@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_hostile_names_and_descriptions_come_back_as_text(site: Site, entry_id: str, prefix: str) -> None:
    response = site.client.get(f"{prefix}/entry/{entry_id}")
    assert response.status_code == 200
    assert_inert(response)
    page = doc(response)
    name = HOSTILE[entry_id]
    assert page.findtext(".//h1") == name  # shown exactly as typed, as text
    assert jsonld_of(page)["name"] == name
    assert meta(page, "og:title") == name
    assert "<script>alert" not in response.text and "<img src" not in response.text
    assert "javascript:" not in "".join(page.xpath("//@href"))


def test_a_script_in_a_description_cannot_close_the_json_ld(site: Site) -> None:
    response = site.client.get("/entry/xss-img")
    page = doc(response)
    assert jsonld_of(page)["description"] == "</script><script>alert(3)</script>"
    assert page.xpath('//p[@class="description"]')[0].text == "</script><script>alert(3)</script>"
    assert "sameAs" not in jsonld_of(page)  # its website is javascript:
    assert response.text.count("<script") == 1


def test_a_strict_content_security_policy(site: Site) -> None:
    response = site.client.get("/entry/xss-tick")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp and "img-src 'self' data:" in csp
    assert "script-src" not in csp and "unsafe" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    (css,) = doc(response).xpath('//link[@rel="stylesheet"]/@href')
    assert css.startswith("/app/static/web/page.css?v=")


@pytest.mark.parametrize("which", ["pending", "rejected", "withdrawn", "unknown", "bad", "long"])
@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_what_is_not_published_is_a_real_404(site: Site, which: str, prefix: str) -> None:
    odd = {"unknown": "no-such-entry", "bad": "Not%20A%3Cslug%3E", "long": "a" * 150}
    entry_id = odd.get(which) or getattr(site, which)
    response = site.client.get(f"{prefix}/entry/{entry_id}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = doc(response)
    assert page.get("lang") == ("fr" if prefix else "en")
    assert page.findtext(".//h1") == ("Page introuvable" if prefix else "Page not found")
    assert meta(page, "robots") == "noindex"
    assert "Pending Secret Org" not in response.text and "Plain Row" not in response.text
    assert_inert(response)


def test_no_page_shows_a_private_contact_or_an_unpublished_entry(site: Site) -> None:
    for url in ("/country/SN", "/fr/country/SN", "/country/FR", "/entry/fresh-approved-org", "/entry/odc-xss"):
        response = site.client.get(url)
        assert response.status_code == 200, url
        for secret in (SECRET_CONTACT, "Pending Secret Org", "Rejected Spam Shop", "Plain Row", "advertising"):
            assert secret not in response.text, (url, secret)


def test_a_country_page_lists_its_entries_with_links(site: Site) -> None:
    response = site.client.get("/country/FR")
    assert response.status_code == 200
    assert_inert(response)
    page = doc(response)
    assert page.get("lang") == "en"
    assert page.findtext(".//h1") == "France on the Social Tech Atlas"
    links = {a.text: a.get("href") for a in page.xpath('//ul[@class="entries"]//a')}
    assert links[HOSTILE["xss-img"]] == "http://testserver/entry/xss-img"
    assert links[HOSTILE["md-beacon"]] == "http://testserver/entry/md-beacon"
    assert "Fresh Approved Org" not in links  # in Senegal
    (map_link,) = page.xpath('//a[@class="map-link"]/@href')
    assert map_link == "http://testserver/?country=FR"
    assert page.xpath('//link[@type="application/atom+xml"]/@href') == [
        "http://testserver/feeds/entries.atom?country=FR"
    ]

    french = doc(site.client.get("/fr/country/SN"))
    assert french.get("lang") == "fr"
    names = [a.text for a in french.xpath('//ul[@class="entries"]//a')]
    assert names == ["Fresh Approved Org", HOSTILE["odc-xss"]]
    assert french.xpath('//ul[@class="entries"]//a/@href')[0] == "http://testserver/fr/entry/fresh-approved-org"


def test_country_addresses(site: Site) -> None:
    response = site.client.get("/country/fr", follow_redirects=False)
    assert response.status_code == 301
    assert urljoin(str(response.url), response.headers["location"]) == "http://testserver/country/FR"
    french = site.client.get("/fr/country/sn", follow_redirects=False)
    assert urljoin(str(french.url), french.headers["location"]) == "http://testserver/fr/country/SN"
    assert site.client.get("/fr/country/sn").url == "http://testserver/fr/country/SN"
    for url in ("/country/XX", "/country/FRA", "/country/JP", "/fr/country/1A", "/country/BE"):  # BE: withdrawn only
        response = site.client.get(url)
        assert response.status_code == 404, url
        assert "Page" in doc(response).findtext(".//h1")


def test_an_unchanged_page_is_not_sent_again(site: Site) -> None:
    first = site.client.get("/entry/fresh-approved-org")
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = site.client.get("/entry/fresh-approved-org", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = site.client.get("/fr/entry/fresh-approved-org", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another page, another tag


def test_an_odc_page_gives_its_status_and_opening(site: Site) -> None:
    page = doc(site.client.get("/fr/entry/odc-xss"))
    facts = [e.text_content() for e in page.xpath('//dl[@class="facts"]/*')]
    assert facts[facts.index("Statut") + 1] == "Ouvert"
    assert facts[facts.index("Ouverture") + 1] == "2020-01"
    assert page.xpath('//ul[@class="tags"]/li')[0].text == "Orange Digital Center"


def test_a_weak_etag_matches_weakly(site: Site) -> None:
    etag = site.client.get("/country/SN").headers["etag"]
    assert etag.startswith('W/"')
    bare = etag.removeprefix("W/")
    assert site.client.get("/country/SN", headers={"If-None-Match": f'"x", {bare}'}).status_code == 304


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://atlas.example.org", "https://atlas.example.org/"),
        ("http://127.0.0.1:8080/sub/", "http://127.0.0.1:8080/sub/"),
        ("", ""),
        ("javascript:alert(1)", ""),
        ('https://atlas.example.org/"><script>', ""),
        ("ftp://atlas.example.org/", ""),
    ],
)
def test_the_public_address_setting(monkeypatch, value: str, expected: str) -> None:
    from atlas import config

    monkeypatch.setenv("ATLAS_PUBLIC_URL", value)
    assert config.public_url() == expected
