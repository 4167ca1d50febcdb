"""Atom 1.0 feeds (RFC 4287) of the published atlas, for feed readers and aggregators.

    /feeds/entries.atom      new and changed published entries, newest change first; filtered
                             like the page and the API (?country=SN&category=digital_mediation,
                             region, kind, status, q; lang=fr for the French texts)
    /feeds/articles.atom     the published articles, newest first (?lang=fr)

An entry of the atlas appears once, at its last change (`updated`); a reader sees it again when it
changes. Ids are `urn:uuid:` URIs derived (UUID 5) from the atlas's public address and the entry's
or article's id: stable across revisions and replicas. The XML is written by `xml.etree`, which
escapes every text and attribute; characters XML cannot carry (controls) are dropped first.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from atlas.articles.model import Article
from atlas.categories import CATEGORY_IDS, category_label
from atlas.countries import is_country_code
from atlas.filters import Filters
from atlas.i18n import t
from atlas.regions import is_region_code
from atlas.schema import KINDS, ODC_STATUSES
from atlas.urlstate import MAX_QUERY, UrlState, share_url
from atlas.web import pages
from atlas.web.published import UPDATED, Published, Query, published

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_SIZE = 100  # entries in a feed: the most recent changes
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedItem:
    """One `<entry>` of a feed."""

    id: str
    title: str
    link: str
    updated: dt.datetime
    summary: str = ""
    published: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    lang: str = "en"


@dataclass(frozen=True)
class Feed:
    """A whole feed: its id, title, own address (`self`), the page it follows (`alternate`)."""

    id: str
    title: str
    self_url: str
    alternate_url: str
    updated: dt.datetime
    author: str
    lang: str = "en"
    subtitle: str = ""
    rights: str = ""
    items: Sequence[FeedItem] = field(default_factory=tuple)


def urn(base: str, kind: str, key: str) -> str:
    """A stable Atom id for `kind`/`key` on the atlas at `base`: `urn:uuid:…` (UUID 5)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{base}#{kind}/{key}").urn


