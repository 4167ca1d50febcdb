"""The Moderate page's Articles tab through AppTest, on a real database (the fixtures of
tests/test_moderate.py): a draft recorded as `atlas articles fetch` records one, its summaries
rewritten, its links and candidate organisations decided, then published or rejected; the
page's text from the web shown literally; no decision without a moderator."""

from __future__ import annotations

import html

from atlas.articles.drafting import ArticleDraft, CandidateLink, OrgLink, PlaceLink
from atlas.articles.feed import FeedItem
from atlas.moderation import draft_edits, languages_key
from atlas.store.drafts import ArticleReview, DraftView, FeedLedger
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from tests import test_moderate
from tests.test_moderate import HOSTILE, click, page, texts

store = test_moderate.store  # the same fixture: a seeded database, a moderator allowed
FEED = "https://blog.example.org/feed/"
LINK = "https://blog.example.org/2025/03/lyon-repair/"


def a_draft(
    store: Store, title: str = "Alpha Civic Lab opens a repair café in Lyon", hostile: str = HOSTILE, link: str = LINK
) -> DraftView:
    """A pending draft as the fetch records it: an organisation, a place and two candidates; the
    extracted text ends with `hostile`; `link`: the article's address (a feed item is recorded once)."""
    draft = ArticleDraft(
        title_en=title,
        title_fr="",
        author="A. Writer",
        published="2025-03-02",
        published_precision="day",
        published_note="",
        language="en",
        languages={"en": 0.99},
        summary=["Alpha Civic Lab opened a repair café in Lyon.", "Les Réparateurs Lyonnais run it."],
        link=link,
        text=f"Alpha Civic Lab opened a repair café in Lyon with Les Réparateurs Lyonnais. {hostile}",
        organisations=[OrgLink("alpha-civic", "organisation", "Alpha Civic Lab", "named in the first paragraph")],
        places=[PlaceLink("Lyon", "FR", 45.764, 4.8357, "city", "manual", "", "in the title")],
        candidates=[
            CandidateLink("Les Réparateurs Lyonnais", "named twice"),
            CandidateLink("Fondation Imaginaire", "named once"),
        ],
    )
    item = FeedItem(
        guid=f"{link}?p=1", link=link, title=title, author="A. Writer", published="2025-03-02", language="en"
    )
    recorded = FeedLedger(store).record_draft(FEED, item, draft)
    assert recorded is not None
    return ArticleReview(store).draft(recorded.article_id)


def articles_tab(article_id: str = "", email: str = test_moderate.MODERATOR, lang: str = "en"):
    at = page(email=email, lang=lang)
    at.session_state["mod_tabs"] = "Articles"
    at.run()
    assert not at.exception, at.exception
    if article_id:
        at.selectbox(key="mod_draft").set_value(article_id).run()
        assert not at.exception, at.exception
    return at


def public_articles(store: Store) -> dict[str, object]:
    source = DatabaseSource(store)
    ids = source.load().frame.groupby("kind")["id"].agg(frozenset)
    articles, _problems = source.articles(ids["organisation"], ids["odc"])
    return {a.id: a for a in articles}


def link_of(view: DraftView, name: str):
    return next(link for link in view.links if link.name == name or link.written == name)


def test_a_draft_is_listed_and_shown_as_plain_text(store) -> None:
    view = a_draft(store, title=f"Hostile {HOSTILE}")
    at = articles_tab()
    assert "1 draft waiting" in [c.value for c in at.caption]
    assert at.dataframe[0].value.iloc[0]["Summary"] == "machine extract"
    at.selectbox(key="mod_draft").set_value(view.article_id).run()
    assert any(html.escape(f"Hostile {HOSTILE}") in e.proto.body for e in at.get("html"))  # safe.strong: escaped
    assert at.text_input(key=f"mod_art_{view.article_id}_title_en").value == f"Hostile {HOSTILE}"
    assert "Marked extractive: the summary in English and French" in at.warning[0].value
    at.session_state[f"mod_arttext_{view.article_id}"] = True  # the extracted text, on demand
    at.run()
    assert any(HOSTILE in x for x in texts(at))
    assert "Organisation: Alpha Civic Lab (alpha-civic)" in texts(at)
    assert "Written “Alpha Civic Lab” — named in the first paragraph" in texts(at)
    markdown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.subheader])
    assert "Hostile" not in markdown and "javascript" not in markdown and "Réparateurs" not in markdown


