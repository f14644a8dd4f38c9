"""Job fairs: the employers taking part, the postings they bring, referrals made there

Revision ID: 0020
Revises: 0019

`fair_employers` and `fair_postings` are site-owned synced tables (outbox triggers, and on
a central store the row-level security every synced table has, applied by `central init`),
one row per employer or posting and fair, removed by a mark. `referrals.session_id` names
the fair a referral was made at (source "fair"): a nullable column, so no row changes and
nothing is sent again. None of these tables is a closed day's (db/closed_days.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import outbox

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ["fair_employers", "fair_postings"]
FK = "fk_referrals_session_id_activity_sessions"


def _link_table(name: str, target: str, target_table: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column(target, sa.Uuid(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_sessions.id"],
            name=op.f(f"fk_{name}_session_id_activity_sessions"),
        ),
        sa.ForeignKeyConstraint(
            [target], [f"{target_table}.id"], name=op.f(f"fk_{name}_{target}_{target_table}")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f(f"fk_{name}_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("session_id", target, name=op.f(f"uq_{name}_session_id")),
    )
    op.create_index(op.f(f"ix_{name}_site_code"), name, ["site_code"])
    op.create_index(op.f(f"ix_{name}_session_id"), name, ["session_id"])


def upgrade() -> None:
    _link_table("fair_employers", "employer_id", "employers")
    _link_table("fair_postings", "posting_id", "job_postings")
    if op.get_bind().dialect.name == "sqlite":  # a reference only as the column is added
        op.execute(
            "ALTER TABLE referrals ADD COLUMN session_id CHAR(32) CONSTRAINT "
            f"{FK} REFERENCES activity_sessions (id)"
        )
    else:
        op.add_column("referrals", sa.Column("session_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(FK, "referrals", "activity_sessions", ["session_id"], ["id"])
    op.create_index(op.f("ix_referrals_session_id"), "referrals", ["session_id"])
    outbox.install(op.get_bind(), NEW_TABLES)


def downgrade() -> None:
    op.drop_index(op.f("ix_referrals_session_id"), table_name="referrals")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops no column a reference is on: the table is made again, and with it
        # its outbox triggers.
        with op.batch_alter_table("referrals", recreate="always") as batch:
            batch.drop_column("session_id")
        outbox.install(op.get_bind(), ["referrals"])
    else:
        op.drop_constraint(FK, "referrals", type_="foreignkey")
        op.drop_column("referrals", "session_id")
    for table in reversed(NEW_TABLES):
        op.drop_table(table)  # its triggers go with it
