"""A small blog served on loopback for the feed tests: an RSS feed, an Atom feed and article pages.

Every page is written here for the tests (French and English), with the awkward cases of the
real web: a page that never answers in time, a 404, a page that is not an article, a huge
article, a page robots.txt disallows, and hostile text in every field. `BlogSite.hits` counts
the requests per path, so tests can check what was (not) asked for; `routes` can be changed
between two runs (a page that comes back, a server that fails).
"""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    hold: threading.Event | None = None  # the answer waits until this is set
    location: str = ""  # a redirect's target


HOSTILE = (
    "<script>alert('x')</script>**gras** [clic](javascript:alert(1)) <img src=x onerror=alert(2)> \x1b[31m\x00\u202e"
)
# XML 1.0 cannot hold NUL nor ESC, even escaped: the feed's hostile text has the control characters it can hold.
FEED_HOSTILE = HOSTILE.replace("\x1b", "\x7f").replace("\x00", "\x85")
HOSTILE_NAME = "l'association <b>Evil</b> [Hack](javascript:alert(3)) Lab"


def page(title: str, paragraphs: list[str], *, author: str = "", date: str = "", lang: str = "fr") -> bytes:
    """An article page as a WordPress theme writes it: menu, article (h1 and paragraphs), footer."""
    meta = f'<meta name="author" content="{html.escape(author)}">' if author else ""
    meta += f'<meta property="article:published_time" content="{date}">' if date else ""
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} – Le blog</title>{meta}
<script>var tracking = "nothing to see";</script></head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/tag/events/">Événements</a></li></ul></nav>
<main><article><h1>{title}</h1>
{paras}
</article></main>
<footer><p>© Le blog solidaire – mentions légales – contact</p></footer></body></html>""".encode()


FRENCH = page(
    "Emmaüs Connect ouvre un nouvel espace solidaire à Lille",
    [
        "Emmaüs Connect ouvre ce printemps un nouvel espace à Lille, en France, pour accompagner les personnes "
        "éloignées du numérique. L'espace propose des ateliers, du matériel reconditionné et une connexion à prix "
        "solidaire pour les habitants du quartier.",
        "Le projet est mené avec l'association Les Bricodeurs du Nord, qui anime des ateliers de réparation, et "
        "avec le soutien de la Fondation Numérique Solidaire. Le Social Good Accelerator salue une initiative qui "
        "montre comment les acteurs de l'économie sociale s'organisent pour l'inclusion numérique.",
        "Selon l'équipe, plus de mille personnes pourraient être accompagnées dès la première année. Les ateliers "
        "seront ouverts à tous, sur inscription, et les bénévoles seront formés par les salariés de l'association.",
        "Le réseau espère ouvrir d'autres espaces dans la région en 2025 si les financements suivent, en lien avec "
        "les collectivités et les autres membres du réseau.",
        "Un article écrit par Justine Coopman",
    ],
    author="Justine Coopman",
)

ENGLISH = page(
    "Digital commons gather in Brussels",
    [
        "Les communs numériques se retrouvent à Bruxelles",
        "More than two hundred people met in Brussels this week to discuss how public money can support the "
        "digital commons that Europe relies on every day. Framasoft and the OpenStreetMap community presented "
        "their work to members of the European Commission.",
        "The Open Knowledge Lab (OKL), a small cooperative from Lisbon, explained how it maintains shared maps "
        "for local governments. Speakers agreed that maintenance, not only innovation, needs long-term funding.",
        "The participants will publish joint recommendations before the end of the year, and another meeting is "
        "planned in Lisbon next spring to follow up on the commitments made in Brussels.",
    ],
    lang="en",
)

HOSTILE_PAGE = page(
    html.escape(HOSTILE),
    [
        html.escape(HOSTILE) + " Cet article parle de numérique solidaire et reste un article malgré tout, "
        "avec assez de texte pour que l'extraction le garde comme contenu principal de la page.",
        "Le projet est porté par " + html.escape(HOSTILE_NAME) + " et par la Fondation <i>Markup</i> Solidaire, "
        "à Paris, avec des phrases assez longues pour que le résumé automatique en retienne quelques-unes.",
        "[Un lien](javascript:alert(4)) et du **gras** et une image ![x](javascript:alert(5)) dans le texte : "
        "tout cela doit rester du texte, jamais du balisage, dans le brouillon comme dans la base.",
        "Un article écrit par " + html.escape(HOSTILE),
    ],
    author=HOSTILE,
)

NOT_AN_ARTICLE = b"""<!DOCTYPE html><html><head><title>Tag: events</title></head><body>
<nav><a href="/">Home</a></nav><ul><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul>
<footer>footer</footer></body></html>"""


def huge_page(paragraphs: int = 1500) -> bytes:
    text = (
        "Les tiers-lieux numériques de la région accueillent chaque semaine des habitants qui veulent apprendre "
        "à utiliser un ordinateur, faire leurs démarches en ligne ou réparer leur téléphone, paragraphe {n}."
    )
    return page("Un très long article sur les tiers-lieux", [text.format(n=n) for n in range(paragraphs)])


SECRET = page("Espace membres", ["Ce texte est réservé aux membres et ne doit jamais être lu par un robot. " * 8])


def rss(base: str, items: list[dict[str, str]], title: str = "Le blog solidaire") -> bytes:
    """An RSS 2.0 feed as WordPress writes it (dc:creator, guid isPermaLink=false)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        f"<title>{html.escape(title)}</title><link>{base}/</link><language>fr-FR</language>",
    ]
    for item in items:
        out.append("<item>")
        out.append(f"<title>{html.escape(item['title'])}</title>")
        if item.get("link"):
            out.append(f"<link>{html.escape(item['link'])}</link>")
        if item.get("guid"):
            out.append(f'<guid isPermaLink="false">{html.escape(item["guid"])}</guid>')
        if item.get("creator"):
            out.append(f"<dc:creator><![CDATA[{item['creator']}]]></dc:creator>")
        if item.get("date"):
            out.append(f"<pubDate>{item['date']}</pubDate>")
        out.append(f"<description><![CDATA[{item.get('description', '')}]]></description>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode()


def atom(base: str, entries: list[dict[str, str]]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<title>An English blog</title><id>{base}/atom</id><updated>2024-04-02T10:00:00Z</updated>",
    ]
    for e in entries:
        out.append(
            f"<entry><title>{html.escape(e['title'])}</title><id>{e['id']}</id>"
            f'<link href="{e["link"]}"/><updated>{e["date"]}</updated>'
            f"<author><name>{html.escape(e.get('author', ''))}</name></author></entry>"
        )
    out.append("</feed>")
    return "".join(out).encode()


class BlogSite:
    """The blog; `url(path)` is where a path is served."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.base = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    @property
    def host(self) -> str:
        """`127.0.0.1:PORT`: what a client's allow-list names to fetch from this loopback site."""
        return self.base.split("://", 1)[-1]

    def standard(self) -> None:
        """The blog of most tests: a feed of eight items, one per case."""
        self.routes["/robots.txt"] = Route(
            b"User-agent: *\nDisallow: /private/\n", content_type="text/plain; charset=utf-8"
        )
        self.routes["/2024/03/emmaus-connect-lille/"] = Route(FRENCH)
        self.routes["/2024/04/digital-commons-brussels/"] = Route(ENGLISH)
        self.routes["/2024/04/slow/"] = Route(FRENCH, delay=3.0)
        self.routes["/tag/events/"] = Route(NOT_AN_ARTICLE)
        self.routes["/2024/05/huge/"] = Route(huge_page())
        self.routes["/private/members/"] = Route(SECRET)
        self.routes["/2024/05/hostile/"] = Route(HOSTILE_PAGE)
        self.routes["/feed/"] = Route(
            rss(self.base, self.standard_items()), content_type="application/rss+xml; charset=UTF-8"
        )

    def standard_items(self) -> list[dict[str, str]]:
        b = self.base
        return [
            {
                "title": "Emmaüs Connect ouvre un nouvel espace solidaire à Lille",
                "link": f"{b}/2024/03/emmaus-connect-lille/",
                "guid": f"{b}/?p=101",
                "creator": "Justine Coopman",
                "date": "Tue, 05 Mar 2024 09:00:00 +0000",
            },
            {
                "title": "Digital commons gather in Brussels",
                "link": f"{b}/2024/04/digital-commons-brussels/",
                "guid": f"{b}/?p=102",
                "creator": "Léon Launay",
                "date": "Tue, 02 Apr 2024 09:00:00 +0000",
            },
            {"title": "Une page lente", "link": f"{b}/2024/04/slow/", "guid": f"{b}/?p=103"},
            {"title": "Une page disparue", "link": f"{b}/2024/04/missing/", "guid": f"{b}/?p=104"},
            {"title": "Événements", "link": f"{b}/tag/events/", "guid": f"{b}/?p=105"},
            {"title": "Un très long article", "link": f"{b}/2024/05/huge/", "guid": f"{b}/?p=106"},
            {"title": "Espace membres", "link": f"{b}/private/members/", "guid": f"{b}/?p=107"},
            {
                "title": FEED_HOSTILE,
                "link": f"{b}/2024/05/hostile/",
                "guid": f"{b}/?p=108",
                "creator": FEED_HOSTILE,
                "description": FEED_HOSTILE,
                "date": "Wed, 01 May 2024 09:00:00 +0000",
            },
        ]


class _Handler(BaseHTTPRequestHandler):
    site: BlogSite

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.site.hits[path] += 1
        self.site.agents.add(self.headers.get("User-Agent", ""))
        route = self.site.routes.get(path)
        if route is None:
            self._answer(404, b"<html><body><h1>Not found</h1></body></html>", "text/html; charset=utf-8")
            return
        if route.hold is not None:
            route.hold.wait(30)
        if route.delay:
            time.sleep(route.delay)
        self._answer(route.status, route.body, route.content_type, route.location)

    def _answer(self, status: int, body: bytes, content_type: str, location: str = "") -> None:
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(site: BlogSite | None = None) -> Iterator[BlogSite]:
    """Serve `site` (or the standard blog) on 127.0.0.1 for the duration of the block."""
    site = site or BlogSite()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.block_on_close = False
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    if not site.routes:
        site.standard()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        for route in site.routes.values():
            if route.hold is not None:
                route.hold.set()
        server.shutdown()
        server.server_close()
