"""The atlas database's tables (SQLAlchemy 2 ORM); Alembic migrations create and evolve them.

- `entries`: one row per organisation or ODC, in any state. Its data columns are the fields of
  `atlas.schema` (the same names as the CSV columns; a test keeps the two lists equal).
- `revisions`: every change to an entry — a submission, a correction, a moderator's edit, an
  import, a change of state — with who, when, which fields (old → new) and why. Pending
  revisions wait in the moderation queue; nothing is ever deleted.
- `contacts`: the optional e-mail a submitter left for the moderators. Private: never shown
  publicly, never exported.
- `articles`: the articles, kept as their Markdown + YAML text (the bundled files' format).
- `feed_items`: every item of a blog's feed that `atlas articles fetch` has seen, with what
  became of it (drafted into an article, failed and to be retried, skipped), so that a re-run
  fetches only what is new.
- `article_drafts`: a pending article's draft: the extracted text (kept only while the
  moderators need it; cleared, with when and why, once the article is published or rejected),
  the extractive summary and who rewrote each summary, and the decision.
- `article_links`: what a draft proposes: organisations and ODCs of the atlas, places, and
  candidate new organisations (pending entries); each accepted or rejected by a moderator.
- `rate_events`: anonymous submissions by hashed client address and session, for rate limits
  that hold across app replicas.
- `meta`: small counters, e.g. the revision of the published data the app caches by.
- `import_sources`: the directories the atlas imports from (`atlas import`), with their mapping.
- `import_runs`: every run of an import, its undo or its publication: who, when, the file's hash,
  the counts, and what it changed (so that a run can be undone).
- `source_links`: which entry a source's row became (many per entry: a merged entry keeps the
  links of both), with the values last imported, so that a re-import touches only what changed.
- `duplicate_pairs`: two entries the matcher thinks are one, waiting for a moderator (merge or
  "not the same"); `not_same_pairs`: the pairs a moderator said differ, never proposed again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment in UTC, aware on the way out on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give the time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


ENTRY_STATES = ("pending", "published", "rejected", "withdrawn", "duplicate")
REVISION_STATUSES = ("pending", "applied", "rejected")
# What a revision is: a new entry proposed by a visitor, a correction of an existing one, a
# moderator's own edit, a change of state (withdraw, duplicate), a load from files, an import.
ACTIONS = ("submission", "correction", "edit", "state", "seed", "import", "merge")
PAIR_STATUSES = ("pending", "merged", "not_same")

# The data columns of an entry: every field of both CSV files except `id`.
DATA_FIELDS = (
    "name",
    "aliases",
    "category",
    "country",
    "city",
    "address",
    "postcode",
    "region",
    "lat",
    "lon",
    "geo_precision",
    "geo_source",
    "website",
    "description_en",
    "description_fr",
    "status",
    "opened",
    "source",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Entry(Base):
    __tablename__ = "entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # keeps file order
    id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(100), ForeignKey("entries.id"))
    name: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    city: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(Text, default="")  # state, province or region, as written locally
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[str] = mapped_column(String(20), default="")
    geo_source: Mapped[str] = mapped_column(String(60), default="")
    website: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="")
    opened: Mapped[str] = mapped_column(String(10), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)

    __mapper_args__ = {"version_id_col": version}


class Revision(Base):
    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(100), ForeignKey("entries.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(Text)  # "anonymous", "moderator:<e-mail>", "seed:<folder>", "import:<name>"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    changes: Mapped[dict] = mapped_column(JSON)  # {field: [old, new]}; applied (or proposed, while pending)
    proposed: Mapped[dict | None] = mapped_column(JSON)  # what the contributor sent, when a moderator changed it
    reason: Mapped[str] = mapped_column(Text, default="")  # the contributor's note, then the moderator's reason
    base_version: Mapped[int | None] = mapped_column(Integer)  # the entry's version a correction was made against
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")  # the moderator's reason
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_revisions_status_created", "status", "created_at"),)


class Contact(Base):
    __tablename__ = "contacts"

    revision_id: Mapped[int] = mapped_column(Integer, ForeignKey("revisions.id"), primary_key=True)
    email: Mapped[str] = mapped_column(Text)


class Article(Base):
    __tablename__ = "articles"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(100), unique=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text)  # Markdown with YAML front matter, as in data/articles/
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)

    __mapper_args__ = {"version_id_col": version}


FEED_ITEM_STATUSES = ("drafted", "failed", "gave_up", "skipped")
LINK_KINDS = ("organisation", "odc", "place", "candidate")
LINK_STATUSES = ("proposed", "accepted", "rejected")


class FeedItem(Base):
    __tablename__ = "feed_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed: Mapped[str] = mapped_column(Text)  # the feed's URL or file, as given to `atlas articles fetch`
    key: Mapped[str] = mapped_column(Text)  # the item's guid, else its link
    link: Mapped[str] = mapped_column(Text, default="", index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # why the last attempt failed or the item was skipped
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the last attempt
    article_id: Mapped[str | None] = mapped_column(String(100), ForeignKey("articles.id"))

    __table_args__ = (UniqueConstraint("feed", "key", name="uq_feed_items_feed_key"),)


class ArticleDraft(Base):
    __tablename__ = "article_drafts"

    article_id: Mapped[str] = mapped_column(String(100), ForeignKey("articles.id"), primary_key=True)
    feed_item_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("feed_items.id"))
    link: Mapped[str] = mapped_column(Text, default="")  # the original article
    extracted_text: Mapped[str | None] = mapped_column(Text)  # third-party text: None once cleared
    text_cut: Mapped[bool] = mapped_column(Boolean, default=False)
    extractive_summary: Mapped[list] = mapped_column(JSON)  # the draft summary's sentences
    details: Mapped[dict] = mapped_column(JSON)  # languages, how the date was found, the feed…
    summary_en_by: Mapped[str | None] = mapped_column(Text)  # the moderator who wrote it in the project's words
    summary_fr_by: Mapped[str | None] = mapped_column(Text)
    cleared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cleared_reason: Mapped[str] = mapped_column(String(20), default="")  # published | rejected
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)


class ArticleLink(Base):
    __tablename__ = "article_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(100), ForeignKey("articles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    entry_id: Mapped[str | None] = mapped_column(String(100), ForeignKey("entries.id"), index=True)
    place: Mapped[dict | None] = mapped_column(JSON)  # a place's front-matter record
    written: Mapped[str] = mapped_column(Text, default="")  # the name as the article writes it
    evidence: Mapped[str] = mapped_column(Text, default="")  # why it was proposed
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class RateEvent(Base):
    __tablename__ = "rate_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash of the address, never the address
    session: Mapped[str] = mapped_column(String(64), index=True)


class Meta(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ImportSource(Base):
    """A directory the atlas imports from: its name, format and field/category mapping."""

    __tablename__ = "import_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    format: Mapped[str] = mapped_column(String(20))
    mapping: Mapped[dict] = mapped_column(JSON)  # the mapping of the last run (see atlas.imports.mapping)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_summary: Mapped[dict | None] = mapped_column(JSON)  # counts per action of the last run
    licence: Mapped[str] = mapped_column(Text, default="")  # the source's licence (SPDX id or URL); "" unknown
    attribution: Mapped[str] = mapped_column(Text, default="")  # the credit the licence asks for
    # fetched from a URL (`atlas import https://…`, `atlas sync`): where, and the validators of its last answer
    url: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)


IMPORT_RUN_KINDS = ("import", "undo", "publish")


class ImportRun(Base):
    """One run of `atlas import` (or its undo, or the publication of its rows): when, who, which file,
    what it counted, and (`journal`) what it changed, so that `atlas import undo` can revert it."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("import_sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # import | undo | publish
    of_run: Mapped[int | None] = mapped_column(Integer)  # undo, publish: the run acted on
    undone_by: Mapped[int | None] = mapped_column(Integer)  # import: the run that reverted it
    author: Mapped[str] = mapped_column(Text)  # who ran it (the system user) and as what ("import:<source>")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    file: Mapped[str] = mapped_column(Text, default="")  # the file's name, as given
    file_hash: Mapped[str] = mapped_column(String(64), default="")  # SHA-256 of the file (of an HSDS package's CSVs)
    format: Mapped[str] = mapped_column(String(20), default="")
    counts: Mapped[dict] = mapped_column(JSON)  # the summary's counts
    journal: Mapped[dict] = mapped_column(JSON)  # what the run changed (see atlas.store.imports)


