"""Alembic environment: leadctl passes its own open connection (see leadctl.store.migrate)."""

from alembic import context
from sqlmodel import SQLModel

import leadctl.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("leadctl runs its migrations with an open connection")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
