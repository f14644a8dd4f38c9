"""The link to the central store: engines, the handshake, the desk's identity.

The handshake runs before anything moves: the store must be a central store at this
program's schema, the site must be registered there, and the desk database must be the
one bound to the site (a second database for the same site is refused, not merged).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlmodel import col

from db import central
from db.engine import make_engine
from db.errors import is_busy
from db.migrate import current_revision
from db.models import CentralInfo, DeskInfo, SyncSite
from db.schema import SCHEMA_HEAD
from db.session import reading
from frontdesk.errors import UserError

CENTRAL_CACHE_KIB = 64 * 1024  # a central SQLite file takes every site's rows
# A push lets a central file's write-ahead log grow to the size of all its batches (one
# checkpoint after the push: frontdesk.sync.push), ~110 MiB for 100,000 rows; the next
# write after that checkpoint cuts the file back to this size (a batch's log is ~20 MiB).
CENTRAL_WAL_LIMIT_BYTES = 32 * 1024 * 1024
CLOCK_WARN_S = 300  # a desk clock further than this from the central clock is reported
TEMP_BUFFERS = "32MB"  # memory (taken as used) for the push's scratch table, per session
PG_CONNECT = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "application_name": "frontdesk-sync",
    # A push's scratch table (frontdesk.sync.wire) holds a batch of rows, ~10 MB of people;
    # the default 8 MB of temporary buffers wrote it out to disk and read it back. Settable
    # by any role, before the session's first temporary table only: hence at connect.
    "options": f"-c temp_buffers={TEMP_BUFFERS}",
}


class SyncError(UserError):
    """A sync that cannot go on; `transient` ones are retried with back-off."""

    def __init__(self, code: str, *, transient: bool = False, **params: object) -> None:
        super().__init__(code, None, **params)  # a sync refusal names no form field
        self.transient = transient


@dataclass(frozen=True)
class Desk:
    engine: Engine
    site: str
    database_uuid: uuid.UUID
    id_hash_key: str
    demo: bool = False  # made by `frontdesk demo`: its invented people never leave the PC


@dataclass(frozen=True)
class Remote:
    high_water: int
    digest: str
    clock_offset_s: int  # desk clock minus central clock
    id_hash_key: str = ""  # the district's key for the keyed hash of ID numbers
    district_public_key: str = ""  # the district's sealing key (frontdesk/hq/district_keys.py)


def desk_of(engine: Engine) -> Desk:
    with reading(engine) as s:
        info = s.scalars(select(DeskInfo)).first()
    if info is None:
        raise SyncError("sync.not_a_desk")
    return Desk(engine, info.site_code, info.database_uuid, info.id_hash_key, info.demo)


def central_engine(url: str) -> Engine:
    if "://" in url and not url.startswith("sqlite"):
        return make_engine(url, connect_args=PG_CONNECT, pool_size=1, max_overflow=1)
    return make_engine(
        url,
        cache_kib=CENTRAL_CACHE_KIB,
        temp_in_memory=True,
        wal_limit_bytes=CENTRAL_WAL_LIMIT_BYTES,
    )


def writer(engine: Engine) -> Engine:
    """Central transactions that write take SQLite's write lock up front."""
    return engine.execution_options(begin="IMMEDIATE")


def digest(seq: int, table: str, row_hex: str, version: int) -> str:
    return hashlib.sha256(f"{seq}:{table}:{row_hex}:{version}".encode()).hexdigest()[:32]


def is_transient(exc: BaseException) -> bool:
    """Network and server trouble, or a busy store: worth another try later."""
    if isinstance(exc, SyncError):
        return exc.transient
    if is_busy(exc):
        return True
    if isinstance(exc, OperationalError | InterfaceError | DisconnectionError | OSError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def handshake(conn: Connection, desk: Desk, desk_now: datetime, desk_acked: int) -> Remote:
    """Check the pair can sync and bind the desk to its site on the first sync."""
    if not central.is_central(conn):
        raise SyncError("sync.not_central")
    check_schema(current_revision(conn))
    site = conn.execute(select(SyncSite).where(col(SyncSite.site_code) == desk.site)).first()
    if site is None:
        raise SyncError("sync.site_unknown", site=desk.site)
    if site.database_uuid is None:
        # Only a desk that never synced may bind; one that did belongs to another store.
        if desk_acked:
            raise SyncError("sync.central_behind", desk=desk_acked, central=site.high_water_seq)
        conn.execute(
            update(SyncSite)
            .where(col(SyncSite.site_code) == desk.site)
            .values(database_uuid=desk.database_uuid, id_hash_key=desk.id_hash_key)
        )
    elif site.database_uuid != desk.database_uuid:
        raise SyncError("sync.other_desk", site=desk.site)
    offset = round((desk_now - central_now(conn)).total_seconds())
    key, district = conn.execute(
        select(col(CentralInfo.id_hash_key), col(CentralInfo.district_public_key))
    ).one()
    return Remote(site.high_water_seq, site.high_water_digest, offset, key or "", district or "")


def check_schema(found: str | None) -> None:
    if found == SCHEMA_HEAD:
        return
    central_newer = found is not None and found.isdigit() and int(found) > int(SCHEMA_HEAD)
    code = "sync.desk_schema_older" if central_newer else "sync.central_schema_older"
    raise SyncError(code, desk=SCHEMA_HEAD, central=found or "-")


def central_now(conn: Connection) -> datetime:
    if conn.dialect.name == "postgresql":
        return conn.execute(text("SELECT now()")).scalar_one().astimezone(UTC)
    raw = conn.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return datetime.fromisoformat(raw).replace(tzinfo=UTC)
