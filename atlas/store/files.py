"""The data folder's format in and out of the database: the seed, `atlas db import` and `export`.

`load_folder` reads `organisations.csv`, `odc.csv` and `articles/*.md` with the same validation as
the app; new ids become published entries, changed rows become applied revisions, unchanged rows
do nothing, and ids the database has but the folder lacks are reported, never withdrawn.
`export_folder` writes the published entries back in exactly that format (column order, quoting,
numbers), so that seeding from the bundled files and exporting gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from atlas.articles.frontmatter import FrontMatterError, parse_front_matter
from atlas.data import load_file
from atlas.schema import SCHEMAS, Problem
from atlas.store.models import DATA_FIELDS, Article, Entry, Revision
from atlas.store.records import cell_text, data_of, same_value
from atlas.store.store import PUBLISHED_REVISION, SEEDED, Store

BATCH = 5_000


@dataclass
class LoadReport:
    """What a folder load did."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # published in the database, absent from the folder
    problems: list[Problem] = field(default_factory=list)
    articles_new: list[str] = field(default_factory=list)
    articles_updated: list[str] = field(default_factory=list)
    article_problems: list[str] = field(default_factory=list)


def load_folder(
    store: Store, folder: Path, author: str, action: str = "import", only_if_empty: bool = False
) -> LoadReport | None:
    """Bring the folder's rows and articles into the database, in one transaction.

    With `only_if_empty` (the first start's seed), nothing is done — and None returned — when the
    database holds entries or was seeded before; two processes starting at once seed it once.
    """
    report = LoadReport()
    incoming: dict[str, tuple[str, dict[str, Any]]] = {}
    for kind, schema in SCHEMAS.items():
        frame, problems = load_file(folder / schema.filename, schema, str(folder / schema.filename))
        report.problems += problems
        records: list[dict[Any, Any]] = frame.drop(columns="_line").to_dict("records")
        for record in records:
            incoming.setdefault(str(record["id"]), (kind, data_of(record)))
    texts = _article_texts(folder / "articles", report)
    with store.writing() as s:
        marker = store._meta(s, SEEDED, lock=True)
        if only_if_empty:
            if marker.value or s.scalar(select(Entry.seq).limit(1)) is not None:
                return None
            marker.value = str(folder)
        now = store.clock()
        existing = {e.id: e for e in s.scalars(select(Entry))}
        new_rows, new_revisions, updates, changed_revisions = [], [], [], []
        for entry_id, (kind, data) in incoming.items():
            entry = existing.get(entry_id)
            if entry is None:
                new_rows.append(
                    {
                        "id": entry_id,
                        "kind": kind,
                        "state": "published",
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                        **data,
                    }
                )
                changes = {f: [None, v] for f, v in data.items() if v not in ("", None)}
                new_revisions.append(_revision(entry_id, action, author, changes, now))
                report.new.append(entry_id)
                continue
            changes = {f: [getattr(entry, f), v] for f, v in data.items() if not same_value(getattr(entry, f), v)}
            if entry.kind != kind:
                report.problems.append(
                    Problem(str(folder), None, "id", entry_id, f"is a {entry.kind} in the database; row skipped")
                )
                continue
            if not changes:
                report.unchanged += 1
                continue
            updates.append(
                {
                    "b_seq": entry.seq,
                    "version": entry.version + 1,
                    "updated_at": now,
                    **{f: getattr(entry, f) for f in DATA_FIELDS},
                    **{f: new for f, (_old, new) in changes.items()},
                }
            )
            changed_revisions.append(_revision(entry_id, action, author, changes, now))
            report.updated.append(entry_id)
        report.missing = sorted(i for i, e in existing.items() if e.state == "published" and i not in incoming)
        for start in range(0, len(new_rows), BATCH):
            s.execute(insert(Entry), new_rows[start : start + BATCH])
        if updates:  # a plain table update: the ORM's version check is for one object at a time
            table = Entry.__table__
            s.execute(update(table).where(table.c.seq == bindparam("b_seq")), updates)  # type: ignore[arg-type]
        revisions = new_revisions + changed_revisions
        for start in range(0, len(revisions), BATCH):
            s.execute(insert(Revision), revisions[start : start + BATCH])
        known = {a.id: a for a in s.scalars(select(Article))}
        for article_id, text in texts.items():
            article = known.get(article_id)
            if article is None:
                s.add(Article(id=article_id, state="published", text=text, created_at=now, updated_at=now))
                report.articles_new.append(article_id)
            elif article.text != text:
                article.text, article.updated_at = text, now
                report.articles_updated.append(article_id)
        if report.new or report.updated or report.articles_new or report.articles_updated:
            store._bump(s, PUBLISHED_REVISION)
    return report


def _revision(entry_id: str, action: str, author: str, changes: dict, now: Any) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "action": action,
        "status": "applied",
        "author": author,
        "created_at": now,
        "changes": changes,
        "reason": "",
        "decided_by": author,
        "decided_at": now,
        "decision_note": "",
        "version": 1,
    }


def _article_texts(folder: Path, report: LoadReport) -> dict[str, str]:
    """Article id -> file text, for every `*.md` file whose front matter can be read at all.

    The text is kept as it is: the app checks articles field by field when it reads them (a bad
    optional field is dropped there, with a located problem), exactly as it does for files.
    """
    texts: dict[str, str] = {}
    if not folder.is_dir():
        return texts
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
            data = parse_front_matter(text).data
        except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
            report.article_problems.append(f"{path.name}: {exc}; file skipped")
            continue
        article_id = data.get("id") if isinstance(data.get("id"), str) and data.get("id") else path.stem
        texts.setdefault(str(article_id), text)
    return texts


def export_folder(store: Store, folder: Path) -> dict[str, int]:
    """Write the published entries and articles in the data folder's format; returns counts written.

    Files are replaced atomically (written beside, then renamed). An optional column that no
    row fills is left out, as the bundled files do, except the schema's `written` ones (postcode, region).
    """
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with store.reading() as s:
        entries = list(s.scalars(select(Entry).where(Entry.state == "published").order_by(Entry.seq)))
        articles = list(s.scalars(select(Article).where(Article.state == "published").order_by(Article.seq)))
    for kind, schema in SCHEMAS.items():
        rows = [{"id": e.id, **{f: cell_text(getattr(e, f)) for f in DATA_FIELDS}} for e in entries if e.kind == kind]
        columns = [
            c for c in schema.file_columns if c in schema.required or c in schema.written or any(r[c] for r in rows)
        ]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([r[c] for c in columns] for r in rows)
        _write_atomic(folder / schema.filename, out.getvalue())
        counts[schema.filename] = len(rows)
    if articles:
        (folder / "articles").mkdir(exist_ok=True)
        for article in articles:
            _write_atomic(folder / "articles" / f"{article.id}.md", article.text)
    counts["articles"] = len(articles)
    return counts


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
