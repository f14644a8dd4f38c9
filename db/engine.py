"""Engines for the desk (SQLite file) and the central store (SQLite file or PostgreSQL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url

from db.errors import BUSY_MESSAGES, StoreError

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: str | Path) -> str:
    # Rendered through URL so that '?' and '%xx' in a folder name are escaped, not parsed.
    return URL.create("sqlite", database=str(Path(path))).render_as_string()


def to_url(target: str | Path) -> str:
    """A path is a desk/central SQLite file; anything with '://' is a database URL."""
    text = str(target)
    if "://" not in text:
        return sqlite_url(text)
    url = make_url(text)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def make_engine(
    target: str | Path,
    *,
    cache_kib: int = 512,
    temp_in_memory: bool = False,
    wal_limit_bytes: int = -1,
    **kw,
) -> Engine:
    """SQLite: `cache_kib` of page cache per connection (a central file wants far more);
    `temp_in_memory` keeps statement journals and sorts in memory rather than in temporary
    files (the central file's bulk upserts: see frontdesk/sync/wire.py); `wal_limit_bytes`
    (`journal_size_limit`) cuts the write-ahead log back to that size once a checkpoint
    has emptied it, at the next write (-1: SQLite's default, never)."""
    url = to_url(target)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kw)
        _configure_sqlite(engine, cache_kib, temp_in_memory, wal_limit_bytes)
        return engine
    return create_engine(url, pool_pre_ping=True, **kw)


def make_read_only_engine(path: Path) -> Engine:
    """A SQLite file opened read-only (`mode=ro`): no connect hook runs, so nothing is
    written to it, not a journal mode, not a checkpoint (a check must leave the file as it
    found it). The URI is percent-encoded: a raw "file:{path}" would cut at '#' or '?'."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    timeout = BUSY_TIMEOUT_MS / 1000

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)

    return create_engine("sqlite://", creator=connect)


def _configure_sqlite(
    engine: Engine, cache_kib: int, temp_in_memory: bool, wal_limit_bytes: int
) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (SQLAlchemy docs'
        # "Serializable isolation / Savepoints / Transactional DDL" recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # A REPLACE's delete of the row it replaces fires delete triggers (rows are never
        # deleted, a closed day's least of all). The closed-day triggers hold without it
        # too (db/closed_days.py): another program opening the file would not set it.
        cur.execute("PRAGMA recursive_triggers = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        # A desk keeps 512 KiB of page cache per connection (default 2 MiB): lookups go through
        # indexes and the OS caches the file anyway; old desk PCs are short of memory.
        cur.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        if temp_in_memory:
            cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute(f"PRAGMA journal_size_limit = {int(wal_limit_bytes)}")
        cur.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # Another program holds the write lock past the busy timeout: say that, not
        # "damaged" or "offline" (sqlite3 reports it as an OperationalError like those).
        orig = context.original_exception
        if isinstance(orig, sqlite3.OperationalError) and str(orig) in BUSY_MESSAGES:
            raise StoreError("busy", path=engine.url.database or "") from orig

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # Writers ask for IMMEDIATE so they queue on busy_timeout instead of failing
        # with "database is locked" when a read transaction tries to upgrade.
        mode = conn.get_execution_options().get("begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")
