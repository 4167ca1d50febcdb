"""A page per published entry and per country, server-rendered: readable without Streamlit or JavaScript.

    /entry/{id}      /fr/entry/{id}      one entry: what the map's record shows, with its sources,
                                         licence, the articles that mention it, its last change
    /country/{cc}    /fr/country/{cc}    the entries of one country, each linking to its page

The pages are small HTML documents drawn by Jinja2 templates (`atlas/web/templates/`, autoescape
on: every name, description or URL from the data or from the request is escaped), styled by one
stylesheet of this server (`static/web/page.css`), with no script at all: the only `<script>` is
the entry's schema.org JSON-LD (`atlas.web.jsonld`), which browsers do not execute and whose text
cannot close its element. The Content-Security-Policy allows nothing else.

They read the published atlas through `atlas.web.published` (published entries only, public
fields only), answer 404 with a real page for an unknown, pending, rejected or withdrawn id, and
carry an ETag (the data revision and the address) so that nginx and browsers revalidate cheaply.
Absolute URLs (canonical, hreflang alternates, OpenGraph, JSON-LD) start from `ATLAS_PUBLIC_URL`,
or else from the address the request came to.

The helpers at the top (`site_base`, `absolute`, `cached`) serve the feeds and the sitemap too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from atlas import assets, config, labels
from atlas.categories import category_label
from atlas.countries import country_name, is_country_code
from atlas.i18n import t, tn
from atlas.provenance import mention_items, reader_sources, title_index
from atlas.schema import SLUG
from atlas.text import safe_url
from atlas.urlstate import MAX_ENTRY, UrlState, share_url
from atlas.web import jsonld
from atlas.web.http import BODIES
from atlas.web.published import Published, Query, published

TEMPLATES = Path(__file__).parent / "templates"
STATIC_WEB = assets.STATIC_DIR / "web"
DESCRIPTION_CHARS = 200
# No script may run (the JSON-LD is data, not executed); styles and images from this server only.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
CACHE_CONTROL = "public, max-age=60"  # then revalidated with the ETag (cheap: a 304)
LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@cache
def design_version() -> str:
    """A digest of the templates and the stylesheet: part of every ETag, so that a new release's
    pages are not answered with a 304 for the old ones when the data has not changed."""
    digest = hashlib.sha256()
    for path in sorted([*TEMPLATES.glob("*.html"), STATIC_WEB / "page.css"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def environment() -> Environment:
    """Jinja2 with autoescape on for every template (HTML and XML alike)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        keep_trailing_newline=True,
    )


# -- addresses --------------------------------------------------------------------------------------


def site_base(request: Request) -> str:
    """The atlas's root address, ending with `/`: `ATLAS_PUBLIC_URL`, else where the request came."""
    configured = config.public_url()
    if configured:
        return configured
    root = str(request.base_url)
    return root if root.endswith("/") else root + "/"


def absolute(base: str, path: str) -> str:
    """`path` (relative to the atlas's root, no leading `/`) under `base`."""
    return base + path.lstrip("/")


def entry_path(entry_id: str, lang: str) -> str:
    return f"{'fr/' if lang == 'fr' else ''}entry/{quote(entry_id, safe='')}"


def country_path(code: str, lang: str) -> str:
    return f"{'fr/' if lang == 'fr' else ''}country/{quote(code, safe='')}"


def map_url(base: str, lang: str, entry: str = "", countries: tuple[str, ...] = ()) -> str:
    """The atlas's page with the entry open (`?entry=`) or the countries chosen, in `lang`."""
    from atlas.filters import Filters

    return share_url(base, UrlState(lang=lang, entry=entry, filters=Filters(countries=countries)))


def feed_path(lang: str, query: Mapping[str, str] | None = None) -> str:
    params = {**(query or {}), **({"lang": "fr"} if lang == "fr" else {})}
    return "feeds/entries.atom" + (f"?{urlencode(params, quote_via=quote, safe=',')}" if params else "")


def css_url(base: str) -> str:
    """The stylesheet's address from the server's root (under the atlas's base path, if any): the
    same host as the page whatever `ATLAS_PUBLIC_URL` says, as `style-src 'self'` requires."""
    return urlsplit(base).path.rstrip("/") + assets.own_url("page.css", folder=STATIC_WEB)


# -- responses ----------------------------------------------------------------------------------------


