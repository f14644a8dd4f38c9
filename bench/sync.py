"""Sync benchmark: push 100,000 rows to PostgreSQL and to a central SQLite file.

1. Fill: one master desk in a temporary directory (`init_desk`), then realistic people made
   and saved exactly as bench/search.py does (`PeopleMaker`, `validate` + `new_person`, 2,000
   per transaction), until the outbox holds at least N entries of rows the desk will send
   (each person writes a `people` row and an `audit_log` row; the manager's `staff` row and
   the `desk_init` audit row come with `init_desk`). The master is then copied (SQLite backup
   API) once per target, so each push starts from an identical desk that never synced.
2. PostgreSQL: a database made for the run (`init_central`, `add_site`), and the desk syncs
   with the site's own URL, i.e. as the site's login role under row-level security, as in
   production. Timed: one `sync_once` as a whole (handshake, the push in batches of outbox
   entries, the pull of the reference catalogue, the quarantine list), so rows/s is rows
   sent over the whole round. Then the baseline, same run, same server, same rows: the
   rows the desk sent, read from the desk and converted to driver values before the clock
   starts, `executemany` of an `INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE row_version
   < excluded.row_version` per table into `raw_<table>` (`LIKE <table> INCLUDING ALL`) in the
   same database as the postgres admin user, one transaction and its COMMIT; and, as the
   physical limit, COPY of the same rows into `copy_<table>` (also `LIKE <table> INCLUDING
   ALL`), one transaction (`raw_copy_rows_per_s`).
3. Central SQLite file: the same with `init_central` on a file; the baseline is plain
   sqlite3 on a separate file with the central file's CREATE TABLE/INDEX statements (no
   triggers), the desk's pragmas (WAL, synchronous=FULL; foreign keys off) and the values
   as SQLite stores them, `executemany` of the same upsert in one transaction.
4. Restore: `restore(site URL, site, new path)` of the desk from PostgreSQL, then from the
   central SQLite file, each timed whole (making the new file from the stored head schema,
   every row, the search and dispatch indexes, the foreign-key check, the sync and rename
   of the file, the central re-binding). Baseline: reading the same rows from the same
   store alone, through the driver (every synced table's rows of the site), no writing.

After each push the central row counts of the site must equal the desk's, nothing may be
quarantined and nothing left pending; after the restore the people must all be there.
Otherwise the run fails (exit 2).

    .venv/bin/python bench/sync.py                  # 100,000 rows, readable table
    .venv/bin/python bench/sync.py --json           # one JSON object on stdout
    .venv/bin/python bench/sync.py --rows 5000 --keep /tmp/sync5k --pg postgresql://...

Budget, for each push: rows/s >= 40% of the raw rate and >= 20,000 rows/s. Exit status: 0
within budget, 1 over it, 2 when a part fails to run (PostgreSQL unreachable included).
Progress goes to stderr, so stdout holds only the table or the JSON object.
"""

from __future__ import annotations

import argparse
import math
import random
import sqlite3
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # `python bench/sync.py` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402  (needs the project on sys.path first)
    BenchError,
    bench_dir,
    desk_options,
    log,
    pg_option,
    run_and_print,
)
from bench.search import (  # noqa: E402
    PIN,
    SITE,
    SITE_NAME,
    PeopleMaker,
    fill,
    make_desk,
)

RATIO_BUDGET = 0.40
RATE_BUDGET = 20_000.0
ROWS_PER_PERSON = 2  # a people row and its audit_log row
PRAGMAS = (  # as db/engine.py sets them on every SQLite connection (foreign keys: see above)
    "busy_timeout = 5000",
    "foreign_keys = OFF",
    "journal_mode = WAL",
    "synchronous = FULL",
    "cache_size = -512",
)
JSON_KEYS = (
    "rows",
    "pg_rows_per_s",
    "raw_pg_rows_per_s",
    "pg_ratio",
    "raw_copy_rows_per_s",
    "sqlite_rows_per_s",
    "raw_sqlite_rows_per_s",
    "sqlite_ratio",
    "restore_s",
    "restore_rows_per_s",
    "restore_read_rows_per_s",
    "sqlite_restore_rows_per_s",
    "sqlite_restore_read_rows_per_s",
    "restore_ratio",
    "sqlite_restore_ratio",
)


