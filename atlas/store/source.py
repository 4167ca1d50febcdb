"""The atlas database as an `AtlasSource`: what the app shows is its published entries and articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from atlas.articles.model import Article, parse_articles
from atlas.data import Atlas
from atlas.errors import SourceUnavailable
from atlas.store.engine import describe
from atlas.store.models import Article as ArticleRow
from atlas.store.store import Store

T = TypeVar("T")
UNREACHABLE = (OperationalError, DBAPIError, PoolTimeout, OSError)


def _reachable(call: Callable[[], T]) -> T:
    try:
        return call()
    except UNREACHABLE as exc:
        raise SourceUnavailable(f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc


def open_database_source(url: str, seed_from: Path | None = None) -> DatabaseSource:
    """The database at `url`, migrated (and seeded from `seed_from` on its first start)."""
    from atlas.store import open_store

    return DatabaseSource(_reachable(lambda: open_store(url, seed_from=seed_from)))


@dataclass(frozen=True)
class DatabaseSource:
    """Published data of a `Store`; its revision is the store's published-data counter."""

    store: Store

    @property
    def key(self) -> str:
        return f"db:{describe(str(self.store.engine.url))}"

    def revision(self) -> str:
        return _reachable(self.store.revision)

    def load(self) -> Atlas:
        return _reachable(self.store.published_atlas)

    def articles(self, org_ids: Iterable[str], odc_ids: Iterable[str]) -> tuple[list[Article], list[str]]:
        def rows() -> list[tuple[str, str]]:
            with self.store.reading() as s:
                query = select(ArticleRow.id, ArticleRow.text).where(ArticleRow.state == "published")
                return [(i, t) for i, t in s.execute(query.order_by(ArticleRow.seq)).all()]

        return parse_articles(((f"{article_id}.md", text) for article_id, text in _reachable(rows)), org_ids, odc_ids)
