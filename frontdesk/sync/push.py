"""Push: the desk's outbox to the central store in batches (DESIGN.md "Offline-first sync").

Each batch covers a contiguous range of outbox sequence numbers (after, last]. The central
transaction upserts the rows, sets aside the ones it refuses, and moves the site's
high-water mark to `last` with the digest of that entry; only after it commits does the
desk mark the range acknowledged. If the link drops in between, the next sync finds the
central mark ahead of the desk's and acknowledges up to it (after checking the digest)
instead of sending the range again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update
from sqlmodel import col

from db.models import Outbox, SyncQuarantine, SyncSite, SyncState
from db.types import utcnow
from frontdesk.sync.apply import Outcome, Row, apply_order, stored_rows, to_json
from frontdesk.sync.link import Desk, Remote, SyncError, digest, writer
from frontdesk.sync.wire import Careful, RawRows, Resent, read_raw, screened, write_raw

BATCH = 10000
# Write-ahead log pages a central SQLite file may gather during a push before SQLite
# checkpoints it (its default is 1,000): 256 MiB at the usual 4 KiB pages.
PUSH_CHECKPOINT_PAGES = 65536
Hook = Callable[[str], None]


@dataclass
class PushResult:
    entries: int = 0  # outbox entries covered
    sent: int = 0  # rows sent (an entry of a row changed twice sends the row once)
    applied: int = 0
    unchanged: int = 0
    quarantined: int = 0
    recovered: int = 0  # entries found already central after a lost acknowledgement
    batches: int = 0


@dataclass(frozen=True)
class Batch:
    """A range (after, last] of outbox entries, described without loading each entry."""

    after: int
    last: int
    entries: int
    tables: list[str]  # tables with entries not acknowledged yet (pulled rows are)
    mark: str  # digest of the last entry: the central high-water mark's check


def reconcile(desk: Desk, remote: Remote) -> int:
    """Line the desk up with the central mark; returns entries acknowledged by recovery."""
    with desk.engine.connect() as conn:
        state = conn.execute(select(SyncState)).one()
        if remote.high_water == state.last_acked_seq:
            if remote.high_water and remote.digest != state.acked_digest:
                raise SyncError("sync.diverged", site=desk.site, seq=remote.high_water)
            return 0
        if remote.high_water < state.last_acked_seq:
            raise SyncError(
                "sync.central_behind", desk=state.last_acked_seq, central=remote.high_water
            )
        entry = conn.execute(select(Outbox).where(col(Outbox.seq) == remote.high_water)).first()
    if entry is None:  # the central store has entries this database never made
        raise SyncError("sync.desk_behind", desk=state.last_acked_seq, central=remote.high_water)
    if _digest_of(entry) != remote.digest:  # another copy of this database got there first
        raise SyncError("sync.diverged", site=desk.site, seq=remote.high_water)
    return _acknowledge(desk.engine, state.last_acked_seq, remote.high_water, remote.digest)


def _digest_of(entry) -> str:
    row_id = entry.row_id if isinstance(entry.row_id, str) else entry.row_id.hex
    return digest(entry.seq, entry.table_name, row_id, entry.row_version)


def push(desk: Desk, central: Engine, remote: Remote, hook: Hook | None = None) -> PushResult:
    """Batch after batch, each sent in its own central transaction and acknowledged once it
    has committed. The desk's own work runs beside the central store's (both drivers let go
    of the GIL while they wait): one thread reads the next batch's rows while the central
    store works on the current batch, another acknowledges the batches committed, in
    order, so neither costs time of its own, and a read need not wait for the desk's disk
    to sync an acknowledgement (their ranges of entries never overlap). Nothing is written
    ahead: the range of a batch is fixed by its entries, and rows changed meanwhile have
    newer entries in a later batch, as when they change just after a read. An
    acknowledgement that fails (the desk busy) is reported after the batch in flight; that
    one is committed centrally and, unheard by the desk, found there by the next round's
    `reconcile` like any lost one."""
    result = PushResult(recovered=reconcile(desk, remote))
    acked: Future[int] | None = None
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-read") as reader,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-ack") as acker,
    ):
        ahead = reader.submit(_read_after, desk, remote.high_water)
        with writer(central).connect() as conn, _one_checkpoint(conn, hook):
            while (found := ahead.result()) is not None:
                batch, rows = found
                _step(hook, "read")
                ahead = reader.submit(_read_after, desk, batch.last)
                outcome = _send(conn, desk, remote, batch, rows, hook)
                _step(hook, "committed")
                _acknowledged(acked, hook)
                acked = acker.submit(_acknowledge, desk.engine, batch.after, batch.last, batch.mark)
                _count(result, batch, rows, outcome)
        # The central checkpoint (above, as the connection is let go) ran beside this one.
        _acknowledged(acked, hook)
    return result


@contextmanager
def _one_checkpoint(conn: Connection, hook: Hook | None) -> Iterator[None]:
    """A central SQLite file is checkpointed once, after the push, not after each batch.

    SQLite copies the write-ahead log into the file at the commit that takes it past
    `wal_autocheckpoint` pages, every batch's here: the same index pages were copied and
    synced again for each batch. The log is bounded meanwhile all the same
    (PUSH_CHECKPOINT_PAGES). A push that fails leaves its connection to be discarded, not
    pooled with the setting.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    (usual,) = driver.execute("PRAGMA wal_autocheckpoint").fetchone()
    driver.execute(f"PRAGMA wal_autocheckpoint = {PUSH_CHECKPOINT_PAGES}")
    try:
        yield
    except BaseException:
        conn.invalidate()
        raise
    # PASSIVE: copies what no reader still needs and never waits for one; the rest goes
    # at a later commit's automatic checkpoint.
    driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
    driver.execute(f"PRAGMA wal_autocheckpoint = {usual}")
    _step(hook, "checkpointed")


