"""The outbox, filled by database triggers so no write path can forget it.

Every synced table gets:
- a BEFORE UPDATE guard: `row_version` must increase (raw SQL cannot skip a version),
- a BEFORE DELETE guard: rows are soft-deleted, never removed,
- AFTER INSERT / AFTER UPDATE triggers that append (table, id, version, op) to `outbox`
  inside the writer's own transaction, so a rollback removes both together.

Acknowledged entries are pruned after RETENTION (`prune`, run after each successful push),
except the newest entry of each row and everything after the push's acknowledgement mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, exists, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from db.errors import StoreError, is_busy

PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION fd_outbox_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'frontdesk: rows of % are never deleted', TG_TABLE_NAME;
        END IF;
        IF NEW.row_version <= OLD.row_version THEN
            RAISE EXCEPTION 'frontdesk: row_version of % must increase', TG_TABLE_NAME;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION fd_outbox_append() RETURNS trigger AS $$
    BEGIN
        INSERT INTO outbox (table_name, row_id, row_version, op, created_at)
        VALUES (TG_TABLE_NAME, NEW.id, NEW.row_version, left(TG_OP, 1), now());
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
]

_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _sqlite_triggers(table: str) -> list[str]:
    append = (
        "INSERT INTO outbox (table_name, row_id, row_version, op, created_at) "
        f"VALUES ('{table}', NEW.id, NEW.row_version, '{{op}}', {_SQLITE_NOW});"
    )
    return [
        f"CREATE TRIGGER fd_{table}_version BEFORE UPDATE ON {table} "
        "WHEN NEW.row_version <= OLD.row_version BEGIN "
        f"SELECT RAISE(ABORT, 'frontdesk: row_version of {table} must increase'); END",
        f"CREATE TRIGGER fd_{table}_nodelete BEFORE DELETE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'frontdesk: rows of {table} are never deleted'); END",
        f"CREATE TRIGGER fd_{table}_ins AFTER INSERT ON {table} BEGIN "
        + append.format(op="I")
        + " END",
        f"CREATE TRIGGER fd_{table}_upd AFTER UPDATE ON {table} BEGIN "
        + append.format(op="U")
        + " END",
    ]


def _pg_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER fd_{table}_guard BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION fd_outbox_guard()",
        f"CREATE TRIGGER fd_{table}_append AFTER INSERT OR UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION fd_outbox_append()",
    ]


def trigger_ddl(dialect: str, table: str) -> list[str]:
    """Statements that attach the outbox triggers to one synced table."""
    if dialect == "sqlite":
        return _sqlite_triggers(table)
    if dialect == "postgresql":
        return _pg_triggers(table)
    raise ValueError(f"unsupported dialect {dialect}")


@contextmanager
def appended_after(conn: Connection, table: str) -> Iterator[None]:
    """A bulk load into an empty synced table of a desk, in the caller's transaction: the
    per-row AFTER INSERT trigger is set aside while the rows go in (it was three quarters
    of a restore's writing time) and the same outbox entries are then appended in one
    statement, in id order. The trigger comes back, as it was, before the transaction
    ends; a rollback undoes all of it together (SQLite's DDL is transactional)."""
    name = f"fd_{table}_ins"
    ddl = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).scalar_one()
    conn.exec_driver_sql(f"DROP TRIGGER {name}")
    yield
    conn.exec_driver_sql(
        "INSERT INTO outbox (table_name, row_id, row_version, op, created_at) "
        f"SELECT '{table}', id, row_version, 'I', {_SQLITE_NOW} FROM {table} ORDER BY id"
    )
    conn.exec_driver_sql(ddl)


# What a loader tells for each batch: the table, and each new row's stored id and version.
Append = Callable[[str, Sequence[tuple[object, int]]], None]


@contextmanager
def entries_by_loader(conn: Connection, tables: Sequence[str]) -> Iterator[Append]:
    """A bulk load into synced tables that already hold rows (an import), in the caller's
    transaction: the tables' per-row AFTER INSERT triggers are set aside while it runs (with
    them, each row's entry cost about as much as the row), and the loader appends each
    batch's entries itself, right after the batch, through the function given: one insert
    entry per row, in the order the rows went in, the outbox as the triggers would have
    left it. The triggers come back, as they were, before the transaction ends; a failure
    rolls all of it back together (SQLite's DDL is transactional). Elsewhere the triggers
    stay, and the function does nothing."""
    if conn.dialect.name != "sqlite":
        yield lambda table, rows: None
        return
    names = [f"fd_{table}_ins" for table in tables]
    kept = [
        conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).scalar_one()
        for name in names
    ]
    for name in names:
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
    insert = (
        "INSERT INTO outbox (table_name, row_id, row_version, op, created_at) "
        f"VALUES (?, ?, ?, 'I', {_SQLITE_NOW})"
    )

    def append(table: str, rows: Sequence[tuple[object, int]]) -> None:
        if table not in tables:
            raise ValueError(f"{table}: its trigger was not set aside")
        if rows:
            conn.exec_driver_sql(insert, [(table, row_id, version) for row_id, version in rows])

    yield append  # on an error the caller's rollback brings the triggers back
    for ddl in kept:
        conn.exec_driver_sql(ddl)


