"""Changing a column's declared width on SQLite without rebuilding the table.

SQLite never checks a declared length and keeps the text as it is, so only the declaration
changes, in the table's stored CREATE statement (SQLite's documented way for a change that
leaves the file's format alone; rebuilding the table would drop its triggers and foreign
keys). Used by the migrations that widen the sealed columns (0021, 0022).
"""

from __future__ import annotations

from sqlalchemy import Connection, text


def redeclare(conn: Connection, table: str, changes: set[tuple[str, str]]) -> None:
    """Replace each (old, new) declaration text in `table`'s stored CREATE statement."""
    sql = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).scalar_one()
    for old, new in changes:
        assert old in sql, old
        sql = sql.replace(old, new)
    version = conn.execute(text("PRAGMA schema_version")).scalar_one()
    conn.execute(text("PRAGMA writable_schema = ON"))
    conn.execute(
        text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
        {"sql": sql, "t": table},
    )
    conn.execute(text(f"PRAGMA schema_version = {version + 1}"))
    conn.execute(text("PRAGMA writable_schema = OFF"))
