"""import runs and source licences: every run of `atlas import` recorded (and undoable); a source's
licence and attribution (issue 23)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("licence", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("attribution", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("of_run", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("journal", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["import_sources.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_runs_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_source_id"))
    op.drop_table("import_runs")
    with op.batch_alter_table("import_sources", schema=None) as batch_op:
        batch_op.drop_column("attribution")
        batch_op.drop_column("licence")