# --- the master desk ------------------------------------------------------------------------


@dataclass
class Master:
    path: Path
    rows: dict[str, int]  # rows of the site the desk will send, per table
    entries: int  # outbox entries naming them
    people: int
    fill_s: float

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def outgoing(path: Path) -> tuple[dict[str, int], int]:
    """Rows of the site in every synced table, and the unacknowledged outbox entries of them."""
    from db.models import synced_tables

    rows: dict[str, int] = {}
    entries = 0
    conn = sqlite3.connect(path)
    try:
        for name in synced_tables():
            found = conn.execute(
                f"SELECT count(*) FROM {name} WHERE site_code = ?", (SITE,)
            ).fetchone()[0]
            if found:
                rows[name] = found
                entries += conn.execute(
                    f"SELECT count(*) FROM outbox o JOIN {name} r ON r.id = o.row_id "
                    "WHERE o.table_name = ? AND r.site_code = ? AND o.acked_at IS NULL",
                    (name, SITE),
                ).fetchone()[0]
    finally:
        conn.close()
    return rows, entries


def build_master(root: Path, wanted: int, seed: int) -> Master:
    from frontdesk.domain.clock import business_date

    desk = make_desk(root)
    maker = PeopleMaker(random.Random(seed + 1), business_date(datetime.now(UTC)))
    fill_s = 0.0
    try:
        rows, entries = outgoing(desk.path)
        while entries < wanted:
            people = max(1, math.ceil((wanted - entries) / ROWS_PER_PERSON))
            log(f"fill: {people:,} people for {wanted - entries:,} more outbox entries")
            took, _ = fill(desk, maker, people)
            fill_s += took
            rows, entries = outgoing(desk.path)
    finally:
        desk.engine.dispose()
    log(f"master desk: {entries:,} outbox entries to send, rows {rows}")
    return Master(desk.path, rows, entries, maker.made, fill_s)


def copy_of(master: Master, name: str) -> Path:
    """An identical, never-synced desk (SQLite backup API: the WAL is included)."""
    from db.migrate import backup_sqlite

    return backup_sqlite(master.path, master.path.with_name(name))


# --- timing one sync ------------------------------------------------------------------------


@dataclass
class Push:
    target: str
    seconds: float
    sent: int
    entries: int
    batches: int
    applied: int
    phases: dict[str, float] = field(default_factory=dict)
    adopt_s: float = 0.0  # re-hashing the people with the district key, before the push

    @property
    def rate(self) -> float:
        return self.sent / self.seconds


class Stopwatch:
    """The push's own step hook (frontdesk.sync.push), used to see where a round's time goes.

    Per batch: "read" once its rows are read, "begun" once the central transaction holds
    the site's row, "applied" after the upserts and the high-water mark, "committed" after
    the central COMMIT, then "acknowledged" when the desk has marked the batch before as
    sent (the desk's reading and acknowledging run beside the central work: only the time
    the push waits for them shows here), and once more for the last batch at the end,
    after "checkpointed" on a central SQLite file (its one checkpoint, after the last
    batch, while the desk acknowledges that batch).
    """

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def __call__(self, step: str) -> None:
        self.marks.append((step, time.perf_counter()))

    def phases(self, start: float, end: float) -> dict[str, float]:
        spans: dict[str, float] = defaultdict(float)
        waited_rows = "desk: next batch's rows, as far as waited for"
        waited_ack = "desk: acknowledgements, as far as waited for"
        names = {
            ("acknowledged", "read"): waited_rows,
            ("committed", "read"): waited_rows,
            ("read", "begun"): "central: BEGIN + lock site",
            ("begun", "applied"): "central: upserts + high-water mark",
            ("applied", "committed"): "central: COMMIT",
            ("committed", "acknowledged"): waited_ack,
            ("acknowledged", "checkpointed"): "central: checkpoint after the push (SQLite)",
            ("checkpointed", "acknowledged"): waited_ack,
            ("acknowledged", "acknowledged"): waited_ack,
        }
        for (a, at), (b, bt) in zip(self.marks, self.marks[1:], strict=False):
            if (a, b) in names:
                spans[names[(a, b)]] += bt - at
        spans["rest: handshake, first entries, pull, quarantine"] = (end - start) - sum(
            spans.values()
        )
        return dict(spans)


