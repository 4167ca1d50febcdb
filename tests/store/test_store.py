"""The living atlas's store on SQLite and PostgreSQL: submissions, moderation, history, files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, MetaData, inspect, select, text

from atlas.schema import ODCS, ORGANISATIONS
from atlas.sources import CsvFolder
from atlas.store import migrate, open_store
from atlas.store.errors import AlreadyDecided, InvalidRecord, NotFound, NothingChanged, Refused
from atlas.store.files import export_folder, load_folder
from atlas.store.limits import Limits
from atlas.store.models import DATA_FIELDS, Base
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from tests.store.conftest import DATA
from tests.store.records import new_org


def published_ids(store: Store) -> set[str]:
    return set(store.published_atlas().frame["id"])


def test_entry_columns_are_the_schema_fields() -> None:
    assert set(DATA_FIELDS) == (set(ORGANISATIONS.columns) | set(ODCS.columns)) - {"id"}
    assert {c.name for c in Base.metadata.tables["entries"].columns} >= {"id", *DATA_FIELDS}


def test_migrations_create_exactly_the_models(db_url: str) -> None:
    """An empty database upgraded to head matches the models (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = open_store(db_url)
    assert migrate.current(store.engine) == migrate.head()
    migrate.upgrade(store.engine)  # idempotent
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    store.engine.dispose()


def _copy_into_older_schema(source: Engine, target: Engine, later_meta: set[str]) -> None:
    """Every row of `source` (a database at head) written into `target` (an older schema): the
    tables and columns the older schema has, as the code of its time would have written them
    (`meta` keys that a later migration writes itself, `later_meta`, are left to it)."""
    older = MetaData()
    older.reflect(target)
    with source.connect() as read, target.begin() as write:
        for table in Base.metadata.sorted_tables:
            if table.name not in older.tables:
                continue
            into = older.tables[table.name]
            columns = [c for c in table.columns if c.name in into.columns]
            rows = [dict(r._mapping) for r in read.execute(select(*columns))]
            if table.name == "meta":
                rows = [r for r in rows if r["key"] not in later_meta]
            if rows:
                write.execute(into.delete())  # (the counters the first migration wrote)
                write.execute(into.insert(), rows)


def test_each_migration_keeps_the_data_of_the_one_before(db_url: str, tmp_path: Path) -> None:
    """Upgrading step by step from the first schema, with data written at the first step, loses nothing."""
    from alembic.script import ScriptDirectory

    from atlas.store.engine import make_engine
    from atlas.store.migrate import _config

    steps = [s.revision for s in reversed(list(ScriptDirectory.from_config(_config()).walk_revisions()))]
    seeded = open_store(f"sqlite:///{tmp_path / 'seeded.sqlite3'}", seed_from=DATA)
    engine = make_engine(db_url)
    migrate.upgrade(engine, steps[0])
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    with fresh.engine.connect() as conn, engine.connect() as first:
        later_meta = {k for (k,) in conn.execute(text("SELECT key FROM meta"))} - {
            k for (k,) in first.execute(text("SELECT key FROM meta"))
        }
    fresh.engine.dispose()
    _copy_into_older_schema(seeded.engine, engine, later_meta)  # the first schema's tables, with the bundled data
    seeded.engine.dispose()
    with engine.connect() as conn:
        before = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in ("entries", "revisions", "meta")}
    for step in steps[1:]:
        migrate.upgrade(engine, step)
    store = open_store(db_url)
    assert len(published_ids(store)) == len(CsvFolder(DATA).load().frame)
    with engine.connect() as conn:
        after = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in ("entries", "revisions")}
    assert after == {t: before[t] for t in after}
    assert store.revision() != "0"
    assert store.entry("becode")["address"] == "Cantersteen 10"
    assert store.entry("becode")["postcode"] == ""  # the older schema had no postcode: empty, not NULL
    assert store.entry("becode")["region"] == ""
    engine.dispose()
    store.engine.dispose()


