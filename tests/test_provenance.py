"""An entry's source as a reader reads it (`atlas.provenance`), on the forms the data uses."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from atlas.provenance import Clause, parse_source, reader_sources, title_index

ROOT = Path(__file__).resolve().parents[1]


def test_a_seed_clause_is_the_article_title() -> None:
    assert parse_source('seed: "Emmaüs Connect becomes a member!"') == (
        Clause("seed", title="Emmaüs Connect becomes a member!", raw='seed: "Emmaüs Connect becomes a member!"'),
    )


def test_a_research_clause_gives_its_sites_and_confidence_without_the_file_or_the_note() -> None:
    (clause,) = parse_source("research: odc_and_headquarters.md (lalibre.be 2022-06-21, high: first learners 2022)")
    assert (clause.kind, clause.sites, clause.confidence) == ("research", ("lalibre.be",), "high")
    assert reader_sources(clause.raw, "en") == ["public source: lalibre.be (high confidence)"]
    assert reader_sources(clause.raw, "fr") == ["source publique : lalibre.be (fiabilité élevée)"]


def test_several_sites_and_the_weakest_confidence_count() -> None:
    source = (
        "research: odc_and_headquarters.md (adevarul.ro; www.pulshr.pl, medium (country), low (city): "
        "Chișinău not confirmed; open before 2023-06; planned in the seed (Sept 2022))"
    )
    (clause,) = parse_source(source)
    assert clause.sites == ("adevarul.ro", "pulshr.pl")
    assert clause.confidence == "low"
    assert reader_sources(source, "en") == ["public sources: adevarul.ro, pulshr.pl (low confidence)"]


def test_sources_that_are_not_sites_are_named_in_words() -> None:
    assert reader_sources("public: seat in Brussels (general knowledge, high)", "en") == [
        "general knowledge (high confidence)"
    ]
    assert reader_sources("research: x.md (legal notice, medium)", "fr") == [
        "les mentions légales de son site (fiabilité moyenne)"
    ]


def test_clauses_are_split_at_their_kinds_not_inside_parentheses_or_titles() -> None:
    source = (
        'seed: "One; two"; research: odc_and_headquarters.md (agenceecofin.com; africanewsagency.fr, high); '
        "public: BeCentral is at Cantersteen 10 (trends.levif.be, high)"
    )
    kinds = [(c.kind, c.title or c.sites) for c in parse_source(source)]
    assert kinds == [
        ("seed", "One; two"),
        ("research", ("agenceecofin.com", "africanewsagency.fr")),
        ("public", ("trends.levif.be",)),
    ]


def test_a_cited_title_becomes_the_article_title_in_the_page_language() -> None:
    index = title_index([("report", ["2021 activity report", "Rapport d’activité 2021"])])
    titles = {"report": "Rapport d’activité 2021"}
    lines = reader_sources('seed: "2021 Activity Report"', "fr", index, titles)
    assert lines == ["l'article « Rapport d’activité 2021 »"]


def test_text_in_no_known_form_is_shown_as_it_is_and_each_line_once() -> None:
    assert reader_sources("https://example.org/about, read 2024", "en") == ["https://example.org/about, read 2024"]
    assert reader_sources('seed: "A"; seed: "A"', "en") == ["the article “A”"]
    assert reader_sources("", "en") == []
    assert reader_sources(None, "en") == []


def test_every_bundled_source_reads_without_internal_words() -> None:
    for name in ("organisations.csv", "odc.csv"):
        with (ROOT / "data" / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for lang in ("en", "fr"):
                    lines = reader_sources(row["source"], lang)
                    assert lines, row["id"]
                    text = " ".join(lines)
                    assert ".md" not in text and "seed:" not in text and "research:" not in text, text


@given(st.text(max_size=300))
def test_any_text_parses_without_raising(text: str) -> None:
    for clause in parse_source(text):
        assert clause.raw
    reader_sources(text, "fr")
