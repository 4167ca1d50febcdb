"""Splitting an export into articles: every title/author layout seen in SOGA's export."""

from __future__ import annotations

from pathlib import Path

from atlas.articles.split import is_title_like, split_articles

EXPORT = (Path(__file__).parent / "data" / "export.txt").read_text(encoding="utf-8")


def test_export_gives_every_article_with_titles_and_authors() -> None:
    articles = split_articles(EXPORT)
    assert [(a.title_en, a.title_fr, a.author) for a in articles] == [
        ("Open mapping days in Umbria", "Journées de cartographie libre en Ombrie", "Jeanne Exemple"),
        ("A new member joins the network!", "Un nouveau membre rejoint le réseau !", "Social Good Accelerator"),
        ("Autumn meetings are back", "Les rencontres d'automne reviennent à Bruxelles", ""),
        ("", "Rapport annuel 2021", "Jeanne Exemple"),
        ("A short look back at our summer seminar", "Un bref retour sur notre séminaire d'été", ""),
    ]


def test_author_block_keeps_role_email_and_city_and_ends_the_article() -> None:
    first = split_articles(EXPORT)[0]
    assert first.author_details == ("Chargée de communication", "jeanne(at)example.org", "Lille, France")
    assert first.body.endswith("with the whole group.")
    assert "Contexte" in first.body  # a body heading is not taken for a new article


def test_press_release_label_is_not_a_title() -> None:
    release = split_articles(EXPORT)[2]
    assert release.label == "Communiqué de presse"
    assert release.body.startswith("Les rencontres d'automne du réseau")


def test_article_without_author_block_ends_where_the_next_titles_start() -> None:
    release = split_articles(EXPORT)[2]
    assert release.body.endswith("sur le site du réseau.")


def test_missing_english_title_keeps_the_french_one_and_the_subtitle() -> None:
    report = split_articles(EXPORT)[3]
    assert report.title_en == ""
    assert report.subtitles == ("Découvrez le bilan de l'année et nos perspectives pour 2022",)
    assert report.body.startswith("Throughout the year")


def test_varied_french_titles_are_kept_as_variants() -> None:
    last = split_articles(EXPORT)[4]
    assert last.subtitles == ("Retour sur le séminaire annuel de l'association",)
    assert last.body.startswith("Les 17 et 18 juin")


def test_near_repeated_titles_start_an_article_even_without_author_block() -> None:
    text = (
        "First story in English\n\nPremière histoire en français\n\nPremière histoire en français\n\n"
        "Le corps de la première histoire est une phrase complète.\n\n"
        "Second story about the week\n\nLa semaine est de retour en Europe\n\n"
        "La semaine est de retour en France et en Europe\n\nLe corps de la seconde histoire commence ici.\n"
    )
    articles = split_articles(text)
    assert [a.title_en for a in articles] == ["First story in English", "Second story about the week"]
    assert articles[1].title_fr == "La semaine est de retour en Europe"
    assert articles[1].subtitles == ("La semaine est de retour en France et en Europe",)


def test_author_named_on_the_marker_line() -> None:
    text = "A title in English\n\nUn titre en français\n\nUn titre en français\n\nLe texte.\n\nWritten by: Ada Lovelace"
    [article] = split_articles(text)
    assert article.author == "Ada Lovelace"
    assert article.body == "Le texte."


def test_text_without_titles_is_one_untitled_article() -> None:
    [article] = split_articles("Une seule phrase de texte, sans titre au-dessus.\n")
    assert (article.title_en, article.title_fr) == ("", "")
    assert article.body == "Une seule phrase de texte, sans titre au-dessus."


def test_empty_text_has_no_article() -> None:
    assert split_articles("\n \n") == []


def test_title_like_lines() -> None:
    assert is_title_like("Emmaüs Connect devient membre du Social Good Accelerator !")
    assert not is_title_like("Une phrase qui se termine par un point.")
    assert not is_title_like("• une puce")
    assert not is_title_like("leon(at)example.org")
