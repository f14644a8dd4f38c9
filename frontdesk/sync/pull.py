"""Pull: reference data down from the central store by its change cursor.

Sites, staff accounts, the service catalogue, partners and their agreements (with the
rates they carry) are written by head office. The desk takes the rows of head office and
of its own site, applies newer versions, and acknowledges the outbox entries its own
triggers wrote for them in the same transaction: they came from the central store and
must not travel back. A row both sides changed is reported to the central quarantine.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlmodel import col

from db.central import HQ_SITE
from db.models import CentralChange, Outbox, SyncQuarantine, SyncState
from db.types import utcnow
from frontdesk.sync.apply import Outcome, Row, apply_order, table, to_json, upsert_rows
from frontdesk.sync.link import Desk, writer

BATCH = 2000


@dataclass
class PullResult:
    changes: int = 0
    applied: int = 0
    conflicts: int = 0


def pull(desk: Desk, central: Engine) -> PullResult:
    result = PullResult()
    cursor = _cursor(desk.engine)
    while True:
        with central.connect() as conn:
            changes = conn.execute(
                select(
                    col(CentralChange.seq), col(CentralChange.table_name), col(CentralChange.row_id)
                )
                .where(col(CentralChange.seq) > cursor)
                .order_by(col(CentralChange.seq))
                .limit(BATCH)
            ).all()
            if not changes:
                return result
            rows = _rows(conn, desk.site, changes)
        last = changes[-1].seq
        outcome = _apply(desk.engine, rows, last)
        if outcome.refused:
            _report(central, desk, outcome)
        result.changes += len(changes)
        result.applied += outcome.applied
        result.conflicts += len(outcome.refused)
        cursor = last


def _cursor(engine: Engine) -> int:
    with engine.connect() as conn:
        raw = conn.execute(select(col(SyncState.pull_cursor))).scalar()
    return int(raw) if raw else 0


def _rows(conn: Connection, site: str, changes) -> dict[str, list[Row]]:
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for change in changes:
        wanted[change.table_name].add(change.row_id)
    rows: dict[str, list[Row]] = {}
    for name, ids in wanted.items():
        tbl = table(name)
        found = conn.execute(
            select(tbl).where(tbl.c.id.in_(sorted(ids)), tbl.c.site_code.in_((HQ_SITE, site)))
        ).mappings()
        rows[name] = [dict(r) for r in found]
    return rows


def _apply(engine: Engine, rows: dict[str, list[Row]], cursor: int) -> Outcome:
    total = Outcome()
    with writer(engine).begin() as conn:
        before = conn.execute(select(func.coalesce(func.max(Outbox.seq), 0))).scalar_one()
        for name in apply_order(rows):
            outcome = upsert_rows(conn, name, rows[name])
            total.applied += outcome.applied
            total.unchanged += outcome.unchanged
            total.refused.extend(outcome.refused)
        conn.execute(
            update(Outbox)
            .where(col(Outbox.seq) > before, col(Outbox.acked_at).is_(None))
            .values(acked_at=utcnow())
        )
        conn.execute(update(SyncState).values(pull_cursor=str(cursor)))
    return total


def _report(central: Engine, desk: Desk, outcome: Outcome) -> None:
    now = utcnow()
    with central.begin() as conn:
        conn.execute(
            insert(SyncQuarantine),
            [
                {
                    "site_code": desk.site,
                    "seq": 0,  # not a desk entry: a pulled row the desk had changed too
                    "table_name": r.table,
                    "row_id": r.row["id"],
                    "row_version": r.row["row_version"],
                    "reason": "pull " + r.reason,
                    "payload": to_json(r.row),
                    "at": now,
                }
                for r in outcome.refused
            ],
        )
