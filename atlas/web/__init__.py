"""The atlas open to machines: HTTP routes served beside the Streamlit page by the same process.

`app.py` hands `routes()` to `streamlit.starlette.App`, so `streamlit run app.py` (and `make run`)
serves the page and these routes on one port. Each interface lives in its own module and exposes a
`ROUTES` list; this registry only gathers them. Nothing here imports Streamlit: the routes read the
published atlas through `atlas.store` and are plain Starlette.
"""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """Every route the atlas serves beside the page, in the order Starlette should try them."""
    from atlas.web import api, discovery, feeds, follow, hsds, ogc, pages, signin
    from atlas.web.http import tcp_nodelay_everywhere

    tcp_nodelay_everywhere()  # no 40 ms wait per response on kept-alive connections (see its docstring)

    return [
        *pages.ROUTES,  # /entry/{id}, /country/{cc} (and /fr/…)
        *feeds.ROUTES,  # /feeds/entries.atom, /feeds/articles.atom
        *discovery.ROUTES,  # /sitemap.xml, /robots.txt, /oembed
        *api.ROUTES,  # /api/, /api/v1/… (the JSON read API)
        *ogc.ROUTES,  # /ogc/… (OGC API – Features)
        *hsds.ROUTES,  # /hsds/… (Open Referral HSDS API 3.0)
        *follow.ROUTES,  # /follow/{token}: a contributor's private page about their proposal
        *signin.ROUTES,  # /signin/start, /signin/return: back to the page a sign-in started from
    ]
