"""`atlas articles ingest`: the whole run on a small export, the drafts written, and unreadable input."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from atlas.articles import cli
from atlas.articles.frontmatter import split_front_matter
from atlas.articles.ingest import AUTHOR_PLACE, MENTIONED, ingest_texts, read_input, report

EXPORT = Path(__file__).parent / "data" / "export.txt"


@pytest.fixture
def drafts(gazetteer, organisations):
    return ingest_texts(read_input(EXPORT), gazetteer, organisations)


def test_each_article_gets_places_organisations_languages_and_dates(drafts) -> None:
    first, member, release, report_2021, _seminar = drafts
    assert [(p.name, role) for p, role in first.places] == [
        ("Foligno", MENTIONED),
        ("Montefalco", MENTIONED),
        ("Italy", MENTIONED),
        ("Lille", AUTHOR_PLACE),
    ]
    assert first.organisations == ["soga", "openstreetmap-foundation"]
    assert list(first.languages) == ["fr", "en"]
    assert [d.value for d in first.dates] == ["2022-05-03"]
    assert member.organisations == ["emmaus-connect"]
    assert [p.name for p, _ in release.places] == ["Brussels", "Lisbon"]
    assert report_2021.organisations == ["fondation-orange", "orange"]
    assert list(report_2021.languages) == ["fr", "en"]


def test_town_seen_without_evidence_is_confirmed_by_another_article_and_false_friends_stay_out(
    gazetteer, organisations
) -> None:
    texts = [
        ("a.txt", "Summit news\n\nNouvelles du sommet\n\nNouvelles du sommet\n\nLe sommet s'est tenu in Mannheim.\n"),
        (
            "b.txt",
            "Back from the seminar\n\nLe séminaire\n\nLe séminaire\n\nOn a parlé du sommet de Mannheim. "
            "Le magazine Time a écrit sur Orange, et la nappe était orange.\n",
        ),
    ]
    first, second = ingest_texts(texts, gazetteer, organisations)
    assert [p.name for p, _ in first.places] == [p.name for p, _ in second.places] == ["Mannheim"]
    assert second.organisations == ["orange"]
    assert "Time" in second.unmatched


def test_report_lists_titles_authors_and_totals(drafts) -> None:
    out = io.StringIO()
    report(drafts, out)
    text = out.getvalue()
    assert text.startswith("5 article(s) found")
    assert "(no English title)" in text and "author: Jeanne Exemple" in text and "[Communiqué de presse]" in text
    assert "Total: 5 articles" in text and "2 without author, 1 without English title" in text


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="atlas")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def fake_atlas(monkeypatch, tmp_path: Path, gazetteer) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "organisations.csv").write_text(
        "id,name,aliases\nsoga,Social Good Accelerator,SOGA\nemmaus-connect,Emmaüs Connect,Emmaus Connect\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    monkeypatch.setattr(cli, "_gazetteer", lambda: gazetteer)
    return tmp_path


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_cli_writes_one_draft_per_article(fake_atlas: Path, capsys, fmt: str) -> None:
    out = fake_atlas / "drafts"
    assert run_cli(["articles", "ingest", str(EXPORT), "--output", str(out), "--format", fmt]) == 0
    files = sorted(out.iterdir())
    assert len(files) == 5 and all(f.suffix == f".{fmt}" for f in files)
    text = (out / f"rapport-annuel-2021.{fmt}").read_text(encoding="utf-8")
    record = json.loads(text) if fmt == "json" else split_front_matter(text)[0]
    assert record["title_fr"] == "Rapport annuel 2021" and record["title_en"] == ""
    assert record["author"] == "Jeanne Exemple"
    assert record["draft"]["author_details"][0] == "jeanne@example.org"
    assert record["summary_en"] == "" and record["draft"]["extractive_summary"]
    assert "5 draft file(s) written" in capsys.readouterr().out


def test_cli_reads_a_folder_of_text_files(fake_atlas: Path, capsys) -> None:
    folder = fake_atlas / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(EXPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    assert run_cli(["articles", "ingest", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("5 article(s) found")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing.txt", "does not exist"),
        (lambda p: p, "without any .txt file"),
        (lambda p: (p / "latin1.txt").write_bytes("Café crème".encode("latin-1")) and p / "latin1.txt", "not UTF-8"),
        (lambda p: (p / "blank.txt").write_text("\n  \n") and p / "blank.txt", "holds no text"),
        (lambda p: (p / "bin.txt").write_bytes(b"\x00\x01abc") and p / "bin.txt", "binary"),
    ],
)
def test_cli_exits_2_on_unreadable_input(fake_atlas: Path, capsys, make, message: str) -> None:
    folder = fake_atlas / "input"
    folder.mkdir()
    assert run_cli(["articles", "ingest", str(make(folder))]) == 2
    err = capsys.readouterr().err
    assert "cannot use the input" in err and message in err


def test_atlas_command_line_wires_the_ingest(tmp_path: Path, capsys) -> None:
    from atlas.cli import main

    assert main(["articles", "ingest", str(tmp_path / "nothing.txt")]) == 2
    assert "does not exist" in capsys.readouterr().err
