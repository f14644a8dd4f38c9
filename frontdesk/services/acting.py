"""Who acts: the staff member at a desk the services act for, and the managers among them.

Every service takes an Actor; the TUI builds it from who signed in, the command line from
the site's first active manager (audited with via=cli).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import Staff
from db.sealed import Opener
from db.session import reading
from frontdesk.errors import UserError
from frontdesk.services import personal_keys
from frontdesk.services.auth import confirm_pin


@dataclass(frozen=True)
class Actor:
    """Who does something at which desk."""

    site_code: str
    staff_id: uuid.UUID
    # The desk's personal-data key, opened by this manager's PIN just now (confirm_manager):
    # what an unmasked export reads full numbers with.
    key: Opener | None = field(default=None, repr=False, compare=False)


def require_manager(s: Session, actor: Actor) -> Staff:
    staff = s.get(Staff, actor.staff_id)
    if (
        staff is None
        or staff.site_code != actor.site_code
        or staff.role != "manager"
        or not staff.active
        or staff.deleted_at is not None
    ):
        raise UserError("reveal.manager_only", field="manager")
    return staff


def confirm_manager(
    engine: Engine, site_code: str, staff_id: uuid.UUID, pin: str, now: datetime
) -> Actor:
    """A manager re-types the PIN before an unmasked export; wrong PINs count towards the lock."""
    confirm_pin(engine, staff_id, pin, now, action="export_pin", role="manager")
    return Actor(site_code, staff_id, personal_keys.opener_for_reveal(engine, staff_id, pin))


def manager_named(engine: Engine, site_code: str, name: str) -> uuid.UUID:
    with reading(engine) as s:
        found = s.exec(_managers(site_code).where(Staff.name == name.strip())).first()
    if found is None:
        raise UserError("seeker_io.no_such_manager", field="manager", name=name.strip())
    return found.id


def cli_actor(engine: Engine, site_code: str) -> Actor:
    """The command line acts as the site's first active manager (audited with via=cli)."""
    with reading(engine) as s:
        first = s.exec(_managers(site_code).order_by(Staff.created_at, Staff.name)).first()
    if first is None:
        raise UserError("seeker_io.no_manager", site=site_code)
    return Actor(site_code, first.id)


def _managers(site_code: str):
    return select(Staff).where(
        Staff.site_code == site_code,
        Staff.role == "manager",
        Staff.active,
        col(Staff.deleted_at).is_(None),
    )
