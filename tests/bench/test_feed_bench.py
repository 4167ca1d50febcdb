"""The feed benchmark's parts, on text written here (the benchmark itself reads the seed export)."""

from __future__ import annotations

import datetime as dt

from atlas.articles.feed import extract_page, parse_feed
from atlas.articles.model import Article, ArticlePlace
from atlas.articles.split import RawArticle
from atlas.store.drafts import DraftView, LinkView
from bench.feed import candidate_recall, compare, feed_xml, page_html, rouge

RAW = RawArticle(
    "Open data in Lille",
    "Les données ouvertes à Lille",
    (),
    "",
    "Lille publie ses données ouvertes avec Framasoft et une coopérative locale pour les habitants.\n"
    "Les associations de la ville peuvent ainsi réutiliser les jeux de données dans leurs projets numériques.\n"
    "Le projet sera présenté à Paris lors d'une rencontre nationale consacrée aux communs numériques.",
    "Justine Coopman",
    ("Chargée de communication",),
)


def test_the_served_blog_reads_back_as_the_export() -> None:
    page = extract_page("http://127.0.0.1:9/articles/0/", "text/html", page_html(RAW))
    assert page is not None and page.title == "Open data in Lille"
    assert "Les données ouvertes à Lille" in page.text and "Un article écrit par Justine Coopman" in page.text
    (item,) = parse_feed(feed_xml("http://127.0.0.1:9", [RAW]), "bench").items
    assert (item.title, item.link, item.author, item.published) == (
        "Open data in Lille",
        "http://127.0.0.1:9/articles/0/",
        "",
        "",
    )


def link(kind: str, entry_id: str = "", name: str = "", country: str = "") -> LinkView:
    place = {"name": name, "country": country} if kind == "place" else None
    return LinkView(0, 1, kind, "proposed", entry_id, name or entry_id, "", name, "", place, "", None)


def test_precision_and_recall_per_field() -> None:
    reference = Article(
        id="ref",
        title_en="Open data in Lille",
        title_fr="Les données ouvertes à Lille",
        summary_en="s",
        summary_fr="s",
        source="x",
        author="Justine Coopman",
        published="2022",
        places=(ArticlePlace("Lille", "FR"), ArticlePlace("Paris", "FR")),
        organisations=("framasoft", "soga"),
    )
    fields = {"title_en": "Open data in Lille", "title_fr": "", "author": "justine coopman", "published": "2022-05-01"}
    links = (
        link("place", name="Lille", country="FR"),
        link("place", name="Nice", country="FR"),
        link("organisation", "framasoft"),
    )
    draft = DraftView(
        "d",
        1,
        "pending",
        fields,
        "extractive",
        "",
        "",
        (),
        "",
        "",
        False,
        None,
        "",
        {},
        links,
        dt.datetime.now(dt.UTC),
        "",
        None,
        "",
    )
    table = compare([draft], [reference])
    assert table["title_en"] == {"right": 1, "proposed": 1, "expected": 1, "precision": 1.0, "recall": 1.0}
    assert table["title_fr"]["recall"] == 0.0 and table["title_fr"]["precision"] == 1.0
    assert table["author"]["right"] == 1 and table["published"]["right"] == 1
    assert (table["places"]["precision"], table["places"]["recall"]) == (0.5, 0.5)
    assert (table["organisations"]["precision"], table["organisations"]["recall"]) == (1.0, 0.5)
    candidates = (link("candidate", "c1", "Framasoft"), link("candidate", "c2", "Quelque Chose"))
    draft2 = DraftView(
        "d",
        1,
        "pending",
        fields,
        "extractive",
        "",
        "",
        (),
        "",
        "",
        False,
        None,
        "",
        {},
        candidates,
        dt.datetime.now(dt.UTC),
        "",
        None,
        "",
    )
    found = candidate_recall([draft2], {"framasoft": ["Framasoft"], "soga": ["Social Good Accelerator", "SOGA"]})
    assert found["recall"] == 0.5 and found["precision_lower_bound"] == 0.5


def test_rouge() -> None:
    assert rouge("Les communs numériques", "les communs numériques", 1) == 1.0
    assert rouge("Les communs numériques", "la cartographie", 1) == 0.0
    assert 0 < rouge("communs numériques ouverts", "communs numériques fermés", 2) < 1
