"""Gig dispatch: per-person job keys for ranking, one open assignment per worker per order

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import job_keys

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ASSIGNMENT = sa.text("NOT (status IN ('cancelled', 'no_show'))")


def upgrade() -> None:
    op.create_table(
        "person_jobs",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("desired", sa.Integer(), nullable=False),
        sa.Column("skilled", sa.Integer(), nullable=False),
        sa.Column("avail", sa.Integer(), nullable=False),
        sa.Column("reliability", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_jobs_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", "job", name=op.f("pk_person_jobs")),
    )
    # Covering: the ranking reads site, job and every score column from the index alone.
    op.create_index(
        "ix_person_jobs_rank",
        "person_jobs",
        ["site_code", "job", "desired", "skilled", "avail", "reliability", "person_id"],
        unique=False,
    )
    op.create_index(
        "uq_gig_assignments_open",
        "gig_assignments",
        ["order_id", "person_id"],
        unique=True,
        sqlite_where=OPEN_ASSIGNMENT,
        postgresql_where=OPEN_ASSIGNMENT,
    )
    # People registered before this revision (demo desks) become candidates.
    job_keys.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("uq_gig_assignments_open", table_name="gig_assignments")
    op.drop_index("ix_person_jobs_rank", table_name="person_jobs")
    op.drop_table("person_jobs")
