"""Where the atlas comes from: the seam between the app and its data.

The app reads the atlas only through an `AtlasSource`: today a folder of CSV files and Markdown
articles (`CsvFolder`); a database is a second implementation of the same three methods.
`revision()` must be cheap (the app asks on every rerun): the loaded atlas is cached by it, so a
change made by someone else — an edited file, a moderator's approval — is picked up by every
open session at its next rerun, without a restart.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from atlas import config
from atlas.articles.model import Article, load_articles
from atlas.data import Atlas, load_atlas
from atlas.errors import SourceUnavailable as SourceUnavailable  # where callers have always found it
from atlas.schema import SCHEMAS


class AtlasSource(Protocol):
    """What the app needs from its data, whatever stores it."""

    @property
    def key(self) -> str:
        """Names the source (same key, same data), for caches and messages; never holds a secret."""
        ...

    def revision(self) -> str:
        """A token that changes whenever what `load` or `articles` return changes; cheap to compute."""
        ...

    def load(self) -> Atlas:
        """Every published entry as one frame, and the problems met."""
        ...

    def articles(self, org_ids: Iterable[str], odc_ids: Iterable[str]) -> tuple[list[Article], list[str]]:
        """The published articles (links checked against the given ids) and their problems."""
        ...


@dataclass(frozen=True)
class CsvFolder:
    """`organisations.csv`, `odc.csv` and `articles/*.md` in one folder (the bundled data's format)."""

    folder: Path

    @property
    def key(self) -> str:
        return f"csv:{self.folder}"

    def revision(self) -> str:
        """Hash of the name, size and modification time of every data file (a few `stat` calls)."""
        digest = hashlib.blake2b(digest_size=12)
        for path in self._files():
            try:
                st = path.stat()
            except OSError:
                continue
            digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def _files(self) -> list[Path]:
        files = [self.folder / s.filename for s in SCHEMAS.values()]
        articles = self.folder / "articles"
        try:
            with os.scandir(articles) as entries:
                files += sorted(articles / e.name for e in entries if e.name.endswith(".md"))
        except OSError:
            pass
        return [*files, articles]  # the folder itself: a removed article changes its mtime

    def load(self) -> Atlas:
        return load_atlas(self.folder)

    def articles(self, org_ids: Iterable[str], odc_ids: Iterable[str]) -> tuple[list[Article], list[str]]:
        folder = self.folder / "articles"
        if not folder.is_dir():
            return [], []
        return load_articles(folder, org_ids, odc_ids)


def configured_source() -> AtlasSource:
    """The source the configuration names: the atlas database (seeded from the data folder on its
    first start), or the data folder itself with `ATLAS_SOURCE=files`. Raises `SourceUnavailable`
    when the database cannot be reached."""
    if config.data_source() == "files":
        return CsvFolder(config.data_dir())
    from atlas.store.source import open_database_source

    return open_database_source(config.database_url(), config.data_dir())
