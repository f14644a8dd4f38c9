"""Backup and integrity checks of a desk database (`frontdesk backup`, `frontdesk check`)."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Connection
from sqlmodel import Session

from db.engine import make_read_only_engine
from db.migrate import backup_sqlite, check_sqlite_file, current_revision, head_revision
from db.models import synced_tables
from db.outbox import trigger_ddl
from frontdesk.errors import UserError, is_database_error
from frontdesk.i18n import t


def backup(src: Path, dest: Path) -> Path:
    """A consistent copy while the desk may be running, verified before it takes its name."""
    check_sqlite_file(src)
    if not src.exists():
        raise UserError("backup.no_source", path=str(src))
    if dest.exists():
        raise UserError("backup.exists", path=str(dest))
    if not dest.parent.is_dir() or not os.access(dest.parent, os.W_OK):
        raise UserError("backup.bad_target", path=str(dest.parent))
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        backup_sqlite(src, partial)
        with sqlite3.connect(partial) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise UserError("backup.corrupt_copy", path=str(dest))
        conn.close()
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


# The check reads every page: with the desk's small everyday page cache (db/engine.py),
# integrity_check alone took 3.4 s at 100,000 people, with this one 2.3 s. A one-off
# command; the memory goes back when it ends.
CHECK_CACHE_KIB = 65536


def check(path: Path) -> list[str]:
    """Problems found, in the user's language; an empty list means the desk is sound.

    The file is opened read-only: a check never writes to what it checks (the desk's own
    engine would set WAL mode on a file in another journal mode, and checkpoint on close)."""
    check_sqlite_file(path)
    if not path.exists():
        raise UserError("check.no_db", path=str(path))
    engine = make_read_only_engine(path)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
            return _problems(conn)
    except Exception as exc:
        if not is_database_error(exc):
            raise
        return [t("check.unreadable", reason=str(getattr(exc, "orig", exc)))]
    finally:
        engine.dispose()


def _problems(conn: Connection) -> list[str]:
    found: list[str] = []
    for (line,) in conn.exec_driver_sql("PRAGMA integrity_check").fetchall():
        if line != "ok":
            found.append(t("check.integrity", detail=line))
    for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
        found.append(t("check.foreign_key", table=row[0], parent=row[2]))
    revision, head = current_revision(conn), head_revision()
    if revision != head:
        found.append(t("check.schema", found=revision or "-", expected=head))
        return found  # the checks below assume the current schema
    found += _missing_triggers(conn)
    found += _outbox_gaps(conn)
    found += _unsearchable_people(conn)
    found += _stale_dispatch_rows(conn)
    found += _closeouts(conn)
    return found


def _closeouts(conn: Connection) -> list[str]:
    """The close-out chain and every closed day's figures against its entries."""
    from frontdesk.services.closeout import check_closed_days

    with Session(bind=conn) as s:
        checks = check_closed_days(s)
    return [line for check in checks for line in closeout_problems(check)]


def closeout_problems(check) -> list[str]:
    """What is wrong with one close-out (a `ClosedDayCheck`), in the user's language."""
    day = check.day.isoformat()
    found = []
    if not check.hash_ok:
        found.append(t("check.closeout_hash", date=day))
    if not check.link_ok:
        found.append(t("check.closeout_link", date=day))
    if check.differences:
        what = "; ".join(_difference(d) for d in check.differences)
        found.append(t("check.closeout_differs", date=day, what=what))
    return found


COUNTS = ("entries", "walkins", "partner_lines")  # not amounts of money


def _difference(d) -> str:
    from frontdesk.domain.money import fmt_fen

    method = t(f"method.{d.method}") if d.method else ""
    shown = (str, str) if d.figure in COUNTS else (fmt_fen, fmt_fen)
    return t(
        "check.differs_item",
        figure=t(f"check_fig.{d.figure}", method=method),
        stored=shown[0](d.stored),
        found=shown[1](d.found),
    )


