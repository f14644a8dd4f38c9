"""Quick keys on services, follow-ups done, and registered attendees of events

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import outbox

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): a rebuilt table would lose its outbox triggers.
    op.add_column(
        "services", sa.Column("quick_key", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("walkins", sa.Column("followed_up_at", sa.DateTime(timezone=True)))
    op.create_table(
        "walkin_attendees",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("walkin_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_walkin_attendees_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["walkin_id"], ["walkins.id"], name=op.f("fk_walkin_attendees_walkin_id_walkins")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walkin_attendees")),
        sa.UniqueConstraint("walkin_id", "person_id", name=op.f("uq_walkin_attendees_walkin_id")),
    )
    op.create_index(
        op.f("ix_walkin_attendees_site_code"), "walkin_attendees", ["site_code"], unique=False
    )
    op.create_index(
        op.f("ix_walkin_attendees_walkin_id"), "walkin_attendees", ["walkin_id"], unique=False
    )
    outbox.install(op.get_bind(), ["walkin_attendees"])


def downgrade() -> None:
    op.drop_table("walkin_attendees")
    for table, column in (("services", "quick_key"), ("walkins", "followed_up_at")):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)
        if op.get_bind().dialect.name == "sqlite":  # the batch rebuild dropped its triggers
            outbox.install(op.get_bind(), [table])
