"""Rebuilding a desk from the central store (`frontdesk restore`), for a desk PC that died.

The copy is read in one snapshot and written in one desk transaction. The new desk's
outbox continues after the site's central high-water mark, with that mark and the copy's
own entries acknowledged (the rows are central already), and the central store is re-bound
to the new database, so the old one, if it comes back, is refused instead of merged.

PIN hashes never leave a desk, so the rebuilt desk has none: each staff member signs in
with a one-time code from head office. Codes already used at the dead desk stay used (its
audit trail, restored with the rest, says which).
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    Engine,
    Integer,
    String,
    Table,
    Time,
    TypeDecorator,
    Uuid,
    func,
    select,
    text,
    update,
)
from sqlmodel import Session, col

from db import fresh_desk, job_keys, outbox, search_keys
from db.central import HQ_SITE, REFERENCE_TABLES, is_central
from db.central_seal import seal_central
from db.driver_sql import slots
from db.engine import make_engine
from db.errors import StoreError
from db.migrate import check_sqlite_file, current_revision, open_store
from db.models import (
    CentralChange,
    CentralInfo,
    DeskInfo,
    Outbox,
    SyncSite,
    SyncState,
    synced_tables,
)
from db.sealed import Opener
from db.types import DecimalText, UTCDateTime, new_id, utcnow
from frontdesk.errors import UserError
from frontdesk.services.auth import remember_used_resets
from frontdesk.services.personal_keys import new_desk_info, seal_people_in_place
from frontdesk.services.sealed_contacts import seal_in_place
from frontdesk.sync.apply import apply_order, table
from frontdesk.sync.link import SyncError, central_engine, check_schema, writer
from frontdesk.sync.wire import SORT_MEM

CHUNK = 2000  # rows read from PostgreSQL at a time, about
STATEMENT_ROWS = 1000  # rows written to SQLite a statement, at most
_MADE_FROM_PEOPLE = frozenset({"person_keys", "person_jobs"})  # search and dispatch keys
RESTORE_CACHE_KIB = 64 * 1024  # page cache of the restore's one connection


@dataclass(frozen=True)
class Restored:
    rows: int
    seconds: float
    high_water: int


def restore(url: str, site: str, path: Path, holder: tuple[str, str] | None = None) -> Restored:
    """Rebuild the site's desk at `path`. With a key holder's name and PIN (`holder`), the
    district's key unseals the people's numbers for the new desk's key; without, the rows
    the dead desk sealed stay masked."""
    site = site.strip().upper()
    if path.exists():
        raise UserError("restore.exists", path=str(path))
    started = time.perf_counter()
    source = central_engine(url)
    building = path.with_name(f".{path.name}.{secrets.token_hex(4)}.restoring")
    placed = False
    try:
        district = _district_opener(source, holder)
        check_sqlite_file(path)  # a missing or read-only folder, where open_store said so
        engine = _new_desk(building)
        try:

            def put_in_place() -> None:
                nonlocal placed
                engine.dispose()
                _put_in_place(building, path)
                placed = True

            high_water, rows = _copy(source, engine, site, district, put_in_place)
        finally:
            engine.dispose()
    except BaseException:
        for made in (building, path) if placed else (building,):
            for leftover in (made, Path(f"{made}-wal"), Path(f"{made}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    finally:
        source.dispose()
    return Restored(rows, time.perf_counter() - started, high_water)


def _new_desk(path: Path) -> Engine:
    """An empty desk file at the schema head: from the stored snapshot of what the
    migrations make (db/fresh_desk.py), or through the migrations if it is of another
    revision."""
    if not fresh_desk.current():
        return open_store(path)[0]
    fresh_desk.create(path)
    return make_engine(path)


def _put_in_place(building: Path, path: Path) -> None:
    """The built file, closed and in WAL, on disk for good, then under its name.

    It was written without syncing (`_building`): one sync of the whole file here, then
    the rename, then the folder's sync, so a crash at any point leaves either no desk at
    `path` or a complete one, and the central store is re-bound only after that.
    """
    with open(building, "r+b") as fh:
        os.fsync(fh.fileno())
    if path.exists():  # made by someone else meanwhile: never replaced
        raise UserError("restore.exists", path=str(path))
    os.replace(building, path)
    if os.name == "posix":  # the rename itself made durable (no folder handles elsewhere)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _district_opener(source: Engine, holder: tuple[str, str] | None) -> Opener | None:
    if holder is None:
        return None
    from sqlalchemy.exc import ProgrammingError

    from frontdesk.hq.accounts import sign_in
    from frontdesk.hq.district_keys import opener

    now = utcnow()
    try:
        return opener(source, sign_in(source, holder[0], holder[1], now), holder[1], now)
    except (ProgrammingError, StoreError) as exc:
        if isinstance(exc, StoreError) and exc.code != "write_refused":
            raise
        # A site's login may neither write head office's accounts nor read the slots.
        raise UserError("district_key.owner_url") from exc


def _copy(
    source: Engine,
    target: Engine,
    site: str,
    district: Opener | None = None,
    finish: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Read one central snapshot, write the desk, then bind the site to it centrally.

    The central transaction holds the site's row from the start, so the old desk cannot
    push in between. `finish` runs once the desk is committed and before the central store
    is re-bound (the caller puts the file in place); if the central commit fails, the
    caller removes the new file.
    """
    snapshot = writer(source)
    if source.dialect.name == "postgresql":
        snapshot = source.execution_options(isolation_level="REPEATABLE READ")
    with snapshot.connect() as src, src.begin():
        if not is_central(src):
            raise SyncError("sync.not_central")
        if src.dialect.name == "postgresql":
            # Each table is read in id order: with the default work_mem the sort of a
            # site's people (~55 MB as read) went out to temporary files and back.
            src.exec_driver_sql(f"SET LOCAL work_mem = '{SORT_MEM}'")
        check_schema(current_revision(src))
        query = select(SyncSite).where(col(SyncSite.site_code) == site)
        if src.dialect.name == "postgresql":
            query = query.with_for_update()
        mark = src.execute(query).first()
        if mark is None:
            raise SyncError("sync.site_unknown", site=site)
        cursor = src.execute(select(func.max(CentralChange.seq))).scalar_one() or 0
        database_uuid = new_id()
        # Receipts the dead desk issued after its last sync never reached the store: the
        # rebuilt desk numbers its receipts in a series of its own, never theirs.
        series = mark.receipt_series + 1
        attach = source.url.database if src.dialect.name == "sqlite" else None
        # A deferred BEGIN: an IMMEDIATE one would ask for the attached file's write lock
        # too, which `src` holds; nobody else knows the new file yet.
        with target.connect() as dst, _building(dst, attach), dst.begin():
            rows = _copy_rows(src, dst, site, mark.high_water_seq)
            keys = src.execute(
                select(col(CentralInfo.id_hash_key), col(CentralInfo.district_public_key))
            ).one()
            info = _start_desk(dst, site, mark, cursor, (database_uuid, series), keys)
            if district is not None:  # the dead desk's rows, through head office's key
                seal_central(dst, info.data_public_key, district, also=info.district_public_key)
            _check_references(dst)
        if finish is not None:
            finish()
        src.execute(
            update(SyncSite)
            .where(col(SyncSite.site_code) == site)
            .values(database_uuid=database_uuid, receipt_series=series)
        )
    return mark.high_water_seq, rows


