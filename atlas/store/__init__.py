"""The atlas database (SQLAlchemy + Alembic): SQLite embedded by default, PostgreSQL by configuration."""

from __future__ import annotations

import logging
from pathlib import Path

from atlas import config
from atlas.store import migrate
from atlas.store.engine import make_engine
from atlas.store.files import LoadReport, load_folder
from atlas.store.limits import Limits
from atlas.store.store import Store

log = logging.getLogger("atlas.store")


def open_store(url: str | None = None, seed_from: Path | None = None, limits: Limits | None = None) -> Store:
    """The store at `url` (default: `config.database_url()`), migrated to the newest schema.

    When `seed_from` is given and the database has never been seeded nor holds any entry, the
    folder's files are loaded as the published atlas (the first start of `make run`).
    """
    store = Store(make_engine(url or config.database_url()), limits)
    migrate.upgrade(store.engine)
    if seed_from is not None:
        seed(store, seed_from)
    return store


def seed(store: Store, folder: Path) -> LoadReport | None:
    """Load `folder` into an empty, never-seeded database (once; None when nothing was done).

    Rows the schema refuses are left out and logged (the server log, or `atlas db init`'s output).
    """
    report = load_folder(store, folder, author=f"seed:{folder.name}", action="seed", only_if_empty=True)
    if report is not None:
        log.info(
            "seeded the database from %s: %d entries, %d articles", folder, len(report.new), len(report.articles_new)
        )
        for problem in report.problems:
            log.warning("seed: %s: %s", problem.severity, problem)
        for message in report.article_problems:
            log.warning("seed: error: %s", message)
    return report