def _stale_dispatch_rows(conn: Connection) -> list[str]:
    """People whose person_jobs rows are not what their registration makes of them.

    One pass over each table, read with the driver's own cursor as SQLite stores the values
    (ids as hex, JSON as text): typing 100,000 rows through SQLAlchemy cost more than the
    comparison. Each person's rows come from `rows_for`, the session hook's own rule.
    """
    from db.job_keys import rows_for

    driver = conn.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    cursor = driver.cursor()
    try:
        stored: dict[str, set[tuple]] = defaultdict(set)
        for pid, *row in cursor.execute(
            "SELECT person_id, job, desired, skilled, avail, reliability, pay_fen FROM person_jobs"
        ).fetchall():
            stored[pid].add(tuple(row))
        people = cursor.execute(
            "SELECT id, site_code, status, deleted_at IS NOT NULL, desired_jobs, skills, "
            "availability, reliability FROM people"
        ).fetchall()
    finally:
        cursor.close()
    skills_of = functools.lru_cache(maxsize=None)(_json)  # a few hundred distinct lists
    stale = 0
    for pid, site, status, deleted, jobs, skills, avail, trust in people:
        wanted = {
            (r["job"], r["desired"], r["skilled"], r["avail"], r["reliability"], r["pay_fen"])
            for r in rows_for(
                pid, site, status, bool(deleted), _json(jobs), skills_of(skills), avail, trust
            )
        }
        stale += wanted != stored.pop(pid, set())
    stale += len(stored)  # rows of nobody on file
    return [t("check.dispatch_stale", count=stale)] if stale else []


def _json(text: str | None):
    return json.loads(text) if text else None


def _unsearchable_people(conn: Connection) -> list[str]:
    # The keys' person ids are read once into a list (person_keys leads with the key, not
    # the person): one pass over each table, not a scan of the keys per person.
    missing = conn.exec_driver_sql(UNSEARCHABLE_SQL).scalar_one()
    return [t("check.unsearchable", count=missing)] if missing else []


def _missing_triggers(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    have = {r[0] for r in rows}
    missing = []
    for table in synced_tables():
        for stmt in trigger_ddl("sqlite", table):
            name = stmt.split()[2]
            if name not in have:
                missing.append(t("check.trigger_missing", table=table, trigger=name))
    return missing


# Every row's current version has its entry (the newest entry of each row is never pruned,
# db/outbox.py), and every entry names a row on file: one seek of ix_outbox_row per row, one
# primary-key seek per entry, a table at a time.
MISSING_SQL = (
    "SELECT count(*) FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM outbox o "
    "WHERE o.table_name = ? AND o.row_id = r.id AND o.row_version = r.row_version)"
)
ORPHANS_SQL = (
    "SELECT count(*) FROM outbox o WHERE o.table_name = ? "
    "AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = o.row_id)"
)
UNSEARCHABLE_SQL = "SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM person_keys)"


def check_queries() -> list[tuple[str, tuple]]:
    """The SQL statements of the outbox and search-key checks with their parameters (the
    query-plan test reads these)."""
    found: list[tuple[str, tuple]] = [(UNSEARCHABLE_SQL, ())]
    for table in synced_tables():
        found.append((MISSING_SQL.format(table=table), (table,)))
        found.append((ORPHANS_SQL.format(table=table), (table,)))
    return found


def _outbox_gaps(conn: Connection) -> list[str]:
    found = []
    for table in synced_tables():
        unsent = conn.exec_driver_sql(MISSING_SQL.format(table=table), (table,)).scalar_one()
        if unsent:
            found.append(t("check.outbox_missing", table=table, count=unsent))
        orphans = conn.exec_driver_sql(ORPHANS_SQL.format(table=table), (table,)).scalar_one()
        if orphans:
            found.append(t("check.outbox_orphans", table=table, count=orphans))
    return found
