"""SQL handed straight to the driver, for the few bulk paths where SQLAlchemy's per-row work
would cost more than the database's own (a restore, rebuilding derived indexes)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection


def slots(conn: Connection, count: int) -> str:
    """`count` parameter places in the driver's own style: ? for SQLite, %s for psycopg."""
    slot = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([slot] * count)


def insert_sql(conn: Connection, table: str, names: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({slots(conn, len(names))})"
