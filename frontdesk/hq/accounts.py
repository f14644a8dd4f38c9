"""Head office's own accounts: who may sign in to `frontdesk hq`, and what each may do.

Accounts live in the central store only (`hq_staff`, never synced). A PIN is hashed and
checked as at the desks (frontdesk/services/auth.py: salted scrypt, six digits or more
for a new one) and five wrong PINs lock the account for 60 s. The count is kept in the
account's row, since an `audit_log` row names a desk's staff by a foreign key to `staff`;
every check still leaves an audit row naming the account (`hq_staff_id`).

Roles, weakest first, each allowed what the ones before it are: a viewer reads figures;
an editor also changes reference data (sites, staff accounts, catalogue, partners); a key
holder also holds the district's keys. Rights are checked here, in the writing
transaction, from the account's row as it is then (an account switched off or demoted
since it signed in is refused at once), never by the screens.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.central import HQ_SITE
from db.models import HqStaff
from db.session import reading, writing
from db.types import utcnow
from db.vocabulary import HQ_ROLES
from frontdesk.domain.pin_rules import validate_new_pin
from frontdesk.errors import UserError
from frontdesk.services.audit import record
from frontdesk.services.auth import (
    LOCK_SECONDS,
    LOCKED,
    MAX_FAILURES,
    PIN_ENTITY,
    hash_pin,
    verify_pin,
)

VIEWER, EDITOR, KEY_HOLDER = HQ_ROLES
SIGN_IN, UNLOCK = "hq_signin", "hq_unlock"  # audit actions of PIN checks at head office
CONFIRM = "hq_pin_confirm"  # the PIN asked again for an act on the district's key


@dataclass(frozen=True)
class HqActor:
    """The person signed in at head office, as the screens pass it to every write."""

    staff_id: uuid.UUID
    name: str
    role: str


def allowed(role: str, needed: str) -> bool:
    return role in HQ_ROLES and HQ_ROLES.index(role) >= HQ_ROLES.index(needed)


def require(s: Session, actor: HqActor | None, needed: str) -> HqStaff:
    """The signed-in account, re-read in the caller's transaction, if it may do `needed`."""
    row = None if actor is None else s.get(HqStaff, actor.staff_id)
    if row is None or not row.active:
        raise UserError("hq_account.sign_in_first")
    if not allowed(row.role, needed):
        raise UserError(f"hq_account.needs_{needed}", name=row.name)
    return row


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 40:
        raise UserError("hq_account.bad_name", field="name")
    return name


def add_account(
    central: Engine, name: str, role: str, pin: str, now: datetime | None = None
) -> HqStaff:
    """A new head-office account (`central init`, `central add-hq-staff`)."""
    name = _clean_name(name)
    if role not in HQ_ROLES:
        raise UserError("hq.bad_choice", field="role")
    pin_hash = hash_pin(validate_new_pin(pin))  # before the write lock: scrypt is slow
    with writing(central) as s:
        if s.exec(select(HqStaff).where(HqStaff.name == name)).first() is not None:
            raise UserError("hq_account.name_taken", field="name", name=name)
        row = HqStaff(name=name, role=role, pin_hash=pin_hash, created_at=now or utcnow())
        s.add(row)
        s.flush()
        record(s, HQ_SITE, "hq_account_add", entity="hq_staff", entity_id=row.id, detail=role)
    return row


@dataclass(frozen=True)
class AccountChange:
    """What `central edit-hq-staff` changes of one account; None leaves it as it is."""

    active: bool | None = None
    role: str | None = None
    pin: str | None = None  # a new PIN: the count of wrong ones and any lock are cleared


def change_account(
    central: Engine, name: str, change: AccountChange, now: datetime | None = None
) -> HqStaff:
    """Switch an account off or on, give it another role or a new PIN, each audited. The
    last active key holder is never switched off or demoted: nobody could then hold the
    district's keys or manage the accounts from the screens. Takes effect at the account's
    next act: every right is re-read in the writing transaction."""
    if change.role is not None and change.role not in HQ_ROLES:
        raise UserError("hq.bad_choice", field="role")
    pin_hash = None if change.pin is None else hash_pin(validate_new_pin(change.pin))
    with writing(central) as s:
        row = s.exec(select(HqStaff).where(HqStaff.name == name.strip())).first()
        if row is None:
            raise UserError("hq_account.unknown", field="name")
        if row.role == KEY_HOLDER and row.active and _leaves_no_key_holder(s, row, change):
            raise UserError("hq_account.last_key_holder", field="name", name=row.name)
        for action, detail in _apply(row, change, pin_hash):
            record(
                s, HQ_SITE, action, entity="hq_staff", entity_id=row.id, detail=detail,
                at=now or utcnow(),
            )  # fmt: skip
        s.add(row)
        s.flush()
        s.refresh(row)
        return row


