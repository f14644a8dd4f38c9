"""Group activities: sessions, meetings, enrolments, attendance and light resident records

Revision ID: 0016
Revises: 0014

Job fairs, training courses, classes and events become sessions (issue 18), with their
outbox triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import outbox

revision: str = "0016"
down_revision: str | None = "0014"
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


def downgrade() -> None:
    for table in reversed(SYNCED):
        op.drop_table(table)
