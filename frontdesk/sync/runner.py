"""One sync round (handshake, push, pull, quarantine list) and its bookkeeping at the desk.

Used by `frontdesk sync` and by the TUI's background worker; neither waits on the other
(the central side serialises pushes of one site by locking its row).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select, update
from sqlmodel import col

from db.errors import is_busy
from db.models import DeskInfo, SyncQuarantine, SyncReject, SyncSite, SyncState
from db.outbox import pending_count, prune
from db.types import utcnow
from frontdesk.errors import describe
from frontdesk.i18n import t
from frontdesk.sync.apply import reason_of
from frontdesk.sync.district_key import adopt, learn_public_key, reseal
from frontdesk.sync.link import (
    CLOCK_WARN_S,
    Desk,
    SyncError,
    central_engine,
    desk_of,
    handshake,
    is_transient,
    writer,
)
from frontdesk.sync.pull import PullResult, pull
from frontdesk.sync.push import Hook, PushResult, push

MAX_BACKOFF_S = 900


@dataclass
class SyncReport:
    push: PushResult = field(default_factory=PushResult)
    pull: PullResult = field(default_factory=PullResult)
    pending: int = 0
    rejects: int = 0
    clock_offset_s: int = 0

    @property
    def clock_warning(self) -> bool:
        return abs(self.clock_offset_s) > CLOCK_WARN_S


class Central:
    """A cached engine for one central URL (the TUI keeps it between rounds)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = central_engine(url)

    def dispose(self) -> None:
        self.engine.dispose()

    def release(self) -> None:
        """Close the pooled PostgreSQL connection between rounds. A desk idles for
        `sync_interval_s` between rounds, and a city's desks each holding a connection
        meanwhile would need one server connection per desk (PostgreSQL allows 100 by
        default; bench/district.py). The engine and its compiled statements stay; the next
        round connects again, a few ms. A central SQLite file keeps its page cache."""
        if self.engine.dialect.name == "postgresql":
            self.engine.dispose()


def sync_once(
    desk_engine: Engine,
    central: Central,
    *,
    now: Callable[[], datetime] = utcnow,
    hook: Hook | None = None,
) -> SyncReport:
    """One round; records the outcome at the desk and re-raises a failure."""
    try:
        desk = desk_of(desk_engine)
        _attempted(desk_engine, now())
        report = _round(desk, central.engine, now, hook)
    except BaseException as exc:
        busy = _desk_busy(desk_engine, exc)
        _failed(desk_engine, busy or exc)
        if busy is None:
            raise
        raise busy from exc
    finally:
        central.release()
    _succeeded(desk_engine, report, now())
    return report


def sync_with_retries(
    desk_engine: Engine,
    central: Central,
    *,
    attempts: int = 3,
    base_delay_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    hook: Hook | None = None,
) -> SyncReport:
    """`frontdesk sync`: transient failures are tried again after a growing pause."""
    for attempt in range(attempts):
        try:
            return sync_once(desk_engine, central, hook=hook)
        except Exception as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            central.engine.dispose()  # drop connections the failure left broken
            sleep(backoff_s(attempt + 1, base_delay_s))
    raise AssertionError("unreachable")


def backoff_s(failures: int, base_s: float) -> float:
    """Exponential with jitter, capped: 26 desks coming back online do not stampede."""
    if failures <= 0:
        return base_s
    ceiling = min(MAX_BACKOFF_S, base_s * 2 ** min(failures, 16))
    return random.uniform(ceiling / 2, ceiling)


def _round(desk: Desk, central: Engine, now: Callable[[], datetime], hook: Hook | None):
    if desk.demo:
        raise SyncError("sync.demo_desk")
    with desk.engine.connect() as conn:
        acked = conn.execute(select(col(SyncState.last_acked_seq))).scalar_one()
    with writer(central).begin() as conn:
        remote = handshake(conn, desk, now(), acked)
    report = SyncReport(clock_offset_s=remote.clock_offset_s)
    if remote.id_hash_key and remote.id_hash_key != desk.id_hash_key:
        adopt(desk.engine, desk.site, remote.id_hash_key)
    _district_key(desk, remote.district_public_key)
    report.push = push(desk, central, remote, hook)
    prune(desk.engine, now())  # acknowledged entries past the retention nothing still needs
    report.pull = pull(desk, central)
    report.rejects = _copy_rejects(desk, central)
    with writer(central).begin() as conn:
        conn.execute(
            update(SyncSite)
            .where(col(SyncSite.site_code) == desk.site)
            .values(last_pull_at=utcnow())
        )
    with desk.engine.connect() as conn:
        report.pending = pending_count(conn)
    return report


def _district_key(desk: Desk, district: str) -> None:
    """Take the district's public key and re-seal the desk's values to it, as new versions
    this round pushes (only while the desk's key is held; a later round otherwise)."""
    if not district:
        return
    with desk.engine.connect() as conn:
        known = conn.execute(select(col(DeskInfo.district_public_key))).scalar_one()
    if known != district:
        learn_public_key(desk.engine, district)
    reseal(desk.engine, desk.site, district)


def _copy_rejects(desk: Desk, central: Engine) -> int:
    """The central quarantine for this site, kept at the desk to be listed offline."""
    with central.connect() as conn:
        found = conn.execute(
            select(SyncQuarantine)
            .where(
                col(SyncQuarantine.site_code) == desk.site,
                col(SyncQuarantine.resolved_at).is_(None),
            )
            .order_by(col(SyncQuarantine.id))
        ).all()
    rows = [
        {
            "id": q.id,
            "seq": q.seq,
            "table_name": q.table_name,
            "row_id": q.row_id,
            "row_version": q.row_version,
            "reason": q.reason,
            "at": q.at,
        }
        for q in found
    ]
    with writer(desk.engine).begin() as conn:
        conn.execute(delete(SyncReject))
        if rows:
            conn.execute(insert(SyncReject), rows)
    return len(rows)


def _attempted(engine: Engine, at: datetime) -> None:
    with writer(engine).begin() as conn:
        conn.execute(update(SyncState).values(last_attempt_at=at))


def _succeeded(engine: Engine, report: SyncReport, at: datetime) -> None:
    with writer(engine).begin() as conn:
        conn.execute(
            update(SyncState).values(
                last_success_at=at,
                online=True,
                failures=0,
                last_error="",
                clock_offset_s=report.clock_offset_s,
            )
        )


def _desk_busy(engine: Engine, exc: BaseException) -> SyncError | None:
    """Another program holding the desk's own write lock, said as that."""
    if is_busy(exc) and getattr(exc, "params", {}).get("path") == engine.url.database:
        return SyncError("sync.desk_busy", transient=True)
    return None


def _failed(engine: Engine, exc: BaseException) -> None:
    if is_busy(exc) or getattr(exc, "code", "") == "sync.desk_busy":
        # A busy store is not a broken link: only the words are kept, not offline or a count.
        values: dict[str, object] = {"last_error": describe(exc)[:500]}
    else:
        offline = is_transient(exc) and not isinstance(exc, SyncError)
        message = t("sync.offline", reason=reason_of(exc)) if offline else describe(exc)
        values = {
            "online": not offline,
            "failures": SyncState.failures + 1,
            "last_error": message[:500],
        }
    try:
        with writer(engine).begin() as conn:
            conn.execute(update(SyncState).values(**values))
    except Exception:  # the desk's own store failing is reported by the caller's error
        pass
