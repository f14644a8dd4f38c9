"""PINs: salted scrypt hashes kept at the desk, a wrong-PIN lock read from the audit trail,
and head office's one-time codes.

Where the hashes are
    Each desk keeps its own staff's PIN hashes in `staff_pins`, a local table that never
    syncs: the synced staff row carries no PIN, so no PIN hash reaches the central store.
    An account made at the desk (its first manager) gets its PIN there. Head office never
    sees a PIN: for a new account, or a PIN someone forgot or gave away, it issues a
    one-time code (16 random digits, frontdesk/domain/pin_rules.py), shown once to head office to
    pass on by phone. The staff row carries only the reset's id, when it was issued and a
    salted scrypt hash of the code. At the desk the person signs in with the code and must
    choose a new PIN at once (`choose_pin`): the new PIN's hash stays at the desk and the
    reset id goes into `used_pin_resets`, in one transaction, so the code never works
    again. While a reset is waiting, the old PIN at that desk no longer works (a PIN given
    away must stop working). The desk never writes the staff row (head office does): one
    writer per record.

The wrong-PIN lock
    Five wrong PINs lock the account for 60 s. Every PIN prompt (sign-in, unlock, reveal,
    unmasked export, manager approvals, a one-time code) goes through `confirm_pin` and
    counts towards the same lock. The lock is not kept in a table of its own (a counter
    table was lifted by deleting its rows): it is read from the audit trail, which records
    every PIN check anyway (entity "pin"). A staff member's newest checks, newest first,
    are counted back to the last right one or the last lock; the failure that completes
    five carries the detail "locked" and the lock runs 60 s from it. One index range
    (ix_audit_log_pin_checks), at most five rows. The audit trail is append-only: triggers
    refuse a delete, an update must raise row_version and goes to the outbox, and every row
    is pushed to head office. So a lock cannot be lifted by deleting rows; lifting it by
    hand means adding or rewriting audit rows, which travel to head office with the next
    sync. An HMAC over a counter would add nothing: its key would sit in the same file.
    What the lock guards against is guessing at the keyboard; whoever can write the desk
    database can replace a PIN hash in `staff_pins` anyway, but that opens no key slot:
    full ID numbers and phones are sealed to a key only a right PIN unwraps
    (frontdesk/services/personal_keys.py).
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, func, insert
from sqlmodel import Session, col, select

from db.models import AuditLog, Staff, StaffPin, UsedPinReset
from db.sealed import SCRYPT_MEMORY_LIMIT, scrypt
from db.session import reading, writing
from db.types import new_id, utcnow
from frontdesk.domain.pin_rules import (
    CODE_DIGITS,
    PIN_RE,
    is_code,
    normalise_code,
    normalise_pin,
    sign_in_way,
    validate_new_pin,
    validate_pin,
)
from frontdesk.errors import UserError
from frontdesk.services import personal_keys
from frontdesk.services.audit import record
from frontdesk.sign_in_list import StaffChoice

__all__ = [
    "LOCK_SECONDS",
    "MAX_FAILURES",
    "PIN_RE",
    "hash_pin",
    "normalise_pin",
    "validate_new_pin",
    "validate_pin",
    "verify_pin",
]

MAX_FAILURES = 5
LOCK_SECONDS = 60
PIN_ENTITY = "pin"  # the audit rows of PIN checks, the lock is read from
LOCKED = "locked"  # detail of the failed check that set the lock
RESET_USED = "pin_reset_used"  # audit action: a one-time code used to choose a new PIN
SIGN_IN = "signin"  # the one prompt that takes a one-time code (sign-in and unlock)
# scrypt cost: ~50 ms on an old desk PC; slow for guessing, quick enough for a person.
# Read at each hash, so the tests can lower it (as Django's tests swap in a fast hasher);
# a check reads the cost from the stored hash, never from here.
PIN_N, _R, _P = 2**14, 8, 1
_PIN_SCHEME, _CODE_SCHEME = "scrypt", "otc"  # a PIN's hash; a one-time code's hash


def _hash(secret: str, scheme: str) -> str:
    salt = os.urandom(16)
    digest = scrypt(secret.encode(), salt, PIN_N, _R, _P, 32)
    b64 = base64.b64encode
    return f"{scheme}${PIN_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def _verify(secret: str, stored: str, scheme: str) -> bool:
    try:
        found, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if found != scheme:
        return False
    expected = base64.b64decode(digest)
    salt_bytes, cost = base64.b64decode(salt), (int(n), int(r), int(p))
    got = scrypt(secret.encode(), salt_bytes, *cost, len(expected), SCRYPT_MEMORY_LIMIT)
    return hmac.compare_digest(got, expected)


def hash_pin(pin: str) -> str:
    return _hash(validate_pin(pin), _PIN_SCHEME)


def verify_pin(pin: str, stored: str) -> bool:
    return _verify(normalise_pin(pin), stored, _PIN_SCHEME)


def new_code() -> str:
    """A one-time code: 16 digits from the system's random source."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def hash_code(code: str) -> str:
    return _hash(normalise_code(code), _CODE_SCHEME)


