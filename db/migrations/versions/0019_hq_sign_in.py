"""Head office signs in: its own accounts, and audit rows that name who wrote them

Revision ID: 0019
Revises: 0018

- `hq_staff`: head office's accounts (name, role, the desks' salted scrypt PIN hash, the
  wrong-PIN count and lock). A plain table, never synced: it stays empty on a desk, and
  on PostgreSQL the read-only head-office role may not read it (db/central.py).
- `audit_log.hq_staff_id`: the account signed in at head office when the row was written
  (empty on a desk's rows). A nullable column: no row changes, nothing is sent again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hq_staff",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_pins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('viewer', 'editor', 'keyholder')", name=op.f("ck_hq_staff_hq_role_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_staff")),
        sa.UniqueConstraint("name", name=op.f("uq_hq_staff_name")),
    )
    op.add_column("audit_log", sa.Column("hq_staff_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_log", "hq_staff_id")
    op.drop_table("hq_staff")
