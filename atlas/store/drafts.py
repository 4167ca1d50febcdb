"""Article drafts in the atlas database: what `atlas articles fetch` records, and the moderators' review.

Writing (the fetch, one transaction per feed item):
- `FeedLedger.status(feed, item)` says whether an item is known (by its guid in that feed, or
  by its link in any feed) and what became of it; `record_draft` stores a new draft — the
  pending article, its draft row, the links it proposes and its candidate entries — and marks
  the item `drafted`, all at once; `record_failure` counts a failed attempt (retried at the next
  run, until `MAX_ATTEMPTS`), `record_skipped` a page that is not to be drafted (not an article,
  refused by robots.txt, too large).

Reviewing (`ArticleReview`, the Moderate page's API): list and read drafts, accept or reject each
proposed link (a candidate's pending entry is published or rejected through the `Store`'s own
decisions, in the same transaction), rewrite the summaries in the project's own words, publish
(only once both summaries are rewritten and every link is decided; bumps the published revision)
or reject. Optimistic locking as for entries: a decision made on an old version, or on something
already decided, raises `AlreadyDecided`. The extracted text is cleared when the article is
published or rejected, and when is recorded; it is never published nor exported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from atlas.articles.clean import plain_text
from atlas.articles.drafting import EXTRACTIVE, MAX_SUMMARY, MAX_TITLE, ArticleDraft, KnownEntry
from atlas.articles.feed import FeedItem as FeedEntry
from atlas.articles.fetch import ItemState, Recorded
from atlas.articles.frontmatter import FrontMatterError, render_front_matter, split_front_matter
from atlas.articles.model import PRECISIONS, parse_articles
from atlas.schema import SLUG, Problem
from atlas.store.errors import AlreadyDecided, InvalidRecord, NotFound, StoreError
from atlas.store.models import Article, ArticleLink, Entry, FeedItem, Revision
from atlas.store.models import ArticleDraft as DraftRow
from atlas.store.records import Paged, data_of
from atlas.store.store import Store, _escape_like, slug
from atlas.text import fold_key

MAX_ATTEMPTS = 3
CANDIDATE_AUTHOR = "feed"  # revisions of candidate entries: "feed:<feed>"
EDITABLE = (
    "title_en",
    "title_fr",
    "author",
    "published",
    "published_precision",
    "published_note",
    "topics",
    "summary_en",
    "summary_fr",
)
_CATEGORY_WORDS = (
    ("funder", ("fondation", "foundation", "fonds", "fund", "commission", "ministere", "ministry", "agence", "agency")),
    ("training", ("academy", "academie", "ecole", "school", "formation", "training", "campus", "university")),
    ("digital_commons", ("commons", "communs", "open", "libre", "wiki")),
    ("digital_mediation", ("inclusion", "mediation", "numerique", "digital")),
)


class StillExtractive(StoreError):
    """The summaries are still the machine's sentences: a moderator must rewrite both first."""

    def __init__(self, languages: Sequence[str]) -> None:
        super().__init__(f"the summary is still extractive in: {', '.join(languages)}")
        self.languages = tuple(languages)


