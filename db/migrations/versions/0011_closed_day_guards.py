"""A closed day is closed against every write: REPLACE, upserts, MERGE and DELETE too

Revision ID: 0011
Revises: 0010

The triggers of 0005 and 0009 judged inserts and updates of walk-ins, attendees and income
entries, inserts of adjustments and updates of close-outs. SQLite's INSERT OR REPLACE (and
REPLACE INTO) deletes the row it replaces without firing a delete trigger, so it rewrote a
closed day's walk-in, moved a closed day's income entry to an open day and replaced a
close-out; an adjustment booked on a closed day and a closed day's opening float could be
updated; and nothing but the desk's outbox refused a delete. The triggers now refuse every
write to a closed day's rows, on desks and central stores, SQLite and PostgreSQL
(db/closed_days.py says how).
"""

from collections.abc import Sequence

from alembic import op

from db import closed_days

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    closed_days.guard(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    closed_days.unguard(conn)
    closed_days.install(conn)  # as 0005 made them
    closed_days.open_follow_ups(conn)  # and 0009 changed them
