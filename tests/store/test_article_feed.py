"""`atlas articles fetch` and the review of its drafts, on SQLite and PostgreSQL, against a blog on loopback.

The blog (`tests/articles/feedsite.py`) is written for these tests, in French and English, with
a page that times out, a 404, a page that is not an article, a huge article, a page robots.txt
disallows and hostile text in every field. Nothing here goes beyond 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from atlas.articles.fetch import feed_key, fetch_feed, run
from atlas.articles.frontmatter import split_front_matter
from atlas.articles.polite import PoliteClient
from atlas.geocoding.models import GeoResult
from atlas.schema import MARKUP
from atlas.store import open_store
from atlas.store.drafts import ArticleReview, FeedLedger, StillExtractive, Undecided
from atlas.store.errors import AlreadyDecided, InvalidRecord
from atlas.store.files import export_folder
from atlas.store.models import Article, ArticleDraft, ArticleLink, Entry, FeedItem, Revision
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from tests.articles.conftest import FakeGazetteer
from tests.articles.feedsite import HOSTILE, BlogSite, Route, rss, serve

ROOT = Path(__file__).resolve().parents[2]
MOD = "mod@example.org"


def client(site: BlogSite | None = None) -> PoliteClient:
    """The loopback blog is named on the allow-list (nothing else that is not public may be fetched)."""
    return PoliteClient(delay=0, timeout=0.5, allow_hosts=[site.host] if site else [])


def fetch(store: Store, site: BlogSite, **kwargs: object):
    return fetch_feed(site.url("/feed/"), FeedLedger(store), client(site), FakeGazetteer(), **kwargs)  # type: ignore[arg-type]


def public_articles(store: Store) -> list[str]:
    source = DatabaseSource(store)
    frame = source.load().frame
    ids = frame.groupby("kind")["id"].agg(frozenset)
    articles, _problems = source.articles(ids["organisation"], ids["odc"])
    return [a.id for a in articles]


def rows(store: Store, model: type) -> int:
    with store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def draft_of(store: Store, title_word: str):
    review = ArticleReview(store)
    (item,) = [i for i in review.drafts(size=50).items if title_word in (i.title_fr + i.title_en)]
    return review.draft(item.article_id)


def test_a_feed_becomes_pending_drafts_and_nothing_is_published(store: Store) -> None:
    revision, articles_before = store.revision(), public_articles(store)
    with serve() as site:
        report = fetch(store, site)
        assert site.hits["/private/members/"] == 0  # robots.txt is respected
        assert site.hits["/robots.txt"] == 1 and site.agents == {client().user_agent}
    assert report.items == 8
    assert sorted(title for _id, title in report.drafted)[:2] == [
        "Digital commons gather in Brussels",
        "Emmaüs Connect ouvre un nouvel espace solidaire à Lille",
    ]
    assert len(report.drafted) == 4  # French, English, huge, hostile
    assert {why.split(" (")[0] for _link, why in report.skipped} == {"not an article", "robots.txt disallows it"}
    assert sorted(why.split(" ")[0] for _link, why, _n, _gave_up in report.failed) == ["HTTP", "no"]
    assert report.exit_code == 1
    # drafts, not publications
    assert store.revision() == revision and public_articles(store) == articles_before
    with store.reading() as s:
        states = dict(s.execute(select(Article.id, Article.state).where(Article.state != "published")).all())
    assert set(states.values()) == {"pending"} and len(states) == 4
    assert ArticleReview(store).drafts().total == 4

    french = draft_of(store, "Lille")
    assert french.fields["title_fr"] == "Emmaüs Connect ouvre un nouvel espace solidaire à Lille"
    assert french.fields["author"] == "Justine Coopman" and french.fields["published"] == "2024-03-05"
    assert french.summary_status == "extractive" and french.fields["summary_status"] == "extractive"
    assert french.fields["summary_fr"].startswith("Emmaüs Connect ouvre") and not french.fields["summary_en"]
    assert french.fields["source"] == french.link and french.link.endswith("/2024/03/emmaus-connect-lille/")
    kinds = {(link.kind, link.entry_id or link.name) for link in french.links}
    assert {("organisation", "emmaus-connect"), ("organisation", "soga"), ("place", "Lille")} <= kinds
    candidates = {link.name: link for link in french.links if link.kind == "candidate"}
    assert set(candidates) == {"Les Bricodeurs du Nord", "Fondation Numérique Solidaire"}
    assert all(c.entry_state == "pending" and c.status == "proposed" for c in candidates.values())
    assert "Emmaüs Connect ouvre ce printemps" in (french.extracted_text or "")

    english = draft_of(store, "Brussels")
    assert (english.fields["title_en"], english.fields["title_fr"]) == (
        "Digital commons gather in Brussels",
        "Les communs numériques se retrouvent à Bruxelles",
    )
    assert {link.entry_id for link in english.links if link.kind == "organisation"} == {
        "framasoft",
        "openstreetmap-foundation",
        "european-commission",
    }
    assert {link.name for link in english.links if link.kind == "candidate"} == {"Open Knowledge Lab"}
    assert {link.name for link in english.links if link.kind == "place"} == {"Brussels", "Lisbon"}

    huge = draft_of(store, "long")
    assert huge.text_cut and len(huge.extracted_text or "") == 100_000

    # candidates wait in the entries' queue too, named after the article; the public sees none of them
    queued = {item.name: item for item in store.queue(size=50).items}
    assert "Fondation Numérique Solidaire" in queued and queued[
        "Fondation Numérique Solidaire"
    ].submitted_by.startswith("feed #")
    assert french.article_id in queued["Fondation Numérique Solidaire"].note
    assert "Fondation Numérique Solidaire" not in set(DatabaseSource(store).load().frame["name"])


def test_re_runs_fetch_only_what_is_new_and_retry_failures_a_bounded_number_of_times(store: Store) -> None:
    with serve() as site:
        fetch(store, site)
        counts = {m: rows(store, m) for m in (Article, ArticleLink, Entry, Revision, ArticleDraft)}
        hits = dict(site.hits)
        again = fetch(store, site)
        assert again.drafted == [] and again.known == 6
        assert {m: rows(store, m) for m in counts} == counts  # idempotent
        for path in ("/2024/03/emmaus-connect-lille/", "/2024/05/huge/", "/tag/events/", "/private/members/"):
            assert site.hits[path] == hits.get(path, 0)  # not asked again
        assert site.hits["/2024/04/slow/"] == 2 and site.hits["/2024/04/missing/"] == 2  # failures are retried

        third = fetch(store, site)
        assert [gave_up for *_x, gave_up in third.failed] == [True, True]  # the third failure is the last
        fourth = fetch(store, site)
        assert fourth.failed == [] and fourth.exit_code == 0 and site.hits["/2024/04/missing/"] == 3
    with store.reading() as s:
        missing = s.scalar(select(FeedItem).where(FeedItem.link.like("%/missing/")))
        assert missing is not None and missing.status == "gave_up" and missing.attempts == 3
        assert "404" in missing.error


def test_a_page_that_comes_back_is_drafted_at_the_next_run(store: Store) -> None:
    with serve() as site:
        fetch(store, site)
        site.routes["/2024/04/slow/"].delay = 0  # the server answers again
        report = fetch(store, site)
    assert [title for _id, title in report.drafted] == ["Une page lente"]  # the feed's title comes first
    (article_id,) = [article_id for article_id, _title in report.drafted]
    draft = ArticleReview(store).draft(article_id)
    assert draft.extracted_text and "Emmaüs Connect ouvre ce printemps" in draft.extracted_text
    # the candidates it names are already pending (proposed by the first article): linked, not made again
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(Entry).where(Entry.name == "Les Bricodeurs du Nord")) == 1
    assert {link.entry_state for link in draft.links if link.kind == "candidate"} == {"pending"}


def test_since_and_dry_run(store: Store) -> None:
    with serve() as site:
        dry = fetch(store, site, dry_run=True, day=dt.date(2024, 4, 1))
        assert rows(store, FeedItem) == 0 and rows(store, ArticleDraft) == 0
        assert site.hits["/2024/03/emmaus-connect-lille/"] == 0
        assert not any(link.endswith("/emmaus-connect-lille/") for link in dry.would_fetch)  # before the day
        assert any(link.endswith("/slow/") for link in dry.would_fetch)  # undated items are kept


def test_hostile_text_stays_text(store: Store) -> None:
    with serve() as site:
        fetch(store, site)
    review = ArticleReview(store)
    (item,) = [i for i in review.drafts(size=50).items if i.link.endswith("/hostile/")]
    draft = review.draft(item.article_id)
    with store.reading() as s:
        stored = s.scalar(select(Article.text).where(Article.id == item.article_id))
    data, _body = split_front_matter(stored)
    assert data == yaml.safe_load(stored.split("---\n")[1])  # written by the YAML dumper, read back as is
    shown = [data["title_en"], data["title_fr"], data["author"], data["summary_en"], data["summary_fr"]]
    shown += [link.name for link in draft.links] + [link.written for link in draft.links]
    for value in shown:
        assert not MARKUP.search(value), value
        assert "](" not in value and "**" not in value and "<" not in value
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in value)
    assert "Evil" in " ".join(link.name for link in draft.links if link.kind == "candidate")
    # the extracted text is kept as the page wrote it — text, for a moderator to read, never rendered
    assert "<script>alert('x')</script>" in (draft.extracted_text or "")
    assert item.article_id.replace("-", "").isalnum()
    assert HOSTILE not in stored


def test_the_review_publishes_what_a_moderator_accepted(store: Store, tmp_path: Path) -> None:
    geocoded = GeoResult(50.6292, 3.0573, "city", "cache:nominatim", "Lille")

    def geocode(city: str | None, country: str) -> GeoResult | None:
        return geocoded if city == "Lille" else None

    with serve() as site:
        fetch_feed(site.url("/feed/"), FeedLedger(store), client(site), FakeGazetteer(), geocode)
    review = ArticleReview(store)
    draft = draft_of(store, "Lille")
    lille = next(link for link in draft.links if link.name == "Lille")
    assert lille.place is not None and lille.place["lat"] == 50.6292 and lille.place["geo_source"] == "nominatim"
    revision = store.revision()

    with pytest.raises(StillExtractive):
        review.publish(draft.article_id, draft.version, MOD)
    # saving the machine's sentences unchanged does not count as the project's own words
    version = review.edit(draft.article_id, draft.version, MOD, summary_fr=draft.fields["summary_fr"])
    assert review.draft(draft.article_id).summary_status == "extractive"
    version = review.edit(
        draft.article_id,
        version,
        MOD,
        title_en="Emmaüs Connect opens a new space in Lille",
        summary_en="Emmaüs Connect opens a digital inclusion space in <b>Lille</b> with a local repair collective.",
        summary_fr="Emmaüs Connect ouvre à Lille un espace d'inclusion numérique avec un collectif de réparation.",
        topics=["digital-inclusion"],
    )
    draft = review.draft(draft.article_id)
    assert draft.summary_status == "edited" and draft.summary_en_by == f"moderator:{MOD}"
    assert (
        draft.fields["summary_en"]
        == "Emmaüs Connect opens a digital inclusion space in Lille with a local repair collective."
    )
    with pytest.raises(Undecided):
        review.publish(draft.article_id, version, MOD)

    links = {(link.kind, link.entry_id or link.name): link for link in draft.links}
    review.accept_link(
        links[("organisation", "emmaus-connect")].id, links[("organisation", "emmaus-connect")].version, MOD
    )
    with pytest.raises(AlreadyDecided):  # a second moderator on the same link
        review.reject_link(
            links[("organisation", "emmaus-connect")].id,
            links[("organisation", "emmaus-connect")].version,
            "other@example.org",
        )
    review.reject_link(links[("organisation", "soga")].id, links[("organisation", "soga")].version, MOD, "only named")
    review.accept_link(links[("place", "Lille")].id, links[("place", "Lille")].version, MOD)
    review.reject_link(links[("place", "France")].id, links[("place", "France")].version, MOD)
    candidates = {link.name: link for link in draft.links if link.kind == "candidate"}
    bricodeurs = candidates["Les Bricodeurs du Nord"]
    with pytest.raises(InvalidRecord):  # the moderator's edits are checked by the schema
        review.accept_candidate(bricodeurs.id, bricodeurs.version, MOD, edits={"country": "XX"})
    review.accept_candidate(
        bricodeurs.id,
        bricodeurs.version,
        MOD,
        edits={"city": "Lille", "lat": 50.63, "lon": 3.06, "geo_precision": "city", "category": "digital_mediation"},
    )
    fondation = candidates["Fondation Numérique Solidaire"]
    review.reject_candidate(fondation.id, fondation.version, MOD, "not in the atlas's scope")
    assert store.entry(bricodeurs.entry_id)["state"] == "published"
    assert store.entry(fondation.entry_id)["state"] == "rejected"

    draft = review.draft(draft.article_id)
    with pytest.raises(AlreadyDecided):  # the draft changed since `version` (links were decided)
        review.publish(draft.article_id, version, MOD)
    review.publish(draft.article_id, draft.version, MOD, "good")
    with pytest.raises(AlreadyDecided):
        review.publish(draft.article_id, draft.version, "other@example.org")

    assert store.revision() != revision  # every app process reloads
    assert draft.article_id in public_articles(store)
    source = DatabaseSource(store)
    frame = source.load().frame
    ids = frame.groupby("kind")["id"].agg(frozenset)
    (article,) = [a for a in source.articles(ids["organisation"], ids["odc"])[0] if a.id == draft.article_id]
    assert article.organisations == ("emmaus-connect", bricodeurs.entry_id)
    assert [p.name for p in article.places] == ["Lille"] and article.places[0].has_coordinates
    assert article.summary("fr").startswith("Emmaüs Connect ouvre à Lille") and article.topics == ("digital-inclusion",)
    assert article.source == draft.link
    done = review.draft(draft.article_id)
    assert done.state == "published" and done.extracted_text is None and done.cleared_reason == "published"
    assert done.cleared_at is not None and done.decided_by == f"moderator:{MOD}"
    # the export holds the published article (and no draft), in the bundled files' format
    export_folder(store, tmp_path / "out")
    written = (tmp_path / "out" / "articles" / f"{draft.article_id}.md").read_text(encoding="utf-8")
    assert "summary_status" not in written and "extractive" not in written
    assert len(list((tmp_path / "out" / "articles").glob("*.md"))) == 11


def test_a_rejected_draft_keeps_no_third_party_text(store: Store) -> None:
    with serve() as site:
        fetch(store, site)
    review = ArticleReview(store)
    draft = draft_of(store, "Brussels")
    with pytest.raises(InvalidRecord):
        review.reject(draft.article_id, draft.version, MOD, " ")
    review.reject(draft.article_id, draft.version, MOD, "off topic")
    done = review.draft(draft.article_id)
    assert done.state == "rejected" and done.extracted_text is None and done.cleared_reason == "rejected"
    assert done.extractive_summary == () and not done.fields["summary_en"] and done.decision_note == "off topic"
    assert draft.article_id not in public_articles(store)
    assert draft.article_id not in {i.article_id for i in review.drafts().items}
    with pytest.raises(AlreadyDecided) as raised:
        review.publish(draft.article_id, done.version, MOD)
    assert raised.value.by == f"moderator:{MOD}"
    link = next(link for link in done.links if link.kind == "organisation")
    with pytest.raises(AlreadyDecided):  # nothing to decide on a rejected draft
        review.accept_link(link.id, link.version, MOD)


def test_a_candidate_named_again_links_the_pending_entry(store: Store) -> None:
    with serve() as site:
        fetch(store, site)
        site.routes["/2024/06/again/"] = Route(site.routes["/2024/04/digital-commons-brussels/"].body)
        again = {"title": "Encore Bruxelles", "link": site.url("/2024/06/again/"), "guid": site.url("/?p=109")}
        items = [*site.standard_items()[:2], again]

        site.routes["/feed/"] = Route(rss(site.base, items), content_type="application/rss+xml")
        report = fetch(store, site)
    (article_id,) = [i for i, _t in report.drafted]
    again = ArticleReview(store).draft(article_id)
    (first_id,) = [
        i.article_id for i in ArticleReview(store).drafts().items if i.link.endswith("/digital-commons-brussels/")
    ]
    first = ArticleReview(store).draft(first_id)
    (c1,) = [link for link in first.links if link.kind == "candidate"]
    (c2,) = [link for link in again.links if link.kind == "candidate"]
    assert c1.entry_id == c2.entry_id  # one pending entry, two articles
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(Entry).where(Entry.name == "Open Knowledge Lab")) == 1


def test_a_broken_feed_is_unusable_input(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<html><body><p>Not a feed <b>at all</p>", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(str(broken), FeedLedger(store), client(), FakeGazetteer(), None, out, err) == 2
    assert "not an RSS or Atom feed" in err.getvalue()
    assert run(str(tmp_path / "absent.xml"), FeedLedger(store), client(), FakeGazetteer(), None, out, err) == 2
    assert run("ftp://example.org/feed", FeedLedger(store), client(), FakeGazetteer(), None, out, err) == 2
    with serve() as site:
        assert run(site.url("/nothing/"), FeedLedger(store), client(site), FakeGazetteer(), None, out, err) == 2
    assert rows(store, FeedItem) == 0


CHILD = textwrap.dedent(
    """
    import sys
    from atlas.articles.fetch import fetch_feed
    from atlas.articles.polite import PoliteClient
    from atlas.store import open_store
    from atlas.store.drafts import FeedLedger
    from tests.articles.conftest import FakeGazetteer

    store = open_store(sys.argv[1])
    print("ready", flush=True)
    client = PoliteClient(delay=0, timeout=1, allow_hosts=[sys.argv[3]])
    fetch_feed(sys.argv[2], FeedLedger(store), client, FakeGazetteer())
    print("done", flush=True)
    """
)


def test_a_run_killed_half_way_resumes(store: Store, db_url: str, tmp_path: Path) -> None:
    held = threading.Event()
    with serve() as site:
        site.routes["/2024/05/huge/"].hold = held  # the sixth item's page does not answer until released
        script = tmp_path / "fetch_child.py"
        script.write_text(CHILD, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen(
            [sys.executable, str(script), db_url, site.url("/feed/"), site.host],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 60
        while site.hits["/2024/05/huge/"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        held.set()
        with store.reading() as s:
            done_before = dict(s.execute(select(FeedItem.link, FeedItem.status)).all())
        assert sum(status == "drafted" for status in done_before.values()) == 2  # French and English kept
        assert not any(link.endswith("/huge/") for link in done_before)
        hits = dict(site.hits)
        report = fetch(store, site)
        drafted = [title for _i, title in report.drafted]
        assert "Un très long article" in drafted and len(drafted) == 2  # the huge one and the hostile one
        assert site.hits["/2024/03/emmaus-connect-lille/"] == hits["/2024/03/emmaus-connect-lille/"] == 1
    assert ArticleReview(store).drafts().total == 4


def test_the_migration_creates_the_feed_tables(db_url: str) -> None:
    store = open_store(db_url)
    with store.reading() as s:
        for model in (FeedItem, ArticleDraft, ArticleLink):
            assert s.scalar(select(func.count()).select_from(model)) == 0
    assert feed_key("http://127.0.0.1/feed/") == "http://127.0.0.1/feed/"
    assert feed_key("feed.xml").startswith("/")
    store.engine.dispose()