def timed_sync(desk_path: Path, url: str, target: str) -> Push:
    from sqlalchemy import text

    from frontdesk.services.desk import open_desk_for
    from frontdesk.sync.runner import Central, sync_once

    engine = open_desk_for(desk_path, SITE).engine
    central = Central(url)
    try:
        with engine.connect() as conn:  # connect, pragmas, schema: not part of a sync
            conn.execute(text("SELECT 1")).scalar()
        adopt_s = adopt_district_key(engine, central)
        watch = Stopwatch()
        start = time.perf_counter()
        report = sync_once(engine, central, hook=watch)
        end = time.perf_counter()
    finally:
        central.dispose()
        engine.dispose()
    push = report.push
    if push.quarantined or report.rejects:
        raise BenchError(f"{target}: {push.quarantined} rows quarantined, {report.rejects} listed")
    if report.pending:
        raise BenchError(f"{target}: {report.pending} outbox entries still pending after sync")
    return Push(
        target,
        end - start,
        push.sent,
        push.entries,
        push.batches,
        push.applied,
        watch.phases(start, end),
        adopt_s,
    )


def adopt_district_key(engine, central) -> float:
    """A desk's first sync re-hashes its people with the district's ID-hash key, once in its
    life. Done and timed here on its own, so the push rate is the push's."""
    from sqlalchemy import select

    from db.models import CentralInfo, Staff
    from frontdesk.services import personal_keys
    from frontdesk.sync.district_key import adopt

    with central.engine.connect() as conn:
        key = conn.execute(select(CentralInfo.id_hash_key)).scalar_one()
    with engine.connect() as conn:
        manager = conn.execute(select(Staff.id).where(Staff.role == "manager")).scalar_one()
    # The re-hash reads the sealed ID numbers: it runs with the desk's key held, as in the
    # TUI's background sync with someone signed in (the slot opened directly: a sign-in's
    # audit row would be one more row to push than the master desk holds).
    opener = personal_keys.open_with_pin(engine, manager, PIN)
    assert opener is not None  # init gave the manager's slot the key
    personal_keys.hold(engine, opener)
    start = time.perf_counter()
    adopt(engine, SITE, key)
    return time.perf_counter() - start


def check_counts(target: str, master: Master, central: dict[str, int], push: Push) -> None:
    """The central store must hold every row of the site that the desk holds."""
    if central != master.rows:
        raise BenchError(f"{target}: central holds {central}, the desk {master.rows}")
    if push.sent != master.total or push.applied != master.total:
        raise BenchError(
            f"{target}: sent {push.sent:,} and applied {push.applied:,} of {master.total:,} rows"
        )


# --- PostgreSQL -----------------------------------------------------------------------------