class Undecided(StoreError):
    """Proposed links are still waiting for a decision."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} proposed link(s) are not decided yet")
        self.count = count


# -- the fetch's side ------------------------------------------------------------------------------


class FeedLedger:
    """What the fetch remembers, in the store's database."""

    def __init__(self, store: Store, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.store = store
        self.max_attempts = max_attempts

    def known_entries(self) -> list[KnownEntry]:
        with self.store.reading() as s:
            rows = s.execute(select(Entry.id, Entry.kind, Entry.name, Entry.aliases, Entry.state, Entry.country))
            return [
                KnownEntry(i, k, n or "", tuple(a for a in (al or "").split("|") if a.strip()), st, c or "")
                for i, k, n, al, st, c in rows
            ]

    def status(self, feed: str, item: FeedEntry) -> ItemState | None:
        """What became of `item` (None: never seen)."""
        with self.store.reading() as s:
            row = self._find(s, feed, item)
            return None if row is None else ItemState(row.status, row.attempts, row.article_id or "")

    @staticmethod
    def _find(s: Session, feed: str, item: FeedEntry) -> FeedItem | None:
        same = and_(FeedItem.feed == feed, FeedItem.key == item.key)
        condition = or_(same, FeedItem.link == item.link) if item.link else same
        rows = list(s.scalars(select(FeedItem).where(condition).order_by(FeedItem.id)))
        drafted = [r for r in rows if r.status == "drafted"]
        return next(iter(drafted or rows), None)

    def _row(self, s: Session, feed: str, item: FeedEntry) -> FeedItem:
        row = self._find(s, feed, item)
        if row is None:
            row = FeedItem(
                feed=feed,
                key=item.key,
                link=item.link,
                title=item.title,
                status="failed",
                attempts=0,
                error="",
                first_seen_at=self.store.clock(),
            )
            s.add(row)
        return row

    def record_failure(self, feed: str, item: FeedEntry, error: str) -> ItemState:
        """One more failed attempt; after `max_attempts` the item is given up (`gave_up`)."""
        with self.store.writing() as s:
            row = self._row(s, feed, item)
            row.attempts += 1
            row.error = plain_text(error, 500)
            row.fetched_at = self.store.clock()
            row.status = "gave_up" if row.attempts >= self.max_attempts else "failed"
            return ItemState(row.status, row.attempts, "")

    def record_skipped(self, feed: str, item: FeedEntry, reason: str) -> None:
        """A page that will not be drafted (not an article, refused by robots.txt, too large)."""
        with self.store.writing() as s:
            row = self._row(s, feed, item)
            row.attempts += 1
            row.status, row.error, row.fetched_at = "skipped", plain_text(reason, 500), self.store.clock()

    def record_draft(self, feed: str, item: FeedEntry, draft: ArticleDraft) -> Recorded | None:
        """Store `draft` as a pending article with its links and candidates; None when another run did first."""
        try:
            with self.store.writing() as s:
                row = self._row(s, feed, item)
                if row.status == "drafted":
                    return None
                now = self.store.clock()
                article_id = _new_article_id(s, draft)
                s.add(
                    Article(
                        id=article_id,
                        state="pending",
                        text=render_front_matter(draft.front_matter(article_id)),
                        created_at=now,
                        updated_at=now,
                    )
                )
                s.flush()
                row.attempts += 1
                row.status, row.error, row.fetched_at, row.article_id = "drafted", "", now, article_id
                s.flush()
                s.add(
                    DraftRow(
                        article_id=article_id,
                        feed_item_id=row.id,
                        link=draft.link,
                        extracted_text=draft.text,
                        text_cut=draft.text_cut,
                        extractive_summary=list(draft.summary),
                        details={
                            "feed": feed,
                            "language": draft.language,
                            "languages": draft.languages,
                            "published_found": draft.published_note,
                        },
                        created_at=now,
                    )
                )
                for org in draft.organisations:
                    s.add(
                        ArticleLink(
                            article_id=article_id,
                            kind=org.kind,
                            entry_id=org.entry_id,
                            written=org.written,
                            evidence=org.evidence,
                        )
                    )
                for place in draft.places:
                    s.add(
                        ArticleLink(
                            article_id=article_id,
                            kind="place",
                            place=place.record(),
                            written=place.name,
                            evidence=place.evidence,
                        )
                    )
                made = []
                countries = Counter(p.country for p in draft.places if p.country)
                for cand in draft.candidates:
                    entry_id = cand.existing
                    if not entry_id:
                        entry = self._candidate_entry(s, feed, article_id, draft, cand.name, cand.evidence, countries)
                        entry_id = entry.id
                        made.append(KnownEntry(entry.id, "organisation", entry.name, (), "pending", entry.country))
                    s.add(
                        ArticleLink(
                            article_id=article_id,
                            kind="candidate",
                            entry_id=entry_id,
                            written=cand.name,
                            evidence=cand.evidence,
                        )
                    )
                return Recorded(article_id, tuple(made))
        except IntegrityError:  # another run recorded the same item at the same moment
            return None

    def _candidate_entry(
        self,
        s: Session,
        feed: str,
        article_id: str,
        draft: ArticleDraft,
        name: str,
        evidence: str,
        countries: Counter[str],
    ) -> Entry:
        """A pending entry for a candidate organisation, with its submission revision naming the article."""
        country = countries.most_common(1)[0][0] if countries else "FR"
        record = {
            "name": plain_text(name, 200),
            "category": _guess_category(name),
            "country": country,
            "source": f"article: {draft.link}" if draft.link else f"article: {article_id}",
        }
        clean = self.store._valid("organisation", {**record, "id": "new-entry"}, "", "")
        entry_id = self.store._new_id(s, "organisation", clean)
        data = data_of(clean)
        now = self.store.clock()
        entry = Entry(id=entry_id, kind="organisation", state="pending", created_at=now, updated_at=now, **data)
        s.add(entry)
        s.flush()
        s.add(
            Revision(
                entry_id=entry_id,
                action="submission",
                status="pending",
                author=f"{CANDIDATE_AUTHOR}:{feed}",
                created_at=now,
                changes={f: [None, v] for f, v in data.items() if v not in ("", None)},
                reason=plain_text(
                    f"Named in the article {article_id} ({draft.title_en or draft.title_fr}); {evidence}. "
                    f"Category and country are guesses"
                    + (" from the article's places" if countries else " (no place in the article)")
                    + ": check them.",
                    1000,
                ),
            )
        )
        return entry


def _guess_category(name: str) -> str:
    words = set(fold_key(name).split())
    for category, cues in _CATEGORY_WORDS:
        if words & set(cues):
            return category
    return "network"


def _new_article_id(s: Session, draft: ArticleDraft) -> str:
    words = slug(draft.title_en or draft.title_fr).split("-")
    base = "-".join(words[:8])[:60].strip("-") or "article"
    taken = set(s.scalars(select(Article.id).where(or_(Article.id == base, Article.id.like(f"{base}-%")))))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# -- the moderators' side --------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftListItem:
    article_id: str
    version: int
    title_en: str
    title_fr: str
    link: str
    created_at: dt.datetime
    summary_status: str  # extractive | edited
    undecided: int  # links still waiting for a decision
    candidates: int  # candidate new organisations proposed


DraftList = Paged[DraftListItem]


@dataclass(frozen=True)
class LinkView:
    id: int
    version: int
    kind: str  # organisation | odc | place | candidate
    status: str  # proposed | accepted | rejected
    entry_id: str  # organisation, odc, candidate ("" for a place)
    name: str  # the entry's name, or the place's name
    entry_state: str  # the entry's state (a candidate's is pending until decided)
    written: str
    evidence: str
    place: dict[str, Any] | None
    decided_by: str
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class DraftView:
    article_id: str
    version: int
    state: str  # pending | published | rejected
    fields: dict[str, Any]  # the front matter: titles, author, date, summaries…
    summary_status: str
    summary_en_by: str  # the moderator who rewrote it ("" while extractive)
    summary_fr_by: str
    extractive_summary: tuple[str, ...]
    link: str  # the original article
    extracted_text: str | None  # None once cleared
    text_cut: bool
    cleared_at: dt.datetime | None
    cleared_reason: str
    details: dict[str, Any]
    links: tuple[LinkView, ...]
    created_at: dt.datetime
    decided_by: str
    decided_at: dt.datetime | None
    decision_note: str


class ArticleReview:
    """The review of article drafts (the Moderate page calls these; every decision is one transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reading ------------------------------------------------------------------------------------

    def drafts(self, page: int = 0, size: int = 20, text: str = "") -> DraftList:
        """Pending articles, oldest first; `text` searches titles and ids."""
        size = max(1, min(size, 200))
        conditions = [Article.state == "pending"]
        needle = text.strip()
        if needle:
            like = f"%{_escape_like(needle)}%"
            conditions.append(or_(Article.text.ilike(like, escape="\\"), Article.id.ilike(like, escape="\\")))
        with self.store.reading() as s:
            total = int(s.scalar(select(func.count()).select_from(Article).where(*conditions)) or 0)
            rows = list(
                s.execute(
                    select(Article, DraftRow)
                    .outerjoin(DraftRow, DraftRow.article_id == Article.id)
                    .where(*conditions)
                    .order_by(Article.created_at, Article.seq)
                    .offset(max(page, 0) * size)
                    .limit(size)
                ).all()
            )
            ids = [a.id for a, _ in rows]
            counts: dict[tuple[str, str], int] = {}
            if ids:
                for article_id, kind, status, n in s.execute(
                    select(ArticleLink.article_id, ArticleLink.kind, ArticleLink.status, func.count())
                    .where(ArticleLink.article_id.in_(ids))
                    .group_by(ArticleLink.article_id, ArticleLink.kind, ArticleLink.status)
                ):
                    counts[(article_id, "undecided")] = counts.get((article_id, "undecided"), 0) + (
                        n if status == "proposed" else 0
                    )
                    if kind == "candidate":
                        counts[(article_id, "candidates")] = counts.get((article_id, "candidates"), 0) + n
        items = []
        for article, draft in rows:
            fields = _fields(article.text)
            items.append(
                DraftListItem(
                    article_id=article.id,
                    version=article.version,
                    title_en=str(fields.get("title_en") or ""),
                    title_fr=str(fields.get("title_fr") or ""),
                    link=draft.link if draft else "",
                    created_at=article.created_at,
                    summary_status=_summary_status(draft),
                    undecided=counts.get((article.id, "undecided"), 0),
                    candidates=counts.get((article.id, "candidates"), 0),
                )
            )
        return DraftList(tuple(items), total, page, size)

    def draft(self, article_id: str) -> DraftView:
        """One draft with its proposed links and (until it is cleared) the extracted text."""
        with self.store.reading() as s:
            article = s.scalar(select(Article).where(Article.id == article_id))
            draft = s.get(DraftRow, article_id)
            if article is None or draft is None:
                raise NotFound(article_id)
            links = list(
                s.scalars(select(ArticleLink).where(ArticleLink.article_id == article_id).order_by(ArticleLink.id))
            )
            entry_ids = {link.entry_id for link in links if link.entry_id}
            entries = {e.id: e for e in (s.scalars(select(Entry).where(Entry.id.in_(entry_ids))) if entry_ids else [])}
            views = tuple(_link_view(link, entries.get(link.entry_id or "")) for link in links)
            fields = _fields(article.text)
            return DraftView(
                article_id=article.id,
                version=article.version,
                state=article.state,
                fields=fields,
                summary_status=_summary_status(draft),
                summary_en_by=draft.summary_en_by or "",
                summary_fr_by=draft.summary_fr_by or "",
                extractive_summary=tuple(draft.extractive_summary or ()),
                link=draft.link,
                extracted_text=draft.extracted_text,
                text_cut=draft.text_cut,
                cleared_at=draft.cleared_at,
                cleared_reason=draft.cleared_reason,
                details=dict(draft.details or {}),
                links=views,
                created_at=article.created_at,
                decided_by=draft.decided_by or "",
                decided_at=draft.decided_at,
                decision_note=draft.decision_note,
            )

    # -- decisions on links -------------------------------------------------------------------------

    def accept_link(
        self, link_id: int, version: int, moderator: str, edits: Mapping[str, object] | None = None, note: str = ""
    ) -> None:
        """Accept a proposed link; a candidate's pending entry is published (after the moderator's `edits`)."""
        self._decide_link(link_id, version, moderator, note, accept=True, edits=edits)

    def reject_link(self, link_id: int, version: int, moderator: str, note: str = "") -> None:
        """Reject a proposed link; a candidate's pending entry is rejected (the note is its reason)."""
        self._decide_link(link_id, version, moderator, note, accept=False, edits=None)

    def accept_candidate(
        self, link_id: int, version: int, moderator: str, edits: Mapping[str, object] | None = None, note: str = ""
    ) -> None:
        """`accept_link` for a candidate new organisation (its entry published, with `edits`)."""
        self._decide_link(link_id, version, moderator, note, accept=True, edits=edits, kind="candidate")

    def reject_candidate(self, link_id: int, version: int, moderator: str, note: str = "") -> None:
        """`reject_link` for a candidate new organisation (its entry rejected)."""
        self._decide_link(link_id, version, moderator, note, accept=False, edits=None, kind="candidate")

    def _decide_link(
        self,
        link_id: int,
        version: int,
        moderator: str,
        note: str,
        *,
        accept: bool,
        edits: Mapping[str, object] | None,
        kind: str = "",
    ) -> None:
        try:
            with self.store.writing() as s:
                link = s.get(ArticleLink, link_id)
                if link is None or (kind and link.kind != kind):
                    raise NotFound(str(link_id))
                if link.status != "proposed" or link.version != version:
                    raise AlreadyDecided(link.decided_by, link.decided_at, link.status)
                article = self._pending_article(s, link.article_id)
                if link.kind == "candidate" and link.entry_id:
                    self._decide_candidate(s, link, moderator, note, accept, edits)
                elif link.entry_id:
                    entry = s.scalar(select(Entry).where(Entry.id == link.entry_id))
                    if accept and (entry is None or entry.state != "published"):
                        raise AlreadyDecided(
                            None, entry.updated_at if entry else None, f"made {entry.state if entry else 'absent'}"
                        )
                now = self.store.clock()
                link.status = "accepted" if accept else "rejected"
                link.decided_by, link.decided_at = f"moderator:{moderator}", now
                link.decision_note = plain_text(note, 2000)
                article.updated_at = now  # a new version of the draft: a publication on an older one is refused
        except StaleDataError:
            raise AlreadyDecided(None, None, "changed") from None

    def _decide_candidate(
        self,
        s: Session,
        link: ArticleLink,
        moderator: str,
        note: str,
        accept: bool,
        edits: Mapping[str, object] | None,
    ) -> None:
        entry = s.scalar(select(Entry).where(Entry.id == link.entry_id))
        assert entry is not None  # foreign key
        if entry.state == "published" and accept:
            return  # published meanwhile (say, from the entries' queue): nothing more to do
        if entry.state != "pending":
            if accept:
                raise AlreadyDecided(None, entry.updated_at, f"made {entry.state}")
            return  # rejecting the link of an entry refused elsewhere
        revision = s.scalar(
            select(Revision)
            .where(Revision.entry_id == entry.id, Revision.action == "submission", Revision.status == "pending")
            .order_by(Revision.id)
        )
        if revision is None:
            raise AlreadyDecided(None, entry.updated_at, "decided")
        reason = note.strip() or (
            f"accepted with the article {link.article_id}" if accept else f"not kept from the article {link.article_id}"
        )
        apply = self.store._approval(edits) if accept else self.store._rejection
        self.store._decide_in(s, revision.id, revision.version, moderator, reason, apply)

    # -- decisions on the draft ---------------------------------------------------------------------

    def edit(self, article_id: str, version: int, moderator: str, **fields: object) -> int:
        """Change the draft's titles, author, date, topics or summaries; returns the draft's new version.

        A summary counts as the project's own words once a moderator saved a text that is not the
        extractive draft; the draft stays marked extractive until both summaries are.
        """
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        try:
            with self.store.writing() as s:
                article = self._pending_article(s, article_id, version)
                draft = s.get(DraftRow, article_id)
                assert draft is not None
                data, _body = split_front_matter(article.text)
                problems: list[Problem] = []
                for name, value in fields.items():
                    data[name] = _clean_field(name, value, problems)
                if problems:
                    raise InvalidRecord(problems)
                if data.get("published") and not data.get("published_precision"):
                    data["published_precision"] = _precision(str(data["published"]))
                extractive = fold_key(" ".join(draft.extractive_summary or ()))
                for lang in ("en", "fr"):
                    key = f"summary_{lang}"
                    if key in fields:
                        own = bool(data[key]) and fold_key(data[key]) != extractive
                        setattr(draft, f"{key}_by", f"moderator:{moderator}" if own else None)
                data["summary_status"] = _summary_status(draft)
                article.text = render_front_matter(data)
                article.updated_at = self.store.clock()
                s.flush()
                return article.version
        except StaleDataError:
            raise AlreadyDecided(None, None, "changed") from None

    def publish(self, article_id: str, version: int, moderator: str, note: str = "") -> None:
        """Publish the draft: its summaries rewritten, every link decided; the accepted links go with it."""
        try:
            with self.store.writing() as s:
                article = self._pending_article(s, article_id, version)
                draft = s.get(DraftRow, article_id)
                assert draft is not None
                missing = [lang for lang in ("en", "fr") if not getattr(draft, f"summary_{lang}_by")]
                if missing:
                    raise StillExtractive(missing)
                links = list(s.scalars(select(ArticleLink).where(ArticleLink.article_id == article_id)))
                undecided = [link for link in links if link.status == "proposed"]
                if undecided:
                    raise Undecided(len(undecided))
                data, _body = split_front_matter(article.text)
                data.pop("summary_status", None)
                accepted = [link for link in links if link.status == "accepted"]
                entries = {
                    e.id: e
                    for e in s.scalars(
                        select(Entry).where(Entry.id.in_([link.entry_id for link in accepted if link.entry_id]))
                    )
                }
                published = {i for i, e in entries.items() if e.state == "published"}
                data["organisations"] = list(
                    dict.fromkeys(
                        link.entry_id
                        for link in accepted
                        if link.kind in ("organisation", "candidate") and link.entry_id in published
                    )
                )
                data["odcs"] = list(
                    dict.fromkeys(
                        link.entry_id for link in accepted if link.kind == "odc" and link.entry_id in published
                    )
                )
                data["places"] = [dict(link.place) for link in accepted if link.kind == "place" and link.place]
                if not data["odcs"]:  # as the bundled files: no empty `odcs`
                    del data["odcs"]
                text = render_front_matter(data)
                self._check_publishable(s, article_id, text)
                now = self.store.clock()
                article.text, article.state, article.updated_at = text, "published", now
                self._close(draft, moderator, note, "published", now)
                self.store._bump(s)
        except StaleDataError:
            raise AlreadyDecided(None, None, "changed") from None

    def reject(self, article_id: str, version: int, moderator: str, note: str) -> None:
        """Refuse the draft (with a reason): never published, its extracted text cleared; candidates stay pending."""
        if not note.strip():
            raise InvalidRecord([Problem("form", None, "reason", "", "is required to reject")])
        try:
            with self.store.writing() as s:
                article = self._pending_article(s, article_id, version)
                draft = s.get(DraftRow, article_id)
                assert draft is not None
                data, _body = split_front_matter(article.text)
                for lang in ("en", "fr"):  # the machine's sentences are the source's text: not kept either
                    if not getattr(draft, f"summary_{lang}_by"):
                        data[f"summary_{lang}"] = ""
                now = self.store.clock()
                article.text, article.state, article.updated_at = render_front_matter(data), "rejected", now
                draft.extractive_summary = []
                self._close(draft, moderator, note, "rejected", now)
        except StaleDataError:
            raise AlreadyDecided(None, None, "changed") from None

    # -- inside -------------------------------------------------------------------------------------

    def _pending_article(self, s: Session, article_id: str, version: int | None = None) -> Article:
        article = s.scalar(select(Article).where(Article.id == article_id).with_for_update())
        draft = s.get(DraftRow, article_id)
        if article is None or draft is None:
            raise NotFound(article_id)
        if article.state != "pending" or (version is not None and article.version != version):
            raise AlreadyDecided(
                draft.decided_by, draft.decided_at, article.state if article.state != "pending" else "changed"
            )
        return article

    def _close(self, draft: DraftRow, moderator: str, note: str, reason: str, now: dt.datetime) -> None:
        draft.extracted_text = None
        draft.cleared_at, draft.cleared_reason = now, reason
        draft.decided_by, draft.decided_at = f"moderator:{moderator}", now
        draft.decision_note = plain_text(note, 2000)

    def _check_publishable(self, s: Session, article_id: str, text: str) -> None:
        rows = s.execute(select(Entry.id, Entry.kind).where(Entry.state == "published")).all()
        orgs = {i for i, k in rows if k == "organisation"}
        odcs = {i for i, k in rows if k == "odc"}
        articles, problems = parse_articles([(f"{article_id}.md", text)], orgs, odcs)
        if not articles or problems:
            raise InvalidRecord([Problem("article", None, None, None, p) for p in problems] or [])


