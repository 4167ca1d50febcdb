"""The sitemap (valid against the sitemaps.org XSD), robots.txt and oEmbed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
import xmlschema
from defusedxml import ElementTree

from atlas.web.discovery import SITEMAP
from tests.web.site import SECRET_CONTACT, Site, make_site

XSD = Path(__file__).resolve().parents[1] / "fixtures" / "sitemaps" / "sitemap.xsd"
PUBLISHED = {"xss-img", "xss-tick", "md-beacon", "fullwidth-formula", "odc-xss", "fresh-approved-org"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    yield from make_site(tmp_path_factory.mktemp("discovery"))


def test_the_sitemap_is_valid_and_lists_every_page_in_both_languages(site: Site) -> None:
    response = site.client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    xmlschema.XMLSchema(str(XSD)).validate(response.content.decode("utf-8"))
    root = ElementTree.fromstring(response.content)
    urls = {u.findtext(f"{{{SITEMAP}}}loc"): u.findtext(f"{{{SITEMAP}}}lastmod") for u in root}
    expected = {f"http://testserver/{p}entry/{i}" for i in PUBLISHED for p in ("", "fr/")}
    expected |= {f"http://testserver/{p}country/{c}" for c in ("FR", "SN") for p in ("", "fr/")}
    assert set(urls) == expected  # BE's one entry is withdrawn: no page for BE
    assert all(len(day) == 10 and day.startswith("20") for day in urls.values())
    for secret in (SECRET_CONTACT, "pending-secret-org", "rejected-spam-shop", "plain-row"):
        assert secret not in response.text


def test_the_sitemap_names_the_public_address(site: Site, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_PUBLIC_URL", "https://atlas.example.org/sub")
    body = site.client.get("/sitemap.xml").text
    assert "<loc>https://atlas.example.org/sub/entry/xss-img</loc>" in body
    assert "http://testserver" not in body
    robots = site.client.get("/robots.txt").text
    assert "Sitemap: https://atlas.example.org/sub/sitemap.xml" in robots.splitlines()


def test_robots_txt(site: Site) -> None:
    response = site.client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Disallow: /_stcore/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /entry") or line == "Disallow: /" for line in lines)


def oembed(site: Site, url: str, **params: str):
    query = "&".join([f"url={quote(url, safe='')}", *(f"{k}={v}" for k, v in params.items())])
    return site.client.get(f"/oembed?{query}")


def frame_of(html: str) -> lxml.html.HtmlElement:
    (frame,) = lxml.html.fragments_fromstring(html)
    assert frame.tag == "iframe"
    return frame


def test_oembed_for_an_entry_page(site: Site) -> None:
    response = oembed(site, "http://testserver/fr/entry/xss-img")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    data = json.loads(response.text)
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert (data["width"], data["height"]) == (600, 450)
    assert data["provider_url"] == "http://testserver/"
    assert data["title"] == "<img src=x onerror=alert(1)> · Atlas de la Social Tech"
    frame = frame_of(data["html"])
    assert frame.get("src") == "http://testserver/?lang=fr&entry=xss-img&embed=true"
    assert frame.get("title") == data["title"]  # an attribute, escaped: the frame is all there is
    assert "<img" not in data["html"]


def test_oembed_for_the_map_with_filters_and_a_country(site: Site) -> None:
    data = oembed(site, "http://testserver/?country=SN&category=civic_tech&view=10,10,5&inview=1").json()
    assert frame_of(data["html"]).get("src") == (
        "http://testserver/?country=SN&category=civic_tech&view=10.0000,10.0000,5&embed=true"
    )
    data = oembed(site, "http://testserver/country/FR").json()
    assert frame_of(data["html"]).get("src") == "http://testserver/?country=FR&embed=true"
    assert oembed(site, "http://testserver").status_code == 200


def test_oembed_honours_the_maximum_size(site: Site) -> None:
    data = oembed(site, "http://testserver/entry/xss-img", maxwidth="320", maxheight="200").json()
    assert (data["width"], data["height"]) == (320, 200)
    frame = frame_of(data["html"])
    assert (frame.get("width"), frame.get("height")) == ("320", "200")
    data = oembed(site, "http://testserver/entry/xss-img", maxwidth="5000").json()
    assert (data["width"], data["height"]) == (600, 450)


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("https://evil.example/entry/xss-img", {}, 404),
        ("http://testserver.evil.example/", {}, 404),
        ("javascript:alert(1)", {}, 404),
        ("http://testserver/entry/pending-secret-org", {}, 404),
        ("http://testserver/entry/plain-row", {}, 404),
        ("http://testserver/entry/no-such", {}, 404),
        ("http://testserver/country/XX", {}, 404),
        ("http://testserver/_stcore/health", {}, 404),
        ("http://testserver/entry/xss-img", {"format": "xml"}, 501),
        ("http://testserver/entry/xss-img", {"maxwidth": "-1"}, 400),
        ("http://testserver/entry/xss-img", {"maxheight": "wide"}, 400),
        ("http://testserver/entry/xss-img", {"callback": "x"}, 400),
        ("", {}, 400),
    ],
)
def test_oembed_refuses(site: Site, url: str, params: dict, status: int) -> None:
    response = oembed(site, url, **params)
    assert response.status_code == status
    assert "error" in response.json()
    assert response.headers["cache-control"] == "no-store"
