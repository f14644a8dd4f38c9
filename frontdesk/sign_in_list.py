"""The sign-in list: who may sign in at this desk and how, read before the ORM loads.

The sign-in screen is usable once this list shows, so it is read with sqlite3 alone
(db/peek.py) while SQLAlchemy and the services load in the background. When the quick
read cannot be trusted (a schema to upgrade, another site's file, a damaged store) it
says so with None, and the screen opens the desk the full way, which upgrades the file or
names what is wrong, before reading the list again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.errors import StoreError
from db.peek import peek_desk
from frontdesk.demo_accounts import DEMO_STAFF
from frontdesk.domain.pin_rules import sign_in_way


@dataclass(frozen=True)
class StaffChoice:
    """A name on the sign-in list and how that person signs in at this desk."""

    id: uuid.UUID
    name: str
    role: str
    pin: str  # "pin" (a PIN at this desk), "code" (a one-time code waits) or "none"


@dataclass(frozen=True)
class SignInList:
    site_code: str
    site_name: str
    staff: list[StaffChoice]  # managers first, then by name
    demo_pins: list[tuple[str, str]]  # (name, PIN) of the demo's accounts, demo desks only
    unclosed: list[date]  # past days with activity and no close-out, flagged before sign-in


def sign_in_list(path: Path, expected_site: str, today: date) -> SignInList | None:
    """The list of the desk file at `path`, or None when only the full open can tell."""
    peek = peek_desk(path, today)
    if peek is None or (expected_site and expected_site.upper() != peek.site_code):
        return None
    staff = [
        StaffChoice(s.id, s.name, s.role, sign_in_way(open_reset=s.open_reset, has_pin=s.has_pin))
        for s in peek.staff
    ]
    return SignInList(
        peek.site_code, peek.site_name, staff, _demo_pins(staff) if peek.demo else [], peek.unclosed
    )


def read_sign_in_list(
    path: Path, expected_site: str, today: date, open_desk: Callable[[], object]
) -> SignInList:
    """The list read with sqlite3 alone, or after `open_desk` (the full open, which upgrades
    the file or raises what is wrong) when the quick read cannot be trusted."""
    found = sign_in_list(path, expected_site, today)
    if found is None:
        open_desk()
        found = sign_in_list(path, expected_site, today)
    if found is None:  # the file opened, so it was busy past the wait
        raise StoreError("busy", path=str(path))
    return found


def _demo_pins(staff: list[StaffChoice]) -> list[tuple[str, str]]:
    """Each demo account's PIN beside its name, in the list's order (who has a PIN here)."""
    pins = {name: pin for name, _role, pin in DEMO_STAFF}
    return [(s.name, pins[s.name]) for s in staff if s.name in pins and s.pin == "pin"]
