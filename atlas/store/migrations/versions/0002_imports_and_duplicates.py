"""imports and duplicates: import sources, source links, duplicate-pair proposals, not-the-same pairs

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_summary", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "source_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("entry_id", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gone_since", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"]),
        sa.ForeignKeyConstraint(["source_id"], ["import_sources.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "external_id", name="uq_source_links_source_external"),
    )
    with op.batch_alter_table("source_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_links_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "duplicate_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_a", sa.String(length=100), nullable=False),
        sa.Column("entry_b", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kept", sa.String(length=100), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_a"], ["entries.id"]),
        sa.ForeignKeyConstraint(["entry_b"], ["entries.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_a", "entry_b", name="uq_duplicate_pairs_entries"),
    )
    with op.batch_alter_table("duplicate_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_pairs_entry_a"), ["entry_a"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_pairs_entry_b"), ["entry_b"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_pairs_status"), ["status"], unique=False)

    op.create_table(
        "not_same_pairs",
        sa.Column("entry_a", sa.String(length=100), nullable=False),
        sa.Column("entry_b", sa.String(length=100), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_a"], ["entries.id"]),
        sa.ForeignKeyConstraint(["entry_b"], ["entries.id"]),
        sa.PrimaryKeyConstraint("entry_a", "entry_b"),
    )
    # The counter an import locks (SELECT … FOR UPDATE): imports run one at a time.
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "imports", "value": ""}])


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'imports'")
    op.drop_table("not_same_pairs")
    with op.batch_alter_table("duplicate_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_pairs_status"))
        batch_op.drop_index(batch_op.f("ix_duplicate_pairs_entry_b"))
        batch_op.drop_index(batch_op.f("ix_duplicate_pairs_entry_a"))
    op.drop_table("duplicate_pairs")
    with op.batch_alter_table("source_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_links_entry_id"))
    op.drop_table("source_links")
    op.drop_table("import_sources")