def install(conn: Connection, tables: list[str]) -> None:
    """Used by migrations: attach triggers to newly created synced tables."""
    if conn.dialect.name == "postgresql":
        for stmt in PG_FUNCTIONS:
            conn.execute(text(stmt))
    for table in tables:
        for stmt in trigger_ddl(conn.dialect.name, table):
            conn.execute(text(stmt))


def uninstall(conn: Connection) -> None:
    """Used by the first migration's downgrade: the PostgreSQL trigger functions go too."""
    if conn.dialect.name == "postgresql":
        for name in ("fd_outbox_guard", "fd_outbox_append"):
            conn.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))


def pending_count(conn: Connection) -> int:
    from sqlmodel import col

    from db.models import Outbox

    return conn.execute(
        select(func.count()).select_from(Outbox).where(col(Outbox.acked_at).is_(None))
    ).scalar_one()


# --- pruning ---------------------------------------------------------------------------------

RETENTION = timedelta(days=30)  # acknowledged entries older than this may go (README.md)
PRUNE_CHUNK = 20_000  # entries deleted per transaction: a clerk's save waits for one chunk


def prune(engine: Engine, now: datetime, retention: timedelta = RETENTION) -> int:
    """Delete acknowledged entries older than `retention` that nothing needs; the count.

    An entry stays while any of these holds:
    - it is not acknowledged, or was acknowledged within `retention`;
    - its sequence is at or after the push's acknowledgement mark (`last_acked_seq`). The
      lost-acknowledgement recovery (frontdesk/sync/push.py, `reconcile`) reads the entry at
      the central high-water mark when that is ahead of the mark, so only entries after it
      are ever read; the one at the mark itself is kept too. Pulled rows' entries are
      acknowledged without moving the mark, and stay while they are after it.
    - it is the newest entry of its row. `frontdesk check` then still knows every row's
      current version has been recorded: a row changed around the triggers has no entry for
      its version, pruned or not, while a row at rest keeps the entry of its last change.
      (Telling "acknowledged and pruned" from "never recorded" any other way would need a
      record per row anyway.) The outbox is bounded by the rows on file plus a month of
      changes, not by their history. The newest entry overall is kept with its row, so the
      next sequence and the close-out's covered sequence (`closeouts.outbox_seq`, the newest
      entry when the day closed) never move back.
    A close-out's coverage is judged centrally against the site's high-water mark, and every
    entry pruned here is at or before the desk's mark, i.e. already central.

    Pruning is housekeeping: a desk so busy writing that the lock is not had within the busy
    timeout is left for the next round rather than failing a sync that went through.
    """
    from sqlmodel import col

    from db.models import Outbox, SyncState

    cutoff = now - retention
    total = 0
    immediate = engine.execution_options(begin="IMMEDIATE")  # the write lock up front
    while True:
        try:
            with immediate.begin() as conn:
                mark = conn.execute(select(col(SyncState.last_acked_seq))).scalar() or 0
                stale = stale_entries(cutoff, mark).limit(PRUNE_CHUNK)
                done = conn.execute(delete(Outbox).where(col(Outbox.seq).in_(stale))).rowcount
        except StoreError as exc:  # another writer held the lock past the busy timeout
            if not is_busy(exc):
                raise
            return total
        except OperationalError as exc:
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
            return total
        total += done
        if done < PRUNE_CHUNK:
            return total


def stale_entries(cutoff: datetime, mark: int):
    """The sequences `prune` may delete: acknowledged before `cutoff`, before the mark, and
    not their row's newest (the newer entry is found by ix_outbox_row, not by a scan)."""
    from sqlmodel import col

    from db.models import Outbox

    newer = aliased(Outbox)
    return select(col(Outbox.seq)).where(
        col(Outbox.acked_at) < cutoff,
        col(Outbox.seq) < mark,
        exists().where(
            col(newer.table_name) == Outbox.table_name,
            col(newer.row_id) == Outbox.row_id,
            col(newer.seq) > Outbox.seq,
        ),
    )


@contextmanager
def triggers_aside(conn: Connection, table: str) -> Iterator[None]:
    """The table's triggers off for an update that changes no row's meaning (only the
    stored encoding), put back as they were in the caller's transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        yield
        conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        return
    triggers = conn.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
        {"t": table},
    ).all()
    for name, _ in triggers:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _, sql in triggers:
        conn.execute(text(sql))
