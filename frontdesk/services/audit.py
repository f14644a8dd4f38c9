"""The append-only audit trail. Details never hold a full ID number or phone."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from db.models import AuditLog
from db.types import utcnow


def record(
    session: Session,
    site_code: str,
    action: str,
    *,
    staff_id: uuid.UUID | None = None,
    entity: str = "",
    entity_id: uuid.UUID | None = None,
    detail: str = "",
    at: datetime | None = None,
    hq_staff_id: uuid.UUID | None = None,
) -> AuditLog:
    """Add an audit row to the caller's transaction, so it commits or rolls back with the act."""
    row = AuditLog(
        site_code=site_code,
        at=at or utcnow(),
        staff_id=staff_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
        hq_staff_id=hq_staff_id,
    )
    session.add(row)
    return row


class Acting(Protocol):
    """Who acts (services.acting.Actor), named here without importing it: acting imports auth,
    which writes audit rows."""

    @property
    def site_code(self) -> str: ...

    @property
    def staff_id(self) -> uuid.UUID: ...


def record_act(
    session: Session,
    actor: Acting,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    at: datetime,
    detail: str = "",
) -> AuditLog:
    """The audit row of a staff member's act on one row of `entity`, at the actor's desk."""
    return record(
        session,
        actor.site_code,
        action,
        staff_id=actor.staff_id,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
        at=at,
    )


def detail_of(*parts: str, via: str = "tui") -> str:
    """An audit detail: its parts, then `via=cli` (or another caller) when not the screen."""
    return " ".join([part for part in parts if part] + ([] if via == "tui" else [f"via={via}"]))
