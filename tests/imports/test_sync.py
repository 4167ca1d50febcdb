"""`atlas import https://…` and `atlas sync` against a directory served on loopback (issue 23, item 6).

The server (127.0.0.1, allowed explicitly for the test) answers conditional requests as a web
server does (ETag / If-None-Match, Last-Modified / If-Modified-Since) and records every request.
A second run of an unchanged file is one 304 and changes nothing; a changed file changes only what
changed; a URL at an address the fetcher refuses is refused without any connection.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from atlas.cli import main
from atlas.imports import remote
from atlas.imports.sync import sync
from atlas.store.models import Entry, ImportSource, SourceLink
from atlas.store.store import Store
from tests.imports.conftest import dump

HEADER = "id,name,city,country,lat,lon,category,website\n"
ROWS = {
    "r1": "r1,Coop Numérique Lyon,Lyon,FR,45.76,4.83,digital_mediation,https://coop-lyon.example.org\n",
    "r2": "r2,Atelier Libre Nantes,Nantes,FR,47.22,-1.55,digital_commons,https://atelier-nantes.example.org\n",
    "r3": "r3,Civic Lab Lille,Lille,FR,50.63,3.06,civic_tech,https://civic-lille.example.org\n",
}


@dataclass
class Site:
    files: dict[str, bytes] = field(default_factory=dict)
    modified: dict[str, float] = field(default_factory=dict)
    log: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # (path, status, request headers)
    base: str = ""

    def put(self, path: str, body: bytes, when: float) -> None:
        self.files[path], self.modified[path] = body, when

    def requests(self, path: str | None = None) -> list[tuple[str, int, dict[str, str]]]:
        return [r for r in self.log if path is None or r[0] == path]


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.files.get(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if body is None:
                site.log.append((self.path, 404, headers))
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            modified = formatdate(site.modified[self.path], usegmt=True)
            if headers.get("if-none-match") == etag or (
                "if-none-match" not in headers and headers.get("if-modified-since") == modified
            ):
                site.log.append((self.path, 304, headers))
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            site.log.append((self.path, 200, headers))
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A directory's web server on 127.0.0.1 (allowed explicitly: loopback is refused otherwise)."""
    found = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(found))
    port = server.server_address[1]
    found.base = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ATLAS_FETCH_ALLOW_HOSTS", f"127.0.0.1:{port}")
    monkeypatch.setattr(remote, "DELAY", 0.0)  # politeness pauses are the polite client's tests' business
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def recording(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        made.append((address[0], int(address[1])))
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", recording)
    return made


def csv_of(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8")


def entries(store: Store) -> dict[str, tuple[str, str, bool]]:
    """external id -> (entry name, entry website, gone) for the source's links."""
    with store.reading() as s:
        rows = s.execute(
            select(SourceLink.external_id, Entry.name, Entry.website, SourceLink.gone_since).join(
                Entry, Entry.id == SourceLink.entry_id
            )
        ).all()
    return {r.external_id: (r.name, r.website, r.gone_since is not None) for r in rows}


def test_sync_fetches_once_then_costs_one_304_then_changes_only_what_changed(
    site: Site, empty_store: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = empty_store
    site.put("/export/lieux.csv", csv_of(ROWS["r1"], ROWS["r2"], ROWS["r3"]), 1_700_000_000)
    url = f"{site.base}/export/lieux.csv"

    assert main(["import", url, "--format", "csv", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert "3 new, 0 updated" in out
    assert set(entries(store)) == {"r1", "r2", "r3"}
    with store.reading() as s:
        source = s.scalar(select(ImportSource))
        assert source is not None
        assert (source.name, source.url, source.format) == ("lieux", url, "csv")
        assert source.etag and source.last_modified
    first = site.requests("/export/lieux.csv")
    assert [r[1] for r in first] == [200]
    assert "if-none-match" not in first[0][2]
    assert first[0][2]["user-agent"].startswith("SocialTechAtlas/")
    assert site.requests("/robots.txt"), "robots.txt is asked for first"

    # unchanged: one conditional GET answered 304, nothing written
    before = dump(store)
    site.log.clear()
    assert main(["sync", "--url", db_url]) == 0
    assert "lieux" in capsys.readouterr().out
    asked = [r for r in site.log if r[0] != "/robots.txt"]
    assert [(r[0], r[1]) for r in asked] == [("/export/lieux.csv", 304)]
    assert asked[0][2]["if-none-match"] == source.etag
    assert asked[0][2]["if-modified-since"] == source.last_modified
    assert dump(store) == before

    # changed: r1 edited, r2 removed, r4 added -> one update, one gone, one new
    edited = ROWS["r1"].replace("coop-lyon.example.org", "coop-numerique-lyon.example.org")
    added = "r4,Fab Lab Rennes,Rennes,FR,48.11,-1.68,digital_commons,https://fablab-rennes.example.org\n"
    site.put("/export/lieux.csv", csv_of(edited, ROWS["r3"], added), 1_700_086_400)
    site.log.clear()
    assert main(["sync", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert "1 new, 1 updated, 1 unchanged" in out and "1 gone" in out
    assert "changed: Coop Numérique Lyon (r1" in out
    assert "new: Fab Lab Rennes (r4" in out
    assert "gone from the source: r2 (Atelier Libre Nantes" in out
    assert [(r[0], r[1]) for r in site.log if r[0] != "/robots.txt"] == [("/export/lieux.csv", 200)]
    now = entries(store)
    assert now["r1"] == ("Coop Numérique Lyon", "https://coop-numerique-lyon.example.org", False)
    assert now["r2"][2] is True  # kept, flagged gone
    assert now["r3"][2] is False and now["r4"][0] == "Fab Lab Rennes"


def test_a_dry_run_sync_fetches_but_writes_nothing(site: Site, empty_store: Store, db_url: str) -> None:
    site.put("/a.csv", csv_of(ROWS["r1"]), 1_700_000_000)
    assert main(["import", f"{site.base}/a.csv", "--format", "csv", "--url", db_url]) == 0
    site.put("/a.csv", csv_of(ROWS["r1"], ROWS["r2"]), 1_700_086_400)
    before = dump(empty_store)
    results = sync(empty_store, dry_run=True)
    assert [r.exit_code for r in results] == [0]
    report = results[0].remote.report if results[0].remote else None
    assert report is not None and report.summary()["new"] == 1
    assert dump(empty_store) == before


def test_robots_txt_that_disallows_the_file_is_obeyed(site: Site, empty_store: Store, db_url: str) -> None:
    site.put("/robots.txt", b"User-agent: *\nDisallow: /private/\n", 1_700_000_000)
    site.put("/private/a.csv", csv_of(ROWS["r1"]), 1_700_000_000)
    assert main(["import", f"{site.base}/private/a.csv", "--format", "csv", "--url", db_url]) == 2
    assert site.requests("/private/a.csv") == []
    with empty_store.reading() as s:
        assert s.scalar(select(ImportSource)) is None


@pytest.mark.parametrize("host", ["127.0.0.2", "169.254.169.254", "localhost"])
def test_a_url_at_a_refused_address_is_refused_without_a_connection(
    site: Site,
    empty_store: Store,
    db_url: str,
    host: str,
    connections: list[tuple[str, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = site.base.rsplit(":", 1)[1]
    site.put("/a.csv", csv_of(ROWS["r1"]), 1_700_000_000)
    url = f"http://{host}:{port}/a.csv" if host != "169.254.169.254" else f"http://{host}/latest/a.csv"
    assert main(["import", url, "--format", "csv", "--url", db_url]) == 2
    assert "refused" in capsys.readouterr().err
    assert connections == [] and site.log == []
    with empty_store.reading() as s:
        assert s.scalar(select(ImportSource)) is None


def test_sync_reports_a_source_that_cannot_be_fetched_and_goes_on(
    site: Site, empty_store: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site.put("/a.csv", csv_of(ROWS["r1"]), 1_700_000_000)
    site.put("/b.csv", csv_of(ROWS["r2"]), 1_700_000_000)
    assert main(["import", f"{site.base}/a.csv", "--format", "csv", "--url", db_url]) == 0
    assert main(["import", f"{site.base}/b.csv", "--format", "csv", "--url", db_url]) == 0
    del site.files["/a.csv"]
    capsys.readouterr()
    assert main(["sync", "--url", db_url]) == 2
    out = capsys.readouterr().out
    assert "a (" in out and "not synchronised" in out and "404" in out
    assert "b (" in out and "not modified" in out


def test_a_source_name_comes_from_the_url() -> None:
    assert remote.name_of("https://example.org/data/Lieux%20de%20médiation.csv?x=1") == "lieux-de-mediation"
    assert remote.name_of("https://data.example.org/") == "data-example-org"
    assert remote.is_url("HTTPS://x.org/a.csv") and not remote.is_url("data/a.csv")
    assert isinstance(remote.path_or_url("data/a.csv"), Path)


def test_a_file_of_the_mednum_standard_is_synchronised_from_its_url(site: Site, empty_store: Store) -> None:
    from tests.imports.test_mednum import CHARENTE

    site.put("/charente.json", CHARENTE.read_bytes(), 1_700_000_000)
    first = remote.import_url(empty_store, f"{site.base}/charente.json", "mednum")
    assert first.report is not None and first.report.summary()["error"] == 0
    assert first.report.summary()["rows"] == 188
    before = dump(empty_store)
    site.log.clear()
    (again,) = sync(empty_store)
    assert again.remote is not None and again.remote.not_modified and again.exit_code == 0
    assert [(r[0], r[1]) for r in site.log if r[0] != "/robots.txt"] == [("/charente.json", 304)]
    assert dump(empty_store) == before