def cached(
    request: Request,
    snap: Published,
    build: Any,
    media_type: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`build()`'s body with an ETag of the data revision and the request's address (path, query
    and the public base): a 304 when the client already has it; else the body, built once per
    revision and address and then kept with the API's bodies (`atlas.web.http.BODIES`)."""
    tag = snap.etag(design_version(), site_base(request), request.url.path, str(request.url.query))
    common = {"ETag": tag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if status == 200 and tag.removeprefix("W/") in _if_none_match(request):
        return Response(status_code=304, headers=common)
    key = f"{media_type} {tag}"
    body = BODIES.get(key) if status == 200 else None
    if body is None:
        built = build()
        body = built.encode("utf-8") if isinstance(built, str) else built
        if status == 200:
            BODIES.put(key, body)
    return Response(body, status_code=status, media_type=media_type, headers=common)


def _if_none_match(request: Request) -> set[str]:
    raw = request.headers.get("if-none-match", "")
    return {part.strip().removeprefix("W/") for part in raw.split(",") if part.strip()}  # weak comparison


def html_response(body: str, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


# -- what the templates are given -------------------------------------------------------------------


def _date_text(moment: dt.datetime | None, lang: str) -> str:
    return format_date(moment.date(), format="long", locale=LOCALES[lang]) if moment else ""


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _place(record: Mapping[str, Any], lang: str) -> str:
    return ", ".join(p for p in (record.get("city"), record.get(f"country_name_{lang}")) if p)


def _postal_place(record: Mapping[str, Any], lang: str) -> str:
    """The whole postal line: street, postcode and town, region, country ("Cantersteen 10, 1000 Brussels, Belgium")."""
    town = " ".join(str(p) for p in (record.get("postcode"), record.get("city")) if p)
    parts = (record.get("address"), town, record.get("region"), record.get(f"country_name_{lang}"))
    return ", ".join(str(p) for p in parts if p)


def _kind_label(record: Mapping[str, Any], lang: str) -> str:
    return t("kind_odc", lang) if record.get("kind") == "odc" else category_label(str(record.get("category")), lang)


def _alternates(base: str, path_of: Any) -> list[dict[str, str]]:
    return [
        {"hreflang": "en", "href": absolute(base, path_of("en"))},
        {"hreflang": "fr", "href": absolute(base, path_of("fr"))},
        {"hreflang": "x-default", "href": absolute(base, path_of("en"))},
    ]


def licence_parts(snap: Published, lang: str) -> dict[str, str]:
    """The licence sentence around the licence's name, so that the template links the name to the
    licence's text (`rel="license"`) instead of writing its URL out."""
    licence = snap.licence
    marker = "\u0000"
    text = t("licence_line", lang, name=marker, url="", attribution=licence.attribution)
    before, _, after = text.partition(marker)
    return {"before": before, "name": licence.name, "after": after, "url": safe_url(licence.url)}


def _frame(base: str, lang: str, path_of: Any, snap: Published) -> dict[str, Any]:
    """What every page shares: language, addresses, stylesheet, feed, licence."""
    other = "fr" if lang == "en" else "en"
    return {
        "lang": lang,
        "site_name": t("app_title", lang),
        "home": map_url(base, lang),
        "css": css_url(base),
        "feed_url": absolute(base, feed_path(lang)),
        "feed_title": t("web_feed_entries_title", lang),
        "feed_link": t("web_feed_entries_link", lang),
        "licence": licence_parts(snap, lang),
        "other_language": (
            {"href": absolute(base, path_of(other)), "lang": other, "label": t("web_other_language", lang)}
            if path_of
            else None
        ),
        "labels": {
            "open_on_map": t("web_open_on_map", lang),
            "place": t("web_place", lang),
            "status": t("field_status", lang),
            "opened": t("field_opened", lang),
            "website": t("web_website", lang),
            "last_change": t("web_last_change", lang),
            "sources": t("web_sources", lang),
            "no_source": t("web_no_source", lang),
            "mentioned_in": t("mentioned_in", lang),
            "entries": t("web_entries", lang),
            "back_to_atlas": t("web_back_to_atlas", lang),
        },
    }


def entry_context(snap: Published, record: Mapping[str, Any], base: str, lang: str) -> dict[str, Any]:
    """Everything the entry template shows, from the entry's public record (`Published.entry`)."""
    entry_id = str(record["id"])
    articles = snap.mentioning(entry_id)
    index = title_index((a.id, (a.title_en, a.title_fr)) for a in snap.articles)
    sources = reader_sources(record.get("source"), lang, index, {a.id: a.title(lang) for a in snap.articles})
    by_id = {a.id: a for a in articles}
    article_items = [
        {
            "title": label,
            "url": share_url(base, UrlState(lang=lang, article=article_id)),
            "published": by_id[article_id].published,
        }
        for article_id, label in mention_items(articles, lang)
    ]
    description = str(record.get(f"description_{lang}") or record.get("description_en") or "")
    kind_label = _kind_label(record, lang)
    place = _place(record, lang)
    summary = t("web_entry_summary", lang, name=record["name"], category=kind_label, place=place or "—")
    updated = snap.updated_at(entry_id)
    page = absolute(base, entry_path(entry_id, lang))
    country = str(record.get("country") or "")
    status = record.get("status")
    data = jsonld.entry_jsonld(
        record,
        page,
        lang,
        description=description,
        articles=[{"title": a["title"], "url": a["url"]} for a in article_items],
        country_name=str(record.get(f"country_name_{lang}") or ""),
    )
    oembed = absolute(base, "oembed?" + urlencode({"url": page, "format": "json"}))
    return {
        **_frame(base, lang, lambda other: entry_path(entry_id, other), snap),
        "title": f"{record['name']} · {t('app_title', lang)}",
        "description": _short(description or summary),
        "canonical": page,
        "alternates": _alternates(base, lambda other: entry_path(entry_id, other)),
        "oembed": oembed,
        "og": {
            "type": "website",
            "title": record["name"],
            "locale": LOCALES[lang],
            "locale_alternate": LOCALES["fr" if lang == "en" else "en"],
        },
        "jsonld": jsonld.script_text(data),
        "entry": {
            "name": record["name"],
            "category_label": kind_label,
            "place": place,
            "address": record.get("address") or "",
            "postal_place": _postal_place(record, lang),
            "description": description,
            "status": t(labels.STATUS[str(status)], lang)
            if record.get("kind") == "odc" and status in labels.STATUS
            else "",
            "opened": str(record.get("opened") or "") if record.get("kind") == "odc" else "",
            "website": safe_url(record.get("website")),
            "map_url": map_url(base, lang, entry=entry_id),
            "country_url": absolute(base, country_path(country, lang)) if country else "",
            "country_link": t("web_country_link", lang, country=record.get(f"country_name_{lang}") or country),
            "updated_iso": updated.isoformat() if updated else "",
            "updated_text": _date_text(updated, lang),
            "sources": sources,
            "source_pages": [u for u in (safe_url(p) for p in snap.source_pages(entry_id)) if u],
            "articles": article_items,
        },
    }


def country_context(snap: Published, code: str, rows: Sequence[Mapping[str, Any]], base: str, lang: str) -> dict:
    name = country_name(code, lang)
    items = sorted(
        (
            {
                "name": r["name"],
                "url": absolute(base, entry_path(str(r["id"]), lang)),
                "category_label": _kind_label(r, lang),
                "city": r.get("city") or "",
            }
            for r in rows
        ),
        key=lambda item: (str(item["name"]).casefold(), item["url"]),
    )
    page = absolute(base, country_path(code, lang))
    summary = tn("web_country_summary", len(items), lang, country=name)
    return {
        **_frame(base, lang, lambda other: country_path(code, other), snap),
        "title": f"{t('web_country_title', lang, country=name)}",
        "heading": t("web_country_title", lang, country=name),
        "summary": summary,
        "description": _short(summary),
        "canonical": page,
        "alternates": _alternates(base, lambda other: country_path(code, other)),
        "og": {
            "type": "website",
            "title": t("web_country_title", lang, country=name),
            "locale": LOCALES[lang],
            "locale_alternate": LOCALES["fr" if lang == "en" else "en"],
        },
        "map_url": map_url(base, lang, countries=(code,)),
        "feed_url": absolute(base, feed_path(lang, {"country": code})),
        "entries": items,
    }


def not_found_page(request: Request, lang: str) -> Response:
    """The 404 page (a real page, in the path's language, not indexed)."""
    base = site_base(request)
    snap = published()
    context = {
        **_frame(base, lang, None, snap),
        "title": f"{t('web_not_found_title', lang)} · {t('app_title', lang)}",
        "heading": t("web_not_found_title", lang),
        "text": t("web_not_found_text", lang),
        "description": t("web_not_found_text", lang),
        "noindex": True,
    }
    body = environment().get_template("not_found.html").render(context)
    return html_response(body, status=404, headers={**PAGE_HEADERS, "Cache-Control": "no-cache"})


# -- routes ---------------------------------------------------------------------------------------


def _lang(request: Request) -> str:
    return "fr" if request.url.path.startswith("/fr/") else "en"


def entry_page(request: Request) -> Response:
    lang = _lang(request)
    entry_id = str(request.path_params.get("entry_id", ""))
    if not (len(entry_id) <= MAX_ENTRY and SLUG.fullmatch(entry_id)):
        return not_found_page(request, lang)
    snap = published()
    record = snap.entry(entry_id)
    if record is None:
        return not_found_page(request, lang)
    base = site_base(request)

    def build() -> str:
        return environment().get_template("entry.html").render(entry_context(snap, record, base, lang))

    return cached(request, snap, build, "text/html; charset=utf-8", headers=PAGE_HEADERS)


def country_page(request: Request) -> Response:
    lang = _lang(request)
    raw = str(request.path_params.get("code", ""))
    code = raw.upper()
    if not (len(raw) == 2 and raw.isalpha() and raw.isascii() and is_country_code(code)):
        return not_found_page(request, lang)
    if raw != code:  # one address per page: /country/fr → /country/FR (relative: any base path is kept)
        return RedirectResponse(quote(code), status_code=301, headers={"Cache-Control": "public, max-age=3600"})
    snap = published()
    rows = snap.records(snap.select(Query(countries=(code,))))
    if not rows:
        return not_found_page(request, lang)
    base = site_base(request)

    def build() -> str:
        return environment().get_template("country.html").render(country_context(snap, code, rows, base, lang))

    return cached(request, snap, build, "text/html; charset=utf-8", headers=PAGE_HEADERS)


ROUTES: list[BaseRoute] = [
    Route("/entry/{entry_id}", entry_page, methods=["GET", "HEAD"]),
    Route("/fr/entry/{entry_id}", entry_page, methods=["GET", "HEAD"]),
    Route("/country/{code}", country_page, methods=["GET", "HEAD"]),
    Route("/fr/country/{code}", country_page, methods=["GET", "HEAD"]),
]