def test_the_postcode_and_region_migration_goes_down_and_up_again(db_url: str) -> None:
    """Migration 0006 adds `postcode` and `region` to the entries and takes them away again; the
    entries themselves survive both ways (SQLite rebuilds the table, PostgreSQL alters it)."""
    from alembic import command

    from atlas.store.engine import WRITE
    from atlas.store.migrate import _config

    store = open_store(db_url, seed_from=DATA)
    count = store.count()
    assert store.entry("becode")["postcode"] == "1000"

    def columns() -> set[str]:
        return {c["name"] for c in inspect(store.engine).get_columns("entries")}

    assert {"postcode", "region"} <= columns()
    config = _config()
    with store.engine.connect().execution_options(**WRITE) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
        connection.commit()
    assert migrate.current(store.engine) == "0005"
    assert not {"postcode", "region"} & columns()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT address FROM entries WHERE id = 'becode'")).scalar() == "Cantersteen 10"
        assert conn.execute(text("SELECT COUNT(*) FROM entries")).scalar() == count
    migrate.upgrade(store.engine)
    assert {"postcode", "region"} <= columns()
    again = open_store(db_url)
    assert again.count() == count and again.entry("becode")["postcode"] == ""
    again.engine.dispose()
    store.engine.dispose()


def test_the_database_serves_the_same_atlas_as_the_files(store: Store) -> None:
    source = DatabaseSource(store)
    pd.testing.assert_frame_equal(source.load().frame, CsvFolder(DATA).load().frame)
    frame = source.load().frame
    ids = frame.groupby("kind")["id"].agg(frozenset)
    assert source.articles(ids["organisation"], ids["odc"]) == CsvFolder(DATA).articles(ids["organisation"], ids["odc"])


