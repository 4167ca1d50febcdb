"""The Moderate page's Sources tab (read-only): every import source with its last run, its counts,
what waits for a moderator and the next step; through AppTest on a real database."""

from __future__ import annotations

from pathlib import Path

from atlas.imports.run import run_import
from atlas.store.store import Store
from tests import test_moderate
from tests.test_moderate import page

store = test_moderate.store  # the same fixture: a seeded database, a moderator allowed

CSV = "id,name,city,country,lat,lon,category\nx1,Atelier Numérique Rennes,Rennes,FR,48.11,-1.68,digital_mediation\n"


def sources_tab(lang: str = "en"):
    at = page(lang=lang)
    at.session_state["mod_tabs"] = "Sources"
    at.run()
    assert not at.exception, at.exception
    return at


def test_no_source_yet_says_so(store: Store) -> None:
    at = sources_tab()
    assert "No source has been imported yet." in [i.value for i in at.info]


def test_a_source_is_listed_with_its_counts_and_next_step(store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_GEOCODE_OFFLINE", "1")
    path = tmp_path / "rennes.csv"
    path.write_text(CSV, encoding="utf-8")
    run_import(store, path, "csv", "rennes-hub")
    at = sources_tab()
    frame = at.dataframe[0].value
    assert list(frame.columns) == [
        "Source",
        "Format",
        "From",
        "Last run",
        "Last run's rows",
        "Entries",
        "Waiting",
        "Next step",
    ]
    row = frame.iloc[0]
    assert (row["Source"], row["Format"], row["From"]) == ("rennes-hub", "csv", "a file")
    assert row["Last run's rows"] == "1 rows: 1 new, 0 updated, 0 errors, 0 gone"
    assert (row["Entries"], row["Waiting"]) == (1, 1)
    assert row["Next step"] == "review its 1 waiting entry (Queue tab)"
    french = sources_tab("fr").dataframe[0].value
    assert french.iloc[0]["Prochaine étape"] == "examiner 1 fiche en attente (onglet File d'attente)"
