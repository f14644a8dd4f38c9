"""The district's key: personal values sealed for head office too, the central store sealed

Revision ID: 0022
Revises: 0021

- `central_info.district_public_key`: the district's X25519 public key (made by `frontdesk
  central key create`), which desks take at the sync handshake into
  `desk_info.district_public_key` and seal new values to as well (`fd2.`, db/sealed.py);
  `desk_info.district_sealed_key` names the key of the desk's last complete re-seal.
- `district_key_slots`: the district's private key, wrapped per head-office key holder by
  scrypt(PIN) as a desk's key_slots (frontdesk/hq/district_keys.py); on PostgreSQL no
  role but the owner reads it (db/central.py).
- The sealed columns widen to 400 (an fd2 value is ~250 characters).
- On a central store that already has a district key, every plain value of
  `SEALED_COLUMNS` in the tables and the quarantine is sealed to it in place
  (db/central_seal.py: versions kept, triggers set aside, nothing pulled or sent again).
  Without one (the usual case: the key comes with this revision), `central key create`
  does that sealing in its own transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.central import is_central
from db.declared import redeclare

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("id_number", "phone")
OLD_WIDTH, NEW_WIDTH = 120, 400


def upgrade() -> None:
    conn = op.get_bind()
    empty = sa.text("''")
    for table in ("central_info", "desk_info"):
        op.add_column(
            table,
            sa.Column(
                "district_public_key", sa.String(length=64), nullable=False, server_default=empty
            ),
        )
    op.add_column(
        "desk_info",
        sa.Column(
            "district_sealed_key", sa.String(length=64), nullable=False, server_default=empty
        ),
    )
    op.create_table(
        "district_key_slots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hq_staff_id", sa.Uuid(), nullable=True),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("wrapped_private", sa.String(length=300), nullable=False),
        sa.Column("district_key", sa.String(length=300), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hq_staff_id"],
            ["hq_staff.id"],
            name=op.f("fk_district_key_slots_hq_staff_id_hq_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_key_slots")),
        sa.UniqueConstraint("hq_staff_id", name=op.f("uq_district_key_slots_hq_staff_id")),
    )
    _width(conn, OLD_WIDTH, NEW_WIDTH)
    if is_central(conn):
        public = conn.execute(sa.text("SELECT district_public_key FROM central_info")).scalar()
        if public:
            from db.central_seal import seal_central

            seal_central(conn, public, pairs=tuple(("people", c) for c in COLUMNS))


def _width(conn: sa.Connection, old: int, new: int) -> None:
    if conn.dialect.name == "postgresql":
        for column in COLUMNS:
            op.alter_column("people", column, type_=sa.String(length=new))
        return
    redeclare(conn, "people", {(f"{c} VARCHAR({old}) ", f"{c} VARCHAR({new}) ") for c in COLUMNS})


def downgrade() -> None:
    """Sealed values stay sealed (no key is at hand here): go back with the backup made
    before the upgrade to get the older encoding."""
    conn = op.get_bind()
    op.drop_table("district_key_slots")
    op.drop_column("desk_info", "district_sealed_key")
    for table in ("desk_info", "central_info"):
        op.drop_column(table, "district_public_key")
    if conn.dialect.name == "sqlite":
        _width(conn, NEW_WIDTH, OLD_WIDTH)
