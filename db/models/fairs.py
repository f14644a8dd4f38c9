"""Job fairs (招聘会, issue 18 item 4): the employers taking part and the postings they bring.

A fair is an activity session of kind job_fair. Taking part is one row per employer and per
posting; removing one marks the row removed (rows are never deleted) and adding it again
clears the mark. Referrals made at a fair carry its session (`referrals.session_id`).
"""

from __future__ import annotations

import uuid

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from db.models.base import SyncedRow


class FairEmployer(SyncedRow, table=True):
    """An employer taking part in a job fair."""

    __tablename__ = "fair_employers"
    __table_args__ = (UniqueConstraint("session_id", "employer_id"),)

    session_id: uuid.UUID = Field(foreign_key="activity_sessions.id", index=True)
    employer_id: uuid.UUID = Field(foreign_key="employers.id")
    removed: bool = Field(default=False)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")


class FairPosting(SyncedRow, table=True):
    """A job posting an employer brings to a job fair."""

    __tablename__ = "fair_postings"
    __table_args__ = (UniqueConstraint("session_id", "posting_id"),)

    session_id: uuid.UUID = Field(foreign_key="activity_sessions.id", index=True)
    posting_id: uuid.UUID = Field(foreign_key="job_postings.id")
    removed: bool = Field(default=False)
    staff_id: uuid.UUID = Field(foreign_key="staff.id")
