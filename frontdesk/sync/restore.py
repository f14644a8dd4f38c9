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

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlmodel import Session, col

from db import job_keys, search_keys
from db.central import HQ_SITE, REFERENCE_TABLES, is_central
from db.migrate import current_revision, open_store
from db.models import (
    CentralChange,
    CentralInfo,
    DeskInfo,
    Outbox,
    SyncSite,
    SyncState,
    synced_tables,
)
from db.types import new_id, utcnow
from frontdesk.errors import UserError
from frontdesk.services.auth import remember_used_resets
from frontdesk.sync.apply import apply_order, table
from frontdesk.sync.link import SyncError, central_engine, check_schema, writer

CHUNK = 2000


@dataclass(frozen=True)
class Restored:
    rows: int
    seconds: float
    high_water: int


def restore(url: str, site: str, path: Path) -> Restored:
    site = site.strip().upper()
    if path.exists():
        raise UserError("restore.exists", path=str(path))
    started = time.perf_counter()
    source = central_engine(url)
    try:
        engine, _ = open_store(path)
        try:
            high_water, rows = _copy(source, engine, site)
        finally:
            engine.dispose()
    except BaseException:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        source.dispose()
    return Restored(rows, time.perf_counter() - started, high_water)


def _copy(source: Engine, target: Engine, site: str) -> tuple[int, int]:
    """Read one central snapshot, write the desk, then bind the site to it centrally.

    The central transaction holds the site's row from the start, so the old desk cannot
    push in between; if the central commit fails, the caller removes the new file.
    """
    snapshot = writer(source)
    if source.dialect.name == "postgresql":
        snapshot = source.execution_options(isolation_level="REPEATABLE READ")
    with snapshot.connect() as src, src.begin():
        if not is_central(src):
            raise SyncError("sync.not_central")
        check_schema(current_revision(src))
        query = select(SyncSite).where(col(SyncSite.site_code) == site)
        if src.dialect.name == "postgresql":
            query = query.with_for_update()
        mark = src.execute(query).first()
        if mark is None:
            raise SyncError("sync.site_unknown", site=site)
        cursor = src.execute(select(func.max(CentralChange.seq))).scalar_one() or 0
        database_uuid = new_id()
        with writer(target).begin() as dst:
            rows = _copy_rows(src, dst, site, mark.high_water_seq)
            district = src.execute(select(col(CentralInfo.id_hash_key))).scalar() or ""
            _start_desk(dst, site, mark, cursor, database_uuid, district)
        src.execute(
            update(SyncSite)
            .where(col(SyncSite.site_code) == site)
            .values(database_uuid=database_uuid)
        )
    return mark.high_water_seq, rows


def _copy_rows(src: Connection, dst: Connection, site: str, high_water: int) -> int:
    # Outbox entries of the copy are numbered after the central mark and acknowledged at
    # once: every row keeps an entry for its version (`frontdesk check`), none is re-sent.
    dst.execute(
        text("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', :s)"), {"s": high_water}
    )
    copied = 0
    for name in apply_order(synced_tables()):
        tbl = table(name)
        owners = (HQ_SITE, site) if name in REFERENCE_TABLES else (site,)
        query = select(tbl).where(tbl.c.site_code.in_(owners)).order_by(tbl.c.id)
        result = src.execute(query.execution_options(yield_per=CHUNK))
        for part in result.mappings().partitions():
            dst.execute(insert(tbl), [dict(r) for r in part])
            copied += len(part)
    dst.execute(update(Outbox).values(acked_at=utcnow()))
    search_keys.rebuild(dst)
    job_keys.rebuild(dst)
    remember_used_resets(dst)
    return copied


def _start_desk(dst: Connection, site: str, mark, cursor: int, database_uuid, key: str) -> None:
    key = key or mark.id_hash_key or secrets.token_hex(32)
    with Session(bind=dst) as s:
        s.add(DeskInfo(site_code=site, database_uuid=database_uuid, id_hash_key=key))
        s.add(
            SyncState(
                last_acked_seq=mark.high_water_seq,
                acked_digest=mark.high_water_digest,
                pull_cursor=str(cursor),
            )
        )
        s.flush()
