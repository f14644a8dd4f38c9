"""The district's key pair: head office's way to the personal values desks send.

- The public half is in `central_info.district_public_key`: desks take it at the sync
  handshake and seal new values to it as well as to their own key (`fd2.`, db/sealed.py);
  the central store's plain values are sealed to it when it is made (db/central_seal.py).
- The private half is kept only in `district_key_slots`, one slot per key holder, as a
  desk's key_slots (frontdesk/services/personal_keys.py): the holder's own X25519 key pair,
  its private half wrapped by scrypt(PIN), the district's key sealed to its public half.
  Made without a PIN (`central key create` with no holder named), the key waits unwrapped
  in the one slot that names no account until a key holder's PIN takes it.
- Every act on the key (reveal, backup, rotation) asks the key holder's PIN again, checked
  and counted as at sign-in, and leaves an audit row naming the account.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.central import HQ_SITE
from db.central_seal import seal_central, sealed_tables
from db.models import CentralInfo, DistrictKeySlot, HqStaff, Person
from db.sealed import (
    Opener,
    Unreadable,
    aad,
    b64,
    new_key_pair,
    new_slot_parts,
    open_bytes,
    public_of,
    seal_bytes,
    unb64,
    unwrap,
    wrap,
)
from db.session import reading, writing
from frontdesk.errors import UserError
from frontdesk.hq.accounts import KEY_HOLDER, HqActor, confirm_pin, require, sign_in
from frontdesk.services.audit import record

SLOT_AAD = b"district_key_slots/private"
GRANT_AAD = b"district_key_slots/district_key"
BACKUP_AAD = b"frontdesk district key backup"
BACKUP_FORMAT = "frontdesk-district-key/1"
BACKUP_N = 2**16  # scrypt cost of a backup's passphrase: 4x a PIN slot's (64 MiB), once
MIN_PASSPHRASE = 12


def district_public(central: Engine) -> str:
    with reading(central) as s:
        return s.exec(select(CentralInfo.district_public_key)).first() or ""


def create_key(central: Engine, holder: tuple[str, str] | None, now: datetime) -> str:
    """Make the district's key pair and seal the central store's plain values to it, in
    one transaction. With a key holder's name and PIN the key goes into their slot; without,
    it waits for the first key holder's sign-in. Returns the public key."""
    actor = _holder(central, holder, now)
    private, public = new_key_pair()
    with writing(central) as s:
        info = s.exec(select(CentralInfo)).one()
        if info.district_public_key:
            raise UserError("district_key.exists")
        if actor is not None:
            require(s, actor, KEY_HOLDER)
        info.district_public_key = public
        s.add(_slot(actor, holder, private, now))
        seal_central(s.connection(), public)
        _audit(s, actor, "district_key_create", now)
    return public


def _holder(central: Engine, holder: tuple[str, str] | None, now: datetime) -> HqActor | None:
    if holder is None:
        return None
    return sign_in(central, holder[0], holder[1], now)


def _slot(
    actor: HqActor | None, holder: tuple[str, str] | None, private: bytes, now: datetime
) -> DistrictKeySlot:
    if actor is None or holder is None:  # the pending key: no PIN to wrap it with yet
        return DistrictKeySlot(district_key=b64(private), set_at=now)
    return _new_slot(actor.staff_id, holder[1], private, now)


def _new_slot(
    staff_id: uuid.UUID, pin: str, private: bytes | None, now: datetime
) -> DistrictKeySlot:
    parts = new_slot_parts(staff_id.bytes, pin, private, SLOT_AAD, GRANT_AAD)
    return DistrictKeySlot(
        hq_staff_id=staff_id,
        public_key=parts.public_key,
        wrapped_private=parts.wrapped_private,
        district_key=parts.granted,
        set_at=now,
    )


def _audit(s: Session, actor: HqActor | None, action: str, now: datetime, **kw) -> None:
    who = actor.staff_id if actor is not None else None
    record(s, HQ_SITE, action, hq_staff_id=who, at=now, **kw)


def take_slot(central: Engine, actor: HqActor, pin: str, now: datetime) -> Opener | None:
    """After a key holder's right PIN: keep their slot (make a missing or stale one, fill a
    waiting one from the pending key), and when they hold the key, seal it to every waiting
    slot and end the pending key. The key, or None when nobody has given it to them yet."""
    with reading(central) as s:
        slot = s.exec(
            select(DistrictKeySlot).where(col(DistrictKeySlot.hq_staff_id) == actor.staff_id)
        ).first()
    private, stale = _read_slot(slot, actor.staff_id, pin)  # outside the write lock: scrypt
    with writing(central) as s:
        role = s.exec(select(HqStaff.role).where(HqStaff.id == actor.staff_id)).first()
        if role != KEY_HOLDER:
            return None
        pending = s.exec(
            select(DistrictKeySlot).where(col(DistrictKeySlot.hq_staff_id).is_(None))
        ).first()
        if private is None and pending is not None:
            private = unb64(pending.district_key)
        mine = s.exec(
            select(DistrictKeySlot).where(col(DistrictKeySlot.hq_staff_id) == actor.staff_id)
        ).first()
        if mine is None or stale:
            if mine is not None:
                s.delete(mine)
                s.flush()
            s.add(_new_slot(actor.staff_id, pin, private, now))
        elif not mine.district_key and private is not None:
            mine.district_key = seal_bytes(private, mine.public_key, GRANT_AAD)
        if private is not None:
            _grant_waiting(s, private)
            if pending is not None:
                s.delete(pending)
    return Opener(private) if private is not None else None


