"""The push's rows as the desk's SQLite stores them, written to the central store as they are.

Typing every value (UUIDs, timestamps, JSON) on the way out of SQLite and turning it back
into text on the way in cost more than the writes themselves. The stored text is already
what the central store accepts, once timestamps say they are UTC, so the common case moves
text; typed rows are loaded only for the few rows that need a closer look (a re-send, a
conflict, a refusal).

- PostgreSQL gets the rows by COPY into a scratch table and one INSERT ... SELECT ... ON
  CONFLICT ... RETURNING id, which names the rows it took.
- A SQLite central store gets the same upsert, many rows to a statement, outside any
  SAVEPOINT. The push first takes every row to be new or newer centrally (the usual case)
  and checks it by the count of rows each statement changed; a statement that took fewer
  (a re-send, a conflict, an older version) raises `Resent`, and the push sends the batch
  again with the stored versions read before each statement, which tell the rows taken
  (`_sqlite_in`). SQLite keeps a journal per statement there (foreign keys, triggers), and
  while a savepoint is open each statement's journal costs many times more (100,000 rows:
  1.5 s bare, 2.5 s with the journal in a temporary file, 16 s inside savepoints with it
  in memory); one statement per row (executemany) paid that journal per row. The central
  engine keeps temporary data in memory (frontdesk.sync.link).
- Rows not taken are sorted into harmless re-sends and conflicts.
- Rows whose text no store may hold (a NUL, another control character, bytes that are not
  UTF-8: db/text.py) are set aside before anything is sent.
- If the store refuses the set, whatever the cause (a value, an encoding, a foreign key, a
  check, a closed day, row-level security), it is split in halves, each tried in its own
  savepoint, down to the rows to blame, which are set aside; the rest go in. On SQLite
  the rows before the refused one are already written, with no savepoint to undo them:
  `Careful` tells the push to roll the whole central transaction back and send the batch
  again the careful way (each table inside a savepoint, as on PostgreSQL).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import chain

from sqlalchemy import Connection, Table

from db.text import any_bad, first_bad
from db.types import UTCDateTime
from frontdesk.sync.apply import (
    REFUSALS,
    Outcome,
    Refused,
    Row,
    lost,
    reason_of,
    sort_missed,
    table,
)

SQLITE_ROWS = 1000  # rows per upsert statement at most (more saved nothing measurable)
SCREEN_ROWS = 1000  # rows whose text `screen` scans at once
SORT_MEM = "64MB"  # PostgreSQL work_mem of a push's upsert (see _copy_in)
Raw = tuple  # one row's stored values, in the table's column order
Loader = Callable[[list[str]], list[Row]]  # typed rows by id (hex), read from the desk


@dataclass(frozen=True)
class RawRows:
    name: str
    columns: list[str]
    rows: list[Raw]
    screened: bool = False  # `screen` has set aside the rows in `refused` (push's reader)
    refused: tuple[Refused, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [r[0] for r in self.rows]


def read_raw(desk: Connection, name: str, after: int, last: int, site: str) -> RawRows:
    """The site's own rows of `name` whose current version has its entry in (after, last].

    One query per table: the outbox range picks the entries, the primary key the rows. A
    row changed again later is left for the batch holding its newest entry, so a push
    sends each row once however often it changed.
    """
    tbl = table(name)
    columns = [c.name for c in tbl.columns]
    if columns[0] != "id":
        columns.remove("id")
        columns.insert(0, "id")
    listed = ", ".join(f"t.{c}" for c in columns)
    # CROSS JOIN keeps SQLite's planner from walking the whole table for each entry: the
    # outbox range is the outer loop, each row a primary-key lookup. The rows come in the
    # order of their entries, i.e. of their last change; new rows (UUIDv7) in id order, as
    # the central indexes take them best. Sorting by id cost a fifth of the read (the
    # whole rows through a temporary B-tree) and gained the central store nothing measured,
    # except in a table whose rows refer to each other (a reversal to what it reverses):
    # there id order (creation order) puts a parent first, wherever its newest entry is,
    # since a SQLite central store checks each statement's foreign keys as it ends.
    sql = (
        f"SELECT {listed} FROM outbox o CROSS JOIN {name} t "
        "WHERE t.id = o.row_id AND t.row_version = o.row_version "
        "AND o.seq > ? AND o.seq <= ? AND o.table_name = ? AND o.acked_at IS NULL "
        "AND t.site_code = ?" + (" ORDER BY t.id" if _refers_to_itself(tbl) else "")
    )
    # The driver's own cursor hands back plain tuples: SQLAlchemy's Row objects, made and
    # turned back into tuples, cost as much as the query.
    params = (after, last, name, site)
    try:
        rows = _fetch(desk, sql, params)
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
        rows = _fetch(desk, sql, params, lenient=True)
    return RawRows(name, columns, rows)


def _fetch(desk: Connection, sql: str, params: tuple, lenient: bool = False) -> list[Raw]:
    """Rows by the driver's cursor. `lenient` reads text that is not UTF-8 (written behind
    the program's back) with its bad bytes as surrogates, which `screen` then sets aside:
    one such row must not stop the batch it is in."""
    driver = desk.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    factory = driver.text_factory
    if lenient:
        driver.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    cursor = driver.cursor()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
        driver.text_factory = factory


def screened(raw: RawRows) -> RawRows:
    """The rows `screen` lets through, with the ones it refused: the push's reader screens
    the next batch at the desk while the central store takes the current one."""
    good, refused = screen(raw)
    return replace(good, screened=True, refused=tuple(refused))


def _refers_to_itself(tbl: Table) -> bool:
    return any(fk.column.table is tbl for fk in tbl.foreign_keys)


def screen(raw: RawRows) -> tuple[RawRows, list[Refused]]:
    """Rows whose text no store may hold (db/text.py) are refused before they are sent.

    Caught here rather than left to the store: a central SQLite file would take a NUL that
    PostgreSQL refuses, and both stores must hold the same rows.
    """
    if raw.screened:
        return raw, list(raw.refused)
    # One scan of the text of SCREEN_ROWS rows at a time first (a line feed may be stored,
    # so it joins them): the row-by-row look below costs ten times as much and is needed
    # only when one is bad. A thousand rows' text stays in the processor's cache (the
    # scan of a whole batch of people at once cost twice the time) and is a short hold of
    # the GIL, which the central thread beside it waits for.
    rows = raw.rows
    for start in range(0, len(rows), SCREEN_ROWS):
        part = rows[start : start + SCREEN_ROWS]
        if any_bad("\n".join([v for row in part for v in row if type(v) is str])):
            break
    else:
        return raw, []
    good: list[Raw] = []
    refused: list[Refused] = []
    for row in raw.rows:
        bad = _bad_text(raw.columns, row)
        if bad is None:
            good.append(row)
        else:
            refused.append(Refused(raw.name, as_row(raw.columns, row), bad))
    if not refused:
        return raw, []
    return RawRows(raw.name, raw.columns, good), refused


def _bad_text(columns: list[str], row: Raw) -> str | None:
    for column, value in zip(columns, row, strict=True):
        if type(value) is str and (bad := first_bad(value)) is not None:
            return f"bad text in column {column}: {bad}"
    return None


def as_row(columns: list[str], raw: Raw) -> Row:
    """A raw row as the quarantine records it (its id as a UUID)."""
    row = dict(zip(columns, raw, strict=True))
    row["id"] = uuid.UUID(hex=row["id"])
    return row


class Careful(Exception):
    """A SQLite batch met a refusal outside a savepoint: send it again with `careful`."""


class Resent(Exception):
    """A SQLite statement sent with `all_new` took fewer rows than it held: send the batch
    again without `all_new` (the caller's transaction is rolled back: nothing stays)."""


def write_raw(
    central: Connection, raw: RawRows, load: Loader, careful: bool = False, all_new: bool = False
) -> Outcome:
    """Upsert the rows of one table in the caller's transaction (see the module notes).

    `all_new` (a SQLite store, not `careful`): the rows are taken to be new or newer
    centrally, so no stored version is read; `Resent` is raised if a statement took fewer.
    """
    raw, refused = screen(raw)
    outcome = Outcome(refused=refused)
    if not raw.rows:
        return outcome
    fast = central.dialect.name == "sqlite" and not careful
    try:
        taken = _sqlite_fresh(central, raw, all_new) if fast else _write_all(central, raw)
    except REFUSALS as exc:
        if lost(exc):
            raise
        if fast:
            raise Careful from exc
        taken = _halves(central, raw, outcome)
    outcome.applied = len(taken)
    refused_ids = {r.row["id"].hex for r in outcome.refused}
    missed = [h for h in raw.ids if h not in taken and h not in refused_ids]
    if missed:
        sort_missed(central, raw.name, load(missed), outcome)
    return outcome


def _halves(central: Connection, raw: RawRows, outcome: Outcome) -> set[str]:
    """The store refused the set: try each half in its own savepoint, down to the row to
    blame, whatever the refusal (a value, an encoding, a constraint, a trigger, row-level
    security). The rows stay as stored, so a row is judged as the bulk path sent it."""
    taken: set[str] = set()
    parts = [raw.rows]
    while parts:
        rows = parts.pop()
        try:
            taken |= _write_all(central, RawRows(raw.name, raw.columns, rows))
        except REFUSALS as exc:
            if lost(exc):
                raise
            if len(rows) == 1:
                outcome.refused.append(
                    Refused(raw.name, as_row(raw.columns, rows[0]), reason_of(exc))
                )
            else:
                middle = len(rows) // 2
                parts += [rows[middle:], rows[:middle]]
    return taken


def _sqlite_fresh(central: Connection, raw: RawRows, all_new: bool) -> set[str]:
    """The whole table's rows, no savepoint: the version guard skips the older ones."""
    return _sqlite_in(central, table(raw.name), raw.columns, raw.rows, all_new)


def _write_all(central: Connection, raw: RawRows) -> set[str]:
    """Write the rows in a savepoint of their own; the ids (hex) the store took (named by
    PostgreSQL's upsert, RETURNING; on SQLite told by the stored versions, `_sqlite_in`)."""
    tbl = table(raw.name)
    with central.begin_nested():
        if central.dialect.name == "postgresql":
            return _copy_in(central, tbl, raw.columns, raw.rows)
        return _sqlite_in(central, tbl, raw.columns, raw.rows)


def _upsert_sql(name: str, columns: list[str], source: str) -> str:
    listed = ", ".join(columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    return (
        f"INSERT INTO {name} ({listed}) {source} "
        f"ON CONFLICT (id) DO UPDATE SET {updates} "
        f"WHERE {name}.row_version < excluded.row_version"
    )


def _sqlite_in(
    central: Connection, tbl: Table, columns: list[str], rows: list[Raw], all_new: bool = False
) -> set[str]:
    """Many rows to a statement; the rows it took are the ones the version guard lets
    through, worked out from the stored versions read just before (the write lock is held,
    so nothing changes between). With `all_new` nothing is read first: each statement must
    change as many rows as it holds (SQLite counts a row the upsert inserted or updated, not
    one its guard skipped; an id is in a batch once), else `Resent` is raised; reading the
    versions cost the central thread a statement and an index probe per row for rows that,
    in a push, are nearly always new. One statement per row (executemany) cost a statement
    journal per row, with its copy of every page the row touches (foreign keys and triggers
    need one): a third more CPU. `RETURNING id` named the rows taken too, but the driver
    steps once per row returned and lets go of the GIL at each step: while the push's
    reader thread worked, each step waited for the GIL again (up to the interpreter's 5 ms
    switch interval). Here each statement is one step, and the usual read of stored
    versions (new rows) returns nothing."""
    driver = central.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    per = max(
        1, min(SQLITE_ROWS, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
    )
    version = columns.index("row_version")
    row_marks = "(" + ", ".join("?" * len(columns)) + ")"
    taken: set[str] = set()
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        values = "VALUES " + ", ".join([row_marks] * len(part))
        upsert = _upsert_sql(tbl.name, columns, values)
        if all_new:
            if central.exec_driver_sql(upsert, tuple(chain(*part))).rowcount != len(part):
                raise Resent(tbl.name)
            taken.update(row[0] for row in part)
            continue
        ids = [row[0] for row in part]
        # Both statements through SQLAlchemy, so a failure is raised as the push expects
        # (REFUSALS, a lost connection); the versions straight from the driver's cursor.
        found = central.exec_driver_sql(
            f"SELECT id, row_version FROM {tbl.name} WHERE id IN ({', '.join('?' * len(ids))})",
            tuple(ids),
        )
        stored = dict(found.cursor.fetchall())
        found.close()
        central.exec_driver_sql(upsert, tuple(chain(*part)))
        taken.update(
            row[0] for row in part if (had := stored.get(row[0])) is None or had < row[version]
        )
    return taken


def _copy_in(central: Connection, tbl: Table, columns: list[str], rows: list[Raw]) -> set[str]:
    scratch = f"fd_in_{tbl.name}"
    central.exec_driver_sql(f"DROP TABLE IF EXISTS pg_temp.{scratch}")
    central.exec_driver_sql(
        f"CREATE TEMP TABLE {scratch} (LIKE {tbl.name} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    utc = [i for i, c in enumerate(columns) if isinstance(tbl.c[c].type, UTCDateTime)]
    listed = ", ".join(columns)
    driver = central.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    with driver.cursor() as cursor, cursor.copy(f"COPY {scratch} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(_zoned(row, utc) if utc else row)
    # The upsert reads the scratch rows in id order: a batch's sort in memory, not in
    # temporary files (the server's default work_mem holds a few thousand such rows).
    central.exec_driver_sql(f"SET LOCAL work_mem = '{SORT_MEM}'")
    taken = central.exec_driver_sql(
        _upsert_sql(tbl.name, columns, f"SELECT {listed} FROM {scratch} ORDER BY id")
        + " RETURNING id"
    )
    if taken.rowcount == len(rows):  # every row taken (new rows, the usual case): the
        return {row[0] for row in rows}  # ids need not come back as UUID objects
    return {row_id.hex for (row_id,) in taken}


def _zoned(row: Raw, utc: list[int]) -> list[object]:
    """SQLite keeps UTC without a zone; say so, or the server's zone applies."""
    cells = list(row)
    for i in utc:
        if cells[i] is not None:
            cells[i] = f"{cells[i]}+00"
    return cells
