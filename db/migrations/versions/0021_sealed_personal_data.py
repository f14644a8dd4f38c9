"""Full ID numbers and phones sealed at the desk, the desk's key in PIN slots

Revision ID: 0021
Revises: 0019

- `people.id_masked`, `people.phone_masked`: the masked forms, kept beside the tails so
  lists, search and head office never need the full numbers.
- `desk_info.data_public_key`, `desk_info.data_key_pending`, and the local table
  `key_slots` (never synced): see frontdesk/services/personal_keys.py.
- On a desk: a key pair is made, every person's ID number and phone are sealed to its
  public key in place (db/sealed.py), and the private key waits in `data_key_pending`
  until a manager's PIN takes it into a slot (no PIN is known here). The rows keep their
  versions and the outbox triggers are set aside for the update: only the desk's local
  encoding changed, so nothing is sent again. The program backs the file up before any
  upgrade (db/migrate.py); the whole revision is one transaction.
- On a central store: the columns; on PostgreSQL the two sealed columns widen (a sealed
  value is about 110 characters). Rows already there keep what desks sent before (sealing
  them to head office's key is issue 22's item 2).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.central import is_central

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    empty = sa.text("''")
    op.add_column(
        "people", sa.Column("id_masked", sa.String(length=18), nullable=False, server_default=empty)
    )
    op.add_column(
        "people",
        sa.Column("phone_masked", sa.String(length=20), nullable=False, server_default=empty),
    )
    for name in ("data_public_key", "data_key_pending"):
        op.add_column(
            "desk_info",
            sa.Column(name, sa.String(length=64), nullable=False, server_default=empty),
        )
    op.create_table(
        "key_slots",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("wrapped_private", sa.String(length=300), nullable=False),
        sa.Column("desk_key", sa.String(length=300), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_key_slots_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_key_slots")),
    )
    if conn.dialect.name == "postgresql":
        for column in ("id_number", "phone"):
            op.alter_column("people", column, type_=sa.String(length=120))
    if is_central(conn):
        return
    has_desk = conn.execute(sa.text("SELECT count(*) FROM desk_info")).scalar()
    if has_desk:
        _seal_desk(conn)


def _seal_desk(conn: sa.Connection) -> None:
    # The program's own sealing (one home for how a person's numbers are stored).
    from db.sealed import b64, new_key_pair
    from frontdesk.services.personal_keys import seal_people_in_place

    private, public = new_key_pair()
    conn.execute(
        sa.text("UPDATE desk_info SET data_public_key = :pub, data_key_pending = :pending"),
        {"pub": public, "pending": b64(private)},
    )
    seal_people_in_place(conn, public)


def downgrade() -> None:
    """Back to plain numbers where this desk's pending or a held key could open them is not
    possible here (no PIN): a downgrade keeps the sealed values, which the older program
    would show as they are. Restore the backup made before the upgrade instead."""
    op.drop_table("key_slots")
    for name in ("data_key_pending", "data_public_key"):
        op.drop_column("desk_info", name)
    op.drop_column("people", "phone_masked")
    op.drop_column("people", "id_masked")