def verify_code(code: str, stored: str) -> bool:
    return is_code(code) and _verify(normalise_code(code), stored, _CODE_SCHEME)


@dataclass(frozen=True)
class IssuedReset:
    """A one-time code as head office issues it: the code to pass on, what the row keeps."""

    code: str
    reset_id: uuid.UUID
    code_hash: str
    at: datetime

    def apply(self, staff: Staff) -> None:
        staff.pin_reset_id = self.reset_id
        staff.pin_reset_at = self.at
        staff.pin_reset_hash = self.code_hash


def issue_reset(now: datetime | None = None) -> IssuedReset:
    code = new_code()
    return IssuedReset(code, new_id(), hash_code(code), now or utcnow())


@dataclass(frozen=True)
class SignedIn:
    staff_id: uuid.UUID
    name: str
    role: str
    site_code: str


class NewPinNeeded(Exception):
    """The one-time code was right: the person must choose a new PIN now (`choose_pin`).

    Not a sign-in: a caller that does not handle this lets nobody in.
    """

    def __init__(self, staff_id: uuid.UUID, name: str) -> None:
        super().__init__(staff_id, name)
        self.staff_id = staff_id
        self.name = name


@dataclass(frozen=True)
class PinTries:
    failures: int  # wrong PINs since the last right one or the last lock
    locked_until: datetime | None


# --- accounts made at the desk -----------------------------------------------------------------


def add_desk_staff(
    s: Session, site_code: str, name: str, role: str, pin_hash: str, now: datetime | None = None
) -> Staff:
    """A staff account made at this desk (its first manager, the demo's clerks), in the
    caller's transaction: the row syncs, its PIN hash stays here."""
    staff = Staff(site_code=site_code, name=name, role=role)
    s.add(staff)
    s.flush()
    s.add(StaffPin(staff_id=staff.id, pin_hash=pin_hash, set_at=now or utcnow()))
    return staff


def active_staff(engine: Engine) -> list[Staff]:
    with reading(engine) as s:
        rows = s.exec(
            select(Staff)
            .where(col(Staff.active), col(Staff.deleted_at).is_(None))
            .order_by(col(Staff.role) != "manager", col(Staff.name))  # managers first
        )
        return list(rows)


def sign_in_choices(engine: Engine) -> list[StaffChoice]:
    """The sign-in list, managers first, each with how they sign in here."""
    staff = active_staff(engine)
    with reading(engine) as s:
        pins = set(s.exec(select(StaffPin.staff_id)))
        used = set(s.exec(select(UsedPinReset.reset_id)))
    return [
        StaffChoice(row.id, row.name, row.role, _how(row, row.id in pins, used)) for row in staff
    ]


