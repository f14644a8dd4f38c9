"""What the desk knows about its sync, for the status bar and the sync screen (no network)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import col

from db.models import SyncReject, SyncState
from db.outbox import pending_count
from frontdesk.sync.link import CLOCK_WARN_S


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    pending: int = 0
    failed: int = 0  # rows the central store holds in quarantine for this site
    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_error: str = ""
    failures: int = 0  # consecutive failed rounds
    clock_offset_s: int = 0

    @property
    def clock_warning(self) -> bool:
        return abs(self.clock_offset_s) > CLOCK_WARN_S


@dataclass(frozen=True)
class Reject:
    seq: int
    table_name: str
    row_id: str
    row_version: int
    reason: str
    at: datetime


@dataclass(frozen=True)
class SyncDetails:
    status: SyncStatus
    rejects: list[Reject] = field(default_factory=list)


def read_status(engine: Engine) -> SyncStatus:
    with engine.connect() as conn:
        state = conn.execute(select(SyncState)).first()
        pending = pending_count(conn)
        failed = conn.execute(select(func.count()).select_from(SyncReject)).scalar_one()
    if state is None:
        return SyncStatus(pending=pending, failed=failed)
    return SyncStatus(
        online=state.online,
        pending=pending,
        failed=failed,
        last_success_at=state.last_success_at,
        last_attempt_at=state.last_attempt_at,
        last_error=state.last_error,
        failures=state.failures,
        clock_offset_s=state.clock_offset_s,
    )


def read_details(engine: Engine, limit: int = 200) -> SyncDetails:
    with engine.connect() as conn:
        rows = conn.execute(
            select(SyncReject).order_by(col(SyncReject.seq).desc()).limit(limit)
        ).all()
    rejects = [
        Reject(r.seq, r.table_name, r.row_id.hex, r.row_version, r.reason, r.at) for r in rows
    ]
    return SyncDetails(read_status(engine), rejects)
