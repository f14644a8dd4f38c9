"""Addresses, residents' phones and individual employers' phones sealed at the desk

Revision ID: 0023
Revises: 0021

The (table, column) pairs of db/sealed_columns.py, sealed like a seeker's ID number
(revision 0021, db/sealed.py):

- `people.address_masked`, `residents.phone_masked`, `employers.phone_masked`: the masked
  forms screens and exports show; `residents.phone_hash` (indexed with the site): the keyed
  hash a resident is found by, with the ID numbers' key (it follows the district's key).
- The sealed columns widen (people.address to 1000, the phones to 120 characters): on
  PostgreSQL the type changes, on SQLite only the declaration (db/declared.py).
- On a desk: every plain address, resident's phone and individual employer's phone is
  sealed to the desk's public key in place (frontdesk/services/sealed_contacts.py), and
  the masked forms and hashes are filled in. The rows keep their versions and the row
  triggers are set aside for the update, as in 0021: nothing is sent again. The program
  backs the file up before any upgrade (db/migrate.py); the revision is one transaction.
- On a central store: the columns only (what desks sent stays as it was sent).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.central import is_central
from db.sealed_columns import SEALED_WIDTH

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_WIDTH = {("people", "address"): 200, ("residents", "phone"): 20, ("employers", "phone"): 20}
MASKED = {
    "people": ("address_masked", 200),
    "residents": ("phone_masked", 20),
    "employers": ("phone_masked", 20),
}
INDEX = "ix_residents_site_phone_hash"


def upgrade() -> None:
    conn = op.get_bind()
    empty = sa.text("''")
    for table, (column, width) in MASKED.items():
        op.add_column(
            table,
            sa.Column(column, sa.String(length=width), nullable=False, server_default=empty),
        )
    op.add_column(
        "residents",
        sa.Column("phone_hash", sa.String(length=64), nullable=False, server_default=empty),
    )
    op.create_index(INDEX, "residents", ["site_code", "phone_hash"])
    _declare(conn, OLD_WIDTH, SEALED_WIDTH)
    if is_central(conn):
        _seal_central(conn)
        return
    info = conn.execute(
        sa.text("SELECT data_public_key, id_hash_key, district_public_key FROM desk_info")
    ).first()
    if info is not None and info[0]:
        from frontdesk.services.sealed_contacts import seal_in_place

        seal_in_place(conn, info[0], info[1], info[2])


def _seal_central(conn: sa.Connection) -> None:
    """A central store with a district key: the new pairs' plain values sealed to it (the
    ones pushed before desks sealed them); without one, `central key create` does it."""
    public = conn.execute(sa.text("SELECT district_public_key FROM central_info")).scalar()
    if public:
        from db.central_seal import seal_central

        new_pairs = (("people", "address"), ("residents", "phone"), ("employers", "phone"))
        seal_central(conn, public, pairs=new_pairs)


def _declare(
    conn: sa.Connection, old: dict[tuple[str, str], int], new: dict[tuple[str, str], int]
) -> None:
    if conn.dialect.name == "postgresql":
        for (table, column), width in new.items():
            op.alter_column(table, column, type_=sa.String(length=width))
        return
    from db.declared import redeclare

    for (table, column), width in new.items():
        was = old[table, column]
        redeclare(conn, table, {(f"{column} VARCHAR({was}) ", f"{column} VARCHAR({width}) ")})


def downgrade() -> None:
    """No PIN here to open the sealed values: they stay sealed (go back with the backup
    made before the upgrade); the columns added go, the widths stay wide on PostgreSQL."""
    conn = op.get_bind()
    op.drop_index(INDEX, table_name="residents")
    op.drop_column("residents", "phone_hash")
    for table, (column, _) in MASKED.items():
        op.drop_column(table, column)
    if conn.dialect.name != "postgresql":
        _declare(conn, SEALED_WIDTH, OLD_WIDTH)
