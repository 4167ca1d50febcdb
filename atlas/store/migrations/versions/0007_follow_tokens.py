"""a private follow link per proposal: the digest of its secret and the contributor's language (issue 25)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_links",
        sa.Column("revision_id", sa.Integer(), sa.ForeignKey("revisions.id"), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("follow_links")
