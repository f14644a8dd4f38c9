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
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIDTHS = {"id_number": 18, "phone": 20}  # the sealed columns' widths before this revision


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
    _widen(conn, WIDTHS)
    if is_central(conn):
        return
    has_desk = conn.execute(sa.text("SELECT count(*) FROM desk_info")).scalar()
    if has_desk:
        _seal_desk(conn)


def _widen(conn: sa.Connection, columns: dict[str, int], to: int = 120) -> None:
    """The sealed columns' declared width. PostgreSQL alters the type. SQLite never checks a
    declared length and keeps the text as it is, so only the declaration changes, in the
    table's stored CREATE statement (SQLite's documented way for a change that leaves the
    file's format alone; rebuilding the table would drop its triggers and foreign keys)."""
    if conn.dialect.name == "postgresql":
        for column in columns:
            op.alter_column("people", column, type_=sa.String(length=to))
        return
    _declare(conn, {(f"{c} VARCHAR({w}) ", f"{c} VARCHAR({to}) ") for c, w in columns.items()})


def _declare(conn: sa.Connection, changes: set[tuple[str, str]]) -> None:
    """Rewrite column declarations in people's stored CREATE statement (SQLite)."""
    from db.declared import redeclare

    redeclare(conn, "people", changes)


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
    """A downgrade has no PIN to open the sealed values: they stay sealed, and the older
    program would show them as they are. Go back with the backup made before the upgrade."""
    conn = op.get_bind()
    op.drop_table("key_slots")
    for name in ("data_key_pending", "data_public_key"):
        op.drop_column("desk_info", name)
    op.drop_column("people", "phone_masked")
    op.drop_column("people", "id_masked")
    _narrow(conn)


def _narrow(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        return  # sealed values would not fit the old width: the wide columns stay
    _declare(conn, {(f"{c} VARCHAR(120) ", f"{c} VARCHAR({w}) ") for c, w in WIDTHS.items()})
