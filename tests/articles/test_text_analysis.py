"""Language guess, dates and the extractive summary."""

from __future__ import annotations

from atlas.articles.dates import find_dates
from atlas.articles.language import detect_language, language_shares
from atlas.articles.summarise import split_sentences, summarise


def test_detect_language() -> None:
    assert detect_language("Les membres se sont réunis pour parler de l'avenir de l'association.") == "fr"
    assert detect_language("The members met to talk about the future of the association.") == "en"
    assert detect_language("Social Good Accelerator") is None
    assert detect_language("Rapport d'activité 2021") is None  # too little evidence


def test_language_shares_of_a_mixed_body() -> None:
    sentences = [
        "Les ateliers ont porté sur les cartes libres et sur leur usage par les associations.",
        "Le programme sera publié en septembre sur le site du réseau.",
        "The second day was held in English with guests from the partner network.",
        "OpenStreetMap Foundation",
    ]
    shares = language_shares(sentences)
    assert list(shares) == ["fr", "en"]
    assert 0.5 < shares["fr"] < 1 and abs(sum(shares.values()) - 1) < 0.01


def test_find_dates_in_french_and_english() -> None:
    text = (
        "Du 3 au 5 mai 2022, puis le 1er juillet 2022 ; the summit of 7 and 8 February; "
        "published in May 2021; founded in 2015. They may come."
    )
    assert [(d.value, d.precision) for d in find_dates(text)] == [
        ("2022-05-03", "day"),
        ("2022-07-01", "day"),
        ("--02-07", "day"),
        ("2021-05", "month"),
        ("2015", "year"),
    ]
    assert find_dates("Les 17 et 18 juin")[0].text == "17 et 18 juin"


def test_split_sentences_keeps_lines_apart() -> None:
    assert split_sentences("Une phrase. Une autre ! Encore ?\nTitre sans point") == [
        "Une phrase.",
        "Une autre !",
        "Encore ?",
        "Titre sans point",
    ]


def test_summary_takes_central_full_sentences_in_order() -> None:
    body = "\n".join(
        [
            "Contexte",
            "Les communs numériques sont des ressources partagées et gérées par leurs communautés.",
            "Le rapport propose une fondation européenne pour soutenir les communs numériques.",
            "Le rapport propose une fondation européenne pour soutenir les communs numériques !",
            "Il fait beau aujourd'hui sur la ville et les enfants jouent dehors.",
            "Source: photo de l'équipe",
            "Une fondation européenne aiderait les communautés des communs numériques à durer.",
        ]
    )
    summary = summarise(body, max_sentences=2)
    assert len(summary) == 2
    assert all(s.endswith((".", "!")) for s in summary)
    assert "Contexte" not in summary and not any(s.startswith("Source") for s in summary)
    assert len({s.rstrip(".!") for s in summary}) == 2  # the repeated sentence is not chosen twice
    assert summary == sorted(summary, key=body.index)


def test_summary_of_a_short_text_is_its_sentences() -> None:
    assert summarise("Une seule phrase suffit pour ce petit texte.") == ["Une seule phrase suffit pour ce petit texte."]
    assert summarise("") == []
