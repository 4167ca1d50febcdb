"""A real public directory with coordinates and no country column, imported with a mapping that gives
only a default category: most rows in, each in its right country, nothing private kept or printed.

The file is the France services list of 1 December 2022 (2,683 public service points, mainland France,
Corsica and the overseas departments; origin and licence in tests/fixtures/dedup_real/README.md), whose
phone numbers were replaced by a hash there: the hashes stand for the private values here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from atlas.cli import main
from atlas.imports.mapping import SourceMapping
from atlas.imports.run import run_import
from atlas.store.models import Entry, SourceLink
from atlas.store.store import Store
from tests.imports.conftest import dump

FILE = Path(__file__).resolve().parents[1] / "fixtures" / "dedup_real" / "france_services_2022.csv"
# The overseas departments by their INSEE number: the atlas may name them by their own ISO code or as France.
OVERSEAS = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT", "978": "MF"}


def _rows() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _right_country(row: dict[str, str], country: str) -> bool:
    overseas = OVERSEAS.get(row["insee_dep"])
    return country in {"FR", overseas} if overseas else country == "FR"


def test_a_directory_without_a_country_column_imports_with_only_a_default_category(empty_store: Store) -> None:
    rows = _rows()
    located = [r for r in rows if r["latitude"] and r["longitude"]]
    assert len(rows) == 2683 and len(located) >= 2600
    report = run_import(
        empty_store, FILE, "csv", "france-services", SourceMapping(default_category="digital_mediation")
    )
    assert not report.stopped
    with empty_store.reading() as s:
        links = {link.external_id: link.entry_id for link in s.scalars(select(SourceLink))}
        entries = {e.id: e for e in s.scalars(select(Entry))}
    assert report.mapping is not None and report.mapping.columns.get("lib_fs") == "name"  # still guessed
    by_row = {r["id_fs"]: r for r in located}
    imported = [by_row[k] for k in by_row if k in links]
    assert len(imported) >= 0.90 * len(located), f"{len(imported)} of {len(located)} rows with coordinates imported"
    right = [r for r in imported if _right_country(r, entries[links[r["id_fs"]]].country)]
    assert len(right) >= 0.95 * len(imported), f"{len(right)} of {len(imported)} in their right country"
    assert {entries[links[r["id_fs"]]].category for r in imported} == {"digital_mediation"}


def test_no_private_value_reaches_the_database_the_console_or_the_report(
    empty_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hashes = {r["phone_hash"] for r in _rows() if r["phone_hash"]}
    assert len(hashes) > 2000
    out = tmp_path / "report.json"
    main(["import", str(FILE), "--format", "csv", "--source", "fs", "--url", db_url, "--report", str(out)])
    printed = capsys.readouterr()
    stored = json.dumps(dump(empty_store), default=str)
    written = out.read_text(encoding="utf-8")
    for where, text in (("database", stored), ("console", printed.out + printed.err), ("report", written)):
        leaked = [h for h in hashes if h in text]
        assert not leaked, f"{len(leaked)} phone values in the {where}, e.g. {leaked[:3]}"
