"""The contributor's follow page: `/follow/{token}` (issue 25, item 8).

A contributor gets this private address after sending a proposal (and by e-mail when they gave
one and the server sends mail, `atlas.notify`). The page says what became of that one proposal —
waiting, approved, rejected, a duplicate — and the moderator's public reason; nothing else from
the database: no contact, no moderator, no other proposal. An unknown or wrong token gets the same
404 as a malformed one (`atlas.store.follow.find` compares in constant time).

The page is in the contributor's language (kept with the token), or in `?lang=` when the link to
the other language is followed. It is private: `Cache-Control: no-store`, never indexed, no
`Referer` sent to the links it has (the token is in its address), and not under `/fr/` where nginx
caches the read routes.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from atlas import config
from atlas.i18n import LANGS, t
from atlas.labels import FOLLOW_KIND, FOLLOW_STATE
from atlas.sources import SourceUnavailable
from atlas.store import follow
from atlas.store.store import Store
from atlas.web.pages import (
    PAGE_HEADERS,
    _date_text,
    _frame,
    entry_path,
    environment,
    html_response,
    not_found_page,
    site_base,
)
from atlas.web.published import published

PRIVATE_HEADERS = {
    **PAGE_HEADERS,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}

_lock = threading.Lock()
_stores: dict[str, Store] = {}


def _store() -> Store | None:
    """The atlas database (opened once per process), None when the atlas serves files only."""
    if config.data_source() == "files":
        return None
    url = config.database_url()
    with _lock:
        if url not in _stores:
            from atlas.store.source import open_database_source

            _stores[url] = open_database_source(url, config.data_dir()).store
        return _stores[url]


def follow_path(token: str, lang: str = "") -> str:
    """The follow page's path from the atlas's root (no leading `/`), in `lang` when given."""
    return f"follow/{quote(token, safe='')}" + (f"?lang={lang}" if lang in LANGS else "")


def follow_context(seen: follow.Followed, base: str, lang: str, token: str) -> dict[str, Any]:
    frame = _frame(base, lang, lambda other: follow_path(token, other), published())
    kind = FOLLOW_KIND["correction" if seen.action == "correction" else "submission"]
    return {
        **frame,
        "title": f"{t('follow_title', lang, ref=seen.reference)} · {t('app_title', lang)}",
        "description": t("follow_title", lang, ref=seen.reference),
        "noindex": True,
        "follow": {
            "heading": t("follow_title", lang, ref=seen.reference),
            "kind": t(kind, lang),
            "name": seen.name,
            "state": seen.state,
            "state_text": t(FOLLOW_STATE[seen.state], lang),
            "sent": t("follow_sent_on", lang, date=_date_text(seen.sent_at, lang)),
            "decided": t("follow_decided_on", lang, date=_date_text(seen.decided_at, lang)) if seen.decided_at else "",
            "reason_label": t("follow_reason", lang),
            "reason": seen.reason,
            "entry_url": base + entry_path(seen.entry_id, lang) if seen.published else "",
            "entry_link": t("follow_open_entry", lang),
            "private": t("follow_private", lang),
        },
    }


def follow_page(request: Request) -> Response:
    token = str(request.path_params.get("token", ""))
    asked = request.query_params.get("lang", "")
    try:
        store = _store()
        seen = follow.find(store, token) if store is not None else None
    except SourceUnavailable:
        seen = None
    if seen is None:
        response = not_found_page(request, asked if asked in LANGS else "en")
        response.headers.update(PRIVATE_HEADERS)
        return response
    lang = asked if asked in LANGS else seen.lang
    body = environment().get_template("follow.html").render(follow_context(seen, site_base(request), lang, token))
    return html_response(body, headers=PRIVATE_HEADERS)


ROUTES: list[BaseRoute] = [Route("/follow/{token}", follow_page, methods=["GET", "HEAD"])]