class SourceLink(Base):
    """Row `external_id` of a source became entry `entry_id`; `data` is what it held when last imported."""

    __tablename__ = "source_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("import_sources.id"))
    external_id: Mapped[str] = mapped_column(String(300))
    entry_id: Mapped[str] = mapped_column(String(100), ForeignKey("entries.id"), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(Text, default="")  # the row's page in the source, when known (sameAs)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    gone_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # absent from the source's last import

    __table_args__ = (UniqueConstraint("source_id", "external_id", name="uq_source_links_source_external"),)


class DuplicatePair(Base):
    """Two entries that may be one organisation, for a moderator: `entry_a` < `entry_b`."""

    __tablename__ = "duplicate_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_a: Mapped[str] = mapped_column(String(100), ForeignKey("entries.id"), index=True)
    entry_b: Mapped[str] = mapped_column(String(100), ForeignKey("entries.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | merged | not_same
    proposed_by: Mapped[str] = mapped_column(Text)  # "import:<source>" or "dedup"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    kept: Mapped[str | None] = mapped_column(String(100))  # after a merge: the entry kept
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("entry_a", "entry_b", name="uq_duplicate_pairs_entries"),)


class NotSamePair(Base):
    """A moderator said these two entries are different organisations: never proposed again."""

    __tablename__ = "not_same_pairs"

    entry_a: Mapped[str] = mapped_column(String(100), ForeignKey("entries.id"), primary_key=True)
    entry_b: Mapped[str] = mapped_column(String(100), ForeignKey("entries.id"), primary_key=True)
    decided_by: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")


class FollowLink(Base):
    """The private link a contributor follows their proposal by (issue 25): only the SHA-256 of
    its secret part is kept, with the language the contributor wrote in (the page and the e-mail's)."""

    __tablename__ = "follow_links"

    revision_id: Mapped[int] = mapped_column(Integer, ForeignKey("revisions.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_now)
