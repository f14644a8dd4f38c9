"""People search keys and the desk's ID-hash key

Revision ID: 0003
Revises: 0002
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import search_keys

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_keys_person_id_people")
        ),
        sa.PrimaryKeyConstraint("site_code", "key", "person_id", name=op.f("pk_person_keys")),
    )
    # The list opens newest first (UUIDv7 ids): read this index backwards, no sort.
    op.create_index("ix_people_site_id", "people", ["site_code", "id"], unique=False)
    with op.batch_alter_table("desk_info") as batch_op:
        batch_op.add_column(
            sa.Column("id_hash_key", sa.String(length=64), nullable=False, server_default="")
        )
    # An existing desk gets its own random key (registration arrives with this revision).
    op.execute(
        sa.text("UPDATE desk_info SET id_hash_key = :key").bindparams(key=secrets.token_hex(32))
    )
    with op.batch_alter_table("desk_info") as batch_op:
        batch_op.alter_column("id_hash_key", server_default=None)
    # People registered before this revision (demo desks) become searchable.
    search_keys.rebuild(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("desk_info") as batch_op:
        batch_op.drop_column("id_hash_key")
    op.drop_table("person_keys")
    op.drop_index("ix_people_site_id", table_name="people")
