"""Business days with their float, close-out details, and closed days made immutable

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import closed_days, outbox

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = (
    sa.Column("walkins", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("partner_lines", sa.JSON(), nullable=False, server_default="[]"),
    sa.Column("cash_count", sa.JSON(), nullable=False, server_default="{}"),
    sa.Column("rebate_rate_bp", sa.Integer(), nullable=False, server_default="2000"),
    sa.Column(
        "rebate_base", sa.String(length=20), nullable=False, server_default="community_share"
    ),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): a rebuilt table would lose its triggers.
    for column in NEW_COLUMNS:
        op.add_column("closeouts", column)
    op.create_table(
        "business_days",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("opening_float_fen", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["staff.id"], name=op.f("fk_business_days_opened_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_days")),
        sa.UniqueConstraint("site_code", "business_date", name=op.f("uq_business_days_site_code")),
    )
    op.create_index(
        op.f("ix_business_days_site_code"), "business_days", ["site_code"], unique=False
    )
    outbox.install(op.get_bind(), ["business_days"])
    closed_days.install(op.get_bind())


def downgrade() -> None:
    closed_days.uninstall(op.get_bind())
    op.drop_table("business_days")
    with op.batch_alter_table("closeouts") as batch_op:
        for column in NEW_COLUMNS:
            batch_op.drop_column(column.name)
    if op.get_bind().dialect.name == "sqlite":  # the batch rebuild dropped its triggers
        outbox.install(op.get_bind(), ["closeouts"])