def _how(staff: Staff, has_pin: bool, used: set[uuid.UUID]) -> str:
    open_reset = staff.pin_reset_id is not None and staff.pin_reset_id not in used
    return sign_in_way(open_reset=open_reset, has_pin=has_pin)


# --- the lock ------------------------------------------------------------------------------------


def pin_tries(s: Session, staff_id: uuid.UUID, now: datetime) -> PinTries:
    """Wrong PINs and the lock, read from the staff member's newest PIN checks."""
    rows = s.exec(
        select(AuditLog.action, AuditLog.detail, AuditLog.at)
        .where(AuditLog.staff_id == staff_id, AuditLog.entity == PIN_ENTITY)
        .order_by(col(AuditLog.id).desc())
        .limit(MAX_FAILURES)
    ).all()
    failures = 0
    for newest, (action, detail, at) in enumerate(rows):
        if not action.endswith("_failed"):
            break  # a right PIN or code ends the count
        if detail == LOCKED:
            until = at + timedelta(seconds=LOCK_SECONDS)
            if newest == 0 and until > now:
                return PinTries(0, until)
            break  # the lock ran out: counting starts again after it
        failures += 1
    return PinTries(failures, None)


def tries(engine: Engine, staff_id: uuid.UUID, now: datetime) -> PinTries:
    with reading(engine) as s:
        return pin_tries(s, staff_id, now)


def _locked(name: str, until: datetime, now: datetime, field: str = "pin") -> UserError:
    seconds = int((until - now).total_seconds()) + 1
    return UserError("signin.locked", field=field, name=name, seconds=seconds)


def _wrong(name: str, failures: int, field: str) -> UserError:
    """A wrong PIN or code, naming the account it counted against: with the wrong name
    highlighted in the list, the clerk sees whose tries are being used up."""
    if failures >= MAX_FAILURES:
        return UserError("signin.locked", field=field, name=name, seconds=LOCK_SECONDS)
    return UserError("signin.wrong_pin", field=field, name=name, left=MAX_FAILURES - failures)


# --- PIN prompts -------------------------------------------------------------------------------


def sign_in(engine: Engine, staff_id: uuid.UUID, pin: str, now: datetime) -> SignedIn:
    """Check a PIN to sign in (or unlock). Wrong PINs count towards the lock.

    A right one-time code raises NewPinNeeded: the new PIN comes next (`choose_pin`).
    """
    staff = confirm_pin(engine, staff_id, pin, now, action=SIGN_IN)
    _hold_key(engine, staff.id, pin)
    return SignedIn(staff.id, staff.name, staff.role, staff.site_code)


def _hold_key(engine: Engine, staff_id: uuid.UUID, pin: str) -> None:
    """Signing in opens the desk's personal-data key through the person's slot (making or
    filling it where needed) and holds it until the desk locks or signs out."""
    opener = personal_keys.open_with_pin(engine, staff_id, pin)
    if opener is not None:
        personal_keys.hold(engine, opener)


def leave(engine: Engine) -> None:
    """The desk locks or signs out: the key leaves the services' reach."""
    personal_keys.drop(engine)


def _signing(s: Session, staff_id: uuid.UUID, role: str | None) -> Staff:
    staff = s.get(Staff, staff_id)
    if staff is None or not staff.active or staff.deleted_at is not None:
        raise UserError("signin.unknown_staff", field="staff")
    if role is not None and staff.role != role:
        raise UserError("reveal.manager_only", field="staff")
    return staff