@contextmanager
def _building(dst: Connection, central_file: str | None = None) -> Iterator[None]:
    """The new file is built with no rollback journal, no syncs and no per-row foreign-key
    lookups, then goes to WAL, a desk's mode. A central SQLite file is attached to it as
    `central` for the while (`_copy_table`).

    A file being built is never a desk: it has a name of its own until it is complete and
    synced (`_put_in_place`), and a failed restore deletes it, so what a journal or a sync
    per commit would protect does not exist yet; the ROLLBACK of a failed build is then
    undefined, and the file goes. Foreign keys are checked once over the whole file before
    the commit (`_check_references`), refusing what the per-row checks refused.
    """
    raw = dst.connection.driver_connection  # outside any transaction, as these must be
    for pragma in ("main.journal_mode = OFF", "main.synchronous = OFF", "foreign_keys = OFF"):
        raw.execute(f"PRAGMA {pragma}")  # type: ignore[union-attr]
    if central_file is not None:
        raw.execute("ATTACH DATABASE ? AS central", (central_file,))  # type: ignore[union-attr]
    yield  # a failure leaves it all as it is: the connection is closed and the file deleted
    if central_file is not None:
        raw.execute("DETACH DATABASE central")  # type: ignore[union-attr]
    for pragma in ("foreign_keys = ON", "main.synchronous = FULL", "main.journal_mode = WAL"):
        raw.execute(f"PRAGMA {pragma}")  # type: ignore[union-attr]