class PgRun:
    """A database made for this run on the admin URL's server, and its roles, dropped after."""

    def __init__(self, admin_url: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(admin_url)
        if url.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise BenchError(f"--pg {admin_url!r}: not a postgresql:// URL")
        url = url.set(drivername="postgresql")
        shown = url.render_as_string(hide_password=True)
        try:
            self.admin = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
            )
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BenchError(
                f"PostgreSQL unreachable at {shown}: {first} (start it, or give --pg URL or "
                "FRONTDESK_TEST_PG with an admin user that may create databases and roles)"
            ) from exc
        self.name = f"fd_bench_{uuid.uuid4().hex[:12]}"
        self.url = url.set(database=self.name).render_as_string(hide_password=False)
        try:
            self.server = self.admin.execute("SHOW server_version").fetchone()[0]
            self.admin.execute(f'CREATE DATABASE "{self.name}"')
        except psycopg.Error as exc:
            self.admin.close()
            raise BenchError(f"cannot create a database at {shown}: {exc}") from exc
        log(f"PostgreSQL {self.server}: database {self.name}")

    def counts(self, tables: list[str]) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.url) as conn:
            return {
                name: conn.execute(
                    f"SELECT count(*) FROM {name} WHERE site_code = %s", (SITE,)
                ).fetchone()[0]
                for name in tables
            }

    def drop(self) -> None:
        try:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            # Roles are cluster-wide: drop the ones the central store made for this database.
            for (role,) in self.admin.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (self.name + "\\_%",)
            ).fetchall():
                self.admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        finally:
            self.admin.close()


Values = dict[str, tuple[list[str], list[tuple]]]  # table -> its columns and rows


def pg_values(master: Master) -> Values:
    """The rows the desk sends, as psycopg takes them: uuid.UUID, aware datetimes, Json."""
    from psycopg.types.json import Json
    from sqlalchemy import JSON, select
    from sqlalchemy.dialects import postgresql

    from db.engine import make_engine
    from frontdesk.sync.apply import apply_order, table

    dialect = postgresql.psycopg.dialect()
    engine = make_engine(master.path)
    out: Values = {}
    try:
        with engine.connect() as conn:
            for name in apply_order(master.rows):
                tbl = table(name)
                convert = []
                for col in tbl.columns:
                    if isinstance(col.type, JSON):
                        convert.append(lambda v: None if v is None else Json(v))
                    elif _decorates(col.type):
                        convert.append(lambda v, t=col.type: t.process_bind_param(v, dialect))
                    else:
                        convert.append(None)
                rows = [
                    tuple(v if f is None else f(v) for f, v in zip(convert, row, strict=True))
                    for row in conn.execute(select(tbl).where(tbl.c.site_code == SITE))
                ]
                out[name] = ([c.name for c in tbl.columns], rows)
    finally:
        engine.dispose()
    return out


def _decorates(kind) -> bool:
    """A TypeDecorator of ours that changes values on the way in (UTCDateTime, DecimalText)."""
    from sqlalchemy.types import TypeDecorator

    return (
        isinstance(kind, TypeDecorator)
        and type(kind).process_bind_param is not TypeDecorator.process_bind_param
    )


def upsert_sql(name: str, columns: list[str], mark: str) -> str:
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    return (
        f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))}) "
        f"ON CONFLICT (id) DO UPDATE SET {sets} WHERE {name}.row_version < excluded.row_version"
    )


