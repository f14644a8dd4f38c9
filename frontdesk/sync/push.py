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
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, func, insert, select, update

from db.models import Outbox, SyncQuarantine, SyncSite, SyncState
from db.types import utcnow
from frontdesk.sync.apply import Outcome, Row, apply_order, stored_rows, to_json, upsert_rows
from frontdesk.sync.link import Desk, Remote, SyncError, digest, writer

BATCH = 2000
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
class Entry:
    seq: int
    table_name: str
    row_id: uuid.UUID
    row_version: int
    acked: bool  # acknowledged locally already (a pulled row): in the range, not sent


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
        entry = conn.execute(select(Outbox).where(Outbox.seq == remote.high_water)).first()
    if entry is None:  # the central store has entries this database never made
        raise SyncError("sync.desk_behind", desk=state.last_acked_seq, central=remote.high_water)
    if _digest_of(entry) != remote.digest:  # another copy of this database got there first
        raise SyncError("sync.diverged", site=desk.site, seq=remote.high_water)
    return _acknowledge(desk.engine, state.last_acked_seq, remote.high_water, remote.digest)


def _digest_of(entry) -> str:
    return digest(entry.seq, entry.table_name, entry.row_id, entry.row_version)


def push(desk: Desk, central: Engine, remote: Remote, hook: Hook | None = None) -> PushResult:
    result = PushResult(recovered=reconcile(desk, remote))
    after = remote.high_water
    while True:
        entries = _next_entries(desk.engine, after)
        if not entries:
            return result
        _step(hook, "read")
        rows = _rows_for(desk, entries)
        last = entries[-1]
        mark = _digest_of(last)
        outcome = _send(central, desk, remote, after, entries, rows, hook)
        _step(hook, "committed")
        _acknowledge(desk.engine, after, last.seq, mark)
        _step(hook, "acknowledged")
        _count(result, entries, rows, outcome)
        after = last.seq


def _step(hook: Hook | None, name: str) -> None:
    if hook is not None:
        hook(name)


def _count(result: PushResult, entries: list[Entry], rows, outcome: Outcome) -> None:
    result.batches += 1
    result.entries += len(entries)
    result.sent += sum(len(r) for r in rows.values())
    result.applied += outcome.applied
    result.unchanged += outcome.unchanged
    result.quarantined += len(outcome.refused)


def _next_entries(engine: Engine, after: int) -> list[Entry]:
    with engine.connect() as conn:
        found = conn.execute(
            select(
                Outbox.seq,
                Outbox.table_name,
                Outbox.row_id,
                Outbox.row_version,
                Outbox.acked_at.is_not(None),
            )
            .where(Outbox.seq > after)
            .order_by(Outbox.seq)
            .limit(BATCH)
        ).all()
    return [Entry(*row) for row in found]


def _rows_for(desk: Desk, entries: list[Entry]) -> dict[str, list[Row]]:
    """The current state of every row the entries name, if it is this site's own row.

    Reference rows of head office (seeded or pulled) sit in the outbox too; they are
    covered by the range but not sent: only their owner writes them centrally.
    """
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for entry in entries:
        if not entry.acked:
            wanted[entry.table_name].add(entry.row_id)
    rows: dict[str, list[Row]] = {}
    with desk.engine.connect() as conn:
        for name, ids in wanted.items():
            found = stored_rows(conn, name, sorted(ids))
            own = [row for row in found.values() if row["site_code"] == desk.site]
            if own:
                rows[name] = own
    return rows


def _send(
    central: Engine,
    desk: Desk,
    remote: Remote,
    after: int,
    entries: list[Entry],
    rows: dict[str, list[Row]],
    hook: Hook | None,
) -> Outcome:
    last = entries[-1]
    total = Outcome()
    with writer(central).begin() as conn:
        _claim(conn, desk.site, after)
        _step(hook, "begun")
        for name in apply_order(rows):
            outcome = upsert_rows(conn, name, rows[name])
            total.applied += outcome.applied
            total.unchanged += outcome.unchanged
            total.refused.extend(outcome.refused)
        _quarantine(conn, desk.site, entries, total)
        _resolve(conn, desk.site, rows, total)
        conn.execute(
            update(SyncSite)
            .where(SyncSite.site_code == desk.site)
            .values(
                high_water_seq=last.seq,
                high_water_digest=_digest_of(last),
                last_push_at=utcnow(),
                clock_offset_s=remote.clock_offset_s,
            )
        )
        _step(hook, "applied")
    return total


def _claim(conn: Connection, site: str, after: int) -> None:
    """Lock the site's row and make sure nobody pushed this range meanwhile."""
    query = select(SyncSite.high_water_seq).where(SyncSite.site_code == site)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    found = conn.execute(query).scalar()
    if found != after:
        raise SyncError("sync.raced", transient=True)


def _quarantine(conn: Connection, site: str, entries: list[Entry], outcome: Outcome) -> None:
    if not outcome.refused:
        return
    seq_of = {(e.table_name, e.row_id): e.seq for e in entries}
    now = utcnow()
    conn.execute(
        insert(SyncQuarantine),
        [
            {
                "site_code": site,
                "seq": seq_of[(r.table, r.row["id"])],
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


def _resolve(conn: Connection, site: str, rows: dict[str, list[Row]], outcome: Outcome) -> None:
    """A row set aside earlier and now accepted in a newer version is no longer an issue."""
    open_ids = set(
        conn.execute(
            select(SyncQuarantine.row_id).where(
                SyncQuarantine.site_code == site, SyncQuarantine.resolved_at.is_(None)
            )
        ).scalars()
    )
    if not open_ids:
        return
    refused = {r.row["id"] for r in outcome.refused}
    sent = {row["id"] for batch in rows.values() for row in batch}
    done = (open_ids & sent) - refused
    if done:
        conn.execute(
            update(SyncQuarantine)
            .where(
                SyncQuarantine.site_code == site,
                SyncQuarantine.row_id.in_(done),
                SyncQuarantine.resolved_at.is_(None),
            )
            .values(resolved_at=utcnow())
        )


def _acknowledge(engine: Engine, after: int, last: int, mark: str) -> int:
    now = utcnow()
    with writer(engine).begin() as conn:
        done = conn.execute(
            update(Outbox)
            .where(Outbox.seq > after, Outbox.seq <= last, Outbox.acked_at.is_(None))
            .values(acked_at=now)
        ).rowcount
        conn.execute(update(SyncState).values(last_acked_seq=last, acked_digest=mark))
    return done


def pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(Outbox).where(Outbox.acked_at.is_(None))
        ).scalar_one()


def last_success(engine: Engine) -> datetime | None:
    with engine.connect() as conn:
        return conn.execute(select(SyncState.last_success_at)).scalar()
