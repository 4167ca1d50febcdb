"""`atlas db init | upgrade | import DIR | export DIR | backup FILE`: the database from the command line."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from atlas import config
from atlas.store import migrate, open_store, seed
from atlas.store.engine import describe, make_engine
from atlas.store.files import export_folder, load_folder


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser(
        "db",
        help="create, upgrade, fill, export or back up the atlas database",
        description="The database is ATLAS_DATABASE_URL, else [connections.atlas] url in "
        ".streamlit/secrets.toml, else the SQLite file var/atlas.sqlite3.",
    )
    db.add_argument("--url", help="database URL (default: the configured one)")
    commands = db.add_subparsers(dest="db_command", required=True)
    init = commands.add_parser("init", help="create the tables and load the data folder if the database is empty")
    init.add_argument("--empty", action="store_true", help="do not load the data folder")
    commands.add_parser("upgrade", help="apply the schema migrations the database lacks")
    load = commands.add_parser("import", help="load a data folder (new rows added, changed rows revised)")
    load.add_argument("folder", type=Path)
    dump = commands.add_parser(
        "export",
        help="write the published atlas: a data folder (csv, the default: the raw, re-importable dump of the "
        "database, not neutralised for spreadsheets), an Open Referral HSDS 3.0 package (hsds: CSV files safe to "
        "open, formulas neutralised, http(s) links only) or schema.org JSON-LD (jsonld); with the licence in "
        "LICENCE.md (docs/security-data.md)",
    )
    dump.add_argument("folder", type=Path)
    dump.add_argument("--format", choices=("csv", "hsds", "jsonld"), default="csv")
    backup = commands.add_parser("backup", help="copy an SQLite database while the app runs")
    backup.add_argument("file", type=Path)
    db.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = args.url or config.database_url()
    try:
        return {"init": _init, "upgrade": _upgrade, "import": _import, "export": _export, "backup": _backup}[
            args.db_command
        ](url, args)
    except SQLAlchemyError as exc:
        print(f"atlas db: {describe(url)}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2


def _init(url: str, args: argparse.Namespace) -> int:
    store = open_store(url)
    print(f"{describe(url)}: schema {migrate.current(store.engine)}")
    if not args.empty:
        report = seed(store, config.data_dir())
        if report is None:
            print("already holds data (or was seeded before): nothing loaded")
        else:
            print(f"loaded {config.data_dir()}: {len(report.new)} entries, {len(report.articles_new)} articles")
            for problem in report.problems:
                print(f"{problem.severity}: {problem}")
    return 0


def _upgrade(url: str, args: argparse.Namespace) -> int:
    engine = make_engine(url)
    before = migrate.current(engine)
    migrate.upgrade(engine)
    print(f"{describe(url)}: schema {before or '(empty)'} -> {migrate.current(engine)}")
    return 0


def _import(url: str, args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"atlas db import: {folder} is not a folder", file=sys.stderr)
        return 2
    store = open_store(url)
    report = load_folder(store, folder, author=f"import:{folder.name}")
    assert report is not None
    for problem in report.problems:
        print(f"{problem.severity}: {problem}")
    for message in report.article_problems:
        print(f"error: {message}")
    print(
        f"{len(report.new)} new, {len(report.updated)} updated, {report.unchanged} unchanged; "
        f"articles: {len(report.articles_new)} new, {len(report.articles_updated)} updated"
    )
    if report.missing:
        print(f"{len(report.missing)} published entries are not in {folder} (kept): {', '.join(report.missing[:20])}")
    return 1 if report.problems or report.article_problems else 0


def _export(url: str, args: argparse.Namespace) -> int:
    from atlas import opendata

    store = open_store(url)
    fmt = getattr(args, "format", "csv")
    if fmt == "csv":
        counts = export_folder(store, args.folder)
        (args.folder / "LICENCE.md").write_text(opendata.licence_readme(), encoding="utf-8")
        print(", ".join(f"{name}: {n}" for name, n in counts.items()) + f" written to {args.folder}")
        return 0
    frame = store.published_atlas().frame
    if fmt == "hsds":
        opendata.write_files(opendata.hsds_files(frame), args.folder)
    else:
        opendata.write_files(
            {
                "social-tech-atlas.jsonld": opendata.to_jsonld(frame, store.source_pages()),
                "LICENCE.md": opendata.licence_readme().encode("utf-8"),
            },
            args.folder,
        )
    print(f"{len(frame)} published entries written to {args.folder} ({fmt}; {opendata.data_licence().id})")
    return 0


def _backup(url: str, args: argparse.Namespace) -> int:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        print(
            "atlas db backup copies SQLite databases. For PostgreSQL, run:\n"
            f"  pg_dump --format=custom --file={args.file} '<your database URL, as libpq takes it>'\n"
            "and restore with pg_restore --clean --dbname=<URL> FILE.",
            file=sys.stderr,
        )
        return 2
    if not parsed.database or not Path(parsed.database).is_file():
        print(f"atlas db backup: no database file at {parsed.database}", file=sys.stderr)
        return 2
    args.file.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True)
    target = sqlite3.connect(args.file)
    try:
        with target:
            source.backup(target)  # SQLite's online backup: consistent while the app writes
    finally:
        target.close()
        source.close()
    print(f"backed up {parsed.database} to {args.file}")
    return 0
