"""Many rows of one table in few statements, each row with its model's own defaults.

For imports: building an ORM object per row costs more than the row's whole INSERT, and
SQLAlchemy's per-row parameter handling about as much again, so large writes go through
the driver's own executemany, with each column's value turned into what SQLAlchemy would
bind (the column types' own bind processors): the rows stored are the same. The outbox and
closed-day triggers fire on these rows as on any other (a load may set the outbox's aside:
db/outbox.py, entries_by_loader); search keys and the text rule are the caller's to apply.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import Connection, Dialect
from sqlmodel import SQLModel

# Page cache of a long import (large_cache), within its 200 MiB: 32 since an XLSX import's
# two processes came to 169 MiB PSS at 100,000 rows with 16 (bench/README.md).
IMPORT_CACHE_MIB = 32
_NONE = object()
_HASHABLE = (str, int, uuid.UUID, date, datetime)  # values converted once per batch


class BulkInsert:
    """Rows of one table into the caller's transaction with one executemany per call.

    A value left out of a row gets the model's default, a factory called per row.
    """

    def __init__(
        self, conn: Connection | None, model: type[SQLModel], dialect: Dialect | None = None
    ) -> None:
        """Without `conn` (and with its `dialect`), rows are only put in stored form
        (`stored`, `stored_row`): for a process that works them out for another to write."""
        table = model.__table__  # type: ignore[attr-defined]  # every table model has one
        if dialect is None:
            assert conn is not None, "a dialect or a connection"
            dialect = conn.dialect
        self.conn = conn
        self.names = [c.name for c in table.columns]
        self.defaults = [_default(model, name) for name in self.names]
        self.processors: list[Callable[[Any], Any] | None] = [
            c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns
        ]
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in self.names)})"
            f" VALUES ({', '.join(mark for _ in self.names)})"
        )

    def write(self, rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The rows written; the rows as stored, in column order."""
        stored = self.stored(rows)
        self.write_stored(stored)
        return stored

    def stored(self, rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The rows in stored form, in column order, without touching the database (a load
        may work out one batch while the one before it is written), a column at a time: a
        list comprehension per column is several times cheaper than a Python loop per cell."""
        rows = list(rows)
        if not rows:
            return []
        columns = [
            self._column(rows, name, default, process)
            for name, default, process in zip(
                self.names, self.defaults, self.processors, strict=True
            )
        ]
        return list(zip(*columns, strict=True))

    def stored_row(self, values: dict[str, Any]) -> list[Any]:
        """One row in stored form, in column order, each column converted as `write` does
        and the model's default where `values` leaves it out (a default factory is called
        once): the template of rows that differ in a column or two (write_stored)."""
        row = []
        for name, default, process in zip(self.names, self.defaults, self.processors, strict=True):
            value = values[name] if name in values else default() if callable(default) else default
            row.append(value if value is None or process is None else process(value))
        return row

    def write_stored(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows already in stored form, in column order (stored_row, or the ids `write`
        returned): straight to the driver, nothing converted."""
        if rows:
            self._conn().exec_driver_sql(self.sql, rows)

    def write_tuples(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows given whole, in column order (no defaults): the cheapest way for narrow rows
        by the hundred thousand, such as search keys."""
        if not rows:
            return
        if any(self.processors):
            columns = [
                self._column(rows, i, None, process) if process else [row[i] for row in rows]
                for i, process in enumerate(self.processors)
            ]
            rows = list(zip(*columns, strict=True))
        self._conn().exec_driver_sql(self.sql, rows)

    def _conn(self) -> Connection:
        assert self.conn is not None, "made without a connection: stored form only"
        return self.conn

    @staticmethod
    def _column(
        rows: list[Any], name: str | int, default: Any, process: Callable[[Any], Any] | None
    ) -> list[Any]:
        if isinstance(name, int):
            values = [row[name] for row in rows]
        else:
            values = [row.get(name, _NONE) for row in rows]
        if _NONE in values:
            if callable(default):
                values = [default() if v is _NONE else v for v in values]
            else:
                values = [default if v is _NONE else v for v in values]
        if process is None:
            return values
        if not isinstance(values[0], _HASHABLE):  # JSON lists: each its own
            return [None if v is None else process(v) for v in values]
        # Ids repeat (a person's keys), stamps and dates are one for a whole batch: each
        # value is converted once.
        done: dict[Any, Any] = {None: None}
        return [done[v] if v in done else done.setdefault(v, process(v)) for v in values]


def _default(model: type[SQLModel], name: str) -> Any:
    field = model.model_fields.get(name)
    if field is None:
        return None
    if field.default_factory is not None:
        return field.default_factory
    return None if field.default is PydanticUndefined else field.default


@contextmanager
def large_cache(conn: Connection, mib: int = IMPORT_CACHE_MIB) -> Iterator[None]:
    """A larger page cache for one long write on SQLite. A desk keeps 512 KiB per
    connection (db/engine.py), but an import of 100,000 people inserts all over a dozen
    B-trees far larger than that, and each page evicted mid-transaction is written to the
    WAL and read back. The connection's own size is put back afterwards."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    conn.exec_driver_sql(f"PRAGMA cache_size = -{mib * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for one bulk write. Building a few hundred thousand
    row tuples a batch sets it off again and again, and each full pass walks every object
    the process holds; the rows are freed by reference counting all the same, so memory
    stays bounded. It is put back as it was afterwards."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
