"""A column's declared width changed on SQLite without rebuilding its table.

SQLite never checks a declared length and keeps the text as it is, so only the declaration
changes, in the table's stored CREATE statement (SQLite's documented way for a change that
leaves the file's format alone; rebuilding the table would drop its triggers and foreign
keys). Used by the revisions that widen sealed columns (0021, 0023).
"""

from __future__ import annotations

import sqlalchemy as sa


def redeclare(conn: sa.Connection, table: str, changes: set[tuple[str, str]]) -> None:
    """Replace each (old, new) declaration text in the table's stored CREATE statement."""
    where = "type = 'table' AND name = :table"
    sql = conn.execute(
        sa.text(f"SELECT sql FROM sqlite_master WHERE {where}"), {"table": table}
    ).scalar_one()
    for old, new in changes:
        assert old in sql, old
        sql = sql.replace(old, new)
    version = conn.execute(sa.text("PRAGMA schema_version")).scalar_one()
    conn.execute(sa.text("PRAGMA writable_schema = ON"))
    conn.execute(
        sa.text(f"UPDATE sqlite_master SET sql = :sql WHERE {where}"), {"sql": sql, "table": table}
    )
    conn.execute(sa.text(f"PRAGMA schema_version = {version + 1}"))
    conn.execute(sa.text("PRAGMA writable_schema = OFF"))
