"""The desk's personal-data key: sealing on every write, the PIN slots, the key while signed in.

- Writing: full ID numbers and phones are sealed to the desk's public key
  (db/sealed.py) by `stored_person_values`, the one function every writer of people calls
  (the form, the import, the demo, the migration, a restore). No PIN is needed to write.
- Reading: the desk's private key is kept only in `key_slots`, one per staff account,
  wrapped by a key derived from that person's PIN. A right PIN opens the slot
  (`open_with_pin`): signing in puts the key in `held` for the signed-in desk; locking and
  signing out `drop` it. A reveal or an unmasked export opens it with the manager's PIN.
- New slots: a PIN that has no slot yet (a first sign-in after the migration, a new PIN
  after head office's one-time code) gets one at once; the desk's key goes into it from
  the pending key (a migrated or rebuilt desk, until a manager signs in) or waits until a
  manager's PIN opens the key, which then seals it to every waiting slot. Nobody's slot is
  ever made from another person's PIN.
"""

from __future__ import annotations

import uuid
import weakref
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session, col, select

from db.models import DeskInfo, KeySlot, Staff
from db.outbox import triggers_aside
from db.sealed import (
    Opener,
    Sealer,
    Unreadable,
    aad,
    b64,
    is_sealed,
    new_key_pair,
    new_slot_parts,
    open_bytes,
    seal_bytes,
    unb64,
    unwrap,
)
from db.session import reading, writing
from db.types import utcnow
from frontdesk.domain.privacy import mask_id, mask_phone
from frontdesk.errors import UserError

SLOT_AAD = b"key_slots/private"
GRANT_AAD = b"key_slots/desk_key"

# The key while someone is signed in, by the desk's public key (one process may open
# several desks: the tests do).
_held: dict[str, Opener] = {}
_publics: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def new_desk_info(**values: Any) -> DeskInfo:
    """A new desk's identity row with a fresh key pair, the private half pending until a
    manager's PIN takes it into a slot (init does that in the same transaction)."""
    private, public = new_key_pair()
    return DeskInfo(**values, data_public_key=public, data_key_pending=b64(private))


def public_key(s: Session) -> str:
    info = s.info  # read once per session: an import asks per batch
    if "data_public_key" not in info:
        info["data_public_key"] = s.exec(select(DeskInfo.data_public_key)).one()
    return info["data_public_key"]


def district_public_key(s: Session) -> str:
    """The district's public key as the desk learnt it at a sync ("" before the first)."""
    info = s.info
    if "district_public_key" not in info:
        info["district_public_key"] = s.exec(select(DeskInfo.district_public_key)).one()
    return str(info["district_public_key"])


def sealer(s: Session) -> Sealer:
    """Sealing to the desk's key, and to the district's too once the desk knows it."""
    return Sealer(public_key(s), district_public_key(s))


def stored_person_values(
    seal: Sealer, person_id: uuid.UUID, id_number: str, phone: str
) -> dict[str, Any]:
    """A person's ID number and phone as stored: sealed, with the masked forms and tails
    that search, lists and head office read."""
    row = person_id.hex
    return {
        "id_number": seal.seal(id_number, aad("people", "id_number", row)),
        "id_masked": mask_id(id_number),
        "id_tail": id_number[-4:],
        "phone": seal.seal(phone, aad("people", "phone", row)),
        "phone_masked": mask_phone(phone),
        "phone_tail": phone.replace("-", "")[-4:],
    }


def open_person(
    opener: Opener, person_id: uuid.UUID, id_number: str, phone: str
) -> tuple[str, str]:
    """The full ID number and phone; Unreadable when sealed to another desk's key."""
    row = person_id.hex
    return (
        opener.open(id_number, aad("people", "id_number", row)),
        opener.open(phone, aad("people", "phone", row)),
    )


def seal_people_in_place(conn: Connection, public: str, district: str = "") -> int:
    """Seal every plain ID number and phone of a desk, keeping each row's version.

    Used by the migration and by a restore (which copies the central store's rows, some
    pushed before desks sealed them), to the district's key too when given. Only the
    desk-local encoding changes, so no outbox entry is made and nothing is sent again: the
    row triggers are set aside for the update and put back as they were, in the caller's
    transaction.
    """
    rows = conn.execute(
        text("SELECT id, id_number, phone FROM people WHERE id_number NOT LIKE 'fd_.%'")
    ).all()
    if not rows:
        return 0
    seal = Sealer(public, district)
    values = []
    for row_id, id_number, phone in rows:
        if is_sealed(id_number):
            continue
        v = stored_person_values(seal, uuid.UUID(hex=row_id), id_number, phone)
        values.append({**v, "row": row_id})
    if not values:
        return 0
    with triggers_aside(conn, "people"):
        conn.execute(
            text(
                "UPDATE people SET id_number = :id_number, id_masked = :id_masked, "
                "id_tail = :id_tail, phone = :phone, phone_masked = :phone_masked, "
                "phone_tail = :phone_tail WHERE id = :row"
            ),
            values,
        )
    return len(values)


