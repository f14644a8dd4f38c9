"""The identity every synced row carries (DESIGN.md, "Identity and records")."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, MetaData, text
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, new_id, utcnow

# Deterministic constraint names, so migrations can refer to them on both dialects.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Build a model's pydantic validator and serializer when first used, not at import: table
# models are made and read through SQLAlchemy, which never asks for them, and 42 of each
# kept 1.1 MiB resident in every desk (bench/README.md, "What the TUI's memory is made of").
SQLModel.model_config["defer_build"] = True


# Index.info key of a partial index's WHERE clause, declared for PostgreSQL on demand.
POSTGRESQL_WHERE = "postgresql_where"


def partial_index(name: str, *columns: str, where: str, unique: bool = True) -> Index:
    """An index over the rows `where` holds for, with the same clause on both stores.

    Only SQLite's clause is named here: a `postgresql_where` argument makes SQLAlchemy load
    its PostgreSQL dialect to validate it, 2 MiB resident in every desk, which never talks
    to PostgreSQL through these models (bench/README.md, "What the TUI's memory is made
    of"). The PostgreSQL schema comes from the migrations; `declare_postgresql_where` puts
    the clause on the metadata where it meets PostgreSQL (db/migrations/env.py).
    """
    return Index(
        name, *columns, unique=unique, sqlite_where=text(where), info={POSTGRESQL_WHERE: where}
    )


def declare_postgresql_where(metadata: MetaData) -> None:
    """Give every `partial_index` its PostgreSQL clause (loads SQLAlchemy's PostgreSQL dialect)."""
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.info.get(POSTGRESQL_WHERE)
            if where is not None:
                index.dialect_kwargs[POSTGRESQL_WHERE] = text(where)


def money(default: int | None = 0, **kw) -> int:
    """An integer amount in fen (64-bit so that year totals fit on PostgreSQL)."""
    return Field(default=default, sa_type=BigInteger, **kw)


def utc_field(nullable: bool = True, **kw) -> datetime:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, **kw)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, **kw)


class SyncedRow(SQLModel):
    """Client-made UUIDv7 key, owning site, UTC stamps, a version bumped on every change.

    Rows are never deleted: `deleted_at` marks a soft deletion (triggers refuse DELETE).
    """

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    site_code: str = Field(max_length=16, index=True)
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)
    row_version: int = Field(default=1, nullable=False)
    deleted_at: datetime | None = utc_field()


def synced_tables() -> list[str]:
    """Names of every table built on SyncedRow, in a stable order."""
    found: list[str] = []
    stack = list(SyncedRow.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        table = getattr(cls, "__table__", None)
        if table is not None and table.name not in found:
            found.append(table.name)
    return sorted(found)
