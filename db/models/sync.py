"""Sync bookkeeping on both sides of the link.

Every database has these tables (desks and the central store share one set of migrations);
the central ones stay empty on a desk and the desk one stays empty centrally.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utc_field
from db.types import new_id
from db.vocabulary import HQ_ROLES


def _serial() -> Column:
    # AUTOINCREMENT on SQLite so a number is never reused; BIGSERIAL-like on PostgreSQL.
    return Column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )


class CentralInfo(SQLModel, table=True):
    """Marks a database as a central store (one row); a desk database has none."""

    __tablename__ = "central_info"

    id: int = Field(default=1, primary_key=True)
    database_uuid: uuid.UUID = Field()
    created_at: datetime = utc_field(nullable=False)
    # The district's key for the keyed hash of ID numbers: every desk adopts it, so head
    # office can tell the same person registered at two communities without reading IDs.
    id_hash_key: str = Field(default="", max_length=64)
    # The district's X25519 public key (issue 22 item 2): desks take it at the handshake and
    # seal personal values to it too; its private half is only in district_key_slots.
    district_public_key: str = Field(default="", max_length=64)


class DistrictKeySlot(SQLModel, table=True):
    """Central: a head-office key holder's way to the district's private key, as a desk's
    key_slots (frontdesk/hq/district_keys.py). The pending key (made by `central key
    create` without a PIN) is the one row with no account: the private key unwrapped in
    `district_key` until a key holder signs in. No role but the store's owner reads it."""

    __tablename__ = "district_key_slots"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    hq_staff_id: uuid.UUID | None = Field(default=None, foreign_key="hq_staff.id", unique=True)
    public_key: str = Field(default="", max_length=64)
    wrapped_private: str = Field(default="", max_length=300)
    district_key: str = Field(default="", max_length=300)
    set_at: datetime = utc_field(nullable=False)


class SyncSite(SQLModel, table=True):
    """Central: one row per registered site, the desk bound to it and its high-water mark."""

    __tablename__ = "sync_sites"

    site_code: str = Field(primary_key=True, max_length=16)
    # The desk database allowed to push for this site (set by its first push or a restore).
    database_uuid: uuid.UUID | None = Field(default=None)
    high_water_seq: int = Field(default=0, sa_type=BigInteger)
    # Digest of the outbox entry at high_water_seq: a clone or an old copy of the desk
    # database has a different entry there, or none at all.
    high_water_digest: str = Field(default="", max_length=64)
    id_hash_key: str = Field(default="", max_length=64)  # brought back by a restore
    role_name: str = Field(default="", max_length=63)
    registered_at: datetime = utc_field(nullable=False)
    last_push_at: datetime | None = utc_field()
    last_pull_at: datetime | None = utc_field()
    clock_offset_s: int = Field(default=0)  # desk clock minus central clock at the last sync
    # The receipt series of the desk bound now; a restore binds the next one.
    receipt_series: int = Field(default=1)


class SyncQuarantine(SQLModel, table=True):
    """Central: a pushed row the central store refused, kept with the reason for a person."""

    __tablename__ = "sync_quarantine"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, sa_column=_serial())
    site_code: str = Field(max_length=16, index=True)
    seq: int = Field(sa_type=BigInteger)
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field(index=True)
    row_version: int = Field()
    reason: str = Field(max_length=500)
    payload: str = Field(default="", sa_type=Text)  # the refused row as JSON
    at: datetime = utc_field(nullable=False)
    resolved_at: datetime | None = utc_field()


class CentralChange(SQLModel, table=True):
    """Central: change log of reference data, the cursor desks pull by.

    Filled by triggers that serialise their writers (on PostgreSQL a row lock no site's role
    can take, db/central.py), so a sequence number is never seen before a smaller one
    commits.
    """

    __tablename__ = "central_changes"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, sa_column=_serial())
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field()
    row_version: int = Field()
    site_code: str = Field(max_length=16)
    at: datetime = utc_field(nullable=False)


class SyncReject(SQLModel, table=True):
    """Desk: the central store's quarantine for this site, as of the last sync."""

    __tablename__ = "sync_rejects"

    id: int = Field(primary_key=True)  # the central quarantine id
    seq: int = Field(sa_type=BigInteger)
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field()
    row_version: int = Field()
    reason: str = Field(max_length=500)
    at: datetime = utc_field(nullable=False)


class HqStaff(SQLModel, table=True):
    """Central: a person who signs in to head office's TUI. Never synced: no desk sees it.

    The PIN hash is the desks' slow salted scrypt (frontdesk/services/auth.py). Wrong PINs
    are counted in the row itself (every check also leaves an audit row naming the account);
    only the store's owner can write this table, and whoever can could replace a hash anyway.
    """

    __tablename__ = "hq_staff"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint(f"role IN {HQ_ROLES}", name="hq_role_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=40)
    role: str = Field(max_length=10)
    pin_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    failed_pins: int = Field(default=0)  # wrong PINs since the last right one or the last lock
    locked_until: datetime | None = utc_field()
    created_at: datetime = utc_field(nullable=False)
