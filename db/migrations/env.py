"""Alembic environment: always run programmatically by db.migrate with a live connection."""

from alembic import context
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers every table on the metadata)
from db.models.base import declare_postgresql_where

config = context.config
connection = config.attributes["connection"]
declare_postgresql_where(SQLModel.metadata)  # autogenerate renders the partial indexes whole

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
