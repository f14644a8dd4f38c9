"""Receipts numbered per desk and kept for reprints; the receipt series of a desk

Revision ID: 0018
Revises: 0017

`receipts` holds one receipt per paid entry: its number and what it says as issued
(db/models/receipts.py), a synced, site-owned table with outbox triggers. A desk's
numbers are `series`-`number`: `desk_info.receipt_series` is 1 for a desk made by init, and
`sync_sites.receipt_series` (central) remembers the series of the desk bound to the site,
so a restore gives the rebuilt desk the next one (frontdesk/sync/restore.py). On a central
store `central init` grants the site roles their rights on the new table, as for every
synced table (db/central.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import outbox

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("series", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=False),
        sa.Column("site_name", sa.String(length=120), nullable=False),
        sa.Column("service_zh", sa.String(length=120), nullable=False),
        sa.Column("service_en", sa.String(length=120), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_name", sa.String(length=60), nullable=False),
        sa.CheckConstraint(
            "method IN ('cash', 'wechat', 'alipay', 'unionpay', 'ecny')",
            name=op.f("ck_receipts_method_known"),
        ),
        sa.CheckConstraint("series > 0 AND number > 0", name=op.f("ck_receipts_number_positive")),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["staff.id"], name=op.f("fk_receipts_issued_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_receipts_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_receipts_payment_id")),
        sa.UniqueConstraint("site_code", "series", "number", name=op.f("uq_receipts_number")),
    )
    op.create_index(op.f("ix_receipts_site_code"), "receipts", ["site_code"], unique=False)
    outbox.install(op.get_bind(), ["receipts"])
    for table in ("desk_info", "sync_sites"):
        op.add_column(
            table,
            sa.Column("receipt_series", sa.Integer(), nullable=False, server_default="1"),
        )


def downgrade() -> None:
    op.drop_column("sync_sites", "receipt_series")
    op.drop_column("desk_info", "receipt_series")
    op.drop_table("receipts")
