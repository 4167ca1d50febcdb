"""The Moderate page's Sources tab: every import source with its last run, its counts, what waits
for a moderator, the next step, its licence and attribution; a run's pending rows published in one
step, a run undone after a confirmation; through AppTest on a real database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from atlas.imports.mapping import SourceMapping
from atlas.imports.run import run_import
from atlas.store.imports import runs
from atlas.store.models import ImportSource, SourceLink
from atlas.store.store import Store
from tests import test_moderate
from tests.test_moderate import MODERATOR, click, page, texts

store = test_moderate.store  # the same fixture: a seeded database, a moderator allowed

CSV = "id,name,city,country,lat,lon,category\nx1,Atelier Numérique Rennes,Rennes,FR,48.11,-1.68,digital_mediation\n"


def sources_tab(lang: str = "en", email: str = MODERATOR):
    at = page(lang=lang, email=email)
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
        "Licence",
        "Attribution",
    ]
    row = frame.iloc[0]
    assert (row["Source"], row["Format"], row["From"]) == ("rennes-hub", "csv", "a file")
    assert row["Last run's rows"] == "1 rows: 1 new, 0 updated, 0 errors, 0 gone"
    assert (row["Entries"], row["Waiting"]) == (1, 1)
    assert row["Next step"] == "review its 1 waiting entry (Queue tab)"
    assert row["Licence"].startswith("unknown licence") and row["Attribution"] == "none given"
    french = sources_tab("fr").dataframe[0].value
    assert french.iloc[0]["Prochaine étape"] == "examiner 1 fiche en attente (onglet File d'attente)"


TWO = CSV + "x2,Fablab de Nantes,Nantes,FR,47.21,-1.55,digital_mediation\n"


def imported(store: Store, tmp_path: Path, monkeypatch, mapping: SourceMapping | None = None) -> int:
    """Two rows of source rennes-hub imported for review (pending); the run's id."""
    monkeypatch.setenv("ATLAS_GEOCODE_OFFLINE", "1")
    path = tmp_path / "rennes.csv"
    path.write_text(TWO, encoding="utf-8")
    report = run_import(store, path, "csv", "rennes-hub", mapping)
    assert report.run
    return int(report.run)


def _entries(store: Store) -> list[dict]:
    """The entries of source rennes-hub, in the file's order."""
    with store.reading() as s:
        ids = s.scalars(
            select(SourceLink.entry_id)
            .join(ImportSource, ImportSource.id == SourceLink.source_id)
            .where(ImportSource.name == "rennes-hub")
            .order_by(SourceLink.id)
        ).all()
    return [store.entry(i) for i in ids]


def test_the_licence_and_attribution_are_shown_as_text(store: Store, tmp_path: Path, monkeypatch) -> None:
    url = "https://opendatacommons.org/licenses/odbl/1-0/"
    imported(store, tmp_path, monkeypatch, SourceMapping(licence=url, attribution="© **Rennes** [contributors](x)"))
    at = sources_tab()
    row = at.dataframe[0].value.iloc[0]
    assert (row["Licence"], row["Attribution"]) == (url, "© **Rennes** [contributors](x)")
    markdown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info])
    assert "opendatacommons" not in markdown and "Rennes" not in markdown  # never a link, never Markdown
    french = sources_tab("fr").dataframe[0].value
    assert list(french.columns)[-2:] == ["Licence", "Attribution"]
    assert french.iloc[0]["Licence"] == url


def test_unknown_licence_in_french(store: Store, tmp_path: Path, monkeypatch) -> None:
    imported(store, tmp_path, monkeypatch)
    row = sources_tab("fr").dataframe[0].value.iloc[0]
    assert row["Licence"].startswith("licence inconnue") and row["Attribution"] == "aucune indiquée"


def test_a_moderator_publishes_a_run_in_one_step(store: Store, tmp_path: Path, monkeypatch) -> None:
    run = imported(store, tmp_path, monkeypatch)
    assert [e["state"] for e in _entries(store)] == ["pending", "pending"]
    at = sources_tab()
    assert f"Source rennes-hub · run {run}" in " ".join(texts(at))
    button = at.button(key=f"mod_publishrun_{run}")
    assert button.label == "Publish the 2 pending rows of this run"
    click(at, f"mod_publishrun_{run}")
    assert at.success[0].value == f"Run {run} published: 2 rows are on the map."
    assert [e["state"] for e in _entries(store)] == ["published", "published"]
    assert all(
        store.history(str(e["id"]), public=False)[-1].decided_by == f"moderator:{MODERATOR}" for e in _entries(store)
    )
    (publish, _import) = runs(store, "rennes-hub")
    assert (publish.kind, publish.of_run, publish.author) == ("publish", run, f"moderator:{MODERATOR}")
    assert publish.counts == {"published": 2}
    assert not [b for b in at.button if b.key == f"mod_publishrun_{run}"]  # nothing left to publish


def test_a_non_moderator_cannot_publish_nor_undo(store: Store, tmp_path: Path, monkeypatch) -> None:
    run = imported(store, tmp_path, monkeypatch)
    visitor = sources_tab(email="visitor@example.org")
    assert "may not moderate" in visitor.error[0].value
    assert not [b for b in visitor.button if b.key and "run" in b.key]
    publishing, undoing = sources_tab(), sources_tab()
    undoing.checkbox(key=f"mod_undosure_{run}").check().run()
    monkeypatch.setenv("ATLAS_MODERATORS", "other@example.org")  # removed while the pages are open
    click(publishing, f"mod_publishrun_{run}")
    assert "may not moderate" in publishing.error[0].value
    click(undoing, f"mod_undorun_{run}")
    assert "may not moderate" in undoing.error[0].value
    assert [e["state"] for e in _entries(store)] == ["pending", "pending"]
    assert [r.kind for r in runs(store, "rennes-hub")] == ["import"]


def test_undo_needs_a_confirmation_then_withdraws_the_run(store: Store, tmp_path: Path, monkeypatch) -> None:
    run = imported(store, tmp_path, monkeypatch)
    ids = [str(e["id"]) for e in _entries(store)]  # the undo removes the links it made
    at = sources_tab()
    assert at.button(key=f"mod_undorun_{run}").disabled
    at.checkbox(key=f"mod_undosure_{run}").check().run()
    assert not at.button(key=f"mod_undorun_{run}").disabled
    at.checkbox(key=f"mod_undosure_{run}").uncheck()  # unticked in the same message as the click:
    click(at, f"mod_undorun_{run}")  # the callback reads the box again
    assert at.error[0].value.startswith("Tick the box")
    assert [e["state"] for e in _entries(store)] == ["pending", "pending"]
    at.checkbox(key=f"mod_undosure_{run}").check().run()
    click(at, f"mod_undorun_{run}")
    assert at.success[0].value.startswith(f"Run {run} undone: 2 new entries withdrawn")
    assert [store.entry(i)["state"] for i in ids] == ["withdrawn", "withdrawn"]
    (undo, _import) = runs(store, "rennes-hub")
    assert (undo.kind, undo.of_run) == ("undo", run) and undo.author.startswith(f"moderator:{MODERATOR} as ")
    assert "No run waits for a decision." in [i.value for i in at.info]