# --- the key while signed in -------------------------------------------------------------------


def hold(engine: Engine, opener: Opener) -> None:
    _held[_public(engine)] = opener


def held(engine: Engine) -> Opener | None:
    return _held.get(_public(engine))


def drop(engine: Engine) -> None:
    """Locking or signing out: the key leaves the service layer's reach. The desk's public
    key is looked up when this engine has not used it yet: another engine on the same file
    (a worker's, or a copy of the same desk) may have held it."""
    _held.pop(_public(engine), None)


def _public(engine: Engine) -> str:
    key = _publics.get(engine)
    if key is None:
        with reading(engine) as s:
            key = _publics[engine] = s.exec(select(DeskInfo.data_public_key)).one()
    return key


# --- slots -------------------------------------------------------------------------------------


def first_slot(s: Session, staff_id: uuid.UUID, pin: str) -> None:
    """A new desk's first manager takes the pending key into a slot (init's transaction)."""
    info = s.exec(select(DeskInfo)).one()
    private = unb64(info.data_key_pending)
    s.add(_new_slot(staff_id, pin, private))
    info.data_key_pending = ""


def open_with_pin(engine: Engine, staff_id: uuid.UUID, pin: str) -> Opener | None:
    """The desk's key through this person's slot, after their PIN was checked right.

    Keeps the slots: makes a missing or stale one (a PIN changed with a one-time code),
    fills a waiting one from the pending key, and when the person is a manager, seals the
    key to every waiting slot and ends the pending key. None: no key for this person yet.
    """
    stale = _read_slot(engine, staff_id, pin)
    with writing(engine) as s:
        info = s.exec(select(DeskInfo)).first()
        if info is None or not info.data_public_key:
            return None  # a store that is no desk (yet): no personal data to open
        staff = s.get(Staff, staff_id)
        slot = s.get(KeySlot, staff_id)
        private = stale.desk_private
        if private is None and info.data_key_pending:
            private = unb64(info.data_key_pending)
        if slot is None or stale.remake:
            if slot is not None:
                s.delete(slot)
                s.flush()
            slot = _new_slot(staff_id, pin, private)
            s.add(slot)
        elif not slot.desk_key and private is not None:
            slot.desk_key = seal_bytes(private, slot.public_key, GRANT_AAD)
        if private is not None and staff is not None and staff.role == "manager":
            _grant_waiting(s, private)
            info.data_key_pending = ""
    return Opener(private) if private is not None else None


class _SlotRead:
    def __init__(self, desk_private: bytes | None, remake: bool) -> None:
        self.desk_private, self.remake = desk_private, remake


def _read_slot(engine: Engine, staff_id: uuid.UUID, pin: str) -> _SlotRead:
    """Outside the write lock: the slot's scrypt is slow on purpose."""
    with reading(engine) as s:
        slot = s.get(KeySlot, staff_id)
    if slot is None:
        return _SlotRead(None, False)
    try:
        own = unwrap(slot.wrapped_private, pin, SLOT_AAD + staff_id.bytes)
    except Unreadable:
        return _SlotRead(None, True)  # the PIN was right, so the slot is an old PIN's
    if not slot.desk_key:
        return _SlotRead(None, False)
    return _SlotRead(open_bytes(slot.desk_key, own, GRANT_AAD), False)


def _new_slot(staff_id: uuid.UUID, pin: str, desk_private: bytes | None) -> KeySlot:
    parts = new_slot_parts(staff_id.bytes, pin, desk_private, SLOT_AAD, GRANT_AAD)
    return KeySlot(
        staff_id=staff_id,
        public_key=parts.public_key,
        wrapped_private=parts.wrapped_private,
        desk_key=parts.granted,
        set_at=utcnow(),
    )


def _grant_waiting(s: Session, private: bytes) -> None:
    for slot in s.exec(select(KeySlot).where(col(KeySlot.desk_key) == "")):
        slot.desk_key = seal_bytes(private, slot.public_key, GRANT_AAD)


def opener_for_reveal(engine: Engine, staff_id: uuid.UUID, pin: str) -> Opener:
    """A manager's right PIN, for a reveal or an unmasked export: the key, or a refusal
    that says why there is none."""
    opener = open_with_pin(engine, staff_id, pin) or held(engine)
    if opener is None:
        raise UserError("reveal.no_key", field="pin")
    return opener
