"""Desk-local bookkeeping: audit trail, outbox, sync state, desk identity, local PINs."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer
from sqlmodel import Field, SQLModel

from db.models.base import SyncedRow, utc_field
from db.types import new_id


class AuditLog(SyncedRow, table=True):
    """Append-only: who did what and when (reveals, sign-ins, overrides)."""

    __tablename__ = "audit_log"
    # The wrong-PIN lock is read from here (frontdesk/services/auth.py): a staff member's
    # newest PIN checks, newest first, in one index range.
    __table_args__ = (Index("ix_audit_log_pin_checks", "staff_id", "entity", "id"),)

    at: datetime = utc_field(nullable=False)
    staff_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id")
    action: str = Field(max_length=40, index=True)
    entity: str = Field(default="", max_length=40)
    entity_id: uuid.UUID | None = Field(default=None)
    detail: str = Field(default="", max_length=500)  # never a full ID number or phone
    # Who at head office wrote the row (`hq_staff.id`); empty for a desk's rows. No foreign
    # key: desks receive no head-office accounts.
    hq_staff_id: uuid.UUID | None = Field(default=None)


class Outbox(SQLModel, table=True):
    """One row per change of a synced row, written by database triggers in the same transaction."""

    __tablename__ = "outbox"
    # By row: the check finds each row's entry for its current version, and pruning whether
    # a row has a newer entry, with one seek each (revision 0012).
    __table_args__ = (
        Index("ix_outbox_row", "table_name", "row_id", "row_version"),
        {"sqlite_autoincrement": True},
    )

    # AUTOINCREMENT on SQLite: a sequence is never reused, even after the newest row is gone.
    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
    )
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field()
    row_version: int = Field()
    op: str = Field(max_length=1)  # I(nsert), U(pdate) or R(esend: frontdesk/sync/resend.py)
    created_at: datetime = utc_field(nullable=False)
    acked_at: datetime | None = utc_field(index=True)


class SyncState(SQLModel, table=True):
    """The desk's view of sync with the central store (one row)."""

    __tablename__ = "sync_state"

    id: int = Field(default=1, primary_key=True)
    last_acked_seq: int = Field(default=0, sa_type=BigInteger)
    pull_cursor: str = Field(default="", max_length=64)
    last_success_at: datetime | None = utc_field()
    last_attempt_at: datetime | None = utc_field()
    last_error: str = Field(default="", max_length=500)
    acked_digest: str = Field(default="", max_length=64)  # of the entry at last_acked_seq
    online: bool = Field(default=False)  # the last attempt reached the central store
    failures: int = Field(default=0)  # consecutive failed attempts (for the back-off)
    clock_offset_s: int = Field(default=0)  # desk clock minus central clock


class DeskInfo(SQLModel, table=True):
    """Desk identity = site code + a UUID made when this database was created."""

    __tablename__ = "desk_info"

    id: int = Field(default=1, primary_key=True)
    site_code: str = Field(max_length=16)
    database_uuid: uuid.UUID = Field(default_factory=new_id)
    created_at: datetime = utc_field(nullable=False)
    demo: bool = Field(default=False)
    # Key of the keyed hash of ID numbers (duplicate checks without a plain-text scan).
    id_hash_key: str = Field(default_factory=lambda: secrets.token_hex(32), max_length=64)
    # The series of this database's receipt numbers (db/models/receipts.py): 1 for a desk
    # made by init, the next one for each rebuild by restore.
    receipt_series: int = Field(default=1)
    # Personal values are sealed to this public key (db/sealed.py); its private key is kept
    # only wrapped, in key_slots. `data_key_pending` holds the private key unwrapped until a
    # manager's PIN takes it into a slot (a migrated or rebuilt desk; see the README).
    data_public_key: str = Field(default="", max_length=64)
    data_key_pending: str = Field(default="", max_length=64)
    # The district's public key, from the central store at sync: new values are sealed to
    # both keys (fd2) once it is known.
    district_public_key: str = Field(default="", max_length=64)
    # The district key every value here is sealed to already (the last complete re-seal):
    # a sync round re-reads the people only when the district's key differs from it.
    district_sealed_key: str = Field(default="", max_length=64)


class KeySlot(SQLModel, table=True):
    """A staff member's way to the desk's private key, local, never synced.

    The member's own X25519 key pair: the private half wrapped by a key derived from their
    PIN (scrypt, AES-GCM), the desk's private key sealed to the public half. A slot made by
    a PIN chosen while nobody held the desk's key waits (`desk_key` empty) for a manager's
    sign-in to seal the key to it.
    """

    __tablename__ = "key_slots"

    staff_id: uuid.UUID = Field(foreign_key="staff.id", primary_key=True)
    public_key: str = Field(max_length=64)
    wrapped_private: str = Field(max_length=300)
    desk_key: str = Field(default="", max_length=300)
    set_at: datetime = utc_field(nullable=False)


class StaffPin(SQLModel, table=True):
    """A staff member's PIN at this desk: a salted scrypt hash, local, never synced.

    Made with the account at the desk (its first manager) or chosen at the desk with a
    one-time code from head office; it never leaves the desk.
    """

    __tablename__ = "staff_pins"

    staff_id: uuid.UUID = Field(foreign_key="staff.id", primary_key=True)
    pin_hash: str = Field(max_length=200)
    set_at: datetime = utc_field(nullable=False)


class UsedPinReset(SQLModel, table=True):
    """A head-office PIN reset already used at this desk: its code never works again."""

    __tablename__ = "used_pin_resets"

    reset_id: uuid.UUID = Field(primary_key=True)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
    used_at: datetime = utc_field(nullable=False)
