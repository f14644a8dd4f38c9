"""What the sign-in screen shows, read with the standard library's sqlite3 alone.

Loading SQLAlchemy, SQLModel and the models takes most of a second on an old PC; the
staff list does not need them. This module reads a desk file at the current schema
directly (the same rows db/models describes) and gives up, returning None, whenever that
is not plainly possible: another schema version (the full open upgrades it first), a
missing table, a busy or damaged file. The caller then takes the full path, which says why.

It never writes and never creates the file (mode=rw refuses a missing one; a read-only
URI would not see a WAL file's newest pages without its -shm).
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# The schema these queries are written for: the newest migration's revision
# (tests/test_peek.py holds it to Alembic's head).
SCHEMA = "0019"
BUSY_MS = 2000


@dataclass(frozen=True)
class StaffRow:
    id: uuid.UUID
    name: str
    role: str
    has_pin: bool  # a PIN hash at this desk
    open_reset: bool  # head office's one-time code waits, not yet used here


@dataclass(frozen=True)
class DeskPeek:
    site_code: str
    site_name: str
    demo: bool
    staff: list[StaffRow]  # managers first, then by name
    unclosed: list[date]  # past business days with activity and no close-out


def peek_desk(path: Path, today: date) -> DeskPeek | None:
    """The sign-in list of the desk file at `path`, or None (see the module's note)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0)
    except (sqlite3.Error, OSError):
        return None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        return _read(conn, today)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, today: date) -> DeskPeek | None:
    version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if version != [(SCHEMA,)]:
        return None
    info = conn.execute("SELECT site_code, demo FROM desk_info").fetchone()
    if info is None:
        return None
    code, demo = info
    named = conn.execute("SELECT name FROM sites WHERE code = ?", (code,)).fetchone()
    return DeskPeek(
        code, named[0] if named else code, bool(demo), _staff(conn), _unclosed(conn, code, today)
    )


STAFF_SQL = """
SELECT s.id, s.name, s.role,
       EXISTS (SELECT 1 FROM staff_pins p WHERE p.staff_id = s.id),
       s.pin_reset_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM used_pin_resets u WHERE u.reset_id = s.pin_reset_id)
FROM staff s
WHERE s.active AND s.deleted_at IS NULL
ORDER BY s.role != 'manager', s.name
"""


def _staff(conn: sqlite3.Connection) -> list[StaffRow]:
    return [
        StaffRow(uuid.UUID(hex=id_), name, role, bool(pin), bool(reset))
        for id_, name, role, pin, reset in conn.execute(STAFF_SQL)
    ]


# As services/closeout.unclosed_days: payments, walk-ins or an opened float on a past day.
UNCLOSED_SQL = """
SELECT business_date FROM {table}
WHERE site_code = ? AND business_date < ?
  AND business_date NOT IN (SELECT business_date FROM closeouts WHERE site_code = ?)
"""


def _unclosed(conn: sqlite3.Connection, code: str, today: date) -> list[date]:
    query = " UNION ".join(
        UNCLOSED_SQL.format(table=t) for t in ("payments", "walkins", "business_days")
    )
    day = today.isoformat()
    rows = conn.execute(query, (code, day, code) * 3)
    return sorted(date.fromisoformat(d) for (d,) in rows)
