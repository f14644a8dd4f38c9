"""Sync bookkeeping: desk sync state, central site registry, quarantine, reference changes

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STATE_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("acked_digest", sa.String(length=64), nullable=False, server_default=""),
    sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("clock_offset_s", sa.Integer(), nullable=False, server_default="0"),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): a rebuilt table would lose its triggers.
    for column in STATE_COLUMNS:
        op.add_column("sync_state", column)
    op.create_table(
        "central_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("database_uuid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_info")),
    )
    op.create_table(
        "sync_sites",
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("database_uuid", sa.Uuid(), nullable=True),
        sa.Column("high_water_seq", sa.BigInteger(), nullable=False),
        sa.Column("high_water_digest", sa.String(length=64), nullable=False),
        sa.Column("id_hash_key", sa.String(length=64), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_push_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_pull_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clock_offset_s", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site_code", name=op.f("pk_sync_sites")),
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_quarantine")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_sync_quarantine_site_code"), "sync_quarantine", ["site_code"], unique=False
    )
    op.create_index(op.f("ix_sync_quarantine_row_id"), "sync_quarantine", ["row_id"], unique=False)
    op.create_table(
        "central_changes",
        sa.Column("seq", SERIAL, autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_central_changes")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_rejects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_rejects")),
    )


def downgrade() -> None:
    for table in ("sync_rejects", "central_changes", "sync_quarantine", "sync_sites"):
        op.drop_table(table)
    op.drop_table("central_info")
    for column in STATE_COLUMNS:
        op.drop_column("sync_state", column.name)
