"""Reading feeds and pages politely, extracting and analysing them (no database; loopback only)."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from atlas.articles.candidates import find_candidates
from atlas.articles.clean import plain_text
from atlas.articles.drafting import Drafter, KnownEntry
from atlas.articles.feed import FeedItem, extract_page, parse_feed, read_feed, since
from atlas.articles.model import parse_articles
from atlas.articles.polite import USER_AGENT, Disallowed, FetchError, PoliteClient
from atlas.cli import main
from atlas.errors import UnusableInput
from atlas.schema import MARKUP
from tests.articles.conftest import FakeGazetteer
from tests.articles.feedsite import ENGLISH, FRENCH, HOSTILE, HOSTILE_PAGE, NOT_AN_ARTICLE, BlogSite, Route, atom, serve

ENTRIES = [
    KnownEntry("emmaus-connect", "organisation", "Emmaüs Connect", ("Emmaus Connect",)),
    KnownEntry("soga", "organisation", "Social Good Accelerator", ("SOGA",)),
    KnownEntry("framasoft", "organisation", "Framasoft"),
    KnownEntry("openstreetmap-foundation", "organisation", "OpenStreetMap Foundation", ("OpenStreetMap", "OSM")),
    KnownEntry("refused-lab", "organisation", "Open Knowledge Lab", state="rejected"),
]


def allow(site: BlogSite) -> list[str]:
    return ["--allow-host", site.host]


def item(**overrides: str) -> FeedItem:
    values = {"guid": "g1", "link": "http://127.0.0.1/a/", "title": "", "author": "", "published": "", "language": ""}
    values.update(overrides)
    return FeedItem(**values)


# -- the polite client ---------------------------------------------------------------------------


def test_the_client_says_who_it_is_and_respects_robots_txt() -> None:
    with serve() as site:
        c = PoliteClient(delay=0, timeout=2, allow_hosts=[site.host])
        assert b"Emma" in c.get(site.url("/2024/03/emmaus-connect-lille/")).body
        with pytest.raises(Disallowed):
            c.get(site.url("/private/members/"))
        assert site.hits["/private/members/"] == 0 and site.hits["/robots.txt"] == 1  # read once per run
        assert site.agents == {USER_AGENT} and "SocialTechAtlas" in USER_AGENT


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (403, False), (401, False)], ids=["404", "410", "403", "401"]
)
def test_robots_txt_missing_allows_and_forbidden_disallows(status: int, allowed: bool) -> None:
    site = BlogSite()
    site.routes = {"/robots.txt": Route(b"no", status=status), "/page/": Route(FRENCH)}
    with serve(site):
        c = PoliteClient(delay=0, timeout=2, allow_hosts=[site.host])
        if allowed:
            assert c.get(site.url("/page/")).status == 200
        else:
            with pytest.raises(Disallowed):
                c.get(site.url("/page/"))
            assert site.hits["/page/"] == 0


def test_an_unreadable_robots_txt_means_later_not_never() -> None:
    site = BlogSite()
    site.routes = {"/robots.txt": Route(b"oops", status=503), "/page/": Route(FRENCH)}
    with serve(site):
        with pytest.raises(FetchError) as raised:
            PoliteClient(delay=0, timeout=2, allow_hosts=[site.host]).get(site.url("/page/"))
        assert not raised.value.permanent and site.hits["/page/"] == 0


def test_timeouts_404s_sizes_and_redirects() -> None:
    site = BlogSite()
    site.routes = {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/slow/": Route(FRENCH, delay=2.0),
        "/big/": Route(b"x" * 5000),
        "/page/": Route(FRENCH),
    }
    with serve(site):
        c = PoliteClient(delay=0, timeout=0.3, max_bytes=4000, allow_hosts=[site.host])
        with pytest.raises(FetchError, match=r"no answer within 0\.3 s") as slow:
            c.get(site.url("/slow/"))
        assert not slow.value.permanent
        with pytest.raises(FetchError, match="HTTP 404") as missing:
            c.get(site.url("/absent/"))
        assert missing.value.status == 404
        with pytest.raises(FetchError, match="larger than"):
            c.get(site.url("/big/"))
        with pytest.raises(FetchError, match="not an http"):
            c.get("javascript:alert(1)")


def test_redirects_are_followed_and_checked_against_robots_txt() -> None:
    with serve() as site:
        site.routes["/moved/"] = Route(b"", status=301, location="/2024/03/emmaus-connect-lille/")
        site.routes["/to-private/"] = Route(b"", status=302, location=site.url("/private/members/"))
        site.routes["/loop/"] = Route(b"", status=302, location="/loop/")
        site.routes["/no-target/"] = Route(b"", status=301)
        c = PoliteClient(delay=0, timeout=2, allow_hosts=[site.host])
        moved = c.get(site.url("/moved/"))
        assert moved.url.endswith("/2024/03/emmaus-connect-lille/") and b"Emma" in moved.body
        with pytest.raises(Disallowed):
            c.get(site.url("/to-private/"))
        assert site.hits["/private/members/"] == 0
        with pytest.raises(FetchError, match="redirects"):
            c.get(site.url("/loop/"))
        with pytest.raises(FetchError, match="HTTP 301"):
            c.get(site.url("/no-target/"))


def test_requests_to_a_host_are_spaced() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    with serve() as site:
        c = PoliteClient(delay=1.5, timeout=2, clock=lambda: now[0], sleep=sleep, allow_hosts=[site.host])
        c.get(site.url("/2024/03/emmaus-connect-lille/"))  # robots.txt, then the page
        c.get(site.url("/2024/04/digital-commons-brussels/"))
    assert slept == [1.5, 1.5] and c.requests == 3


# -- feeds and pages -------------------------------------------------------------------------------


def test_rss_and_atom_feeds_give_plain_items() -> None:
    site = BlogSite()
    site.base = "http://127.0.0.1:9"
    site.standard()
    feed = parse_feed(site.routes["/feed/"].body, "feed")
    assert len(feed.items) == 8 and feed.problems == []
    first = feed.items[0]
    assert (first.title, first.author, first.published, first.language) == (
        "Emmaüs Connect ouvre un nouvel espace solidaire à Lille",
        "Justine Coopman",
        "2024-03-05",
        "fr-FR",
    )
    assert first.key == "http://127.0.0.1:9/?p=101"
    hostile = feed.items[-1]
    for value in (hostile.title, hostile.author):
        assert value and not MARKUP.search(value) and "<" not in value and "](" not in value
    entries = [
        {"title": "An English post", "id": "tag:x,1", "link": "http://127.0.0.1:9/en/", "date": "2024-04-02T10:00:00Z"}
    ]
    (atom_item,) = parse_feed(atom("http://127.0.0.1:9", entries), "atom").items
    assert (atom_item.guid, atom_item.link, atom_item.published) == ("tag:x,1", "http://127.0.0.1:9/en/", "2024-04-02")
    assert [i.link for i in since([first, atom_item], dt.date(2024, 4, 1))] == ["http://127.0.0.1:9/en/"]


def test_a_broken_feed_is_refused_and_a_damaged_one_gives_what_it_can(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>Not a feed", "broken")
    with pytest.raises(UnusableInput):
        parse_feed(b"", "empty")
    damaged = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>One</title><link>http://127.0.0.1:9/1/</link></item>"
        b"<item><title>Two &nbsp; & broken</title><link>javascript:alert(1)</link></item></channel>"
    )
    feed = parse_feed(damaged, "damaged")
    assert feed.problems and feed.items[0].link == "http://127.0.0.1:9/1/"
    assert all(i.link == "" or i.link.startswith("http") for i in feed.items)
    path = tmp_path / "feed.xml"
    path.write_bytes(damaged)
    assert read_feed(str(path), PoliteClient()).items[0].title == "One"


def test_extraction_never_goes_online(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("trafilatura tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    page = extract_page("https://blog.example.org/a/", "text/html", FRENCH)
    assert page is not None and page.title.startswith("Emmaüs Connect ouvre") and page.author == "Justine Coopman"
    assert "Accueil" not in page.text and "mentions légales" not in page.text and "tracking" not in page.text
    assert extract_page("https://blog.example.org/tag/", "text/html", NOT_AN_ARTICLE) is None
    assert extract_page("https://blog.example.org/f.pdf", "application/pdf", FRENCH) is None


# -- analysis ------------------------------------------------------------------------------------


def drafter() -> Drafter:
    return Drafter(ENTRIES, FakeGazetteer(), today=lambda: dt.date(2024, 6, 1))


def test_a_french_page_is_drafted_with_its_links() -> None:
    page = extract_page("http://127.0.0.1/fr/", "text/html", FRENCH)
    assert page is not None
    draft = drafter().draft(item(title="Emmaüs Connect ouvre un nouvel espace solidaire à Lille"), page)
    assert (draft.title_en, draft.title_fr, draft.author) == (
        "",
        "Emmaüs Connect ouvre un nouvel espace solidaire à Lille",
        "Justine Coopman",
    )
    assert draft.language == "fr" and draft.summary and draft.front_matter("x")["summary_status"] == "extractive"
    assert (draft.published, draft.published_precision) == ("", "")  # only 2025 is mentioned: a plan, not a date
    assert draft.published_note == "no date in the feed, the page or the text"
    later = Drafter(ENTRIES, FakeGazetteer(), today=lambda: dt.date(2026, 1, 1)).draft(item(), page)
    assert (later.published, later.published_precision) == ("2025", "year") and "inferred" in later.published_note
    assert [o.entry_id for o in draft.organisations] == ["emmaus-connect", "soga"]
    assert [(p.name, p.country) for p in draft.places] == [("Lille", "FR"), ("France", "FR")]
    assert [c.name for c in draft.candidates] == ["Les Bricodeurs du Nord", "Fondation Numérique Solidaire"]
    fm = draft.front_matter("emmaus-lille")
    assert fm["organisations"] == [] and fm["summary_fr"] and not fm["summary_en"]


def test_an_english_page_finds_its_french_title_and_refuses_a_refused_candidate() -> None:
    page = extract_page("http://127.0.0.1/en/", "text/html", ENGLISH)
    assert page is not None
    draft = drafter().draft(item(title="Digital commons gather in Brussels", published="2024-04-02"), page)
    assert draft.title_fr == "Les communs numériques se retrouvent à Bruxelles" and draft.language == "en"
    assert (draft.published, draft.published_precision) == ("2024-04-02", "day")
    # "Open Knowledge Lab" was refused by a moderator before; the European Commission is not in these entries
    assert [c.name for c in draft.candidates] == ["European Commission"]
    assert {o.entry_id for o in draft.organisations} == {"framasoft", "openstreetmap-foundation"}


def test_a_hostile_page_gives_plain_text_only() -> None:
    page = extract_page("http://127.0.0.1/h/", "text/html", HOSTILE_PAGE)
    assert page is not None
    draft = drafter().draft(item(title=HOSTILE, author=HOSTILE), page)
    fm = draft.front_matter("hostile")
    for value in [fm["title_en"], fm["title_fr"], fm["author"], fm["summary_fr"], *(c.name for c in draft.candidates)]:
        assert not MARKUP.search(value) and "<" not in value and "](" not in value and "**" not in value, value
        assert not any(ord(c) < 32 for c in value)


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("<b>bold</b> &amp; <i>it</i>", "bold & it"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;x", "x"),
        ("[click](javascript:alert(document.cookie))", "click"),
        ("![img](data:text/html,x) **strong** `code`", "img strong code"),
        ("# Title\n> quote", "Title quote"),
        ("a\x00b\x1b[31mc\u202ed", "abcd"),
        ("javascript:alert(1)", "javascript alert(1)"),
        ("x" * 50, "x" * 9 + "…"),
    ],
)
def test_plain_text(raw: str, plain: str) -> None:
    assert plain_text(raw, 10 if len(raw) == 50 else 200) == plain


def test_organisation_like_names() -> None:
    text = (
        "Nous avons rencontré l'association Les Petits Débrouillards, puis la Fondation Abbé Pierre et "
        "WeTechCare. The Digital Rights Network (DRN) spoke too. Marie Dupont est venue de Rennes."
    )
    names = [c.name for c in find_candidates(text)]
    assert names == ["Les Petits Débrouillards", "Fondation Abbé Pierre", "WeTechCare", "Digital Rights Network"]


def test_an_extractive_draft_is_never_loaded_as_an_article() -> None:
    text = "---\nid: x\ntitle_en: T\ntitle_fr: T\nsummary_en: s\nsummary_fr: s\nsource: http://a/\n"
    text += "summary_status: extractive\n---\n"
    articles, problems = parse_articles([("x.md", text)])
    assert articles == [] and "draft" in problems[0]
    articles, problems = parse_articles([("x.md", text.replace("extractive", "edited"))])
    assert [a.id for a in articles] == ["x"] and problems == []


# -- the command -----------------------------------------------------------------------------------


def test_the_command_dry_run_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    broken = tmp_path / "broken.xml"
    broken.write_text("not a feed", encoding="utf-8")
    assert main(["articles", "fetch", str(broken), "--database", db]) == 2
    assert "not an RSS or Atom feed" in capsys.readouterr().err
    with serve() as site:
        assert (
            main(["articles", "fetch", site.url("/feed/"), "--dry-run", "--database", db, "--delay", "0", *allow(site)])
            == 0
        )
        out = capsys.readouterr().out
        assert "8 new item(s) would be fetched" in out and site.hits["/2024/03/emmaus-connect-lille/"] == 0
    with pytest.raises(SystemExit):
        main(["articles", "fetch", "x", "--since", "yesterday"])
