"""Alembic's entry point for the atlas database (run through `atlas.store.migrate`, not by hand).

`atlas db upgrade` passes its open connection in `config.attributes["connection"]`. SQLite cannot
alter most columns in place: migrations run in batch mode there (copy, change, swap).
"""

from __future__ import annotations

from alembic import context

from atlas.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `atlas.store.migrate` runs migrations
    raise RuntimeError("run migrations with `atlas db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
