"""Walk-in services, income entries, daily close-outs and adjustments to closed days."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, UniqueConstraint
from sqlmodel import Field

from db.models.base import SyncedRow, money, utc_field
from db.vocabulary import CHANNELS, PAYMENT_METHODS


class WalkIn(SyncedRow, table=True):
    """One visit or event logged at the desk; a void is a reversal row, never a delete."""

    __tablename__ = "walkins"
    __table_args__ = (
        CheckConstraint(f"channel IN {CHANNELS}", name="channel_known"),
        CheckConstraint("headcount > 0", name="headcount_positive"),
    )

    business_date: date = Field(index=True)
    started_at: datetime = utc_field(nullable=False)
    service_id: uuid.UUID = Field(foreign_key="services.id", index=True)
    person_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    headcount: int = Field(default=1)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
    channel: str = Field(default="in_person", max_length=10)
    duration_min: int = Field(default=0)
    outcome: str = Field(default="", max_length=200)
    referral: str = Field(default="", max_length=120)
    follow_up_on: date | None = Field(default=None)
    followed_up_at: datetime | None = utc_field()
    satisfaction: int | None = Field(default=None)
    reverses_id: uuid.UUID | None = Field(default=None, foreign_key="walkins.id")
    void_reason: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=500)
    # Logged after its day was closed: counted in that day's visits, never in its close-out
    # (whose figures stay as closed); its money, if any, is booked in the next open day.
    after_close: bool = Field(default=False)


class WalkInAttendee(SyncedRow, table=True):
    """A registered person who attended an event or class logged as one walk-in."""

    __tablename__ = "walkin_attendees"
    __table_args__ = (UniqueConstraint("walkin_id", "person_id"),)

    walkin_id: uuid.UUID = Field(foreign_key="walkins.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="people.id")


class Payment(SyncedRow, table=True):
    """An income entry in integer fen; reversals carry a negative amount and `reverses_id`."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint(f"method IN {PAYMENT_METHODS}", name="method_known"),)

    business_date: date = Field(index=True)
    received_at: datetime = utc_field(nullable=False)
    amount_fen: int = money(default=None)
    method: str = Field(max_length=10)
    service_id: uuid.UUID = Field(foreign_key="services.id")
    partner_id: uuid.UUID | None = Field(default=None, foreign_key="partners.id")
    walkin_id: uuid.UUID | None = Field(default=None, foreign_key="walkins.id")
    gig_order_id: uuid.UUID | None = Field(default=None, foreign_key="gig_orders.id")
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
    reverses_id: uuid.UUID | None = Field(default=None, foreign_key="payments.id")
    reason: str = Field(default="", max_length=200)


class Closeout(SyncedRow, table=True):
    """A closed business day (日结): per-method figures as JSON maps of method -> fen."""

    __tablename__ = "closeouts"
    __table_args__ = (UniqueConstraint("site_code", "business_date"),)

    business_date: date = Field()
    opening_float_fen: int = money()
    entries: int = Field(default=0)
    walkins: int = Field(default=0)
    expected_fen: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    counted_fen: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    cash_count: dict[str, int] = Field(default_factory=dict, sa_type=JSON)  # fen value -> pieces
    over_short_fen: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    income_fen: int = money()
    partner_lines: list[list] = Field(default_factory=list, sa_type=JSON)  # name, income, share
    partner_share_fen: int = money()
    community_proceeds_fen: int = money()
    rebate_fen: int = money()
    rebate_rate_bp: int = Field(default=2000)  # as applied, so the report states it
    rebate_base: str = Field(default="community_share", max_length=20)
    adjustments_fen: int = money()
    outbox_seq: int = Field(default=0, sa_type=BigInteger)  # last outbox seq this close covers
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(max_length=64)
    closed_at: datetime = utc_field(nullable=False)
    closed_by: uuid.UUID = Field(foreign_key="staff.id")
    approved_by: uuid.UUID | None = Field(default=None, foreign_key="staff.id")
    note: str = Field(default="", max_length=500)
    # Mobile method -> its bill's reconciliation at the close (digest, counts, amounts); a
    # method absent here had no bill imported: not reconciled (services/closeout_bills.py).
    reconciled: dict[str, dict] = Field(default_factory=dict, sa_type=JSON)


class BusinessDay(SyncedRow, table=True):
    """A business day opened with its cash float (备用金)."""

    __tablename__ = "business_days"
    __table_args__ = (UniqueConstraint("site_code", "business_date"),)

    business_date: date = Field()
    opening_float_fen: int = money()
    opened_at: datetime = utc_field(nullable=False)
    opened_by: uuid.UUID = Field(foreign_key="staff.id")


class Adjustment(SyncedRow, table=True):
    """A late or corrected entry for a closed day, booked in an open day."""

    __tablename__ = "adjustments"

    closed_date: date = Field(index=True)
    booked_date: date = Field(index=True)
    payment_id: uuid.UUID = Field(foreign_key="payments.id")
    amount_fen: int = money(default=None)
    reason: str = Field(max_length=200)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
