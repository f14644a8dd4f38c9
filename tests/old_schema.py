"""Writing rows into a store at an older revision, whose tables lack the newest columns."""

from __future__ import annotations

from sqlalchemy import Connection, TableClause, inspect
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table

from db.models import WalkIn


def walkins_as_stored(conn: Connection) -> TableClause:
    """The walk-in table with the columns the store has at its revision (0014 added one)."""
    stored = {c["name"] for c in inspect(conn).get_columns("walkins")}
    columns = [sa_column(c.name, c.type) for c in WalkIn.__table__.columns if c.name in stored]
    return sa_table("walkins", *columns)


def add_walkin(conn: Connection, walkin: WalkIn) -> None:
    """Insert `walkin` with the columns the store has."""
    table = walkins_as_stored(conn)
    conn.execute(table.insert().values(walkin.model_dump(include=set(table.c.keys()))))