def test_export_of_the_seed_is_the_bundled_files_byte_for_byte(store: Store, tmp_path: Path) -> None:
    export_folder(store, tmp_path / "out")
    for name in ("organisations.csv", "odc.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (DATA / name).read_bytes()
    for article in (DATA / "articles").glob("*.md"):
        assert (tmp_path / "out" / "articles" / article.name).read_bytes() == article.read_bytes()


def test_export_then_import_round_trips(store: Store, tmp_path: Path, db_url: str) -> None:
    store.submit("organisation", new_org(name="Round Trip Org", description_fr="Accents : é, « guillemets »"))
    item = store.queue().items[0]
    store.approve(item.revision_id, item.version, "mod@example.org")
    export_folder(store, tmp_path / "one")
    again = load_folder(store, tmp_path / "one", "import:one")
    assert again is not None and not again.new and not again.updated and again.unchanged == len(published_ids(store))

    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    report = load_folder(other, tmp_path / "one", "import:one")
    assert report is not None and len(report.new) == len(published_ids(store))
    export_folder(other, tmp_path / "two")
    for name in ("organisations.csv", "odc.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    other.engine.dispose()


def test_import_revises_changed_rows_and_reports_missing_ones(store: Store, tmp_path: Path) -> None:
    export_folder(store, tmp_path / "f")
    path = tmp_path / "f" / "organisations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header, soga, dropped, rest = lines[0], lines[1], lines[2], lines[3:]
    assert soga.startswith("soga,")
    path.write_text(
        header + soga.replace("Social Good Accelerator,", "Social Good Accelerator EU,", 1) + "".join(rest),
        encoding="utf-8",
    )
    before = store.revision()
    report = load_folder(store, tmp_path / "f", "import:f")
    assert report is not None
    assert report.updated == ["soga"] and report.new == []
    assert report.missing == [dropped.split(",", 1)[0]]
    assert dropped.split(",", 1)[0] in published_ids(store)  # reported, never withdrawn
    assert store.entry("soga")["name"] == "Social Good Accelerator EU"
    assert store.revision() != before
    last = store.history("soga", public=False)[-1]
    assert last.action == "import" and [(c.field, c.old, c.new) for c in last.changes] == [
        ("name", "Social Good Accelerator", "Social Good Accelerator EU")
    ]


def test_seeding_happens_once(store: Store, db_url: str) -> None:
    again = open_store(db_url, seed_from=DATA)
    assert again.count() == store.count() == len(CsvFolder(DATA).load().frame)
    again.engine.dispose()


def test_a_submission_waits_for_a_moderator_then_is_published(store: Store) -> None:
    revision = store.revision()
    sent = store.submit("organisation", new_org(), contact="visitor@example.org", note="We opened in 2023.")
    assert sent.entry_id == "tech-for-good-lyon"
    assert sent.entry_id not in published_ids(store)
    assert store.revision() == revision  # nothing public changed
    page = store.queue()
    assert page.total == 1
    item = page.items[0]
    assert item.action == "submission" and item.name == "Tech for Good Lyon" and item.has_contact
    assert item.submitted_by == f"anonymous #{sent.revision_id}"
    assert ("name", None, "Tech for Good Lyon") in [(c.field, c.old, c.new) for c in item.changes]

    store.approve(item.revision_id, item.version, "mod@example.org")
    assert sent.entry_id in published_ids(store)
    assert store.revision() != revision
    assert store.queue().total == 0
    entry = store.entry(sent.entry_id)
    assert entry["state"] == "published" and entry["created_at"].tzinfo is not None


def test_a_rejected_submission_is_nowhere_public_but_kept(store: Store, tmp_path: Path) -> None:
    sent = store.submit("organisation", new_org(name="Spam Shop"))
    item = store.queue().items[0]
    with pytest.raises(InvalidRecord):
        store.reject(item.revision_id, item.version, "mod@example.org", "  ")  # a reason is required
    store.reject(item.revision_id, item.version, "mod@example.org", "advertising")
    assert sent.entry_id not in published_ids(store)
    export_folder(store, tmp_path / "out")
    assert "Spam Shop" not in (tmp_path / "out" / "organisations.csv").read_text(encoding="utf-8")
    assert store.entry(sent.entry_id)["state"] == "rejected"
    (history,) = store.history(sent.entry_id, public=False)
    assert history.status == "rejected" and history.decision_note == "advertising"
    assert history.decided_by == "moderator:mod@example.org"
    assert store.history(sent.entry_id) == []  # nothing public


def test_a_correction_is_a_diff_applied_on_approval(store: Store) -> None:
    before = store.entry("emmaus-connect")
    sent = store.propose_correction(
        "emmaus-connect", {"city": "Montreuil", "lat": 48.8638, "lon": 2.4485}, note="They moved."
    )
    item = store.queue().items[0]
    assert item.action == "correction" and not item.stale
    assert [(c.field, c.old, c.new) for c in item.changes] == [
        ("city", "Paris", "Montreuil"),
        ("lat", before["lat"], 48.8638),
        ("lon", before["lon"], 2.4485),
    ]
    assert store.entry("emmaus-connect")["city"] == "Paris"  # not before a moderator approves
    store.approve(item.revision_id, item.version, "mod@example.org")
    after = store.entry("emmaus-connect")
    assert after["city"] == "Montreuil" and after["version"] == before["version"] + 1
    public = store.history("emmaus-connect")
    assert public[-1].fields == ("city", "lat", "lon") and public[-1].author == "anonymous"
    assert public[-1].note == "" and public[-1].decided_by == ""  # names and notes stay with the moderators
    with pytest.raises(NothingChanged):
        store.propose_correction("emmaus-connect", {"city": "Montreuil"})
    with pytest.raises(NotFound):
        store.propose_correction("no-such-entry", {"city": "X"})
    assert sent.entry_id == "emmaus-connect"


def test_edit_then_approve_keeps_what_the_contributor_proposed(store: Store) -> None:
    store.submit("organisation", new_org(name="Tech 4 Good Lyon", category="network"))
    item = store.queue().items[0]
    store.approve(
        item.revision_id,
        item.version,
        "mod@example.org",
        edits={"name": "Tech for Good Lyon", "category": "civic_tech"},
        note="fixed the name",
    )
    entry = store.entry(item.entry_id)
    assert entry["name"] == "Tech for Good Lyon" and entry["category"] == "civic_tech"
    (revision,) = store.history(item.entry_id, public=False)
    assert ("name", None, "Tech for Good Lyon") in [(c.field, c.old, c.new) for c in revision.changes]
    audit, _ = store.audit("fixed the name")
    assert [a.revision_id for a in audit] == [item.revision_id]


def test_moderator_edits_are_checked_by_the_schema(store: Store) -> None:
    store.submit("organisation", new_org())
    item = store.queue().items[0]
    with pytest.raises(InvalidRecord) as caught:
        store.approve(item.revision_id, item.version, "mod@example.org", edits={"lat": 123.4})
    assert [p.column for p in caught.value.problems] == ["lat"]
    assert store.queue().total == 1  # still pending: the failed decision changed nothing


def test_marking_a_duplicate_and_withdrawing(store: Store) -> None:
    store.submit("organisation", new_org(name="Emmaus Connect", city="Paris", website="https://emmaus-connect.org"))
    item = store.queue().items[0]
    with pytest.raises(NotFound):
        store.mark_duplicate(item.revision_id, item.version, "mod@example.org", "no-such-id")
    store.mark_duplicate(item.revision_id, item.version, "mod@example.org", "emmaus-connect")
    entry = store.entry(item.entry_id)
    assert entry["state"] == "duplicate" and entry["duplicate_of"] == "emmaus-connect"

    revision = store.revision()
    version = store.entry("koeo")["version"]
    store.set_state("koeo", "withdrawn", "mod@example.org", "closed down", version)
    assert "koeo" not in published_ids(store) and store.entry("koeo")["state"] == "withdrawn"
    assert store.revision() != revision
    last = store.history("koeo")[-1]
    assert last.action == "state" and last.fields == ("state",) and last.decision_note == "closed down"
    with pytest.raises(AlreadyDecided):
        store.set_state("koeo", "published", "mod@example.org", "back", version)  # stale version
    store.set_state("koeo", "published", "mod@example.org", "reopened", version + 1)
    assert "koeo" in published_ids(store)


def test_the_second_moderator_is_told_who_decided(store: Store) -> None:
    store.submit("organisation", new_org())
    item = store.queue().items[0]
    store.approve(item.revision_id, item.version, "first@example.org")
    with pytest.raises(AlreadyDecided) as caught:
        store.reject(item.revision_id, item.version, "second@example.org", "no")
    assert caught.value.by == "moderator:first@example.org" and caught.value.status == "applied"
    assert isinstance(caught.value.at, dt.datetime)
    assert store.entry(item.entry_id)["state"] == "published"


def test_a_correction_of_an_entry_changed_since_is_flagged(store: Store) -> None:
    store.propose_correction("koeo", {"city": "Lyon"})
    store.propose_correction("koeo", {"description_en": "Changed."})
    first, second = store.queue().items
    store.approve(first.revision_id, first.version, "mod@example.org")
    (flagged,) = store.queue().items
    assert flagged.revision_id == second.revision_id and flagged.stale
    store.approve(flagged.revision_id, flagged.version, "mod@example.org")
    entry = store.entry("koeo")
    assert entry["city"] == "Lyon" and entry["description_en"] == "Changed."


HOSTILE = [
    ("name", "<img src=x onerror=alert(1)>"),
    ("name", "[click](javascript:alert(1))"),
    ("description_en", "![x](http://attacker.example/pixel.png) :red[alarm] $\\frac{1}{2}$"),
    ("city", "\u202eevil\u0000\u001b[31m"),
]


@pytest.mark.parametrize(("field", "value"), HOSTILE)
def test_hostile_text_is_stored_as_plain_text_only(store: Store, field: str, value: str) -> None:
    sent = store.submit("organisation", new_org(**{field: value}))
    stored = store.entry(sent.entry_id)[field]
    assert "<" not in str(stored) or stored == value  # kept literally (shown as text) or cleaned
    assert "\u0000" not in str(stored)


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"lat": 123.0}, "lat"),
        ({"country": "XX"}, "country"),
        ({"category": "spam"}, "category"),
        ({"name": ""}, "name"),
        ({"source": ""}, "source"),
    ],
)
def test_invalid_submissions_store_nothing(store: Store, overrides: dict, column: str) -> None:
    count = store.count()
    with pytest.raises(InvalidRecord) as caught:
        store.submit("organisation", new_org(**overrides))
    assert column in [p.column for p in caught.value.problems]
    assert store.count() == count and store.queue().total == 0


