"""What the dashboard asks of the articles: country filter, organisation links, search, map layer."""

from __future__ import annotations

from atlas.articles.linking import article_places_frame, articles_for, articles_mentioning, search_articles
from atlas.articles.model import Article, ArticlePlace


def article(id: str, places=(), orgs=(), odcs=(), title_fr="Titre", summary_fr="Résumé") -> Article:
    return Article(
        id=id,
        title_en=f"Title {id}",
        title_fr=title_fr,
        summary_en="English summary.",
        summary_fr=summary_fr,
        source="test",
        places=tuple(places),
        organisations=tuple(orgs),
        odcs=tuple(odcs),
    )


FOLIGNO = ArticlePlace("Foligno", "IT", lat=42.95, lon=12.7, geo_precision="city")
LILLE = ArticlePlace("Lille", "FR", lat=50.63, lon=3.06, geo_precision="city")
KENYA = ArticlePlace("Kenya", "KE")  # not geocoded yet

ITALY = article("italy", places=[FOLIGNO, LILLE])
ORG_ONLY = article("org-only", orgs=["egina"])
ODC = article(
    "odc", odcs=["odc-be-brussels"], title_fr="Les Orange Digital Center", summary_fr="Inclusion numérique à l'école"
)
KENYAN = article("kenya", places=[KENYA], orgs=["openai"])
ALL = [ITALY, ORG_ONLY, ODC, KENYAN]
ORG_COUNTRY = {"egina": "IT", "openai": "US"}


def test_country_filter_follows_places_organisations_and_odcs() -> None:
    selection = articles_for(ALL, {"IT"}, ORG_COUNTRY)
    assert [a.id for a in selection.shown] == ["italy", "org-only"] and selection.hidden == 2
    assert [a.id for a in articles_for(ALL, {"be", "US"}, ORG_COUNTRY).shown] == ["odc", "kenya"]
    everything = articles_for(ALL, set(), ORG_COUNTRY)
    assert everything.shown == ALL and everything.hidden == 0


def test_articles_mentioning_an_organisation_or_an_odc() -> None:
    assert articles_mentioning(ALL, "openai") == [KENYAN]
    assert articles_mentioning(ALL, "odc-be-brussels") == [ODC]
    assert articles_mentioning(ALL, "nobody") == []


def test_search_ignores_accents_and_case_in_the_current_language() -> None:
    assert search_articles(ALL, "NUMERIQUE ecole", "fr") == [ODC]
    assert search_articles(ALL, "numérique", "en") == []
    assert search_articles(ALL, "title odc", "en") == [ODC]
    assert search_articles(ALL, "  ", "fr") == ALL


def test_article_places_frame_merges_places_and_skips_those_without_coordinates() -> None:
    other = article("other", places=[ArticlePlace("Lille", "FR", lat=50.63, lon=3.06, geo_precision="city")])
    frame = article_places_frame([ITALY, KENYAN, other])
    assert list(frame.columns) == ["id", "name", "country", "lat", "lon", "geo_precision", "article_ids"]
    assert frame["id"].tolist() == ["it-foligno", "fr-lille"]
    assert frame.set_index("id").loc["fr-lille", "article_ids"] == ["italy", "other"]
    assert article_places_frame([]).empty
