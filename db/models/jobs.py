"""Job postings (岗位信息) of employers, and referrals (推荐) of job seekers to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field

from db.models.base import SyncedRow, money, partial_index, utc_field
from db.vocabulary import PAY_UNITS, POSTING_SOURCES, POSTING_STATUSES, REFERRAL_OUTCOMES

# A referral that no longer holds its seeker to the posting: they may be referred again.
CLOSED_REFERRAL = "outcome IN ('not_hired', 'withdrew')"


class JobPosting(SyncedRow, table=True):
    __tablename__ = "job_postings"
    __table_args__ = (
        CheckConstraint(f"status IN {POSTING_STATUSES}", name="status_known"),
        CheckConstraint(f"pay_unit IN {PAY_UNITS}", name="pay_unit_known"),
        CheckConstraint(f"source IN {POSTING_SOURCES}", name="source_known"),
        CheckConstraint("positions > 0", name="positions_positive"),
        CheckConstraint("pay_min_fen > 0 AND pay_max_fen >= pay_min_fen", name="pay_range"),
        CheckConstraint("valid_until >= valid_from", name="dates_order"),
        # Open postings of a job type, by end date: the seeker-side match reads this range.
        Index("ix_job_postings_match", "site_code", "job_key", "status", "valid_until"),
    )

    employer_id: uuid.UUID = Field(foreign_key="employers.id", index=True)
    title: str = Field(max_length=60)
    job_type: str = Field(max_length=40)
    job_key: str = Field(max_length=40)  # the job type folded (db/job_keys.job_key)
    positions: int = Field()
    pay_min_fen: int = money()
    pay_max_fen: int = money()
    pay_unit: str = Field(max_length=5)
    place: str = Field(default="", max_length=120)
    hours: str = Field(default="", max_length=120)
    hours_mask: int = Field(default=0)  # availability bits the hours need (db/job_keys.py)
    age_min: int | None = Field(default=None)
    age_max: int | None = Field(default=None)
    education: str = Field(default="", max_length=2)  # the least, GB/T 4658 code
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    requirements: str = Field(default="", max_length=200)
    valid_from: date = Field()
    valid_until: date = Field()
    source: str = Field(default="desk", max_length=5)
    status: str = Field(default="open", max_length=10)  # expired is worked out, not stored
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
    notes: str = Field(default="", max_length=500)


class Referral(SyncedRow, table=True):
    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(f"outcome IN {REFERRAL_OUTCOMES}", name="outcome_known"),
        # One open referral per seeker per posting, whichever path writes it.
        partial_index(
            "uq_referrals_open",
            "posting_id",
            "person_id",
            where=f"NOT ({CLOSED_REFERRAL})",
        ),
        Index("ix_referrals_follow_up", "site_code", "follow_up_on"),
    )

    posting_id: uuid.UUID = Field(foreign_key="job_postings.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="people.id", index=True)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
    referred_on: date = Field()
    follow_up_on: date | None = Field(default=None)
    outcome: str = Field(default="referred", max_length=12)
    outcome_at: datetime = utc_field(nullable=False)
    placed_on: date | None = Field(default=None)
    source: str = Field(default="desk", max_length=5)
    notes: str = Field(default="", max_length=500)
    # The job fair it was made at (source "fair"), so a fair's intentions can be counted.
    session_id: uuid.UUID | None = Field(
        default=None, foreign_key="activity_sessions.id", index=True
    )


class ReferralEvent(SyncedRow, table=True):
    """One step of a referral's outcome, when and by whom: written once, never changed."""

    __tablename__ = "referral_events"
    __table_args__ = (CheckConstraint(f"outcome IN {REFERRAL_OUTCOMES}", name="outcome_known"),)

    referral_id: uuid.UUID = Field(foreign_key="referrals.id", index=True)
    outcome: str = Field(max_length=12)
    at: datetime = utc_field(nullable=False)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
    note: str = Field(default="", max_length=200)