def _check_references(dst: Connection) -> None:
    """The foreign keys of the built file, a table at a time, as SQLite checked each row
    while they were on: a row whose parent is missing fails the restore, which names the
    table, the parent table and how many of its rows miss a parent.

    The search and dispatch keys are left out: their rows were made from the people rows
    of this file in this transaction (`person_id` is a `people.id` by construction), and at
    ~15 key rows a person they were most of the check's time.
    """
    tables = dst.exec_driver_sql(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).scalars()
    for name in [t for t in tables if t not in _MADE_FROM_PEOPLE]:
        orphans = dst.exec_driver_sql(f'PRAGMA main.foreign_key_check("{name}")').all()
        if orphans:
            # The central store's copy of the site is incomplete, not the new file damaged:
            # say which rows, so head office knows what to look for before trying again.
            raise UserError(
                "restore.missing_parent", table=name, parent=orphans[0][2], count=len(orphans)
            )


def _copy_rows(src: Connection, dst: Connection, site: str, high_water: int) -> int:
    # Outbox entries of the copy are numbered after the central mark and acknowledged at
    # once: every row keeps an entry for its version (`frontdesk check`), none is re-sent.
    dst.execute(
        text("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', :s)"), {"s": high_water}
    )
    # A desk keeps a small page cache; a rebuild writes every index of the site at once, and
    # with the desk's 512 KiB most of its time went on re-reading index pages.
    dst.exec_driver_sql(f"PRAGMA cache_size = -{RESTORE_CACHE_KIB}")
    tables = [table(name) for name in apply_order(synced_tables())]

    def copied_one(name: str) -> None:
        if name == "people":  # the keys are made from the people alone: now, see `_keys`
            _keys(dst)

    with _indexes_after(dst):
        if src.dialect.name == "sqlite":
            copied = 0
            for tbl in tables:
                copied += _copy_attached(dst, tbl, site)
                copied_one(tbl.name)
        else:
            copied = _copy_streamed(src, dst, tables, site, copied_one)
        dst.execute(update(Outbox).values(acked_at=utcnow()))
    remember_used_resets(dst)
    return copied


def _keys(dst: Connection) -> None:
    """The search and dispatch keys of the people just copied.

    The search keys' pinyin is Python's work, the dispatch keys' almost all SQLite's, which
    lets go of the GIL for a whole statement: the keys of every name are worked out in a
    thread while SQLite writes the dispatch keys, then written in one statement. From
    PostgreSQL this runs before the tables after `people` are written, while the reading
    thread fetches their rows (`_Prefetch`). Nothing here hands rows to or from the driver
    one at a time: each such handover of the GIL to a busy thread can wait for a switch
    interval (5 ms), so no `executemany` runs beside the thread.
    """
    names = dst.exec_driver_sql(
        "SELECT json_group_array(name) FROM (SELECT DISTINCT name FROM people)"
    ).scalar_one()
    with ThreadPoolExecutor(1, thread_name_prefix="restore-keys") as beside:
        ahead = beside.submit(search_keys.keys_by_name, json.loads(names))
        job_keys.load(dst)
        known = ahead.result()
    search_keys.load(dst, known)


@contextmanager
def _indexes_after(dst: Connection) -> Iterator[None]:
    """The new desk's plain (non-unique) indexes dropped for the load and built again from
    the loaded rows, in the same transaction: one sorted build per index instead of a
    random B-tree insert per row, which was most of a restore's writing. Unique indexes and
    primary keys stay (they refuse a duplicate as before, and foreign keys look parents up
    through them); nothing reads the dropped ones during the load, and a failure rolls the
    DROPs back with the rest."""
    plain = dst.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE %'"
    ).all()
    for name, _ in plain:
        dst.exec_driver_sql(f"DROP INDEX {name}")
    yield
    for _, ddl in plain:
        dst.exec_driver_sql(ddl)


def _owners(tbl: Table, site: str) -> tuple[str, ...]:
    return (HQ_SITE, site) if tbl.name in REFERENCE_TABLES else (site,)


