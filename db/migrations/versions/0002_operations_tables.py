"""Operations tables

Job seekers, employers, gig orders and assignments, walk-ins, payments,
close-outs and adjustments, with their outbox triggers.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import outbox

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED = [
    "people",
    "employers",
    "gig_orders",
    "gig_assignments",
    "walkins",
    "payments",
    "closeouts",
    "adjustments",
]


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_tail", sa.String(length=4), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("phone_tail", sa.String(length=4), nullable=False),
        sa.Column("name_initials", sa.String(length=200), nullable=False),
        sa.Column("name_pinyin", sa.String(length=400), nullable=False),
        sa.Column("ethnicity", sa.String(length=20), nullable=False),
        sa.Column("hukou_type", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("education", sa.String(length=2), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("desired_jobs", sa.JSON(), nullable=False),
        sa.Column("availability", sa.String(length=200), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_staff_id", sa.Uuid(), nullable=True),
        sa.Column("sensitive_consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sensitive_consent_staff_id", sa.Uuid(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_reason", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("reliability", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint("gender IN ('M', 'F')", name=op.f("ck_people_gender_known")),
        sa.CheckConstraint(
            "status IN ('active', 'employed', 'cancelled')", name=op.f("ck_people_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["consent_staff_id"], ["staff.id"], name=op.f("fk_people_consent_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["sensitive_consent_staff_id"],
            ["staff.id"],
            name=op.f("fk_people_sensitive_consent_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_people_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_site_code"), ["site_code"], unique=False)
        batch_op.create_index("ix_people_site_id_tail", ["site_code", "id_tail"], unique=False)
        batch_op.create_index("ix_people_site_idhash", ["site_code", "id_hash"], unique=True)
        batch_op.create_index(
            "ix_people_site_initials", ["site_code", "name_initials"], unique=False
        )
        batch_op.create_index(
            "ix_people_site_phone_tail", ["site_code", "phone_tail"], unique=False
        )

    op.create_table(
        "employers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("contact_name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
    )
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employers_site_code"), ["site_code"], unique=False)

    op.create_table(
        "gig_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("job_type", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("shift_start", sa.Time(), nullable=False),
        sa.Column("shift_end", sa.Time(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("pay_mode", sa.String(length=5), nullable=False),
        sa.Column("rate_fen", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("service_fee_fen", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "pay_mode IN ('piece', 'hour', 'day')", name=op.f("ck_gig_orders_pay_mode_known")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'filled', 'in_progress', 'done', 'cancelled')",
            name=op.f("ck_gig_orders_status_known"),
        ),
        sa.CheckConstraint("headcount > 0", name=op.f("ck_gig_orders_headcount_positive")),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_gig_orders_employer_id_employers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_orders")),
    )
    with op.batch_alter_table("gig_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gig_orders_employer_id"), ["employer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_gig_orders_site_code"), ["site_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_gig_orders_work_date"), ["work_date"], unique=False)

    op.create_table(
        "gig_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("dispatched_by", sa.Uuid(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pieces_completed", sa.Integer(), nullable=False),
        sa.Column("pieces_accepted", sa.Integer(), nullable=False),
        sa.Column("pieces_defective", sa.Integer(), nullable=False),
        sa.Column("minutes_worked", sa.Integer(), nullable=False),
        sa.Column("wage_fen", sa.BigInteger(), nullable=True),
        sa.Column("pay_method", sa.String(length=10), nullable=False),
        sa.Column("pay_reference", sa.String(length=80), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_by", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "status IN ('assigned', 'checked_in', 'checked_out', 'paying', 'settled', 'cancelled', 'no_show')",
            name=op.f("ck_gig_assignments_status_known"),
        ),
        sa.CheckConstraint(
            "pieces_completed >= 0 AND pieces_accepted >= 0 AND pieces_defective >= 0",
            name=op.f("ck_gig_assignments_pieces_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["dispatched_by"], ["staff.id"], name=op.f("fk_gig_assignments_dispatched_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["gig_orders.id"], name=op.f("fk_gig_assignments_order_id_gig_orders")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_gig_assignments_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["settled_by"], ["staff.id"], name=op.f("fk_gig_assignments_settled_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_assignments")),
    )
    with op.batch_alter_table("gig_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gig_assignments_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_gig_assignments_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gig_assignments_site_code"), ["site_code"], unique=False
        )

    op.create_table(
        "walkins",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=False),
        sa.Column("referral", sa.String(length=120), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("void_reason", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "channel IN ('in_person', 'phone')", name=op.f("ck_walkins_channel_known")
        ),
        sa.CheckConstraint("headcount > 0", name=op.f("ck_walkins_headcount_positive")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_walkins_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["walkins.id"], name=op.f("fk_walkins_reverses_id_walkins")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_walkins_service_id_services")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_walkins_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walkins")),
    )
    with op.batch_alter_table("walkins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_walkins_business_date"), ["business_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_walkins_service_id"), ["service_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_walkins_site_code"), ["site_code"], unique=False)

    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("walkin_id", sa.Uuid(), nullable=True),
        sa.Column("gig_order_id", sa.Uuid(), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "method IN ('cash', 'wechat', 'alipay', 'unionpay', 'ecny')",
            name=op.f("ck_payments_method_known"),
        ),
        sa.ForeignKeyConstraint(
            ["gig_order_id"], ["gig_orders.id"], name=op.f("fk_payments_gig_order_id_gig_orders")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_payments_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["payments.id"], name=op.f("fk_payments_reverses_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_payments_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_payments_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["walkin_id"], ["walkins.id"], name=op.f("fk_payments_walkin_id_walkins")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payments_business_date"), ["business_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payments_site_code"), ["site_code"], unique=False)

    op.create_table(
        "closeouts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("opening_float_fen", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("expected_fen", sa.JSON(), nullable=False),
        sa.Column("counted_fen", sa.JSON(), nullable=False),
        sa.Column("over_short_fen", sa.JSON(), nullable=False),
        sa.Column("income_fen", sa.BigInteger(), nullable=False),
        sa.Column("partner_share_fen", sa.BigInteger(), nullable=False),
        sa.Column("community_proceeds_fen", sa.BigInteger(), nullable=False),
        sa.Column("rebate_fen", sa.BigInteger(), nullable=False),
        sa.Column("adjustments_fen", sa.BigInteger(), nullable=False),
        sa.Column("outbox_seq", sa.BigInteger(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=False),
        sa.Column("approved_by", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["staff.id"], name=op.f("fk_closeouts_approved_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["staff.id"], name=op.f("fk_closeouts_closed_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closeouts")),
        sa.UniqueConstraint("site_code", "business_date", name=op.f("uq_closeouts_site_code")),
    )
    with op.batch_alter_table("closeouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closeouts_site_code"), ["site_code"], unique=False)

    op.create_table(
        "adjustments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_date", sa.Date(), nullable=False),
        sa.Column("booked_date", sa.Date(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_adjustments_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_adjustments_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjustments")),
    )
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adjustments_booked_date"), ["booked_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_adjustments_closed_date"), ["closed_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_adjustments_site_code"), ["site_code"], unique=False)

    outbox.install(op.get_bind(), SYNCED)


def downgrade() -> None:
    op.drop_table("adjustments")
    op.drop_table("closeouts")
    op.drop_table("payments")
    op.drop_table("walkins")
    op.drop_table("gig_assignments")
    op.drop_table("gig_orders")
    op.drop_table("employers")
    op.drop_table("people")
