"""A close-out keeps its reconciliation against the payment platforms' bills

Revision ID: 0017
Revises: 0016

`closeouts.reconciled` holds, per mobile method whose bill was imported at the close, the
bill file's digest and the matched and unmatched counts and amounts; the close-out's hash
covers it (services/closeout.py). A method absent from it was not reconciled. The
closed-day triggers are made again (db/closed_days.py) so that the new column is compared
like every other. Desks and central stores alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import closed_days

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): a rebuilt table would lose its triggers.
    op.add_column(
        "closeouts", sa.Column("reconciled", sa.JSON(), nullable=False, server_default="{}")
    )
    closed_days.guard(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    closed_days.unguard(conn)  # the triggers name the column: they go first
    op.drop_column("closeouts", "reconciled")
    closed_days.guard(conn)
