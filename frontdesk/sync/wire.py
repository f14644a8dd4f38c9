"""The push's rows as the desk's SQLite stores them, written to the central store as they are.

Typing every value (UUIDs, timestamps, JSON) on the way out of SQLite and turning it back
into text on the way in cost more than the writes themselves. The stored text is already
what the central store accepts, once timestamps say they are UTC, so the common case moves
text; typed rows are loaded only for the few rows that need a closer look (a re-send, a
conflict, a refusal).

- PostgreSQL gets the rows by COPY into a scratch table and one INSERT ... SELECT ... ON
  CONFLICT ... RETURNING id, which names the rows it took.
- A SQLite central store first has the batch's stored versions read (the central
  transaction holds the write lock, so nothing changes them meanwhile), then the new or
  newer rows go in by one executemany of the same upsert.
- Rows not taken are sorted into harmless re-sends and conflicts.
- If the store refuses the set (a foreign key, a check, a closed day, row-level security),
  the rows are retried one by one, typed, so the bad one is set aside alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table

from db.types import UTCDateTime
from frontdesk.sync.apply import (
    CHUNK,
    REFUSALS,
    Outcome,
    Row,
    _one_by_one,
    _sort_missed,
    table,
)

Raw = tuple  # one row's stored values, in the table's column order
Loader = Callable[[list[str]], list[Row]]  # typed rows by id (hex), read from the desk


@dataclass(frozen=True)
class RawRows:
    name: str
    columns: list[str]
    rows: list[Raw]

    @property
    def ids(self) -> list[str]:
        return [r[0] for r in self.rows]


def read_raw(desk: Connection, name: str, ids: Sequence[str], site: str) -> RawRows:
    """The site's own rows among `ids`, as SQLite holds them (id first)."""
    tbl = table(name)
    columns = [c.name for c in tbl.columns]
    if columns[0] != "id":
        columns.remove("id")
        columns.insert(0, "id")
    listed = ", ".join(columns)
    rows: list[Raw] = []
    hexes = sorted(ids)
    for start in range(0, len(hexes), CHUNK):
        part = hexes[start : start + CHUNK]
        marks = ", ".join("?" * len(part))
        found = desk.exec_driver_sql(
            f"SELECT {listed} FROM {name} WHERE id IN ({marks}) AND site_code = ?",
            (*part, site),
        )
        rows.extend(tuple(r) for r in found.fetchall())
    rows.sort(key=lambda r: r[0])  # UUIDv7 order: creation order
    return RawRows(name, columns, rows)


def write_raw(central: Connection, raw: RawRows, load: Loader) -> Outcome:
    """Upsert the rows of one table in the caller's transaction (see the module notes)."""
    if not raw.rows:
        return Outcome()
    if central.dialect.name == "postgresql":
        fresh = raw.rows  # the upsert itself says (RETURNING) which ones it took
    else:
        versions = _stored_versions(central, raw)
        at = raw.columns.index("row_version")
        fresh = [r for r in raw.rows if versions.get(r[0], -1) < r[at]]
    try:
        with central.begin_nested():
            taken = _write(central, raw, fresh)
    except REFUSALS as exc:
        if exc.connection_invalidated:
            raise
        return _one_by_one(central, raw.name, load(raw.ids))
    outcome = Outcome(applied=len(taken))
    missed = [h for h in raw.ids if h not in taken]
    if missed:
        _sort_missed(central, raw.name, load(missed), outcome)
    return outcome


def _stored_versions(central: Connection, raw: RawRows) -> dict[str, int]:
    """Stored row versions by id (hex), read as SQLite keeps them."""
    found: dict[str, int] = {}
    ids = raw.ids
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(part))
        rows = central.exec_driver_sql(
            f"SELECT id, row_version FROM {raw.name} WHERE id IN ({marks})", tuple(part)
        )
        found.update((row_id, version) for row_id, version in rows)
    return found


def _write(central: Connection, raw: RawRows, rows: list[Raw]) -> set[str]:
    """Write the rows; the ids (hex) the store took."""
    if not rows:
        return set()
    tbl = table(raw.name)
    if central.dialect.name == "postgresql":
        return _copy_in(central, tbl, raw.columns, rows)
    _sqlite_in(central, tbl, raw.columns, rows)
    return {r[0] for r in rows}


def _upsert_sql(name: str, columns: list[str], source: str) -> str:
    listed = ", ".join(columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    return (
        f"INSERT INTO {name} ({listed}) {source} "
        f"ON CONFLICT (id) DO UPDATE SET {updates} "
        f"WHERE {name}.row_version < excluded.row_version"
    )


def _sqlite_in(central: Connection, tbl: Table, columns: list[str], rows: list[Raw]) -> None:
    marks = ", ".join("?" * len(columns))
    central.exec_driver_sql(_upsert_sql(tbl.name, columns, f"VALUES ({marks})"), rows)


def _copy_in(central: Connection, tbl: Table, columns: list[str], rows: list[Raw]) -> set[str]:
    scratch = f"fd_in_{tbl.name}"
    central.exec_driver_sql(f"DROP TABLE IF EXISTS pg_temp.{scratch}")
    central.exec_driver_sql(
        f"CREATE TEMP TABLE {scratch} (LIKE {tbl.name} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    utc = [i for i, c in enumerate(columns) if isinstance(tbl.c[c].type, UTCDateTime)]
    listed = ", ".join(columns)
    cursor = central.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {scratch} ({listed}) FROM STDIN") as copy:
        for row in rows:
            if utc:  # SQLite keeps UTC without a zone; say so, or the server's zone applies
                row = list(row)
                for i in utc:
                    if row[i] is not None:
                        row[i] += "+00"
            copy.write_row(row)
    taken = central.exec_driver_sql(
        _upsert_sql(tbl.name, columns, f"SELECT {listed} FROM {scratch} ORDER BY id")
        + " RETURNING id"
    )
    return {row_id.hex for (row_id,) in taken}
