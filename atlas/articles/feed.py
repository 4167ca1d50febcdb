"""Reading an RSS or Atom feed (a WordPress blog's `/feed/`) with feedparser, and the article pages.

feedparser is only ever given bytes: it never fetches anything itself (a URL goes through
`PoliteClient`, a file is read here). trafilatura likewise only ever sees the page's bytes.

A feed is bounded: at most `MAX_FEED_BYTES` bytes (read no further), `MAX_FEED_ITEMS` items
read, and no XML entity declaration (a DTD's `<!ENTITY …>`, the "billion laughs" that
feedparser's fallback parser would expand without limit): defusedxml refuses such a document
before feedparser sees it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import feedparser.encodings
import trafilatura
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as defused_fromstring

from atlas.articles.clean import plain_text
from atlas.articles.polite import FetchError, PoliteClient, is_http
from atlas.errors import UnusableInput

MAX_FEED_ITEMS = 500  # a feed longer than this is read in part (the newest come first in a blog's feed)
MAX_FEED_BYTES = 5_000_000  # a larger feed is refused (a blog's feed is a few hundred kB)
MIN_ARTICLE_CHARS = 300  # less main text than this: not an article (a tag page, a login form, a gallery)
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("xml", "rss", "atom")


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed, as plain text."""

    guid: str
    link: str  # http(s), or "" when the item gave none usable
    title: str
    author: str
    published: str  # YYYY-MM-DD, or ""
    language: str  # the feed's language ("fr", "en-GB"…), or ""

    @property
    def key(self) -> str:
        return self.guid or self.link


@dataclass
class Feed:
    source: str
    title: str
    items: list[FeedItem]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """What trafilatura found in an article's page (plain text; metadata may be empty)."""

    url: str
    title: str
    author: str
    date: str  # YYYY-MM-DD or ""
    text: str
    language: str


def read_feed(source: str, client: PoliteClient) -> Feed:
    """The feed at `source`, an http(s) URL (fetched politely) or a file; UnusableInput if there is none."""
    if is_http(source):
        try:
            response = client.get(source)  # bounded by the client's size limit (`MAX_BYTES`)
        except FetchError as exc:
            raise UnusableInput(f"cannot read the feed: {exc.reason}") from exc
        data = response.body
    elif re.match(r"^[a-z][a-z0-9+.-]*://", source, re.IGNORECASE):
        raise UnusableInput(f"{source}: only http(s) URLs and files can be read")
    else:
        path = Path(source)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FEED_BYTES + 1)
        except OSError as exc:
            raise UnusableInput(f"cannot read {source}: {exc.strerror or exc}") from exc
    return parse_feed(data, source)


def parse_feed(data: bytes, source: str) -> Feed:
    """Items of an RSS/Atom document; UnusableInput when it is not a feed at all.

    A feed with an error past its first items (feedparser's "bozo" flag) still gives the items
    before the error; the error is kept in `problems`. A document larger than `MAX_FEED_BYTES` or
    declaring XML entities is refused (UnusableInput) without being parsed by feedparser.
    """
    if len(data) > MAX_FEED_BYTES:
        raise UnusableInput(f"{source} is larger than {MAX_FEED_BYTES:,} bytes: not read")
    text = _as_utf8(data)
    refuse_entities(data, source, text)
    text, total = _first_items(text)
    parsed = feedparser.parse(text, sanitize_html=True, resolve_relative_uris=True)
    problems = []
    if total is not None:  # cut before its 501st item: not well-formed, as expected
        problems.append(f"only the first {MAX_FEED_ITEMS} of about {total} items were read")
    elif parsed.get("bozo"):
        problems.append(f"the feed is not well-formed ({_one_line(parsed.get('bozo_exception'))})")
    if not parsed.get("version") and not parsed.entries:
        what = problems[0] if problems else "no RSS or Atom items"
        raise UnusableInput(f"{source} is not an RSS or Atom feed: {what}")
    language = plain_text(parsed.feed.get("language", ""), 20)
    items = []
    for entry in parsed.entries[:MAX_FEED_ITEMS]:
        link = str(entry.get("link") or "").strip()
        link = link if is_http(link) else ""
        guid = plain_text(entry.get("id") or "", 1000)
        if not link and not guid:
            problems.append(f"an item without link nor id was skipped ({plain_text(entry.get('title'), 60)!r})")
            continue
        items.append(
            FeedItem(
                guid=guid,
                link=link,
                title=plain_text(entry.get("title"), 300),
                author=plain_text(entry.get("author"), 200),
                published=_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                language=language,
            )
        )
    if total is None and len(parsed.entries) > MAX_FEED_ITEMS:
        problems.append(f"only the first {MAX_FEED_ITEMS} of {len(parsed.entries)} items were read")
    return Feed(source, plain_text(parsed.feed.get("title"), 300), items, problems)


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")


def _as_utf8(data: bytes) -> bytes:
    """The document in UTF-8, as feedparser converts it (the bytes as they are if that fails)."""
    try:
        return bytes(feedparser.encodings.convert_to_utf8({}, data, feedparser.FeedParserDict()))
    except Exception:
        return data


def _first_items(text: bytes) -> tuple[bytes, int | None]:
    """The document cut before its item past `MAX_FEED_ITEMS` (feedparser's time and memory grow
    with the items), and how many item tags it has; (text, None) when it has no more than that."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if len(starts) <= MAX_FEED_ITEMS:
        return text, None
    return text[: starts[MAX_FEED_ITEMS]], len(starts)


def refuse_entities(data: bytes, source: str, text: bytes | None = None) -> None:
    """UnusableInput when the document declares XML entities (or refers to external ones).

    defusedxml reads the document first; when it is not well-formed (feedparser may still read
    it, with its lenient parser), the text that feedparser reads (`text`: its own conversion to
    UTF-8) is searched for an entity declaration too.
    """
    why = "it declares XML entities (a DTD with <!ENTITY>), which feeds do not need: refused"
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnusableInput(f"{source}: {why}") from None
    except (ParseError, ValueError):
        pass  # not well-formed: feedparser says so below; the entity search follows
    else:
        return
    text = _as_utf8(data) if text is None else text
    if _ENTITY_DECLARATION.search(text) or _ENTITY_DECLARATION.search(data):
        raise UnusableInput(f"{source}: {why}")


def since(items: Iterable[FeedItem], day: dt.date | None) -> list[FeedItem]:
    """Items published on or after `day` (items without a date are kept)."""
    return [i for i in items if day is None or not i.published or i.published >= day.isoformat()]


def extract_page(response_url: str, content_type: str, body: bytes) -> Page | None:
    """The article in a fetched page, or None when the page is not an article."""
    if content_type and content_type not in HTML_TYPES:
        return None
    document = trafilatura.bare_extraction(
        body,
        url=response_url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,  # True shares a cache across calls: a page read again would lose its text
        date_extraction_params={"extensive_search": False, "original_date": True},  # the page's metadata only
    )
    if document is None:
        return None
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = str(data.get("text") or "")
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        return None
    date = str(data.get("date") or "")
    return Page(
        url=response_url,
        title=plain_text(data.get("title"), 300),
        author=plain_text(data.get("author"), 200),
        date=date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "",
        text=text,
        language=plain_text(data.get("language"), 20),
    )


def _date(parsed: object) -> str:
    try:
        return dt.date(*parsed[:3]).isoformat()  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return ""


def _one_line(exc: object) -> str:
    text = " ".join(str(exc or "").split())
    return text[:200]
