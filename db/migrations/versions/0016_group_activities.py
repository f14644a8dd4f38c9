"""Group activities: sessions, meetings, enrolments, attendance and light resident records

Revision ID: 0016
Revises: 0015

Job fairs, training courses, classes and events become sessions (issue 18), with their
outbox triggers. The group walk-ins logged so far (a job fair, a class or an event with its
head count and named attendees) become finished sessions of one meeting each, losing no
count: the attendees are ticked present and the rest of the head count is the meeting's
unnamed head count. The walk-ins stay as they were (a closed day never changes; the
session names the walk-in it came from). The new rows' ids and stamps derive from the
walk-in's, so a desk and the central store, each upgraded on its own, make the very same
rows and a later push of them is a harmless re-send.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from db import outbox
from db.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED = [
    "residents",
    "activity_sessions",
    "session_meetings",
    "session_enrolments",
    "session_attendance",
]


def upgrade() -> None:
    op.create_table(
        "residents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("phone_tail", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residents")),
    )
    op.create_index(op.f("ix_residents_site_code"), "residents", ["site_code"], unique=False)
    op.create_index(
        "ix_residents_site_phone_tail", "residents", ["site_code", "phone_tail"], unique=False
    )
    op.create_table(
        "activity_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("runner", sa.String(length=80), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("fee_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("completion_min", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.Column("from_walkin_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('job_fair', 'course', 'class', 'event')",
            name=op.f("ck_activity_sessions_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'running', 'done', 'cancelled')",
            name=op.f("ck_activity_sessions_status_known"),
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity > 0", name=op.f("ck_activity_sessions_capacity_positive")
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_activity_sessions_dates_in_order")
        ),
        sa.CheckConstraint("fee_fen >= 0", name=op.f("ck_activity_sessions_fee_not_negative")),
        sa.ForeignKeyConstraint(
            ["from_walkin_id"],
            ["walkins.id"],
            name=op.f("fk_activity_sessions_from_walkin_id_walkins"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_activity_sessions_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_sessions")),
    )
    op.create_index(
        op.f("ix_activity_sessions_site_code"), "activity_sessions", ["site_code"], unique=False
    )
    op.create_index(
        "ix_activity_sessions_site_start",
        "activity_sessions",
        ["site_code", "starts_on"],
        unique=False,
    )
    op.create_table(
        "session_enrolments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("queue_no", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("refund_id", sa.Uuid(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('enrolled', 'waiting', 'withdrawn')",
            name=op.f("ck_session_enrolments_status_known"),
        ),
        sa.CheckConstraint(
            "(person_id IS NULL) <> (resident_id IS NULL)",
            name=op.f("ck_session_enrolments_one_kind_of_person"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_session_enrolments_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_session_enrolments_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["refund_id"], ["payments.id"], name=op.f("fk_session_enrolments_refund_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_session_enrolments_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_sessions.id"],
            name=op.f("fk_session_enrolments_session_id_activity_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_session_enrolments_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_enrolments")),
    )
    op.create_index(
        op.f("ix_session_enrolments_session_id"), "session_enrolments", ["session_id"], unique=False
    )
    op.create_index(
        op.f("ix_session_enrolments_site_code"), "session_enrolments", ["site_code"], unique=False
    )
    op.create_index(
        "uq_session_enrolments_person",
        "session_enrolments",
        ["session_id", "person_id"],
        unique=True,
        sqlite_where=sa.text("status IN ('enrolled', 'waiting') AND person_id IS NOT NULL"),
        postgresql_where=sa.text("status IN ('enrolled', 'waiting') AND person_id IS NOT NULL"),
    )
    op.create_index(
        "uq_session_enrolments_resident",
        "session_enrolments",
        ["session_id", "resident_id"],
        unique=True,
        sqlite_where=sa.text("status IN ('enrolled', 'waiting') AND resident_id IS NOT NULL"),
        postgresql_where=sa.text("status IN ('enrolled', 'waiting') AND resident_id IS NOT NULL"),
    )
    op.create_table(
        "session_meetings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_session_meetings_times_in_order")),
        sa.CheckConstraint(
            "headcount >= 0", name=op.f("ck_session_meetings_headcount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_sessions.id"],
            name=op.f("fk_session_meetings_session_id_activity_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_meetings")),
    )
    op.create_index(
        op.f("ix_session_meetings_session_id"), "session_meetings", ["session_id"], unique=False
    )
    op.create_index(
        op.f("ix_session_meetings_site_code"), "session_meetings", ["site_code"], unique=False
    )
    op.create_table(
        "session_attendance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("enrolment_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(person_id IS NULL) <> (resident_id IS NULL)",
            name=op.f("ck_session_attendance_one_kind_of_person"),
        ),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_session_attendance_minutes_not_negative")),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["session_enrolments.id"],
            name=op.f("fk_session_attendance_enrolment_id_session_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["session_meetings.id"],
            name=op.f("fk_session_attendance_meeting_id_session_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_session_attendance_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_session_attendance_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_attendance")),
    )
    op.create_index(
        op.f("ix_session_attendance_meeting_id"), "session_attendance", ["meeting_id"], unique=False
    )
    op.create_index(
        op.f("ix_session_attendance_site_code"), "session_attendance", ["site_code"], unique=False
    )
    op.create_index(
        "uq_session_attendance_person",
        "session_attendance",
        ["meeting_id", "person_id"],
        unique=True,
        sqlite_where=sa.text("person_id IS NOT NULL"),
        postgresql_where=sa.text("person_id IS NOT NULL"),
    )
    op.create_index(
        "uq_session_attendance_resident",
        "session_attendance",
        ["meeting_id", "resident_id"],
        unique=True,
        sqlite_where=sa.text("resident_id IS NOT NULL"),
        postgresql_where=sa.text("resident_id IS NOT NULL"),
    )
    outbox.install(op.get_bind(), SYNCED)
    sessions_from_walkins(op.get_bind())


def downgrade() -> None:
    for table in reversed(SYNCED):
        op.drop_table(table)


# Frozen here as they were at this revision (frontdesk/domain/session_rules.py keeps the rule).
GROUP_SERVICES = {"LG06": "job_fair", "GY02": "event", "GY04": "event"}
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_MINUTES = 60  # a walk-in without a duration: an hour's meeting
ID_SPACE = uuid.UUID("0188b0a4-5e55-7000-8000-000000000016")

_walkins = sa.table(
    "walkins",
    sa.column("id", sa.Uuid()),
    sa.column("site_code", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("business_date", sa.Date()),
    sa.column("started_at", UTCDateTime()),
    sa.column("service_id", sa.Uuid()),
    sa.column("headcount", sa.Integer()),
    sa.column("duration_min", sa.Integer()),
    sa.column("reverses_id", sa.Uuid()),
)
_attendees = sa.table(
    "walkin_attendees",
    sa.column("id", sa.Uuid()),
    sa.column("walkin_id", sa.Uuid()),
    sa.column("person_id", sa.Uuid()),
)
_services = sa.table(
    "services",
    sa.column("id", sa.Uuid()),
    sa.column("code", sa.String()),
    sa.column("line", sa.String()),
    sa.column("name_zh", sa.String()),
)


def _new_table(name: str, *columns: str) -> sa.TableClause:
    types: dict[str, sa.types.TypeEngine] = {
        "created_at": UTCDateTime(),
        "updated_at": UTCDateTime(),
        "starts_on": sa.Date(),
        "ends_on": sa.Date(),
        "meeting_date": sa.Date(),
        "starts_at": sa.Time(),
        "ends_at": sa.Time(),
        "present": sa.Boolean(),
    }

    def typed(c: str) -> sa.ColumnClause:
        if c == "id" or c.endswith("_id"):
            return sa.column(c, sa.Uuid())
        return sa.column(c, types.get(c))

    return sa.table(name, *(typed(c) for c in columns))


_COMMON = ("id", "site_code", "created_at", "updated_at", "row_version")
_sessions = _new_table(
    "activity_sessions",
    *_COMMON,
    "kind",
    "title",
    "service_id",
    "starts_on",
    "ends_on",
    "place",
    "runner",
    "fee_fen",
    "status",
    "completion_min",
    "notes",
    "from_walkin_id",
)
_meetings = _new_table(
    "session_meetings", *_COMMON, "session_id", "meeting_date", "starts_at", "ends_at", "headcount"
)
_attendance = _new_table(
    "session_attendance", *_COMMON, "meeting_id", "person_id", "present", "minutes"
)


def derived_id(kind: str, source: uuid.UUID) -> uuid.UUID:
    """The same id for the same walk-in on every store that runs this revision."""
    return uuid.uuid5(ID_SPACE, f"{kind}:{source}")


def sessions_from_walkins(conn: sa.Connection) -> None:
    """Each group walk-in not voided becomes a done session of one meeting: no count lost."""
    reversed_ids = sa.select(_walkins.c.reverses_id).where(_walkins.c.reverses_id.is_not(None))
    rows = conn.execute(
        sa.select(_walkins, _services.c.code, _services.c.line, _services.c.name_zh)
        .join(_services, _services.c.id == _walkins.c.service_id)
        .where(_walkins.c.reverses_id.is_(None), _walkins.c.id.not_in(reversed_ids))
        .order_by(_walkins.c.id)
    ).all()
    for w in rows:
        kind = GROUP_SERVICES.get(w.code) or ("class" if w.line == "classes" else None)
        if kind is not None:
            _one_session(conn, w, kind)


def _one_session(conn: sa.Connection, w: sa.Row, kind: str) -> None:
    stamp = {"site_code": w.site_code, "created_at": w.created_at, "updated_at": w.created_at}
    stamp["row_version"] = 1
    session_id, meeting_id = derived_id("session", w.id), derived_id("meeting", w.id)
    start, end = _hours(w.started_at, w.duration_min)
    named = conn.execute(
        sa.select(_attendees.c.id, _attendees.c.person_id)
        .where(_attendees.c.walkin_id == w.id)
        .order_by(_attendees.c.id)
    ).all()
    conn.execute(
        _sessions.insert().values(
            id=session_id,
            kind=kind,
            title=w.name_zh,
            service_id=w.service_id,
            starts_on=w.business_date,
            ends_on=w.business_date,
            place="",
            runner="",
            fee_fen=0,
            status="done",
            completion_min=0,
            notes="",
            from_walkin_id=w.id,
            **stamp,
        )
    )
    conn.execute(
        _meetings.insert().values(
            id=meeting_id,
            session_id=session_id,
            meeting_date=w.business_date,
            starts_at=start,
            ends_at=end,
            headcount=max(w.headcount - len(named), 0),
            **stamp,
        )
    )
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    for a in named:
        conn.execute(
            _attendance.insert().values(
                id=derived_id("attendance", a.id),
                meeting_id=meeting_id,
                person_id=a.person_id,
                present=True,
                minutes=minutes,
                **stamp,
            )
        )


def _hours(started_at: datetime, duration_min: int) -> tuple[time, time]:
    """The meeting's local start and end, the end kept within the day it started."""
    local = started_at.replace(tzinfo=started_at.tzinfo or UTC).astimezone(LOCAL_TZ)
    start = local.time().replace(second=0, microsecond=0)
    if start >= time(23, 59):
        start = time(23, 58)
    end = datetime.combine(local.date(), start) + timedelta(minutes=duration_min or DEFAULT_MINUTES)
    last = time(23, 59)
    return start, end.time() if end.date() == local.date() and end.time() <= last else last
