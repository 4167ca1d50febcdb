"""Atom 1.0 feeds (RFC 4287) of the published atlas, for feed readers and aggregators.

    /feeds/entries.atom      new and changed published entries, newest change first; filtered
                             exactly as the API's entries (`atlas.web.api.query_of`: country,
                             region, category, kind, status, q, bbox, updated_since), with
                             lang=fr for the French texts; a bad parameter is a problem+json 400
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

import pandas as pd
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from atlas.articles.model import Article
from atlas.categories import category_label
from atlas.filters import Filters
from atlas.i18n import t
from atlas.urlstate import UrlState, share_url
from atlas.web import pages
from atlas.web.api import FILTERS, query_of
from atlas.web.http import Params, Problem, problem_response
from atlas.web.published import UPDATED, Published, Query, published

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_SIZE = 100  # entries in a feed: the most recent changes
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


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


def feed_request(request: Request, filters: tuple[str, ...] = FILTERS) -> tuple[Query, str, str]:
    """The filters (checked exactly as the API checks them: `atlas.web.api.query_of`), the language
    (`lang=fr`) and the canonical form of the filters (for the feed's id) of a feed's address.
    An unknown parameter or an unusable value raises `Problem` (a 400 naming it)."""
    params = Params(request, (*filters, "lang"))
    query = query_of(params) if filters else Query()
    lang = params.choice("lang", ("en", "fr"), "en")
    canonical = "&".join(f"{k}={v}" for k, v in sorted(params.items) if k != "lang")
    return query, lang, canonical


def _self_url(request: Request, base: str) -> str:
    query = str(request.url.query)
    return pages.absolute(base, request.url.path.lstrip("/")) + (f"?{query}" if query else "")


def entries_feed(snap: Published, query: Query, lang: str, base: str, self_url: str, canonical: str = "") -> Feed:
    """The feed of the published entries passing `query`, the most recently changed first."""
    rows = snap.select(query)
    rows = rows.sort_values([UPDATED, "id"], ascending=[False, True], kind="stable").head(FEED_SIZE)
    items = []
    for record, stamp in zip(snap.records(rows), rows[UPDATED], strict=True):
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
                updated=stamp.to_pydatetime() if not pd.isna(stamp) else snap.last_modified,
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
        id=urn(base, "feed", "entries?" + canonical),
        title=t("web_feed_entries_title", lang),
        self_url=self_url,
        alternate_url=share_url(base, UrlState(lang=lang, filters=filters)),
        updated=max((i.updated for i in items), default=snap.last_modified),
        author=t("app_title", lang),
        lang=lang,
        rights=snap.licence.text(lang),
        items=items,
    )


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
        query, lang, canonical = feed_request(request)
    except Problem as problem:
        return problem_response(request, problem)
    snap = published()
    base = pages.site_base(request)
    return pages.cached(
        request,
        snap,
        lambda: atom(entries_feed(snap, query, lang, base, _self_url(request, base), canonical)),
        ATOM_TYPE,
        headers=_feed_headers(),
    )


def articles_route(request: Request) -> Response:
    try:
        _query, lang, _canonical = feed_request(request, filters=())
    except Problem as problem:
        return problem_response(request, problem)
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
