"""A published atlas for the route tests of the entry pages, feeds and discovery: the hostile
fixture (names and descriptions that are markup or scripts) seeded into an SQLite store, plus
an entry in every state the public must never see (pending with a contact, rejected, withdrawn)
and one approved after the seeding (the newest change). Served by the routes alone (Starlette's
TestClient: no Streamlit, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from atlas.store import open_store
from atlas.store.limits import Limits
from atlas.store.source import DatabaseSource
from atlas.store.store import Store
from atlas.web import discovery, feeds, pages, published
from atlas.web.http import BODIES
from tests.store.records import new_org

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SECRET_CONTACT = "secret.submitter@example.org"
MODERATOR = "mod@example.org"


@dataclass
class Site:
    store: Store
    client: TestClient
    pending: str
    rejected: str
    withdrawn: str
    fresh: str  # approved after the seeding: the newest change


def make_site(folder: Path, data: str = "hostile_atlas") -> Iterator[Site]:
    store = open_store(
        f"sqlite:///{folder / 'atlas.sqlite3'}",
        seed_from=FIXTURES / data,
        limits=Limits(per_session=100, per_client=100, pending_per_hour=100),
    )
    pending = store.submit(
        "organisation", new_org(name="Pending Secret Org", city="Dakar", country="SN"), contact=SECRET_CONTACT
    ).entry_id
    rejected = store.submit("organisation", new_org(name="Rejected Spam Shop"), contact=SECRET_CONTACT).entry_id
    queue = {item.entry_id: item for item in store.queue().items}
    store.reject(queue[rejected].revision_id, queue[rejected].version, MODERATOR, "advertising")
    fresh = store.submit("organisation", new_org(name="Fresh Approved Org", country="SN", city="Dakar")).entry_id
    item = next(i for i in store.queue().items if i.entry_id == fresh)
    store.approve(item.revision_id, item.version, MODERATOR)
    withdrawn = "plain-row"
    version = store.entry(withdrawn)["version"]  # type: ignore[index]
    store.set_state(withdrawn, "withdrawn", MODERATOR, "closed down", version)
    BODIES.clear()  # kept bodies are keyed by the revision, a counter that another test's store shares
    published.use(DatabaseSource(store), interval=0)
    app = Starlette(routes=[*pages.ROUTES, *feeds.ROUTES, *discovery.ROUTES])
    yield Site(store, TestClient(app), pending, rejected, withdrawn, fresh)
    published.use(None)
    BODIES.clear()
    store.engine.dispose()
