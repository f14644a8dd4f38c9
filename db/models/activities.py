"""Group activities (issue 18): job fairs, training courses, classes and events.

A session has one or more meetings; people enrol in it (a waiting list beyond capacity),
attendance is ticked per meeting, and a course's completion (结业) is stamped when it is
finished. A resident who is not a registered job seeker is a light record: name and phone.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field

from db.models.base import SyncedRow, money, partial_index, utc_field
from db.vocabulary import ENROLMENT_STATUSES, SESSION_KINDS, SESSION_STATUSES

# An enrolment that holds (or waits for) a place: the same person may not enrol again.
LIVE_ENROLMENT = "status IN ('enrolled', 'waiting')"


class Resident(SyncedRow, table=True):
    """A resident known by name and phone only (not a registered job seeker)."""

    __tablename__ = "residents"
    __table_args__ = (
        Index("ix_residents_site_phone_tail", "site_code", "phone_tail"),
        Index("ix_residents_site_phone_hash", "site_code", "phone_hash"),
    )

    name: str = Field(max_length=40)
    # Sealed to the desk's key and the district's (db/sealed_columns.py); found by the
    # keyed hash of the whole phone, shown masked.
    phone: str = Field(max_length=400)
    phone_masked: str = Field(default="", max_length=20)
    phone_tail: str = Field(max_length=4)
    phone_hash: str = Field(default="", max_length=64)


class ActivitySession(SyncedRow, table=True):
    """One job fair, course, class or event; its catalogue service names the category."""

    __tablename__ = "activity_sessions"
    __table_args__ = (
        CheckConstraint(f"kind IN {SESSION_KINDS}", name="kind_known"),
        CheckConstraint(f"status IN {SESSION_STATUSES}", name="status_known"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("fee_fen >= 0", name="fee_not_negative"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        Index("ix_activity_sessions_site_start", "site_code", "starts_on"),
    )

    kind: str = Field(max_length=10)
    title: str = Field(max_length=80)
    service_id: uuid.UUID = Field(foreign_key="services.id")  # category; its partner shares
    starts_on: date = Field()
    ends_on: date = Field()
    place: str = Field(default="", max_length=120)
    runner: str = Field(default="", max_length=80)  # the partner or trainer running it
    capacity: int | None = Field(default=None)  # None: no limit (fairs, events)
    fee_fen: int = money(default=0)  # per person; 0 is free
    status: str = Field(default="planned", max_length=10)
    completion_min: int = Field(default=0)  # a course's attended minutes to complete
    notes: str = Field(default="", max_length=500)
    # A class or event walk-in this session was made from (revision 0016), if any.
    from_walkin_id: uuid.UUID | None = Field(default=None, foreign_key="walkins.id")


class SessionMeeting(SyncedRow, table=True):
    """One meeting of a session: its date and hours, and the people counted without names."""

    __tablename__ = "session_meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="times_in_order"),
        CheckConstraint("headcount >= 0", name="headcount_not_negative"),
    )

    session_id: uuid.UUID = Field(foreign_key="activity_sessions.id", index=True)
    meeting_date: date = Field()
    starts_at: time = Field()
    ends_at: time = Field()
    headcount: int = Field(default=0)  # walk-ups counted, not named (an event's head count)


class Enrolment(SyncedRow, table=True):
    """A person's place in a session (报名), or on its waiting list; never two live ones."""

    __tablename__ = "session_enrolments"
    __table_args__ = (
        CheckConstraint(f"status IN {ENROLMENT_STATUSES}", name="status_known"),
        CheckConstraint("(person_id IS NULL) <> (resident_id IS NULL)", name="one_kind_of_person"),
        partial_index(
            "uq_session_enrolments_person",
            "session_id",
            "person_id",
            where=f"{LIVE_ENROLMENT} AND person_id IS NOT NULL",
        ),
        partial_index(
            "uq_session_enrolments_resident",
            "session_id",
            "resident_id",
            where=f"{LIVE_ENROLMENT} AND resident_id IS NOT NULL",
        ),
    )

    session_id: uuid.UUID = Field(foreign_key="activity_sessions.id", index=True)
    person_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    resident_id: uuid.UUID | None = Field(default=None, foreign_key="residents.id")
    status: str = Field(default="enrolled", max_length=10)
    queue_no: int = Field()  # order of enrolment in the session: the waiting list's order
    payment_id: uuid.UUID | None = Field(default=None, foreign_key="payments.id")  # the fee
    refund_id: uuid.UUID | None = Field(default=None, foreign_key="payments.id")
    withdrawn_at: datetime | None = utc_field()
    completed: bool = Field(default=False)  # stamped when the course is finished
    staff_id: uuid.UUID = Field(foreign_key="staff.id")


class Attendance(SyncedRow, table=True):
    """One named person at one meeting (签到): enrolled, or a walk-up."""

    __tablename__ = "session_attendance"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (resident_id IS NULL)", name="one_kind_of_person"),
        CheckConstraint("minutes >= 0", name="minutes_not_negative"),
        partial_index(
            "uq_session_attendance_person",
            "meeting_id",
            "person_id",
            where="person_id IS NOT NULL",
        ),
        partial_index(
            "uq_session_attendance_resident",
            "meeting_id",
            "resident_id",
            where="resident_id IS NOT NULL",
        ),
    )

    meeting_id: uuid.UUID = Field(foreign_key="session_meetings.id", index=True)
    enrolment_id: uuid.UUID | None = Field(default=None, foreign_key="session_enrolments.id")
    person_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    resident_id: uuid.UUID | None = Field(default=None, foreign_key="residents.id")
    present: bool = Field(default=True)  # un-ticking keeps the row (rows are never deleted)
    minutes: int = Field(default=0)  # attended; the meeting's length unless corrected
