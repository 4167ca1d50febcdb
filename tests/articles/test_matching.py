"""Organisations and places found in article text, false friends included."""

from __future__ import annotations

from pathlib import Path

from atlas.articles.orgs import OrganisationMatcher, load_organisations
from atlas.articles.places import PlaceFinder


def org_ids(organisations, text: str) -> list[str]:
    return [m.id for m in OrganisationMatcher(organisations).find(text)]


def test_organisations_ignore_case_accents_and_separators(organisations) -> None:
    text = "Avec DEMOCRATIE OUVERTE, emmaus connect, Open Street Map et Open-AI."
    assert org_ids(organisations, text) == [
        "democratie-ouverte",
        "emmaus-connect",
        "openstreetmap-foundation",
        "openai",
    ]


def test_organisations_glued_to_neighbour_words(organisations) -> None:
    text = "les ressources associativesHelloAsso, Vendrediles modèles et Démocratie ouverteles acteurs"
    assert org_ids(organisations, text) == ["helloasso", "vendredi", "democratie-ouverte"]


def test_organisation_inside_a_longer_word_is_not_matched(organisations) -> None:
    assert org_ids(organisations, "Le programme SOGAcademy et les OSMoses") == []


def test_longest_name_wins_and_lowercase_common_words_are_not_organisations(organisations) -> None:
    text = "La Fondation Orange et Orange ont peint le mur en orange, vendredi."
    assert org_ids(organisations, text) == ["fondation-orange", "orange"]


def test_load_organisations_reads_names_and_aliases(tmp_path: Path) -> None:
    csv_file = tmp_path / "organisations.csv"
    csv_file.write_text(
        "id,name,aliases,country\nhelloasso,HelloAsso,Hello Asso|helloasso,FR\n,No id,,FR\nkoeo,Koeo,,FR\n",
        encoding="utf-8",
    )
    orgs = load_organisations(csv_file)
    assert [(o.id, o.names) for o in orgs] == [
        ("helloasso", ("HelloAsso", "Hello Asso", "helloasso")),
        ("koeo", ("Koeo",)),
    ]


def places(gazetteer, text: str) -> list[tuple[str, str]]:
    return [(p.name, p.country) for p in PlaceFinder(gazetteer).find(text).places]


def test_towns_need_a_place_word_their_country_or_a_listed_neighbour(gazetteer) -> None:
    text = "Nous étions à Foligno et Montefalco. The summit in Mannheim was useful. Jeanne Exemple, Lille, France."
    assert places(gazetteer, text) == [
        ("Foligno", "IT"),
        ("Montefalco", "IT"),
        ("Mannheim", "DE"),
        ("Lille", "FR"),
        ("France", "FR"),
    ]


def test_exonyms_and_country_names_in_both_languages(gazetteer) -> None:
    text = "Des lancements à Bruxelles et Lisbonne, puis des centres en Tunisie, au Sénégal and in Kenya."
    assert places(gazetteer, text) == [
        ("Brussels", "BE"),
        ("Lisbon", "PT"),
        ("Tunisia", "TN"),
        ("Senegal", "SN"),
        ("Kenya", "KE"),
    ]


def test_country_after_the_town_chooses_among_homonyms(gazetteer) -> None:
    assert places(gazetteer, "Le centre de Saint-Ouen en France a ouvert.") == [("Saint-Ouen", "FR"), ("France", "FR")]


def test_false_friends_are_not_places(gazetteer) -> None:
    text = (
        "Une enquête de Time a visé OpenAI. In Time magazine, at Orange and in Orange’s teams. "
        "Charlotte Dupont est venue. Créer des programmes en « Start up studio ». "
        "L'Union européenne. Nice work."
    )
    finding = PlaceFinder(gazetteer).find(text)
    assert finding.places == []
    assert "Time" in finding.unmatched and "Charlotte Dupont" in finding.unmatched


def test_a_word_also_written_in_lower_case_is_a_common_word(gazetteer) -> None:
    assert places(gazetteer, "Nous sommes allés à Nice. Une nice idée.") == []
    assert places(gazetteer, "Nous sommes allés à Nice.") == [("Nice", "FR")]


def test_town_without_evidence_is_kept_aside_for_confirmation(gazetteer) -> None:
    finder = PlaceFinder(gazetteer)
    finding = finder.find("Le projet a été présenté au sommet de Mannheim.")
    assert finding.places == []
    [candidate] = finding.unconfirmed.values()
    assert finder.confirm(candidate, {("mannheim", "DE")}).name == "Mannheim"
    assert finder.confirm(candidate, set()) is None