def test_long_text_is_cut_and_bad_links_are_dropped(store: Store) -> None:
    sent = store.submit("organisation", new_org(description_en="x" * 1_000_000, website="javascript:alert(1)"))
    entry = store.entry(sent.entry_id)
    assert len(entry["description_en"]) == 2000 and entry["website"] == ""


def test_contact_addresses_are_checked_and_kept_private(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidRecord):
        store.submit("organisation", new_org(), contact="not an address")
    sent = store.submit("organisation", new_org(), contact="private.person@example.org")
    item = store.queue().items[0]
    store.approve(item.revision_id, item.version, "mod@example.org")
    assert store.contact(sent.revision_id) == "private.person@example.org"
    export_folder(store, tmp_path / "out")
    exported = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert "private.person" not in exported
    assert "private.person" not in repr(store.history(sent.entry_id)) + repr(store.published_atlas().frame.values)


def test_rate_limits_per_session_per_client_and_for_the_queue(db_url: str) -> None:
    limits = Limits(per_session=2, per_client=3, pending_per_hour=4, per_network=10, challenge_from=10)
    store = open_store(db_url, limits=limits)
    store.submit("organisation", new_org(name="A1"), client="10.0.0.1", session="s1")
    store.submit("organisation", new_org(name="A2"), client="10.0.0.1", session="s1")
    with pytest.raises(Refused) as caught:
        store.submit("organisation", new_org(name="A3"), client="10.0.0.1", session="s1")
    assert caught.value.reason == "session"
    store.submit("organisation", new_org(name="A4"), client="10.0.0.1", session="s2")
    with pytest.raises(Refused) as caught:
        store.submit("organisation", new_org(name="A5"), client="10.0.0.1", session="s3")
    assert caught.value.reason == "client"
    store.submit("organisation", new_org(name="A6"), client="10.0.0.2", session="s4")
    with pytest.raises(Refused) as caught:
        store.submit("organisation", new_org(name="A7"), client="10.0.0.3", session="s5")
    assert caught.value.reason == "queue"
    assert store.queue().total == 4
    with store.reading() as s:
        from sqlalchemy import text

        stored = " ".join(str(r) for r in s.execute(text("SELECT client, session FROM rate_events")))
    assert "10.0.0" not in stored and "s1" not in stored.split("'")  # only keyed hashes are kept
    store.engine.dispose()


def test_the_queue_pages_oldest_first_and_filters(store: Store) -> None:
    for i in range(45):
        store.submit("organisation", new_org(name=f"Queue Org {i:02d}"))
    store.propose_correction("soga", {"city": "Bruxelles"})
    page0 = store.queue(size=20)
    assert page0.total == 46 and page0.pages == 3
    assert [i.name for i in page0.items[:2]] == ["Queue Org 00", "Queue Org 01"]
    assert [i.name for i in store.queue(page=2, size=20).items] == [
        "Queue Org 40",
        "Queue Org 41",
        "Queue Org 42",
        "Queue Org 43",
        "Queue Org 44",
        "Social Good Accelerator",
    ]
    assert [i.entry_id for i in store.queue(action="correction").items] == ["soga"]
    assert store.queue(text="org 07").total == 1
    assert store.queue(text="100%_").total == 0  # LIKE wildcards are literal


def test_similar_entries_are_offered_before_sending(store: Store) -> None:
    found = store.similar({"name": "Association Emmaus Connect", "country": "FR", "city": "Paris"})
    assert found and found[0].id == "emmaus-connect"
    assert store.similar({"name": "Completely Different Thing", "country": "FR"}) == []
