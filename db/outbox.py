"""The outbox, filled by database triggers so no write path can forget it.

Every synced table gets:
- a BEFORE UPDATE guard: `row_version` must increase (raw SQL cannot skip a version),
- a BEFORE DELETE guard: rows are soft-deleted, never removed,
- AFTER INSERT / AFTER UPDATE triggers that append (table, id, version, op) to `outbox`
  inside the writer's own transaction, so a rollback removes both together.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, text

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
    from db.models import Outbox

    return conn.execute(
        select(func.count()).select_from(Outbox).where(Outbox.acked_at.is_(None))
    ).scalar_one()
