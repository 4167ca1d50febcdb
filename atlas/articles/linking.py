"""Pure functions that tie articles to the dashboard: country filter, organisation links, search, map layer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from atlas.articles.model import Article, ArticlePlace, odc_country
from atlas.countries import country_name
from atlas.i18n import content_lang
from atlas.text import fold_key

PLACE_COLUMNS = ["id", "name", "country", "lat", "lon", "geo_precision", "article_ids"]


@dataclass(frozen=True)
class ArticleSelection:
    """Articles that follow a country filter, and how many it hides."""

    shown: list[Article]
    hidden: int


def article_countries(article: Article, org_country: Mapping[str, str]) -> frozenset[str]:
    """Countries an article touches: its places, its organisations' countries and its ODCs' countries."""
    orgs = {org_country[o] for o in article.organisations if org_country.get(o)}
    return article.countries | orgs | {odc_country(o) for o in article.odcs}


def articles_for(
    articles: Sequence[Article], countries: Iterable[str], org_country: Mapping[str, str]
) -> ArticleSelection:
    """Articles shown under a country filter: those with a place or organisation in `countries`.

    `org_country` maps an organisation id to its ISO alpha-2 country. An empty filter shows all.
    """
    wanted = {c.upper() for c in countries}
    if not wanted:
        return ArticleSelection(list(articles), 0)
    shown = [a for a in articles if article_countries(a, org_country) & wanted]
    return ArticleSelection(shown, len(articles) - len(shown))


def articles_mentioning(articles: Iterable[Article], org_id: str) -> list[Article]:
    """Articles that name an organisation or an ODC, in their given order."""
    return [a for a in articles if org_id in a.organisations or org_id in a.odcs]


def search_articles(articles: Iterable[Article], query: str, lang: str) -> list[Article]:
    """Articles whose title or summary in `lang` holds every word of `query`, ignoring case and accents."""
    words = fold_key(query).split()
    if not words:
        return list(articles)
    found = []
    for article in articles:
        haystack = fold_key(f"{article.title(lang)} {article.summary(lang)}")
        if all(word in haystack for word in words):
            found.append(article)
    return found


def article_places_frame(articles: Iterable[Article]) -> pd.DataFrame:
    """One row per geocoded place (same name and country merged) with the ids of the articles naming it.

    Places without coordinates are left out; `article_ids` is a list in each row.
    """
    places: dict[str, tuple[ArticlePlace, list[str]]] = {}
    for article in articles:
        for place in article.places:
            if place.has_coordinates:
                key = f"{place.country.lower()}-{fold_key(place.name).replace(' ', '-')}"
                ids = places.setdefault(key, (place, []))[1]
                if article.id not in ids:
                    ids.append(article.id)
    rows = [[key, p.name, p.country, p.lat, p.lon, p.geo_precision, ids] for key, (p, ids) in places.items()]
    return pd.DataFrame(rows, columns=PLACE_COLUMNS)


def article_places_points(places: pd.DataFrame, titles: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Article places (from `article_places_frame`) as rows of the map's article-places layer.

    The rows have the columns `atlas.map.points.encode_points` reads; each place's popup text
    lists the titles of the articles that name it.
    """
    return pd.DataFrame(
        {
            "id": places["id"],
            "kind": "place",
            "category": "",
            "status": "",
            "name": places["name"],
            "city": "",
            "country": places["country"],
            f"country_name_{content_lang(lang)}": [country_name(c, content_lang(lang)) for c in places["country"]],
            "lat": places["lat"].astype(float),
            "lon": places["lon"].astype(float),
            "website": "",
            f"description_{content_lang(lang)}": [
                " · ".join(titles.get(a, a) for a in ids) for ids in places["article_ids"]
            ],
        }
    )
