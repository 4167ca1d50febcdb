"""The atlas database as an `AtlasSource`: what the app shows is its published entries and articles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from atlas.articles.model import Article, parse_articles
from atlas.data import Atlas
from atlas.store.engine import describe
from atlas.store.models import Article as ArticleRow
from atlas.store.store import Store


@dataclass(frozen=True)
class DatabaseSource:
    """Published data of a `Store`; its revision is the store's published-data counter."""

    store: Store

    @property
    def key(self) -> str:
        return f"db:{describe(str(self.store.engine.url))}"

    def revision(self) -> str:
        return self.store.revision()

    def load(self) -> Atlas:
        return self.store.published_atlas()

    def articles(self, org_ids: Iterable[str], odc_ids: Iterable[str]) -> tuple[list[Article], list[str]]:
        with self.store.reading() as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.text).where(ArticleRow.state == "published").order_by(ArticleRow.seq)
            ).all()
        return parse_articles(((f"{article_id}.md", text) for article_id, text in rows), org_ids, odc_ids)
