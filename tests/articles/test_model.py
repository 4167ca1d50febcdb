"""Loading `data/articles/*.md`: good files kept, every problem reported with file, field and value."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from atlas.articles.model import load_articles
from atlas.articles.summarise import split_sentences
from atlas.config import PROJECT_ROOT
from tests.support import require

GOOD = """---
id: {id}
title_en: Open mapping days
title_fr: Journées de cartographie libre
author: Jeanne Exemple
published: '{published}'
published_precision: {precision}
topics: [digital-commons]
organisations: [soga, openai]
odcs: [odc-fr-saint-ouen-sur-seine]
places:
- {{name: Foligno, country: IT, lat: 42.95, lon: 12.7, geo_precision: city, geo_source: gazetteer, role: venue}}
- {{name: Kenya, country: KE}}
summary_en: An English summary.
summary_fr: Un résumé en français.
source: 'SOGA seed article: Open mapping days'
---
"""


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def good(id: str = "open-mapping", published: str = "2022-07", precision: str = "month") -> str:
    return GOOD.format(id=id, published=published, precision=precision)


def test_good_article_is_loaded_with_typed_fields(tmp_path: Path) -> None:
    write(tmp_path, "a.md", good() + "\nA short note.\n")
    [article], problems = load_articles(tmp_path, {"soga", "openai"}, {"odc-fr-saint-ouen-sur-seine"})
    assert problems == []
    assert article.id == "open-mapping" and article.published == "2022-07" and article.published_precision == "month"
    assert article.organisations == ("soga", "openai") and article.topics == ("digital-commons",)
    foligno, kenya = article.places
    assert (foligno.lat, foligno.lon, foligno.role, foligno.has_coordinates) == (42.95, 12.7, "venue", True)
    assert (kenya.lat, kenya.has_coordinates) == (None, False)
    assert article.countries == {"IT", "KE"}
    assert article.title("fr") == "Journées de cartographie libre" and article.summary("en") == "An English summary."
    assert article.body == "A short note."


def test_articles_come_newest_first(tmp_path: Path) -> None:
    write(tmp_path, "a.md", good("old", "2021", "year"))
    write(tmp_path, "b.md", good("new", "2022-06-18", "day"))
    write(tmp_path, "c.md", good("undated", "", "''"))
    articles, problems = load_articles(tmp_path)
    assert problems == [] and [a.id for a in articles] == ["new", "old", "undated"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("---\nid: [unclosed\n---\n", "a.md: bad YAML"),
        ("no front matter\n", "a.md: does not start with a '---' front matter line"),
        (
            good().replace("summary_fr: Un résumé en français.\n", ""),
            "a.md: field 'summary_fr': required text is missing",
        ),
        (good("Bad Id"), "a.md: field 'id' = 'Bad Id': must be a lower-case slug"),
    ],
)
def test_unusable_files_are_skipped_with_a_message(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, "a.md", text)
    write(tmp_path, "b.md", good("kept"))
    articles, problems = load_articles(tmp_path)
    assert [a.id for a in articles] == ["kept"]
    assert len(problems) == 1 and problems[0].startswith(expected)


@pytest.mark.parametrize(
    "old, new, expected, check",
    [
        (
            "[soga, openai]",
            "[soga, nobody]",
            "field 'organisations' = 'nobody': unknown organisation id",
            lambda a: a.organisations == ("soga",),
        ),
        ("'2022-07'", "'2022-13'", "field 'published' = '2022-13': not a real date", lambda a: a.published == ""),
        ("lat: 42.95", "lat: 142.95", "bad coordinates", lambda a: not a.places[0].has_coordinates),
        (
            "precision: month",
            "precision: day",
            "field 'published_precision' = 'day': does not match",
            lambda a: a.published_precision == "month",
        ),
        (
            "{name: Kenya, country: KE}",
            "{name: Kenya, country: Kenya}",
            "needs a name and an ISO alpha-2 country",
            lambda a: len(a.places) == 1,
        ),
        (
            "topics: [digital-commons]",
            "topics: [digital-commons]\nsumary_en: typo",
            "field 'sumary_en' = 'typo': unknown field",
            lambda a: True,
        ),
    ],
)
def test_bad_optional_values_are_dropped_and_reported(tmp_path: Path, old, new, expected, check) -> None:
    write(tmp_path, "a.md", good().replace(old, new))
    [article], problems = load_articles(tmp_path, {"soga", "openai"})
    assert len(problems) == 1 and expected in problems[0] and problems[0].startswith("a.md: ")
    assert check(article)


def test_duplicate_ids_and_missing_folder(tmp_path: Path) -> None:
    write(tmp_path, "a.md", good())
    write(tmp_path, "b.md", good())
    articles, problems = load_articles(tmp_path)
    assert len(articles) == 1 and problems == ["b.md: field 'id' = 'open-mapping': already used by a.md; file skipped"]
    assert load_articles(tmp_path / "nope") == ([], [f"{tmp_path / 'nope'}: articles folder not found"])


def ids(name: str) -> set[str]:
    path = PROJECT_ROOT / "data" / name
    require(f"data/{name}: bundled with the repository (a checkout without it is incomplete)", present=path.exists())
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


def test_bundled_articles_load_cleanly_and_cover_the_seed() -> None:
    articles, problems = load_articles(PROJECT_ROOT / "data" / "articles", ids("organisations.csv"), ids("odc.csv"))
    assert problems == []
    assert len(articles) == 10
    by_id = {a.id: a for a in articles}
    week = [a for a in articles if a.title_en.startswith("Social Good Week is back")]
    assert len(week) == 2 and all(a.note for a in week)
    report = by_id["soga-activity-report-2021"]
    assert report.title_en_note == "translated, no English title in the source"
    places = {(p.name, p.country) for a in articles for p in a.places}
    assert {
        ("Foligno", "IT"),
        ("Montefalco", "IT"),
        ("Autrêches", "FR"),
        ("Toulouse", "FR"),
        ("Ljubljana", "SI"),
        ("Mannheim", "DE"),
        ("Lisbon", "PT"),
        ("Brussels", "BE"),
        ("Paris", "FR"),
        ("Saint-Ouen-sur-Seine", "FR"),
        ("Kenya", "KE"),
        ("Lille", "FR"),
    } <= places
    for article in articles:
        assert article.source.startswith("SOGA seed article: ")
        for summary in (article.summary_en, article.summary_fr):
            assert 2 <= len(split_sentences(summary)) <= 4, article.id