def _waiting_reset(s: Session, staff: Staff) -> bool:
    return staff.pin_reset_id is not None and s.get(UsedPinReset, staff.pin_reset_id) is None


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

    `action` names the audit rows ("signin", "reveal_pin", ...); `role` requires that role.
    """
    with writing(engine) as s:
        staff = _signing(s, staff_id, role)
        state = pin_tries(s, staff_id, now)
        if state.locked_until is not None:
            raise _locked(staff.name, state.locked_until, now)
        if _waiting_reset(s, staff):
            if action != SIGN_IN:
                raise UserError("pin.code_waiting", field="pin", name=staff.name)
            if not is_code(pin):  # the old PIN no longer works; this cannot be the code
                raise UserError("pin.code_expected", field="pin", name=staff.name)
            right, with_code = verify_code(pin, staff.pin_reset_hash), True
        else:
            local = s.get(StaffPin, staff_id)
            if local is None:
                raise UserError("pin.none_here", field="pin", name=staff.name)
            right, with_code = verify_pin(pin, local.pin_hash), False
        failures = state.failures + (0 if right else 1)
        locked = failures >= MAX_FAILURES
        record(
            s,
            staff.site_code,
            action if right else f"{action}_failed",
            staff_id=staff.id,
            entity=PIN_ENTITY,
            detail=LOCKED if locked else "",
            at=now,
        )
    # Raised after the commit so the check and its audit row are kept.
    if right and with_code:
        raise NewPinNeeded(staff.id, staff.name)
    if right:
        return staff
    raise _wrong(staff.name, failures, "pin")


def choose_pin(
    engine: Engine, staff_id: uuid.UUID, code: str, new_pin: str, now: datetime
) -> SignedIn:
    """After a right one-time code: keep the new PIN at this desk and use the reset up.

    The code is checked again (under the same lock), the new PIN needs six digits or more,
    and the PIN, the used reset and the audit row go in one transaction: the code never
    works again, here or, through the audit trail, on a desk rebuilt from the central store.
    """
    new_pin = validate_new_pin(new_pin)
    pin_hash = hash_pin(new_pin)  # before the write lock: scrypt is slow on purpose
    with writing(engine) as s:
        staff = _signing(s, staff_id, None)
        state = pin_tries(s, staff_id, now)
        if state.locked_until is not None:
            raise _locked(staff.name, state.locked_until, now, "code")
        if not _waiting_reset(s, staff):
            raise UserError("pin.code_used", field="code")
        right = verify_code(code, staff.pin_reset_hash)
        if right:
            reset_id = staff.pin_reset_id
            assert reset_id is not None  # _waiting_reset found it
            s.merge(StaffPin(staff_id=staff.id, pin_hash=pin_hash, set_at=now))
            s.add(UsedPinReset(reset_id=reset_id, staff_id=staff.id, used_at=now))
            record(
                s,
                staff.site_code,
                RESET_USED,
                staff_id=staff.id,
                entity=PIN_ENTITY,
                entity_id=reset_id,
                at=now,
            )
        else:
            failures = state.failures + 1
            locked = failures >= MAX_FAILURES
            record(
                s,
                staff.site_code,
                f"{SIGN_IN}_failed",
                staff_id=staff.id,
                entity=PIN_ENTITY,
                detail=LOCKED if locked else "",
                at=now,
            )
    if right:
        _hold_key(engine, staff.id, new_pin)  # a new slot for the new PIN
        return SignedIn(staff.id, staff.name, staff.role, staff.site_code)
    raise _wrong(staff.name, failures, "code")


def remember_used_resets(conn: Connection) -> int:
    """A desk rebuilt from the central store has no PINs (they never left the dead desk),
    and must not take a code that was used there: its audit trail says which were."""
    found = (
        select(AuditLog.entity_id, func.min(AuditLog.staff_id), func.min(AuditLog.at))
        .where(
            col(AuditLog.action) == RESET_USED,
            col(AuditLog.entity_id).is_not(None),
            col(AuditLog.staff_id).is_not(None),
        )
        .group_by(col(AuditLog.entity_id))
    )
    done = conn.execute(
        insert(UsedPinReset).from_select(["reset_id", "staff_id", "used_at"], found)
    )
    return done.rowcount
