"""How search engines and other sites find the atlas: the sitemap, robots.txt and oEmbed.

    /sitemap.xml     every published entry's page and every country page, in English and French,
                     with the date of the last change (sitemaps.org protocol 0.9)
    /robots.txt      the pages are open to crawlers; Streamlit's internals are not; where the sitemap is
    /oembed          oEmbed 1.0 (https://oembed.com): for an address of this atlas (the map with its
                     filters, an entry's page, a country's page), the `<iframe>` code that embeds the
                     map showing it (`type: rich`), within `maxwidth`/`maxheight`; 404 for an
                     address elsewhere, 501 for a format other than JSON

The XML is written by `xml.etree` (every URL escaped); the addresses start from `ATLAS_PUBLIC_URL`,
or else from the address of the request (`atlas.web.pages.site_base`).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from atlas.countries import country_name, is_country_code
from atlas.filters import Filters
from atlas.i18n import t
from atlas.schema import SLUG
from atlas.urlstate import EMBED_HEIGHT, EMBED_WIDTH, MAX_ENTRY, UrlState, decode, embed_code, share_url
from atlas.web import pages
from atlas.web.published import UPDATED, Published, published

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the protocol's limit for one file
MAX_OEMBED_URL = 2048
_ENTRY = re.compile(r"(?:(fr)/)?entry/([^/]+)")
_COUNTRY = re.compile(r"(?:(fr)/)?country/([A-Za-z]{2})")
JSON_HEADERS = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}


# -- sitemap ----------------------------------------------------------------------------------------


def sitemap(snap: Published, base: str) -> bytes:
    """The sitemap of `snap`'s pages under `base`: each entry and country page in both languages."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    frame = snap.frame
    urls: list[tuple[str, str]] = []
    for entry_id, stamp in zip(frame["id"], frame[UPDATED], strict=True):
        day = stamp.date().isoformat()
        urls += [(pages.absolute(base, pages.entry_path(str(entry_id), lang)), day) for lang in ("en", "fr")]
    if not frame.empty:
        newest = frame.groupby("country")[UPDATED].max()
        for code, stamp in newest.items():
            if is_country_code(code):
                day = stamp.date().isoformat()
                urls += [(pages.absolute(base, pages.country_path(str(code), lang)), day) for lang in ("en", "fr")]
    for loc, day in urls[:MAX_URLS]:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = loc
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = day
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def sitemap_route(request: Request) -> Response:
    snap = published()
    base = pages.site_base(request)
    headers = {"X-Content-Type-Options": "nosniff"}
    return pages.cached(request, snap, lambda: sitemap(snap, base), "application/xml; charset=utf-8", headers=headers)


# -- robots.txt -----------------------------------------------------------------------------------


def robots(base: str) -> str:
    return (
        "# Social Tech Atlas: the entry and country pages, feeds and map are open to crawlers.\n"
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /_stcore/\n"
        "Disallow: /component/\n"
        "Disallow: /media/\n"
        "Disallow: /oembed\n"
        f"Sitemap: {base}sitemap.xml\n"
    )


def robots_route(request: Request) -> Response:
    return Response(
        robots(pages.site_base(request)),
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


# -- oEmbed ---------------------------------------------------------------------------------------


class NotOurs(LookupError):
    """The URL is not a page of this atlas (or names an entry it does not publish)."""


def embedded_state(url: str, base: str, snap: Published) -> tuple[UrlState, str]:
    """What the map should show for `url`, a page of the atlas at `base`, and the embed's title."""
    parts, root = urlsplit(url), urlsplit(base)
    if (parts.scheme.lower(), parts.netloc.lower()) != (root.scheme.lower(), root.netloc.lower()):
        raise NotOurs(url)
    root_path, path = root.path or "/", parts.path or "/"
    if path + "/" == root_path:
        rest = ""
    elif path.startswith(root_path):
        rest = unquote(path[len(root_path) :]).strip("/")
    else:
        raise NotOurs(url)
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if rest == "":
        state = replace(decode(params), in_view=False, ignored=())
        return state, t("app_title", state.lang)
    entry = _ENTRY.fullmatch(rest)
    if entry:
        lang, entry_id = entry[1] or "en", entry[2]
        record = snap.entry(entry_id) if len(entry_id) <= MAX_ENTRY and SLUG.fullmatch(entry_id) else None
        if record is None:
            raise NotOurs(url)
        return UrlState(lang=lang, entry=entry_id), f"{record['name']} · {t('app_title', lang)}"
    country = _COUNTRY.fullmatch(rest)
    if country and is_country_code(country[2].upper()):
        lang, code = country[1] or "en", country[2].upper()
        state = UrlState(lang=lang, filters=Filters(countries=(code,)))
        return state, t("web_country_title", lang, country=country_name(code, lang))
    raise NotOurs(url)


def _size(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,6}", raw) or int(raw) < 1:
        raise ValueError(name)
    return min(default, int(raw))


def _json(data: object, status: int = 200, cache: bool = False) -> Response:
    headers = {**JSON_HEADERS, "Cache-Control": "public, max-age=3600" if cache else "no-store"}
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json; charset=utf-8", headers=headers)


def oembed(request: Request, snap: Published) -> Response:
    """The oEmbed answer for `?url=…` (see the module's docstring)."""
    allowed = {"url", "format", "maxwidth", "maxheight"}
    unknown = sorted(set(request.query_params) - allowed)
    url = request.query_params.get("url", "").strip()
    if unknown or not url or len(url) > MAX_OEMBED_URL:
        return _json({"error": "give url (an address of this atlas), and optionally format, maxwidth, maxheight"}, 400)
    if request.query_params.get("format", "json") != "json":
        return _json({"error": "only format=json is served"}, 501)
    try:
        width, height = _size(request, "maxwidth", EMBED_WIDTH), _size(request, "maxheight", EMBED_HEIGHT)
    except ValueError as exc:
        return _json({"error": f"{exc} must be a positive whole number"}, 400)
    base = pages.site_base(request)
    try:
        state, title = embedded_state(url, base, snap)
    except NotOurs:
        return _json({"error": "not an address of this atlas, or not a published page"}, 404)
    frame_url = share_url(base, state, embed=True)
    return _json(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": t("app_title", state.lang),
            "provider_url": base,
            "title": title,
            "html": embed_code(frame_url, title, width, height),
            "width": width,
            "height": height,
            "cache_age": 3600,
        },
        cache=True,
    )


def oembed_route(request: Request) -> Response:
    return oembed(request, published())


ROUTES: list[BaseRoute] = [
    Route("/sitemap.xml", sitemap_route, methods=["GET", "HEAD"]),
    Route("/robots.txt", robots_route, methods=["GET", "HEAD"]),
    Route("/oembed", oembed_route, methods=["GET", "HEAD"]),
]