def _fields(text: str) -> dict[str, Any]:
    try:
        data, _body = split_front_matter(text)
    except FrontMatterError:
        return {}
    return data


def _summary_status(draft: DraftRow | None) -> str:
    if draft is None or (draft.summary_en_by and draft.summary_fr_by):
        return "edited"
    return EXTRACTIVE


def _precision(value: str) -> str:
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "")


def _clean_field(name: str, value: object, problems: list[Problem]) -> object:
    if name == "topics":
        topics = value if isinstance(value, list | tuple) else str(value or "").replace(",", " ").split()
        kept = [str(t).strip().lower() for t in topics if str(t).strip()]
        bad = [t for t in kept if not SLUG.fullmatch(t)]
        if bad:
            problems.append(Problem("form", None, "topics", ", ".join(bad), "are not slugs (lower-case-words)"))
        return kept
    if name == "published":
        text = plain_text(value, 10)
        if text and not any(_parses(text, fmt) for fmt in PRECISIONS.values()):
            problems.append(Problem("form", None, name, text, "is not a date as YYYY-MM-DD, YYYY-MM or YYYY"))
        return text
    if name == "published_precision":
        text = plain_text(value, 10)
        if text and text not in PRECISIONS:
            problems.append(Problem("form", None, name, text, "is not day, month or year"))
        return text
    limit = MAX_SUMMARY if name.startswith("summary") else MAX_TITLE if name.startswith("title") else 500
    return plain_text(value, limit)


def _parses(text: str, fmt: str) -> bool:
    try:
        dt.datetime.strptime(text, fmt)
    except ValueError:
        return False
    return len(text) == {"%Y-%m-%d": 10, "%Y-%m": 7, "%Y": 4}[fmt]


def _link_view(link: ArticleLink, entry: Entry | None) -> LinkView:
    name = entry.name if entry is not None else str((link.place or {}).get("name") or link.written)
    return LinkView(
        id=link.id,
        version=link.version,
        kind=link.kind,
        status=link.status,
        entry_id=link.entry_id or "",
        name=name,
        entry_state=entry.state if entry is not None else "",
        written=link.written,
        evidence=link.evidence,
        place=dict(link.place) if link.place else None,
        decided_by=link.decided_by or "",
        decided_at=link.decided_at,
    )
