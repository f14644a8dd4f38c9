"""Closing the money never stops the desk: a walk-in may be logged after its day closed

Revision ID: 0014
Revises: 0013

`walkins.after_close` marks a visit logged after its business day was closed. Such a visit
counts for the day it happened in the visit statistics, while that day's close-out (which
never counted it) keeps its figures; the money of a paid one is booked into the next open
day. The closed-day triggers are made again (db/closed_days.py): they let such a walk-in
and its attendees be inserted on a closed day, and compare the new column like every other.
Desks and central stores alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import closed_days

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "walkins",
        sa.Column("after_close", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    closed_days.guard(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    closed_days.unguard(conn)  # the triggers name the column: they go first
    op.drop_column("walkins", "after_close")
    closed_days.guard(conn)  # as 0011 made them
