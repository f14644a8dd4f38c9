"""Send a quarantined row again once its cause is put right (a parent arrived centrally,
head office fixed reference data).

The central store applies only newer row versions and has never applied a refused one,
so the row goes again at the version it has now: a new outbox entry names it, the next
push sends it, and the central store marks the quarantine resolved when it takes it.
Nothing about the row itself changes, so no version is spent on a retry.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, insert, select

from db.models import Outbox, synced_tables
from db.types import utcnow
from frontdesk.errors import UserError
from frontdesk.sync.apply import table
from frontdesk.sync.link import writer


def resend(engine: Engine, table_name: str, row_id: uuid.UUID) -> int:
    """Queue the row's current version for the next push; its version."""
    if table_name not in synced_tables():
        raise UserError("sync.resend_unknown", field="rejects", table=table_name)
    tbl = table(table_name)
    with writer(engine).begin() as conn:
        version = conn.execute(
            select(tbl.c.row_version).where(tbl.c.id == row_id)
        ).scalar_one_or_none()
        if version is None:
            raise UserError("sync.resend_missing", field="rejects", row=row_id.hex[:8])
        conn.execute(
            insert(Outbox).values(
                table_name=table_name,
                row_id=row_id,
                row_version=version,
                op="R",
                created_at=utcnow(),
            )
        )
    return version