def _acknowledged(acked: Future[int] | None, hook: Hook | None) -> None:
    """Wait for the acknowledgement of the batch before; its failure is raised here."""
    if acked is not None:
        acked.result()
        _step(hook, "acknowledged")


def _read_after(desk: Desk, after: int) -> tuple[Batch, dict[str, RawRows]] | None:
    """The next batch after `after` and its rows, screened (None when there is none)."""
    batch = _next_batch(desk.engine, after)
    if batch is None:
        return None
    return batch, _rows_for(desk, batch)


def _step(hook: Hook | None, name: str) -> None:
    if hook is not None:
        hook(name)


def _count(result: PushResult, batch: Batch, rows, outcome: Outcome) -> None:
    result.batches += 1
    result.entries += batch.entries
    result.sent += sum(len(r.rows) + len(r.refused) for r in rows.values())
    result.applied += outcome.applied
    result.unchanged += outcome.unchanged
    result.quarantined += len(outcome.refused)


def _next_batch(engine: Engine, after: int) -> Batch | None:
    """The next BATCH entries after `after`, summed up by SQL (a Python object per entry
    cost more than sending the rows)."""
    with engine.connect() as conn:
        count, last = conn.exec_driver_sql(
            "SELECT count(*), max(seq) FROM "
            "(SELECT seq FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?)",
            (after, BATCH),
        ).one()
        if not count:
            return None
        tables = list(  # read before the connection goes back to the pool
            conn.exec_driver_sql(
                "SELECT DISTINCT table_name FROM outbox "
                "WHERE seq > ? AND seq <= ? AND acked_at IS NULL ORDER BY table_name",
                (after, last),
            ).scalars()
        )
        entry = conn.execute(select(Outbox).where(col(Outbox.seq) == last)).one()
    return Batch(after, last, count, tables, _digest_of(entry))


def _rows_for(desk: Desk, batch: Batch) -> dict[str, RawRows]:
    """The current state of every row the batch's entries name, if it is this site's own.

    Reference rows of head office (seeded or pulled) sit in the outbox too; they are
    covered by the range but not sent: only their owner writes them centrally.
    """
    rows: dict[str, RawRows] = {}
    with desk.engine.connect() as conn:
        for name in batch.tables:
            found = read_raw(conn, name, batch.after, batch.last, desk.site)
            if found.rows:
                rows[name] = screened(found)
    return rows


def _loader(desk: Desk, name: str):
    """Typed rows from the desk, for the few a closer look is needed for."""

    def load(hexes: list[str]) -> list[Row]:
        with desk.engine.connect() as conn:
            found = stored_rows(conn, name, [uuid.UUID(hex=h) for h in hexes])
        return [found[uuid.UUID(hex=h)] for h in hexes if uuid.UUID(hex=h) in found]

    return load