def raw_pg(pg: PgRun, values: Values) -> tuple[float, int]:
    """executemany of the upsert per table, one transaction, as the admin user; seconds."""

    def load(cur: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
        cur.executemany(upsert_sql(table, columns, "%s"), rows)

    return _raw_load(pg, values, "raw", load)


def raw_copy(pg: PgRun, values: Values) -> tuple[float, int]:
    """COPY of the same rows into empty `copy_<table>` tables (`LIKE <table> INCLUDING
    ALL`: the same indexes), one transaction, as the admin user: what the server and the
    driver take at least to store these rows; seconds."""

    def load(cur: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    return _raw_load(pg, values, "copy", load)


def _raw_load(
    pg: PgRun, values: Values, prefix: str, load: Callable[[Any, str, list[str], list[tuple]], None]
) -> tuple[float, int]:
    """`load` into empty `<prefix>_<table>` tables made like the real ones, timed over one
    transaction as the admin user; the seconds taken and the rows stored."""
    import psycopg

    with psycopg.connect(pg.url, autocommit=True) as conn:
        for name in values:
            conn.execute(f"CREATE TABLE {prefix}_{name} (LIKE {name} INCLUDING ALL)")
    conn = psycopg.connect(pg.url)
    try:
        conn.execute("SELECT 1").fetchone()
        conn.rollback()
        start = time.perf_counter()
        with conn.cursor() as cur:
            for name, (columns, rows) in values.items():
                load(cur, f"{prefix}_{name}", columns, rows)
        conn.commit()
        took = time.perf_counter() - start
        stored = sum(
            conn.execute(f"SELECT count(*) FROM {prefix}_{name}").fetchone()[0] for name in values
        )
    finally:
        conn.close()
    return took, stored


# --- central SQLite file --------------------------------------------------------------------


def sqlite_counts(path: Path, tables: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            name: conn.execute(
                f"SELECT count(*) FROM {name} WHERE site_code = ?", (SITE,)
            ).fetchone()[0]
            for name in tables
        }
    finally:
        conn.close()


def raw_sqlite(master: Master, central: Path, path: Path) -> tuple[float, int]:
    """sqlite3 executemany of the upsert into a file with the central DDL; seconds."""
    from frontdesk.sync.apply import apply_order

    names = apply_order(master.rows)
    src = sqlite3.connect(central)
    marks = ", ".join("?" * len(names))
    ddl = [
        sql
        for (sql,) in src.execute(
            f"SELECT sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
            "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC, name",
            names,
        )
    ]
    src.close()
    desk = sqlite3.connect(master.path)
    values: Values = {}
    for name in names:  # as SQLite stores them: hex ids, datetime text, JSON text
        columns = [r[1] for r in desk.execute(f"PRAGMA table_info({name})")]
        rows = desk.execute(
            f"SELECT {', '.join(columns)} FROM {name} WHERE site_code = ?", (SITE,)
        ).fetchall()
        values[name] = (columns, rows)
    desk.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        for sql in ddl:  # tables first, then their indexes (no triggers: a raw upsert)
            conn.execute(sql)
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for name, (columns, rows) in values.items():
            conn.executemany(upsert_sql(name, columns, "?"), rows)
        conn.execute("COMMIT")
        took = time.perf_counter() - start
        stored = sum(conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in names)
    finally:
        conn.close()
    return took, stored


# --- restore --------------------------------------------------------------------------------


@dataclass
class Restore:
    rows: int
    seconds: float
    people: int


def timed_read(url: str) -> float:
    """Seconds to read every row a restore of the site reads, through the driver alone."""
    from db.central import HQ_SITE, REFERENCE_TABLES
    from db.driver_sql import slots
    from db.models import synced_tables
    from frontdesk.sync.apply import apply_order
    from frontdesk.sync.link import central_engine

    engine = central_engine(url)
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            start = time.perf_counter()
            for name in apply_order(synced_tables()):
                owners = (HQ_SITE, SITE) if name in REFERENCE_TABLES else (SITE,)
                cur = raw.cursor()  # type: ignore[union-attr]
                cur.execute(
                    f"SELECT * FROM {name} WHERE site_code IN ({slots(conn, len(owners))})",
                    owners,
                )
                cur.fetchall()
                cur.close()
            return time.perf_counter() - start
    finally:
        engine.dispose()


def timed_restore(url: str, path: Path) -> Restore:
    from frontdesk.sync.restore import restore

    start = time.perf_counter()
    done = restore(url, SITE, path)
    took = time.perf_counter() - start
    conn = sqlite3.connect(path)
    try:
        people = conn.execute("SELECT count(*) FROM people WHERE site_code = ?", (SITE,)).fetchone()
    finally:
        conn.close()
    return Restore(done.rows, took, people[0])


# --- the run --------------------------------------------------------------------------------


@dataclass
class Results:
    master: Master
    pg: Push
    raw_pg_s: float
    sqlite: Push
    raw_sqlite_s: float
    restored: Restore
    pg_server: str
    pg_read_s: float = 0.0
    sqlite_restored: Restore | None = None
    sqlite_read_s: float = 0.0
    raw_copy_s: float = 0.0

    @property
    def raw_copy_rate(self) -> float:
        return self.master.total / self.raw_copy_s

    @property
    def raw_pg_rate(self) -> float:
        return self.master.total / self.raw_pg_s

    @property
    def raw_sqlite_rate(self) -> float:
        return self.master.total / self.raw_sqlite_s

    @property
    def _sq_restore(self) -> Restore:
        assert self.sqlite_restored is not None
        return self.sqlite_restored

    def verdicts(self) -> dict[str, bool]:
        return {
            "pg": self.pg.rate >= RATE_BUDGET and self.pg.rate / self.raw_pg_rate >= RATIO_BUDGET,
            "sqlite": self.sqlite.rate >= RATE_BUDGET
            and self.sqlite.rate / self.raw_sqlite_rate >= RATIO_BUDGET,
        }

    def summary(self) -> dict[str, Any]:
        result = {
            "rows": self.pg.sent,
            "pg_rows_per_s": round(self.pg.rate),
            "raw_pg_rows_per_s": round(self.raw_pg_rate),
            "pg_ratio": round(self.pg.rate / self.raw_pg_rate, 3),
            "raw_copy_rows_per_s": round(self.raw_copy_rate),
            "sqlite_rows_per_s": round(self.sqlite.rate),
            "raw_sqlite_rows_per_s": round(self.raw_sqlite_rate),
            "sqlite_ratio": round(self.sqlite.rate / self.raw_sqlite_rate, 3),
            "restore_s": round(self.restored.seconds, 3),
            "restore_rows_per_s": round(self.restored.rows / self.restored.seconds),
            "restore_read_rows_per_s": round(self.restored.rows / self.pg_read_s),
            "sqlite_restore_rows_per_s": round(self._sq_restore.rows / self._sq_restore.seconds),
            "sqlite_restore_read_rows_per_s": round(self._sq_restore.rows / self.sqlite_read_s),
            "restore_ratio": round(self.pg_read_s / self.restored.seconds, 3),
            "sqlite_restore_ratio": round(self.sqlite_read_s / self._sq_restore.seconds, 3),
        }
        assert tuple(result) == JSON_KEYS
        verdicts = self.verdicts()
        result.update(
            {
                "pg_s": round(self.pg.seconds, 3),
                "raw_pg_s": round(self.raw_pg_s, 3),
                "raw_copy_s": round(self.raw_copy_s, 3),
                "sqlite_s": round(self.sqlite.seconds, 3),
                "raw_sqlite_s": round(self.raw_sqlite_s, 3),
                "pg_adopt_key_s": round(self.pg.adopt_s, 3),
                "sqlite_adopt_key_s": round(self.sqlite.adopt_s, 3),
                "outbox_entries": self.pg.entries,
                "batches": self.pg.batches,
                "restore_rows": self.restored.rows,
                "pg_within_budget": verdicts["pg"],
                "sqlite_within_budget": verdicts["sqlite"],
                "within_budget": all(verdicts.values()),
            }
        )
        return result


def benchmark(args: argparse.Namespace) -> Results:
    pg = PgRun(args.pg)  # before the fill: an unreachable server is reported at once
    try:
        with bench_dir(args.keep, "frontdesk-bench-sync-") as root:
            return _run(root, pg, args)
    finally:
        pg.drop()
        log(f"dropped database {pg.name} and its roles")


def _run(root: Path, pg: PgRun, args: argparse.Namespace) -> Results:
    from frontdesk.sync.admin import add_site, init_central

    log(f"desks in {root}")
    master = _part("fill", build_master, root, args.rows, args.seed)
    tables = list(master.rows)

    log("PostgreSQL: central store, site role, push")
    _part("PostgreSQL central store", init_central, pg.url)
    site_url = _part("PostgreSQL add-site", add_site, pg.url, SITE, SITE_NAME).url
    pg_push = _part(
        "PostgreSQL push", timed_sync, copy_of(master, "desk-pg.sqlite3"), site_url, "PostgreSQL"
    )
    check_counts("PostgreSQL", master, pg.counts(tables), pg_push)
    log(f"  {pg_push.sent:,} rows in {pg_push.seconds:.2f} s, {pg_push.rate:,.0f} rows/s")
    values = pg_values(master)
    raw_pg_s, stored = _part("raw PostgreSQL", raw_pg, pg, values)
    if stored != master.total:
        raise BenchError(f"raw PostgreSQL upsert stored {stored:,} of {master.total:,} rows")
    log(f"  raw executemany: {master.total / raw_pg_s:,.0f} rows/s")
    raw_copy_s, stored = _part("raw PostgreSQL COPY", raw_copy, pg, values)
    if stored != master.total:
        raise BenchError(f"raw PostgreSQL COPY stored {stored:,} of {master.total:,} rows")
    log(f"  raw COPY: {master.total / raw_copy_s:,.0f} rows/s")

    log("central SQLite file: push")
    central_file = root / "central.sqlite3"
    _part("SQLite central store", init_central, str(central_file))
    _part("SQLite add-site", add_site, str(central_file), SITE, SITE_NAME)
    sq_push = _part(
        "SQLite push",
        timed_sync,
        copy_of(master, "desk-sqlite.sqlite3"),
        str(central_file),
        "SQLite",
    )
    check_counts("SQLite", master, sqlite_counts(central_file, tables), sq_push)
    log(f"  {sq_push.sent:,} rows in {sq_push.seconds:.2f} s, {sq_push.rate:,.0f} rows/s")
    raw_sq_s, stored = _part("raw SQLite", raw_sqlite, master, central_file, root / "raw.sqlite3")
    if stored != master.total:
        raise BenchError(f"raw SQLite upsert stored {stored:,} of {master.total:,} rows")
    log(f"  raw executemany: {master.total / raw_sq_s:,.0f} rows/s")

    restores = {}
    for label, url, file in (
        ("PostgreSQL", site_url, "restored.sqlite3"),
        ("SQLite", str(central_file), "restored-from-sqlite.sqlite3"),
    ):
        log(f"restore from {label}")
        restored = _part(f"restore from {label}", timed_restore, url, root / file)
        if restored.people != master.rows.get("people", 0):
            raise BenchError(
                f"restore: {restored.people:,} people, the desk had "
                f"{master.rows.get('people', 0):,}"
            )
        read_s = _part(f"read from {label}", timed_read, url)
        log(f"  {restored.rows:,} rows in {restored.seconds:.2f} s (reading alone {read_s:.2f} s)")
        restores[label] = (restored, read_s)
    (pg_restored, pg_read_s), (sq_restored, sq_read_s) = restores["PostgreSQL"], restores["SQLite"]
    return Results(
        master,
        pg_push,
        raw_pg_s,
        sq_push,
        raw_sq_s,
        pg_restored,
        pg.server,
        pg_read_s,
        sq_restored,
        sq_read_s,
        raw_copy_s,
    )


def _part(name: str, func, *args):
    """Run one part; a failure of the code under test is a failed part (exit 2)."""
    from frontdesk.errors import describe

    try:
        return func(*args)
    except BenchError:
        raise
    except Exception as exc:
        raise BenchError(f"{name} failed: {type(exc).__name__}: {describe(exc)}") from exc


# --- report ---------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_table(r: Results) -> None:
    import psycopg
    import sqlalchemy

    m = r.master
    parts = ", ".join(f"{name} {count:,}" for name, count in m.rows.items())
    print(f"Sync of {r.pg.sent:,} rows ({parts}) from a desk that never synced")
    print(
        f"(Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, PostgreSQL "
        f"{r.pg_server}, SQLAlchemy {sqlalchemy.__version__}, psycopg {psycopg.__version__}; "
        f"{m.people:,} people filled in {m.fill_s:.0f} s)"
    )
    print(f"{'':38}{'rows':>9}{'seconds':>9}{'rows/s':>9}{'raw rows/s':>12}{'ratio':>7}")
    for push, raw_rate, label in (
        (r.pg, r.raw_pg_rate, "sync_once to PostgreSQL (site role)"),
        (r.sqlite, r.raw_sqlite_rate, "sync_once to a central SQLite file"),
    ):
        print(
            f"{label:38}{push.sent:>9,}{push.seconds:>9.2f}{push.rate:>9,.0f}"
            f"{raw_rate:>12,.0f}{push.rate / raw_rate:>7.2f}"
        )
    for label, done, read_s in (
        ("restore from PostgreSQL", r.restored, r.pg_read_s),
        ("restore from a central SQLite file", r._sq_restore, r.sqlite_read_s),
    ):
        print(
            f"{label:38}{done.rows:>9,}{done.seconds:>9.2f}{done.rows / done.seconds:>9,.0f}"
            f"{done.rows / read_s:>12,.0f}{read_s / done.seconds:>7.2f}"
        )
    print(
        f"raw COPY of the same rows into tables with the same indexes (PostgreSQL, admin "
        f"user): {r.raw_copy_rate:,.0f} rows/s, the physical limit beside the push's "
        f"{r.pg.rate:,.0f} ({r.pg.rate / r.raw_copy_rate:.2f} of it)."
    )
    print("restore's raw rows/s: reading the same rows from the store alone, no writing.")
    print(
        f"sync_once is timed whole: handshake, {r.pg.batches} push batches ({r.pg.entries:,} "
        "outbox entries), pull of the reference catalogue, quarantine list."
    )
    print(
        "raw: executemany of INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE row_version < "
        "excluded.row_version, one transaction (PostgreSQL: admin user, no RLS, no triggers,"
        " no foreign keys; SQLite: no triggers, foreign keys off)."
    )
    print(
        f"before each timed round, once in a desk's life: its {m.people:,} people re-hashed "
        f"with the district's ID-hash key in {r.pg.adopt_s:.2f} s (PostgreSQL run), "
        f"{r.sqlite.adopt_s:.2f} s (SQLite run); not in the rates above."
    )
    for push in (r.pg, r.sqlite):
        print(f"where the {push.target} round's {push.seconds:.2f} s went:")
        for name, seconds in push.phases.items():
            print(f"  {name:52}{seconds:>7.2f} s {seconds / push.seconds:>5.0%}")
    verdicts = r.verdicts()
    budget = f">= {RATIO_BUDGET:.0%} of raw and >= {RATE_BUDGET:,.0f} rows/s"
    pg_ok, sqlite_ok = verdict(verdicts["pg"]), verdict(verdicts["sqlite"])
    print(f"budget {budget}: PostgreSQL {pg_ok}, SQLite {sqlite_ok}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to push (100000)")
    pg_option(parser)
    desk_options(parser, keep="the desks in DIR and keep them")
    args = parser.parse_args(argv)
    if args.rows < 100:
        parser.error("--rows must be at least 100")
    from frontdesk import i18n

    i18n.set_language("en")  # messages of the code under test, in the bench's language
    # A bug of the bench itself is still a part that failed to run.
    results = run_and_print("sync.py", args, benchmark, print_table, bugs_fail=True)
    if results is None:
        return 2
    return 0 if all(results.verdicts().values()) else 1


if __name__ == "__main__":
    sys.exit(main())
