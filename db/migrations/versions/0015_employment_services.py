"""Employment services: one employer table, job postings, referrals and their outcomes

Revision ID: 0015
Revises: 0014

The micro-factory's `employers` gain what the gig market needs (credit code, kind,
consent to publish the phone); a credit code names one employer per site (partial unique
index: individuals hiring may have none). `job_postings`, `referrals` and
`referral_events` are site-owned synced tables with outbox triggers; one open referral per
seeker per posting is a partial unique index. `person_jobs` gains the monthly pay wished
for with each job, which the ranking compares with a posting's pay; its covering index is
made again with that column and every person's rows are recomputed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import job_keys, outbox

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HAS_CREDIT_CODE = sa.text("credit_code <> ''")
OPEN_REFERRAL = sa.text("NOT (outcome IN ('not_hired', 'withdrew'))")
OUTCOMES = "('referred', 'interviewed', 'intention', 'placed', 'not_hired', 'withdrew')"
NEW_TABLES = ["job_postings", "referrals", "referral_events"]
RANK_OLD = ["site_code", "job", "desired", "skilled", "avail", "reliability", "person_id"]
RANK_NEW = [*RANK_OLD[:-1], "pay_fen", "person_id"]


def _synced() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    _employers()
    _postings()
    _referrals()
    _person_jobs_pay()
    outbox.install(op.get_bind(), NEW_TABLES)


def _employers() -> None:
    text = sa.String
    op.add_column(
        "employers", sa.Column("credit_code", text(18), nullable=False, server_default="")
    )
    op.add_column(
        "employers", sa.Column("kind", text(20), nullable=False, server_default="company")
    )
    op.add_column(
        "employers",
        sa.Column("publish_phone", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "uq_employers_site_credit_code",
        "employers",
        ["site_code", "credit_code"],
        unique=True,
        sqlite_where=HAS_CREDIT_CODE,
        postgresql_where=HAS_CREDIT_CODE,
    )


def _postings() -> None:
    op.create_table(
        "job_postings",
        *_synced(),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("job_type", sa.String(length=40), nullable=False),
        sa.Column("job_key", sa.String(length=40), nullable=False),
        sa.Column("positions", sa.Integer(), nullable=False),
        sa.Column("pay_min_fen", sa.BigInteger(), nullable=False),
        sa.Column("pay_max_fen", sa.BigInteger(), nullable=False),
        sa.Column("pay_unit", sa.String(length=5), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("hours", sa.String(length=120), nullable=False),
        sa.Column("hours_mask", sa.Integer(), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("education", sa.String(length=2), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("requirements", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'filled', 'withdrawn')", name=op.f("ck_job_postings_status_known")
        ),
        sa.CheckConstraint(
            "pay_unit IN ('hour', 'day', 'month', 'piece')",
            name=op.f("ck_job_postings_pay_unit_known"),
        ),
        sa.CheckConstraint(
            "source IN ('desk', 'phone', 'fair')", name=op.f("ck_job_postings_source_known")
        ),
        sa.CheckConstraint("positions > 0", name=op.f("ck_job_postings_positions_positive")),
        sa.CheckConstraint(
            "pay_min_fen > 0 AND pay_max_fen >= pay_min_fen", name=op.f("ck_job_postings_pay_range")
        ),
        sa.CheckConstraint("valid_until >= valid_from", name=op.f("ck_job_postings_dates_order")),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_job_postings_employer_id_employers")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_job_postings_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_postings")),
    )
    op.create_index("ix_job_postings_site_code", "job_postings", ["site_code"])
    op.create_index("ix_job_postings_employer_id", "job_postings", ["employer_id"])
    op.create_index(
        "ix_job_postings_match", "job_postings", ["site_code", "job_key", "status", "valid_until"]
    )


def _referrals() -> None:
    op.create_table(
        "referrals",
        *_synced(),
        sa.Column("posting_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=5), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(f"outcome IN {OUTCOMES}", name=op.f("ck_referrals_outcome_known")),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["job_postings.id"], name=op.f("fk_referrals_posting_id_job_postings")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_referrals_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_referrals_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index("ix_referrals_site_code", "referrals", ["site_code"])
    op.create_index("ix_referrals_posting_id", "referrals", ["posting_id"])
    op.create_index("ix_referrals_person_id", "referrals", ["person_id"])
    op.create_index("ix_referrals_follow_up", "referrals", ["site_code", "follow_up_on"])
    op.create_index(
        "uq_referrals_open",
        "referrals",
        ["posting_id", "person_id"],
        unique=True,
        sqlite_where=OPEN_REFERRAL,
        postgresql_where=OPEN_REFERRAL,
    )
    op.create_table(
        "referral_events",
        *_synced(),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint(f"outcome IN {OUTCOMES}", name=op.f("ck_referral_events_outcome_known")),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_events_referral_id_referrals"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_referral_events_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_events")),
    )
    op.create_index("ix_referral_events_site_code", "referral_events", ["site_code"])
    op.create_index("ix_referral_events_referral_id", "referral_events", ["referral_id"])


def _person_jobs_pay() -> None:
    op.add_column(
        "person_jobs", sa.Column("pay_fen", sa.Integer(), nullable=False, server_default="0")
    )
    op.drop_index("ix_person_jobs_rank", table_name="person_jobs")
    op.create_index("ix_person_jobs_rank", "person_jobs", RANK_NEW)
    job_keys.rebuild(op.get_bind())  # the wished-for pay of everyone on file


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)  # its triggers go with it
    op.drop_index("ix_person_jobs_rank", table_name="person_jobs")
    with op.batch_alter_table("person_jobs") as batch:  # person_jobs has no triggers
        batch.drop_column("pay_fen")
    op.create_index("ix_person_jobs_rank", "person_jobs", RANK_OLD)
    op.drop_index("uq_employers_site_credit_code", table_name="employers")
    for column in ("publish_phone", "kind", "credit_code"):
        op.drop_column("employers", column)