def rfc3339(moment: dt.datetime) -> str:
    """An Atom date: RFC 3339, UTC, with `Z` (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _clean(text: object) -> str:
    return _NOT_XML.sub("", "" if text is None else str(text))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def atom(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document (UTF-8, with its XML declaration)."""
    ET.register_namespace("", ATOM)  # Atom as the default namespace (no ns0: prefix)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": feed.lang})
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title, type="text")
    if feed.subtitle:
        _sub(root, "subtitle", feed.subtitle, type="text")
    _sub(root, "updated", rfc3339(feed.updated))
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=feed.alternate_url)
    author = _sub(root, "author")
    _sub(author, "name", feed.author)
    _sub(root, "generator", "Social Tech Atlas")
    if feed.rights:
        _sub(root, "rights", feed.rights, type="text")
    for item in feed.items:
        entry = _sub(root, "entry")
        _sub(entry, "id", item.id)
        _sub(entry, "title", item.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=item.link)
        _sub(entry, "updated", rfc3339(item.updated))
        if item.published is not None:
            _sub(entry, "published", rfc3339(item.published))
        for category in item.categories:
            _sub(entry, "category", term=category)
        if item.summary:
            _sub(entry, "summary", item.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# -- the routes -----------------------------------------------------------------------------------

FILTERS = ("country", "region", "category", "kind", "status", "q")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class BadParameter(ValueError):
    """A query parameter the feed does not take, or a value it cannot use."""


def _values(request: Request, name: str) -> list[str]:
    return [v.strip() for raw in request.query_params.getlist(name) for v in raw.split(",") if v.strip()]


def feed_query(request: Request, allowed: tuple[str, ...] = (*FILTERS, "lang")) -> tuple[Query, str]:
    """The filters and language of a feed's address: the parameter names and values of the page's
    links and of the API (`country=SN,FR`, `category=…`, `region`, `kind`, `status`, `q`, `lang`).
    An unknown parameter or an unusable value raises `BadParameter` (a 400, not a silent feed of all)."""
    unknown = sorted(set(request.query_params) - set(allowed))
    bad = [f"{name}" for name in unknown]
    lang = request.query_params.get("lang", "en")
    if lang not in ("en", "fr"):
        bad.append(f"lang={lang}")
    checks = {
        "country": lambda v: is_country_code(v.upper()) and v.isalpha(),
        "region": is_region_code,
        "category": lambda v: v in CATEGORY_IDS,
        "kind": lambda v: v in KINDS,
        "status": lambda v: v in ODC_STATUSES,
    }
    chosen: dict[str, tuple[str, ...]] = {}
    for name, check in checks.items():
        values = _values(request, name)
        bad += [f"{name}={v}" for v in values if not check(v)]
        chosen[name] = tuple(dict.fromkeys(v.upper() if name == "country" else v for v in values))
    q = request.query_params.get("q", "").strip()
    if len(q) > MAX_QUERY or any(ord(c) < 32 for c in q):
        bad.append("q")
    if bad:
        raise BadParameter(", ".join(bad)[:300])
    query = Query(
        countries=chosen["country"],
        regions=chosen["region"],
        categories=chosen["category"],
        kinds=chosen["kind"],
        statuses=chosen["status"],
        q=q,
    )
    return query, lang


def _bad_request(lang: str, detail: str) -> Response:
    return Response(
        t("web_bad_parameter", lang, parameters=detail),
        status_code=400,
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


def _self_url(request: Request, base: str) -> str:
    query = str(request.url.query)
    return pages.absolute(base, request.url.path.lstrip("/")) + (f"?{query}" if query else "")


def entries_feed(snap: Published, query: Query, lang: str, base: str, self_url: str) -> Feed:
    """The feed of the published entries passing `query`, the most recently changed first."""
    rows = snap.select(query)
    rows = rows.sort_values([UPDATED, "id"], ascending=[False, True], kind="stable").head(FEED_SIZE)
    items = []
    for record in snap.records(rows):
        entry_id = str(record["id"])
        place = ", ".join(p for p in (record["city"], record[f"country_name_{lang}"]) if p)
        label = t("kind_odc", lang) if record["kind"] == "odc" else category_label(record["category"], lang)
        description = record[f"description_{lang}"] or record["description_en"]
        summary = f"{label} · {place}" + (f"\n\n{description}" if description else "")
        items.append(
            FeedItem(
                id=urn(base, "entry", entry_id),
                title=record["name"],
                link=pages.absolute(base, pages.entry_path(entry_id, lang)),
                updated=snap.updated_at(entry_id) or snap.last_modified,
                summary=summary,
                categories=tuple(c for c in (record["kind"], record["category"], record["country"]) if c),
                lang=lang,
            )
        )
    filters = Filters(
        countries=query.countries,
        regions=query.regions,
        categories=query.categories,
        kinds=query.kinds,
        statuses=query.statuses,
        query=query.q,
    )
    return Feed(
        id=urn(base, "feed", "entries?" + _canonical(query)),
        title=t("web_feed_entries_title", lang),
        self_url=self_url,
        alternate_url=share_url(base, UrlState(lang=lang, filters=filters)),
        updated=max((i.updated for i in items), default=snap.last_modified),
        author=t("app_title", lang),
        lang=lang,
        rights=snap.licence.text(lang),
        items=items,
    )


def _canonical(query: Query) -> str:
    parts = [
        ("country", query.countries),
        ("region", query.regions),
        ("category", query.categories),
        ("kind", query.kinds),
        ("status", query.statuses),
        ("q", (query.q,) if query.q else ()),
    ]
    return "&".join(f"{name}={','.join(sorted(values))}" for name, values in parts if values)


def article_date(article: Article) -> dt.datetime | None:
    """The first moment of an article's publication date (`2021`, `2021-05`, `2021-05-04`), UTC."""
    match = _DATE.fullmatch(article.published.strip()) if article.published else None
    if not match:
        return None
    try:
        return dt.datetime(int(match[1]), int(match[2] or 1), int(match[3] or 1), tzinfo=dt.UTC)
    except ValueError:
        return None


def articles_feed(snap: Published, lang: str, base: str, self_url: str) -> Feed:
    """The feed of the published articles, newest first."""
    items = []
    for article in snap.articles[:FEED_SIZE]:
        date = article_date(article)
        items.append(
            FeedItem(
                id=urn(base, "article", article.id),
                title=article.title(lang),
                link=share_url(base, UrlState(lang=lang, article=article.id)),
                updated=date or snap.last_modified,
                published=date,
                summary=article.summary(lang),
                categories=tuple(article.topics),
                lang=lang,
            )
        )
    return Feed(
        id=urn(base, "feed", "articles"),
        title=t("web_feed_articles_title", lang),
        self_url=self_url,
        alternate_url=share_url(base, UrlState(lang=lang)),
        updated=max((i.updated for i in items), default=snap.last_modified),
        author=t("app_title", lang),
        lang=lang,
        rights=snap.licence.text(lang),
        items=items,
    )


def _feed_headers() -> dict[str, str]:
    return {"X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "*"}


def entries_route(request: Request) -> Response:
    try:
        query, lang = feed_query(request)
    except BadParameter as exc:
        return _bad_request(request.query_params.get("lang", "en"), str(exc))
    snap = published()
    base = pages.site_base(request)
    return pages.cached(
        request,
        snap,
        lambda: atom(entries_feed(snap, query, lang, base, _self_url(request, base))),
        ATOM_TYPE,
        headers=_feed_headers(),
    )


def articles_route(request: Request) -> Response:
    try:
        _query, lang = feed_query(request, allowed=("lang",))
    except BadParameter as exc:
        return _bad_request(request.query_params.get("lang", "en"), str(exc))
    snap = published()
    base = pages.site_base(request)
    return pages.cached(
        request,
        snap,
        lambda: atom(articles_feed(snap, lang, base, _self_url(request, base))),
        ATOM_TYPE,
        headers=_feed_headers(),
    )


ROUTES: list[BaseRoute] = [
    Route("/feeds/entries.atom", entries_route, methods=["GET", "HEAD"]),
    Route("/feeds/articles.atom", articles_route, methods=["GET", "HEAD"]),
]
