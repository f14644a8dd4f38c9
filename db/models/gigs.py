"""Micro-factory (小社微工厂) employers, gig orders and the workers dispatched to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlmodel import Field

from db.models.base import SyncedRow, money, partial_index, utc_field
from db.types import DecimalText
from db.vocabulary import ASSIGNMENT_STATUSES, ORDER_STATUSES, PAY_MODES

# An assignment that no longer holds a place: the worker may be dispatched to it again.
CLOSED_ASSIGNMENT = "status IN ('cancelled', 'no_show')"
HAS_CREDIT_CODE = "credit_code <> ''"


class Employer(SyncedRow, table=True):
    """One employer (用工主体) for the whole product: micro-factory gigs and job postings."""

    __tablename__ = "employers"
    __table_args__ = (
        # A credit code names one employer at a site; individuals hiring may have none.
        partial_index(
            "uq_employers_site_credit_code",
            "site_code",
            "credit_code",
            where=HAS_CREDIT_CODE,
        ),
    )

    name: str = Field(max_length=80)
    credit_code: str = Field(default="", max_length=18)  # GB 32100, "" when none
    kind: str = Field(default="company", max_length=20)  # domain/job_rules.EMPLOYER_KINDS
    contact_name: str = Field(default="", max_length=40)
    # An individual's phone is sealed to the desk's key, a company's stays plain
    # (db/sealed_columns.py); shown as phone_masked unless published or revealed.
    phone: str = Field(default="", max_length=400)
    phone_masked: str = Field(default="", max_length=20)
    publish_phone: bool = Field(default=False)  # the employer agreed to a public phone
    address: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=500)


class GigOrder(SyncedRow, table=True):
    __tablename__ = "gig_orders"
    __table_args__ = (
        CheckConstraint(f"status IN {ORDER_STATUSES}", name="status_known"),
        CheckConstraint(f"pay_mode IN {PAY_MODES}", name="pay_mode_known"),
        CheckConstraint("headcount > 0", name="headcount_positive"),
    )

    employer_id: uuid.UUID = Field(foreign_key="employers.id", index=True)
    job_type: str = Field(max_length=40)
    place: str = Field(default="", max_length=120)
    work_date: date = Field(index=True)
    shift_start: time = Field()
    shift_end: time = Field()
    headcount: int = Field()
    pay_mode: str = Field(max_length=5)
    rate_fen: Decimal = Field(sa_type=DecimalText)  # exact; piece rates may be below one fen
    unit: str = Field(default="", max_length=20)
    status: str = Field(default="open", max_length=12)
    service_fee_fen: int = money(default=0)  # the center's income; wages are not
    notes: str = Field(default="", max_length=500)


class GigAssignment(SyncedRow, table=True):
    __tablename__ = "gig_assignments"
    __table_args__ = (
        CheckConstraint(f"status IN {ASSIGNMENT_STATUSES}", name="status_known"),
        CheckConstraint(
            "pieces_completed >= 0 AND pieces_accepted >= 0 AND pieces_defective >= 0",
            name="pieces_not_negative",
        ),
        # One open assignment per worker per order, whichever path writes it.
        partial_index(
            "uq_gig_assignments_open",
            "order_id",
            "person_id",
            where=f"NOT ({CLOSED_ASSIGNMENT})",
        ),
    )

    order_id: uuid.UUID = Field(foreign_key="gig_orders.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="people.id", index=True)
    status: str = Field(default="assigned", max_length=12)
    dispatched_by: uuid.UUID = Field(foreign_key="staff.id")
    checked_in_at: datetime | None = utc_field()
    checked_out_at: datetime | None = utc_field()
    pieces_completed: int = Field(default=0)
    pieces_accepted: int = Field(default=0)
    pieces_defective: int = Field(default=0)
    minutes_worked: int = Field(default=0)
    wage_fen: int | None = money(default=None)
    pay_method: str = Field(default="", max_length=10)
    pay_reference: str = Field(default="", max_length=80)
    settled_at: datetime | None = utc_field()
    settled_by: uuid.UUID | None = Field(default=None, foreign_key="staff.id")
