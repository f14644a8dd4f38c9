"""A closed day's walk-in may still record that its follow-up was done

Revision ID: 0009
Revises: 0008

The closed-day triggers of 0005 refused every update of a closed day's walk-in, so marking
a follow-up done (which changes none of the day's figures) failed at the desk and, once
synced, at the central store. The walk-in triggers now compare OLD and NEW column by
column and refuse only a change outside the follow-up bookkeeping (db/closed_days.py).
"""

from collections.abc import Sequence

from alembic import op

from db import closed_days

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    closed_days.open_follow_ups(op.get_bind())


def downgrade() -> None:
    closed_days.close_follow_ups(op.get_bind())