def _copy_attached(dst: Connection, tbl: Table, site: str) -> int:
    """One table's rows of the site from a central SQLite file attached to the new one
    (`_building`): SQLite copies them itself, never handing them to Python. It is read in
    the snapshot of the source connection: that transaction holds the file's write lock, so
    nothing is committed there meanwhile."""
    listed = ", ".join(c.name for c in tbl.columns)
    owners = _owners(tbl, site)
    with outbox.appended_after(dst, tbl.name):
        return dst.exec_driver_sql(
            f"INSERT INTO main.{tbl.name} ({listed}) SELECT {listed} FROM central.{tbl.name} "
            f"WHERE site_code IN ({slots(dst, len(owners))}) ORDER BY id",
            owners,
        ).rowcount


@dataclass(frozen=True)
class _Plan:
    query: str
    owners: tuple[str, ...]
    chunk: int  # rows fetched at a time


def _copy_streamed(
    src: Connection,
    dst: Connection,
    tables: list[Table],
    site: str,
    copied_one: Callable[[str], None],
) -> int:
    """Every table's rows of the site from another store, through the drivers' own cursors.

    A restore moves every row the site ever wrote; SQLAlchemy's per-row work (result rows,
    parameter processing) was most of its time. PostgreSQL is asked for each column in the
    form a desk's SQLite stores it (`stored_form`), so rows go from one driver to the other
    untouched. The reading runs in a thread of its own (`_Prefetch`) a few chunks ahead of
    the writing: the server works out the next rows while SQLite writes these, where each
    side used to wait for the other. Many rows go to a statement: `executemany` let go of
    the GIL around every row's step and had to take it back from the reading thread each
    time, which holds it while it turns a whole chunk into tuples.
    """
    reads = [_read_list(tbl, src.dialect, dst.dialect) for tbl in tables]
    driver: Any = dst.connection.driver_connection
    bound = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = [max(1, min(STATEMENT_ROWS, bound // len(tbl.columns))) for tbl in tables]
    plans = [
        _Plan(
            f"SELECT {', '.join(sql for sql, _ in read)} FROM {tbl.name} "
            f"WHERE site_code IN ({slots(src, len(_owners(tbl, site)))}) ORDER BY id",
            _owners(tbl, site),
            n * max(1, CHUNK // n),  # whole statements to a chunk
        )
        for tbl, read, n in zip(tables, reads, per, strict=True)
    ]
    writer_cursor = driver.cursor()
    copied = 0
    try:
        with _Prefetch(src, plans) as chunks:
            for tbl, read, n in zip(tables, reads, per, strict=True):
                convert = [f for _, f in read] if any(f for _, f in read) else None
                head = f"INSERT INTO {tbl.name} ({', '.join(c.name for c in tbl.columns)}) VALUES "
                marks = "(" + ", ".join("?" * len(tbl.columns)) + ")"
                with outbox.appended_after(dst, tbl.name):
                    for rows in chunks.table():
                        if convert is not None:
                            rows = [_converted(convert, row) for row in rows]
                        for start in range(0, len(rows), n):
                            part = rows[start : start + n]
                            writer_cursor.execute(
                                head + ", ".join([marks] * len(part)),
                                tuple(chain.from_iterable(part)),
                            )
                        copied += len(rows)
                copied_one(tbl.name)
    finally:
        writer_cursor.close()
    return copied


class _Prefetch:
    """The tables' rows read in a thread, in order, CHUNK rows at a time, at most AHEAD
    chunks ahead of the writer. The thread only waits on the server and turns its rows
    into tuples; the writer's SQLite steps let go of the GIL, so the two overlap.

    Used as a context manager: leaving it (done or failed) stops the thread and waits for
    it, so nothing reads from the source connection afterwards; a failure of the reading
    is raised in the writer, at the chunk where it happened.
    """

    AHEAD = 12  # chunks: read on while the people's keys are made (`_keys`)

    def __init__(self, src: Connection, plans: list[_Plan]) -> None:
        self._raw = src.connection.driver_connection
        self._plans = plans
        self._queue: queue.Queue[Any] = queue.Queue(self.AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="restore-read", daemon=True)

    def __enter__(self) -> _Prefetch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():  # a reader blocked on a full queue sees the stop
            with suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()

    def table(self) -> Iterator[list[tuple[Any, ...]]]:
        """The next table's chunks, until its end."""
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            for plan in self._plans:
                reader = self._raw.cursor(name="restore")  # type: ignore[union-attr]
                try:
                    reader.execute(plan.query, plan.owners)
                    while rows := reader.fetchmany(plan.chunk):
                        if not self._put(rows):
                            return
                finally:
                    reader.close()
                if not self._put(_END):
                    return
        except BaseException as exc:  # handed to the writer, which raises it
            self._put(exc)


_END = object()  # a table's last chunk was read


def _converted(convert: list[Any], row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(f(v) if f else v for f, v in zip(convert, row, strict=True))


def _read_list(tbl: Table, source: Dialect, target: Dialect) -> list[tuple[str, Any]]:
    """Per column, what the SELECT reads and what Python still does to it (None: nothing).

    Same dialect: the stored form as it is. PostgreSQL into SQLite: the server writes the
    stored form (`stored_form`), which cost a fifth of what converting each value in Python
    did; a type it has no spelling for goes through the ORM's own conversions.
    """
    if source.name == target.name:
        return [(c.name, None) for c in tbl.columns]
    read: list[tuple[str, Any]] = []
    for column in tbl.columns:
        sql = stored_form(column) if source.name == "postgresql" else None
        read.append((sql, None) if sql else (column.name, _conversion(column, source, target)))
    return read


def stored_form(column: Column) -> str | None:
    """PostgreSQL SQL for a column's value as a desk's SQLite stores it (None: no spelling
    here). The forms are those of SQLAlchemy's SQLite types: UUIDs as 32 hex digits,
    timestamps (UTC) and times with six fractional digits, JSON as the text that was sent
    (PostgreSQL's json type keeps it as given)."""
    kind = column.type
    name = column.name
    if isinstance(kind, TypeDecorator) and not isinstance(kind, UTCDateTime | DecimalText):
        return None  # its own Python conversion
    if isinstance(kind, UTCDateTime):
        return f"to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    if isinstance(kind, Uuid):  # its 16 bytes in hex: a third cheaper than its text less "-"
        return f"encode(uuid_send({name}), 'hex')"
    if isinstance(kind, JSON):
        return f"{name}::text"
    if isinstance(kind, DateTime):
        return None  # a naive timestamp: not used by synced tables, left to Python
    if isinstance(kind, Date):
        return f"to_char({name}, 'YYYY-MM-DD')"
    if isinstance(kind, Time):
        return f"to_char({name}, 'HH24:MI:SS.US')"
    if isinstance(kind, String | Integer | Boolean | DecimalText):
        return name  # the same value in both stores (booleans as 0/1 by the driver)
    return None


def _conversion(column: Column, source: Dialect, target: Dialect) -> Any:
    """The ORM's way: the source's result processing, then the target's binding."""
    parts = [
        p
        for p in (column.type.result_processor(source, None), _bind_processor(column, target))
        if p is not None
    ]
    return _chain(parts) if parts else None


def _bind_processor(column: Any, target: Dialect) -> Any:
    """The column's own processor, else its type's form for the target dialect: a generic
    TIME has none of its own, and the SQLite driver takes no `datetime.time` (a session's
    meeting hours, a gig order's shift)."""
    own = column.type.bind_processor(target)
    return own if own is not None else column.type.dialect_impl(target).bind_processor(target)


def _chain(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    first, second = parts
    return lambda value: second(first(value))


def _start_desk(dst: Connection, site: str, mark, cursor: int, identity, keys) -> DeskInfo:
    """The desk's own rows: its identity (database UUID, receipt series) and sync state."""
    database_uuid, series = identity
    key, district = keys
    key = key or mark.id_hash_key or secrets.token_hex(32)
    # A new key pair: the rows the dead desk sealed stay sealed to its key unless a key
    # holder brings the district's key (`_copy`); plain rows the central store holds from
    # before it was sealed are sealed to the new key, keeping their versions.
    info = new_desk_info(
        site_code=site,
        database_uuid=database_uuid,
        id_hash_key=key,
        receipt_series=series,
        district_public_key=district or "",
    )
    seal_people_in_place(dst, info.data_public_key, info.district_public_key)
    seal_in_place(dst, info.data_public_key, key, info.district_public_key)
    with Session(bind=dst) as s:
        s.add(info)
        s.add(
            SyncState(
                last_acked_seq=mark.high_water_seq,
                acked_digest=mark.high_water_digest,
                pull_cursor=str(cursor),
            )
        )
        s.flush()
        return info
