"""Search keys for every combination of a name's readings

Revision ID: 0010
Revises: 0009

Keys used to cover the usual reading of a name plus one other reading of one character at
a time, so 单长乐 (单 shan, 长 chang) was not found by scl or shanchangle. db/search_keys.py
now indexes combinations of readings (up to MAX_COMBOS per name); this recomputes the keys
of everyone already registered. person_keys is local and derived: no synced row changes,
so nothing goes to the outbox. A central store keeps no search keys and is left alone.
"""

from collections.abc import Sequence

from alembic import op

from db import search_keys
from db.central import is_central

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    if not is_central(conn):
        search_keys.rebuild(conn)


def downgrade() -> None:
    # The keys of the old way are a subset of these: an older program finds everyone it
    # did before (and some more), so there is nothing to undo.
    pass
