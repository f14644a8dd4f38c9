"""PINs: salted scrypt hashes, five wrong tries lock the account for a minute."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from db.models import PinGuard, Staff
from db.session import reading, writing
from frontdesk.errors import UserError
from frontdesk.services.audit import record

MAX_FAILURES = 5
LOCK_SECONDS = 60
PIN_RE = re.compile(r"^[0-9]{4,8}$")
# scrypt cost: ~50 ms on an old desk PC; slow for guessing, quick enough for a person.
_N, _R, _P = 2**14, 8, 1


def normalise_pin(pin: str) -> str:
    """Full-width digits from a Chinese input method count as the digits they show."""
    return unicodedata.normalize("NFKC", pin or "")


def validate_pin(pin: str) -> str:
    pin = normalise_pin(pin)
    if not PIN_RE.match(pin):
        raise UserError("pin.format", field="pin")
    return pin


def hash_pin(pin: str) -> str:
    pin = validate_pin(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    got = hashlib.scrypt(
        normalise_pin(pin).encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(got, expected)


@dataclass(frozen=True)
class SignedIn:
    staff_id: uuid.UUID
    name: str
    role: str
    site_code: str


def active_staff(engine: Engine) -> list[Staff]:
    with reading(engine) as s:
        rows = s.exec(
            select(Staff)
            .where(Staff.active, Staff.deleted_at.is_(None))
            .order_by(Staff.role != "manager", Staff.name)  # managers first
        )
        return list(rows)


def sign_in(engine: Engine, staff_id: uuid.UUID, pin: str, now: datetime) -> SignedIn:
    """Check a PIN to sign in (or unlock). Wrong PINs count towards the lock."""
    staff = confirm_pin(engine, staff_id, pin, now, action="signin")
    return SignedIn(staff.id, staff.name, staff.role, staff.site_code)


def confirm_pin(
    engine: Engine,
    staff_id: uuid.UUID,
    pin: str,
    now: datetime,
    *,
    action: str,
    role: str | None = None,
) -> Staff:
    """Every PIN prompt goes through here: one lock, one count, one audit trail.

    `action` names the audit rows ("signin", "reveal", ...); `role` requires that role.
    """
    with writing(engine) as s:
        staff = s.get(Staff, staff_id)
        if staff is None or not staff.active or staff.deleted_at is not None:
            raise UserError("signin.unknown_staff", field="staff")
        if role is not None and staff.role != role:
            raise UserError("reveal.manager_only", field="staff")
        guard = s.get(PinGuard, staff_id) or PinGuard(staff_id=staff_id)
        if guard.locked_until is not None and guard.locked_until > now:
            seconds = int((guard.locked_until - now).total_seconds()) + 1
            raise UserError("signin.locked", field="pin", seconds=seconds)
        if verify_pin(pin, staff.pin_hash):
            guard.failures, guard.locked_until = 0, None
            s.add(guard)
            record(s, staff.site_code, action, staff_id=staff.id, at=now)
            return staff
        guard.failures += 1
        locked = guard.failures >= MAX_FAILURES
        if locked:
            guard.failures, guard.locked_until = 0, now + timedelta(seconds=LOCK_SECONDS)
        s.add(guard)
        record(s, staff.site_code, f"{action}_failed", staff_id=staff.id, at=now)
    # Raised after the commit so the failure count and its audit row are kept.
    if locked:
        raise UserError("signin.locked", field="pin", seconds=LOCK_SECONDS)
    raise UserError("signin.wrong_pin", field="pin", left=MAX_FAILURES - guard.failures)
