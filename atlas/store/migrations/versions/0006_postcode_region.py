"""entries' postcode and region (state, province or region, as written locally): kept apart from the
street address so that exports fill HSDS `postal_code`/`state_province` and schema.org
`postalCode`/`addressRegion` (issue 23, item 4)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("postcode", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("region", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # SQLite (3.35 and later) drops a plain column in place: a batch "move and copy" would drop the
    # entries table, which the revisions' foreign keys refuse while they are enforced.
    for column in ("region", "postcode"):
        op.drop_column("entries", column)