def test_a_moderator_rewrites_decides_each_link_and_publishes(store) -> None:
    view = a_draft(store)
    aid = view.article_id
    at = articles_tab(aid)
    click(at, f"mod_artpublish_{aid}")
    assert at.error[0].value.startswith("Not published: the summary is still the machine's extract in English and")
    at.text_area(key=f"mod_art_{aid}_summary_en").input("A repair café in Lyon, run by <b>volunteers</b> of the city.")
    at.text_area(key=f"mod_art_{aid}_summary_fr").input("Un café réparation à Lyon, tenu par des bénévoles.")
    at.text_input(key=f"mod_art_{aid}_title_fr").input("Un café réparation ouvre à Lyon")
    click(at, f"mod_artsave_{aid}")
    assert at.success[0].value == "Saved."
    stored = "A repair café in Lyon, run by volunteers of the city."  # the markup dropped, as stored
    assert at.text_area(key=f"mod_art_{aid}_summary_en").value == stored
    saved = ArticleReview(store).draft(aid)
    assert saved.summary_status == "edited" and saved.fields["title_fr"] == "Un café réparation ouvre à Lyon"
    click(at, f"mod_artpublish_{aid}")
    assert at.error[0].value == "Not published: 4 proposed links still wait for a decision."

    keep, drop = link_of(view, "Les Réparateurs Lyonnais"), link_of(view, "Fondation Imaginaire")
    at.text_input(key=f"mod_cand_{keep.id}_city").input("Lyon")
    click(at, f"mod_linkok_{keep.id}")
    assert at.success[0].value.startswith("Accepted: the new organisation is published")
    click(at, f"mod_linkno_{drop.id}")
    assert at.success[0].value.startswith("Rejected: the new organisation will not be published")
    click(at, f"mod_linkok_{link_of(view, 'Alpha Civic Lab').id}")
    click(at, f"mod_linkok_{link_of(view, 'Lyon').id}")
    assert at.success[0].value == "Accepted: the link goes with the article."
    assert "Ready to publish." in [c.value for c in at.caption]
    click(at, f"mod_artpublish_{aid}")
    assert at.success[0].value.startswith("Published")

    article = public_articles(store)[aid]
    assert article.organisations == ("alpha-civic", keep.entry_id)  # type: ignore[attr-defined]
    assert [p.name for p in article.places] == ["Lyon"]  # type: ignore[attr-defined]
    assert store.entry(keep.entry_id)["city"] == "Lyon" and store.entry(keep.entry_id)["state"] == "published"
    assert store.entry(drop.entry_id)["state"] == "rejected"  # the rejected candidate never appears
    assert drop.entry_id not in set(DatabaseSource(store).load().frame["id"])
    assert all(drop.entry_id not in a.organisations for a in public_articles(store).values())  # type: ignore[attr-defined]
    done = ArticleReview(store).draft(aid)
    assert done.state == "published" and done.extracted_text is None and done.decided_by.endswith("mod@example.org")
    assert any("No article draft is waiting" in i.value for i in at.info)


def test_rejecting_a_draft_needs_a_reason_and_it_is_never_published(store) -> None:
    view = a_draft(store)
    aid = view.article_id
    at = articles_tab(aid)
    click(at, f"mod_artreject_{aid}")
    assert "Not saved" in at.error[0].value and any("required" in x for x in texts(at))
    at.text_input(key=f"mod_artnote_{aid}").input("not about the social economy")
    click(at, f"mod_artreject_{aid}")
    assert at.success[0].value.startswith("Rejected: the article will not be published")
    assert aid not in public_articles(store) and ArticleReview(store).draft(aid).state == "rejected"


def test_a_non_moderator_cannot_act(store, monkeypatch) -> None:
    view = a_draft(store)
    visitor = articles_tab(email="visitor@example.org")
    assert "may not moderate" in visitor.error[0].value and not visitor.selectbox
    at = articles_tab(view.article_id)
    monkeypatch.setenv("ATLAS_MODERATORS", "other@example.org")  # removed while the page is open
    keep = link_of(view, "Les Réparateurs Lyonnais")
    click(at, f"mod_linkok_{keep.id}")
    assert "may not moderate" in at.error[0].value
    after = ArticleReview(store).draft(view.article_id)
    assert link_of(after, "Les Réparateurs Lyonnais").status == "proposed"
    assert store.entry(keep.entry_id)["state"] == "pending" and view.article_id not in public_articles(store)


def test_french(store) -> None:
    view = a_draft(store)
    at = articles_tab(view.article_id, lang="fr")
    assert "1 brouillon en attente" in [c.value for c in at.caption]
    assert "Marqué extractif : le résumé en anglais et français" in at.warning[0].value
    assert "Lieu : Lyon" in texts(at)


def test_the_pure_helpers() -> None:
    assert languages_key(["fr", "en"]) == "langs_en_fr" and languages_key([]) == "langs_none"
    assert draft_edits({"title_en": "A", "summary_en": "x"}, {"title_en": "A ", "summary_en": "y"}) == {
        "summary_en": "y"
    }