def _send(
    conn: Connection,
    desk: Desk,
    remote: Remote,
    batch: Batch,
    rows: dict[str, RawRows],
    hook: Hook | None,
) -> Outcome:
    """One central transaction. On a SQLite store the rows are first sent as all new or
    newer (no stored version read: the usual case); if a statement took fewer, the batch is
    sent again reading them. Either attempt, refused outside a savepoint, is sent again the
    careful way. A rolled-back attempt leaves nothing behind."""
    try:
        return _send_once(conn, desk, remote, batch, rows, hook, careful=False, all_new=True)
    except Resent:
        pass
    except Careful:
        return _send_once(conn, desk, remote, batch, rows, hook, careful=True)
    try:
        return _send_once(conn, desk, remote, batch, rows, hook, careful=False)
    except Careful:
        return _send_once(conn, desk, remote, batch, rows, hook, careful=True)


def _send_once(
    conn: Connection,
    desk: Desk,
    remote: Remote,
    batch: Batch,
    rows: dict[str, RawRows],
    hook: Hook | None,
    careful: bool,
    all_new: bool = False,
) -> Outcome:
    total = Outcome()
    with conn.begin():
        _claim(conn, desk.site, batch.after)
        _step(hook, "begun")
        for name in apply_order(rows):
            outcome = write_raw(conn, rows[name], _loader(desk, name), careful, all_new)
            total.applied += outcome.applied
            total.unchanged += outcome.unchanged
            total.refused.extend(outcome.refused)
        _quarantine(conn, desk, batch, total)
        _resolve(conn, desk.site, rows, total)
        conn.execute(
            update(SyncSite)
            .where(col(SyncSite.site_code) == desk.site)
            .values(
                high_water_seq=batch.last,
                high_water_digest=batch.mark,
                last_push_at=utcnow(),
                clock_offset_s=remote.clock_offset_s,
            )
        )
        _step(hook, "applied")
    return total


def _claim(conn: Connection, site: str, after: int) -> None:
    """Lock the site's row and make sure nobody pushed this range meanwhile."""
    query = select(col(SyncSite.high_water_seq)).where(col(SyncSite.site_code) == site)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    found = conn.execute(query).scalar()
    if found != after:
        raise SyncError("sync.raced", transient=True)


def _quarantine(conn: Connection, desk: Desk, batch: Batch, outcome: Outcome) -> None:
    if not outcome.refused:
        return
    seq_of = _entry_seqs(desk.engine, batch, outcome.refused)
    now = utcnow()
    conn.execute(
        insert(SyncQuarantine),
        [
            {
                "site_code": desk.site,
                "seq": seq_of[(r.table, r.row["id"].hex)],
                "table_name": r.table,
                "row_id": r.row["id"],
                "row_version": r.row["row_version"],
                "reason": r.reason,
                "payload": to_json(r.row),
                "at": now,
            }
            for r in outcome.refused
        ],
    )


def _entry_seqs(engine: Engine, batch: Batch, refused) -> dict[tuple[str, str], int]:
    """The newest entry of each refused row in the batch (the one its sent state came from)."""
    found: dict[tuple[str, str], int] = {}
    with engine.connect() as conn:
        for r in refused:
            found[(r.table, r.row["id"].hex)] = conn.exec_driver_sql(
                "SELECT max(seq) FROM outbox WHERE seq > ? AND seq <= ? "
                "AND table_name = ? AND row_id = ?",
                (batch.after, batch.last, r.table, r.row["id"].hex),
            ).scalar_one()
    return found


def _resolve(conn: Connection, site: str, rows: dict[str, RawRows], outcome: Outcome) -> None:
    """A row set aside earlier and now accepted in a newer version is no longer an issue."""
    open_ids = set(
        conn.execute(
            select(col(SyncQuarantine.row_id)).where(
                col(SyncQuarantine.site_code) == site, col(SyncQuarantine.resolved_at).is_(None)
            )
        ).scalars()
    )
    if not open_ids:
        return
    refused = {r.row["id"] for r in outcome.refused}
    sent = {uuid.UUID(hex=h) for batch in rows.values() for h in batch.ids}
    done = (open_ids & sent) - refused
    if done:
        conn.execute(
            update(SyncQuarantine)
            .where(
                col(SyncQuarantine.site_code) == site,
                col(SyncQuarantine.row_id).in_(done),
                col(SyncQuarantine.resolved_at).is_(None),
            )
            .values(resolved_at=utcnow())
        )


def _acknowledge(engine: Engine, after: int, last: int, mark: str) -> int:
    now = utcnow()
    with writer(engine).begin() as conn:
        done = conn.execute(
            update(Outbox)
            .where(col(Outbox.seq) > after, col(Outbox.seq) <= last, col(Outbox.acked_at).is_(None))
            .values(acked_at=now)
        ).rowcount
        conn.execute(update(SyncState).values(last_acked_seq=last, acked_digest=mark))
    return done
