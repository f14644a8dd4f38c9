"""PIN hashes stay at the desk; head office resets a PIN by a one-time code; the wrong-PIN
lock is read from the audit trail

Revision ID: 0013
Revises: 0012

- `staff.pin_hash` was a column of a synced table, so every site's PIN hashes travelled to
  the central store (and a four-digit PIN's scrypt hash falls offline in minutes). On a desk
  the hashes move into `staff_pins`, which never syncs; the column is dropped everywhere,
  and on a central store the refused staff rows kept in the quarantine lose it from their
  payload too.
- Head office's reset travels as `staff.pin_reset_id`, `pin_reset_at` and `pin_reset_hash`
  (a salted scrypt hash of a 16-digit one-time code); a desk remembers the resets used in
  `used_pin_resets`.
- `pin_guard` goes: deleting its rows lifted a lockout. The lock is now read from the
  append-only audit trail (frontdesk/services/auth.py), which the new index on
  (staff_id, entity, id) makes one short index range per PIN check.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.central import is_central

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    central = is_central(conn)
    op.create_table(
        "staff_pins",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_pins_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_pins")),
    )
    op.create_table(
        "used_pin_resets",
        sa.Column("reset_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_used_pin_resets_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("reset_id", name=op.f("pk_used_pin_resets")),
    )
    op.add_column("staff", sa.Column("pin_reset_id", sa.Uuid(), nullable=True))
    op.add_column("staff", sa.Column("pin_reset_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "staff",
        sa.Column("pin_reset_hash", sa.String(length=200), nullable=False, server_default=""),
    )
    if not central:
        # A desk keeps the PINs it has; no synced row changes, so nothing is sent.
        conn.execute(
            sa.text(
                "INSERT INTO staff_pins (staff_id, pin_hash, set_at) "
                "SELECT id, pin_hash, updated_at FROM staff WHERE pin_hash <> ''"
            )
        )
    # A plain column drop on both dialects (SQLite 3.35+): the table, its triggers and the
    # foreign keys pointing at it stay as they are.
    op.drop_column("staff", "pin_hash")
    _scrub_quarantine(conn)
    op.create_index(
        "ix_audit_log_pin_checks", "audit_log", ["staff_id", "entity", "id"], unique=False
    )
    op.drop_table("pin_guard")


def _scrub_quarantine(conn: sa.Connection) -> None:
    """Refused staff rows kept centrally held their PIN hash in the payload: take it out."""
    rows = conn.execute(
        sa.text("SELECT id, payload FROM sync_quarantine WHERE table_name = 'staff'")
    ).all()
    for row_id, payload in rows:
        try:
            data = json.loads(payload or "{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            cleaned = ""  # not a row we can read: keep nothing rather than a hash
        elif "pin_hash" not in data:
            continue
        else:
            data.pop("pin_hash")
            cleaned = json.dumps(data, ensure_ascii=False, sort_keys=True)
        conn.execute(
            sa.text("UPDATE sync_quarantine SET payload = :p WHERE id = :i"),
            {"p": cleaned, "i": row_id},
        )


def downgrade() -> None:
    conn = op.get_bind()
    op.create_table(
        "pin_guard",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_pin_guard_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_pin_guard")),
    )
    op.drop_index("ix_audit_log_pin_checks", table_name="audit_log")
    op.add_column(
        "staff",
        sa.Column("pin_hash", sa.String(length=200), nullable=False, server_default=""),
    )
    # The older program reads the PIN from the staff row: each desk PIN goes back there as
    # a new version of the row (the triggers refuse an update that keeps the version).
    conn.execute(
        sa.text(
            "UPDATE staff SET row_version = row_version + 1, pin_hash = "
            "(SELECT p.pin_hash FROM staff_pins p WHERE p.staff_id = staff.id) "
            "WHERE id IN (SELECT staff_id FROM staff_pins)"
        )
    )
    op.drop_column("staff", "pin_reset_hash")
    op.drop_column("staff", "pin_reset_at")
    op.drop_column("staff", "pin_reset_id")
    op.drop_table("used_pin_resets")
    op.drop_table("staff_pins")