def sign_in_keeping_slots(central: Engine, name: str, pin: str, now: datetime) -> HqActor:
    """Head office's sign-in (frontdesk/hq/accounts.py); a key holder's right PIN also
    keeps their slot, so a pending key is taken into a slot at the first one's sign-in."""
    actor = sign_in(central, name, pin, now)
    if actor.role == KEY_HOLDER and district_public(central):
        take_slot(central, actor, pin, now)
    return actor


def _read_slot(
    slot: DistrictKeySlot | None, staff_id: uuid.UUID, pin: str
) -> tuple[bytes | None, bool]:
    """(the district's key or None, whether the slot is an old PIN's)."""
    if slot is None:
        return None, False
    try:
        own = unwrap(slot.wrapped_private, pin, SLOT_AAD + staff_id.bytes)
    except Unreadable:
        return None, True  # the PIN was checked right: the slot is an old PIN's
    if not slot.district_key:
        return None, False
    return open_bytes(slot.district_key, own, GRANT_AAD), False


def _grant_waiting(s: Session, private: bytes) -> None:
    waiting = select(DistrictKeySlot).where(
        col(DistrictKeySlot.district_key) == "", col(DistrictKeySlot.hq_staff_id).is_not(None)
    )
    for slot in s.exec(waiting):
        slot.district_key = seal_bytes(private, slot.public_key, GRANT_AAD)


def opener(central: Engine, actor: HqActor | None, pin: str, now: datetime) -> Opener:
    """The district's key for one act of a signed-in key holder, who gives the PIN again.
    A viewer or an editor is refused before any PIN is checked."""
    with reading(central) as s:
        require(s, actor, KEY_HOLDER)
    assert actor is not None
    confirm_pin(central, actor, pin, now)
    found = take_slot(central, actor, pin, now)
    if found is None:
        raise UserError("district_key.not_yours", field="pin", name=actor.name)
    return found


def reveal_person(
    central: Engine, actor: HqActor | None, pin: str, person_id: uuid.UUID, now: datetime
) -> dict[str, str]:
    """One person's full sealed values (ID number, phone) for a key holder, audited."""
    key = opener(central, actor, pin, now)
    assert actor is not None
    columns = sealed_tables()["people"]
    with writing(central) as s:
        require(s, actor, KEY_HOLDER)
        wanted = [getattr(Person, c) for c in columns]
        row = s.exec(select(*wanted).where(col(Person.id) == person_id)).first()
        if row is None:
            raise UserError("district_key.no_person")
        try:
            shown = {
                c: key.open(v, aad("people", c, person_id.hex))
                for c, v in zip(columns, row, strict=True)
            }
        except Unreadable as exc:
            raise UserError("district_key.desk_only") from exc
        _audit(s, actor, "hq_reveal", now, entity="people", entity_id=person_id)
    return shown


# --- backup and rotation -----------------------------------------------------------------------


def backup(
    central: Engine, actor: HqActor | None, pin: str, passphrase: str, path: Path, now: datetime
) -> None:
    """The district's private key written to `path`, encrypted with a passphrase (scrypt,
    AES-GCM): what brings head office's reveals and desks' restores back if every key
    holder's slot is lost. Audited."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError("district_key.short_passphrase", field="passphrase", n=MIN_PASSPHRASE)
    key = opener(central, actor, pin, now)
    body = {
        "format": BACKUP_FORMAT,
        "public_key": key.public,
        "wrapped": wrap(key.private, passphrase, BACKUP_AAD, n=BACKUP_N),
    }
    path.write_text(json.dumps(body) + "\n", encoding="utf-8")
    with writing(central) as s:
        _audit(s, actor, "district_key_backup", now)


def restore_backup(
    central: Engine, path: Path, passphrase: str, holder: tuple[str, str], now: datetime
) -> None:
    """A backup's key into a key holder's slot (their others stay as they are). The
    backup must be of this store's district key."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        assert body.get("format") == BACKUP_FORMAT
        private = unwrap(body["wrapped"], passphrase, BACKUP_AAD)
    except (OSError, ValueError, KeyError, AssertionError, Unreadable) as exc:
        raise UserError("district_key.bad_backup", field="passphrase") from exc
    actor = sign_in(central, holder[0], holder[1], now)
    if public_of(private) != district_public(central):
        raise UserError("district_key.backup_other")
    with writing(central) as s:
        require(s, actor, KEY_HOLDER)
        _drop_slot(s, actor.staff_id)
        s.add(_new_slot(actor.staff_id, holder[1], private, now))
        _audit(s, actor, "district_key_restore", now)


def _drop_slot(s: Session, staff_id: uuid.UUID) -> None:
    old = s.exec(
        select(DistrictKeySlot).where(col(DistrictKeySlot.hq_staff_id) == staff_id)
    ).first()
    if old is not None:
        s.delete(old)
        s.flush()


def rotate(central: Engine, actor: HqActor | None, pin: str, now: datetime) -> str:
    """A new district key pair: the central store's values the old key opens are sealed to
    the new one, every key holder's slot gets the new key (sealed to its public half, no
    PIN needed), and desks take the new public key at their next sync and re-seal. Backups
    of the old key open only what was sealed before. Returns the new public key."""
    old = opener(central, actor, pin, now)
    assert actor is not None
    private, public = new_key_pair()
    with writing(central) as s:
        require(s, actor, KEY_HOLDER)
        s.exec(select(CentralInfo)).one().district_public_key = public
        holders = select(HqStaff.id).where(
            HqStaff.role == KEY_HOLDER, col(HqStaff.active).is_(True)
        )
        keep = set(s.exec(holders))
        for slot in s.exec(select(DistrictKeySlot)):
            if slot.hq_staff_id in keep:
                slot.district_key = seal_bytes(private, slot.public_key, GRANT_AAD)
            else:
                s.delete(slot)
        seal_central(s.connection(), public, old)
        _audit(s, actor, "district_key_rotate", now)
    return public