def _leaves_no_key_holder(s: Session, row: HqStaff, change: AccountChange) -> bool:
    stays = change.active is not False and change.role in (None, KEY_HOLDER)
    if stays:
        return False
    others = select(HqStaff.id).where(
        HqStaff.role == KEY_HOLDER, col(HqStaff.active).is_(True), HqStaff.id != row.id
    )
    return s.exec(others).first() is None


def _apply(row: HqStaff, change: AccountChange, pin_hash: str | None) -> list[tuple[str, str]]:
    """Change the row; the audit rows (action, detail) of what really changed."""
    done: list[tuple[str, str]] = []
    if change.active is not None and change.active != row.active:
        row.active = change.active
        done.append(("hq_account_enable" if change.active else "hq_account_disable", ""))
    if change.role is not None and change.role != row.role:
        done.append(("hq_account_role", f"{row.role}->{change.role}"))
        row.role = change.role
    if pin_hash is not None:
        row.pin_hash, row.failed_pins, row.locked_until = pin_hash, 0, None
        done.append(("hq_account_pin_reset", ""))
    if not done:
        raise UserError("hq_account.nothing_changed", field="name", name=row.name)
    return done


def accounts(central: Engine) -> list[HqStaff]:
    with reading(central) as s:
        return list(s.exec(select(HqStaff).order_by(col(HqStaff.name))))


def sign_in(central: Engine, name: str, pin: str, now: datetime) -> HqActor:
    """Name and PIN to open head office's TUI. Wrong PINs count towards the lock."""
    return _check(central, select(HqStaff).where(HqStaff.name == name.strip()), pin, now, SIGN_IN)


def unlock(central: Engine, actor: HqActor, pin: str, now: datetime) -> HqActor:
    """The signed-in person's PIN again, after the idle lock; the same count and lock."""
    return _check(central, select(HqStaff).where(HqStaff.id == actor.staff_id), pin, now, UNLOCK)


def confirm_pin(central: Engine, actor: HqActor, pin: str, now: datetime) -> HqActor:
    """The signed-in person's PIN asked again for one act (a reveal, the district's key);
    the same count and lock as signing in."""
    return _check(central, select(HqStaff).where(HqStaff.id == actor.staff_id), pin, now, CONFIRM)


def _check(central: Engine, query, pin: str, now: datetime, action: str) -> HqActor:
    with writing(central) as s:
        row = s.exec(query).first()
        if row is None or not row.active:
            raise UserError("hq_account.unknown", field="name")
        if row.locked_until is not None and row.locked_until > now:
            seconds = int((row.locked_until - now).total_seconds()) + 1
            raise UserError("signin.locked", field="pin", name=row.name, seconds=seconds)
        right = verify_pin(pin, row.pin_hash)
        failures = 0 if right else row.failed_pins + 1
        locked = failures >= MAX_FAILURES
        row.failed_pins = 0 if locked else failures
        row.locked_until = now + timedelta(seconds=LOCK_SECONDS) if locked else None
        record(
            s,
            HQ_SITE,
            action if right else f"{action}_failed",
            entity=PIN_ENTITY,
            entity_id=row.id,
            hq_staff_id=row.id,
            detail=LOCKED if locked else "",
            at=now,
        )
        actor = HqActor(row.id, row.name, row.role)
    # Raised after the commit, so the failed check and its count are kept.
    if locked:
        raise UserError("signin.locked", field="pin", name=actor.name, seconds=LOCK_SECONDS)
    if not right:
        left = MAX_FAILURES - failures
        raise UserError("signin.wrong_pin", field="pin", name=actor.name, left=left)
    return actor
