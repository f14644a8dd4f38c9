"""Applying typed rows to a store: an upsert by id that takes only newer row versions.

Used by the pull (reference rows into a desk) and for the few pushed rows that need a
closer look; the push's bulk of rows goes through wire.py. One multi-row statement per
table on the fast path. When the store refuses it (a foreign key, a check, a closed day,
row-level security) the table's rows are retried one by one, each in its own savepoint,
so one bad row is set aside and the rest still go in.
A row that was not applied because the store holds the same version with the same
content is a harmless re-send; any other difference is a conflict and is set aside too.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InternalError, ProgrammingError
from sqlmodel import SQLModel

from db.text import printable

Row = dict[str, Any]
# What a store says about a row (constraint, trigger, row-level security, bad value), as
# SQLAlchemy wraps it, as psycopg raises it from a COPY (the driver's own cursor), as
# sqlite3 raises it, and a value the driver cannot encode at all. Lost connections and busy
# stores are not among them: those abort the batch to be retried.
REFUSALS: tuple[type[BaseException], ...] = (
    IntegrityError,
    InternalError,
    ProgrammingError,
    DataError,
    psycopg.DataError,
    psycopg.IntegrityError,
    psycopg.InternalError,
    psycopg.ProgrammingError,
    psycopg.NotSupportedError,
    sqlite3.IntegrityError,
    sqlite3.DataError,
    UnicodeError,
)
CHUNK = 500  # ids per IN (...) when reading rows back


@dataclass
class Refused:
    table: str
    row: Row
    reason: str


@dataclass
class Outcome:
    applied: int = 0
    unchanged: int = 0
    refused: list[Refused] = field(default_factory=list)


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def apply_order(names: Iterable[str]) -> list[str]:
    """Parents before children; close-outs last, so a day's entries land before it closes."""
    wanted = set(names)
    ordered = [t.name for t in SQLModel.metadata.sorted_tables if t.name in wanted]
    if "closeouts" in ordered:
        ordered.remove("closeouts")
        ordered.append("closeouts")
    return ordered


def _upsert(conn: Connection, tbl: Table):
    from sqlalchemy.dialects import postgresql, sqlite

    # Both dialects spell the upsert alike: the connection's own makes the statement.
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(tbl)
    columns = {c.name: stmt.excluded[c.name] for c in tbl.columns if c.name != "id"}
    return stmt.on_conflict_do_update(
        index_elements=[tbl.c.id],
        set_=columns,
        where=tbl.c.row_version < stmt.excluded.row_version,
    ).returning(tbl.c.id)


def upsert_rows(conn: Connection, name: str, rows: list[Row]) -> Outcome:
    """Upsert rows of one table inside the caller's transaction."""
    outcome = Outcome()
    if not rows:
        return outcome
    tbl = table(name)
    try:
        with conn.begin_nested():
            applied = set(conn.execute(_upsert(conn, tbl), rows).scalars())
    except REFUSALS as exc:
        if lost(exc):
            raise
        return _one_by_one(conn, name, rows)
    outcome.applied = len(applied)
    missed = [r for r in rows if r["id"] not in applied]
    sort_missed(conn, name, missed, outcome)
    return outcome


def _one_by_one(conn: Connection, name: str, rows: list[Row]) -> Outcome:
    outcome = Outcome()
    stmt = _upsert(conn, table(name))
    for row in rows:
        try:
            with conn.begin_nested():
                done = conn.execute(stmt, [row]).scalars().all()
        except REFUSALS as exc:
            if lost(exc):
                raise
            outcome.refused.append(Refused(name, row, reason_of(exc)))
            continue
        if done:
            outcome.applied += 1
        else:
            sort_missed(conn, name, [row], outcome)
    return outcome


def sort_missed(conn: Connection, name: str, rows: list[Row], outcome: Outcome) -> None:
    """Rows the version guard skipped: identical re-sends, or conflicts."""
    if not rows:
        return
    stored = stored_rows(conn, name, [r["id"] for r in rows])
    for row in rows:
        have = stored.get(row["id"])
        if have is not None and have == row:
            outcome.unchanged += 1
            continue
        found = "none" if have is None else str(have["row_version"])
        outcome.refused.append(
            Refused(name, row, f"conflict: stored version {found}, sent {row['row_version']}")
        )


def stored_rows(conn: Connection, name: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, Row]:
    tbl = table(name)
    found: dict[uuid.UUID, Row] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in conn.execute(select(tbl).where(tbl.c.id.in_(chunk))).mappings():
            found[row["id"]] = dict(row)
    return found


def lost(exc: BaseException) -> bool:
    """The connection went with the error: the batch is retried, no row is to blame."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def reason_of(exc: BaseException) -> str:
    """The store's own first line, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return printable(lines[0] if lines else type(orig).__name__)[:480]


def to_json(row: Row) -> str:
    """A refused row as a person can read it; valid UTF-8 whatever the row held (JSON
    already escapes NUL and the other C0 characters)."""
    text = json.dumps(row, default=_plain, ensure_ascii=False, sort_keys=True)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _plain(value: object) -> object:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
