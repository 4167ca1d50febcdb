"""`atlas import https://…`: a directory's export fetched from its URL, politely, then imported.

- Every request goes through `atlas.articles.polite.PoliteClient`, hence `atlas.safefetch`: only
  http(s), only to public addresses (checked on every redirect, before any connection; the
  allow-list `ATLAS_FETCH_ALLOW_HOSTS` is for trials and tests), one deadline per request, a size
  cap; `robots.txt` is read once per host and run and obeyed; the user agent names the atlas.
- A conditional request: the source remembers the URL and the validators of its last answer
  (`ETag`, `Last-Modified`, in `import_sources`), and asks again with `If-None-Match` /
  `If-Modified-Since`. An unchanged file costs one `304 Not Modified` and changes nothing in the
  database. A mapping given with `--mapping` asks unconditionally (the same file, read anew).
- The body is written to a temporary file and imported as a file of that format would be
  (`atlas.imports.run.run_import`); the URL and validators are stored after the import, never on a
  dry run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from atlas import __version__
from atlas.articles.polite import AGENT_NAME, FetchError, PoliteClient, Response
from atlas.imports.mapping import MappingError, SourceMapping
from atlas.imports.run import ImportReport, run_import
from atlas.imports.source_file import InputError, max_bytes
from atlas.store.models import ImportSource
from atlas.store.store import Store, slug

USER_AGENT = f"{AGENT_NAME}/{__version__} (directory importer of the Social Tech Atlas; polite, robots.txt honoured)"
TIMEOUT = 120.0  # seconds for the whole download
MAX_DOWNLOAD = 200_000_000  # bytes; ATLAS_IMPORT_MAX_BYTES lowers it
DELAY = 1.0  # seconds between two requests to one host (robots.txt, then the file)
SUFFIXES = {"csv": ".csv", "geojson": ".geojson", "gogocarto": ".json", "jsonld": ".jsonld", "mednum": ".csv"}


def is_url(text: object) -> bool:
    return isinstance(text, str) and text.lower().startswith(("http://", "https://"))


def path_or_url(text: str) -> Path | str:
    """The command line's PATH: an http(s) URL stays text (a Path would fold its `//`)."""
    return text if is_url(text) else Path(text)


def new_client(delay: float | None = None) -> PoliteClient:
    return PoliteClient(
        user_agent=USER_AGENT,
        timeout=TIMEOUT,
        max_bytes=min(MAX_DOWNLOAD, max_bytes()),
        delay=DELAY if delay is None else delay,
    )


def _header(response: Response, name: str) -> str | None:
    for key, value in response.headers:
        if key.lower() == name.lower():
            return value.strip() or None
    return None


def name_of(url: str) -> str:
    """A source name from the URL: its file's name without extension, else its host."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    stem = last.rsplit(".", 1)[0] if "." in last else last
    return (slug(stem) or slug(parts.hostname or "") or "import")[:100]


@dataclass
class RemoteReport:
    """One URL's run: `report` is None when the server said the file had not changed (304)."""

    source: str
    url: str
    requests: int  # robots.txt included
    seconds: float
    report: ImportReport | None = None

    @property
    def not_modified(self) -> bool:
        return self.report is None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "url": self.url,
            "not_modified": self.not_modified,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "import": None if self.report is None else self.report.to_json(),
        }


def import_url(
    store: Store,
    url: str,
    fmt: str | None = None,
    source: str = "",
    mapping: SourceMapping | None = None,
    dry_run: bool = False,
    publish: bool = False,
    client: PoliteClient | None = None,
    offline: bool | None = None,
) -> RemoteReport:
    """Fetch `url` (conditionally when this source fetched it before) and import it.

    `fmt` None: the source's stored format. Raises FetchError (Refused, Disallowed…) when the
    file cannot be fetched, InputError when it cannot be read."""
    started = time.monotonic()
    client = client or new_client()
    before = client.requests
    name = (source or (mapping.source if mapping else "") or name_of(url))[:100]
    with store.reading() as s:
        stored = s.execute(
            select(ImportSource.url, ImportSource.etag, ImportSource.last_modified, ImportSource.format).where(
                ImportSource.name == name
            )
        ).first()
    fmt = fmt or (stored.format if stored else None)
    if not fmt:
        raise InputError(f"{url}: give its --format (the source {name!r} has never been imported)")
    if fmt not in SUFFIXES:
        raise InputError(f"{url}: the {fmt} format is imported from a folder, not a URL")
    headers: list[tuple[str, str]] = []
    if stored is not None and stored.url == url and mapping is None and stored.format == fmt:
        if stored.etag:
            headers.append(("If-None-Match", stored.etag))
        if stored.last_modified:
            headers.append(("If-Modified-Since", stored.last_modified))
    try:
        response = client.get(url, headers=headers)
    except FetchError as exc:
        if exc.status == 304 and headers:
            return RemoteReport(name, url, client.requests - before, time.monotonic() - started)
        raise
    with tempfile.TemporaryDirectory(prefix="atlas-import-") as folder:
        path = Path(folder) / f"download{SUFFIXES[fmt]}"  # not the source's name: it may hold a "/"
        path.write_bytes(response.body)
        report = run_import(store, path, fmt, name, mapping, dry_run, publish, offline)
    if not dry_run:
        with store.writing() as s:
            s.execute(
                update(ImportSource)
                .where(ImportSource.name == name)
                .values(url=url, etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"))
            )
    return RemoteReport(name, url, client.requests - before, time.monotonic() - started, report)


def describe_failure(exc: Exception) -> str:
    if isinstance(exc, FetchError):
        return str(exc)
    return f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def run_url(args: argparse.Namespace, printer: Callable[[ImportReport], None]) -> int:
    """`atlas import https://…` (the options of `atlas import`); exit codes as for a file."""
    import json

    from atlas import config
    from atlas.store import open_store
    from atlas.store.engine import describe

    url = args.url or config.database_url()
    try:
        mapping = SourceMapping.load(args.mapping) if args.mapping else None
        store = open_store(url)
        result = import_url(store, args.path, args.format, args.source, mapping, args.dry_run, args.publish)
    except (InputError, MappingError, FetchError) as exc:
        print(f"atlas import: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"atlas import: {describe(url)}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    code = 0
    if result.report is None:
        print(f"{result.source} ({result.url}): not modified since the last import — nothing to do")
    else:
        if args.mapping is None and result.report.mapping is not None:
            print(f"# The mapping used for {result.source} (save it, edit it, pass it with --mapping):")
            print(result.report.mapping.to_yaml())
        printer(result.report)
        code = result.report.exit_code
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return code
