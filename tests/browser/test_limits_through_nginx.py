"""The proposal limits through the deployment's nginx (issue 21, item 4), in Chromium: a visitor who
reloads and writes a new X-Forwarded-For each time is still the same visitor — nginx appends the
address it saw, the app (ATLAS_TRUSTED_PROXY=1, as compose.yaml sets it) takes that one, and the
visitor cookie outlives the reloads. A loopback cluster (bench/cluster.py: PostgreSQL, one replica,
nginx); without nginx or PostgreSQL skipped locally, failing in CI."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from atlas.store import open_store
from atlas.web.proxy import VISITOR_COOKIE
from bench.cluster import Cluster, available
from tests.browser.conftest import FIXTURES
from tests.browser.test_contribute import TIMEOUT, _fill_good, _open_form, gazetteer_index
from tests.store.records import new_org
from tests.support import require

__all__ = ["gazetteer_index"]  # the fixture, used here too


@pytest.fixture(scope="module")
def cluster(chromium, gazetteer_index: Path) -> Iterator[Cluster]:
    why = available()
    require("the cluster (nginx, PostgreSQL): " + (why or ""), present=why is None)
    folder = Path(tempfile.mkdtemp(prefix="atlas-limits-cluster-"))
    (folder / "replica-0").mkdir(parents=True)
    shutil.copyfile(gazetteer_index, folder / "replica-0" / gazetteer_index.name)  # found beside its cache
    try:
        with Cluster(1, data_dir=FIXTURES / "small_atlas", keep=folder) as running:
            yield running
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_reloads_with_spoofed_headers_through_nginx_are_one_visitor(chromium, cluster: Cluster) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1100})
    try:
        page = context.new_page()
        page.set_extra_http_headers({"X-Forwarded-For": "6.6.6.1"})
        _open_form(page, cluster.url)
        [cookie] = [c["value"] for c in context.cookies() if c["name"] == VISITOR_COOKIE]
        store = open_store(cluster.database_url)
        try:  # four proposals already sent by this visitor: nginx saw 127.0.0.1 (loopback)
            for n in range(4):
                store.submit("organisation", new_org(name=f"Earlier {n}"), client="loopback", session=cookie)
        finally:
            store.engine.dispose()
        _fill_good(page, "Fifth Through Nginx")
        page.get_by_role("button", name="Send for review").click()
        expect(page.get_by_text("Thank you!")).to_be_visible(timeout=TIMEOUT)
        page.set_extra_http_headers({"X-Forwarded-For": "6.6.6.2"})  # another address, says the visitor
        page.reload()
        _open_form(page, cluster.url)
        _fill_good(page, "Sixth Through Nginx")
        page.get_by_role("button", name="Send for review").click()
        expect(page.get_by_text("You have sent several proposals in the last hour")).to_be_visible(timeout=TIMEOUT)
    finally:
        context.close()
