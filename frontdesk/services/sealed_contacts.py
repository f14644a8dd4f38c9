"""Addresses, residents' phones and individual employers' phones as the desk stores them:
sealed to the desk's public key like a seeker's ID number (db/sealed.py,
frontdesk/services/personal_keys.py), with the masked form (and for a resident's phone the
last four digits and the keyed hash) that screens, search and head office read.

The pairs are declared in db/sealed_columns.py; every writer of them stores through the
functions here, and `seal_in_place` seals the plain values of an older desk (revision 0023,
a restore) without sending anything again.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, text

from db.outbox import triggers_aside
from db.sealed import PREFIXES, Opener, Sealer, aad
from frontdesk.domain.privacy import mask_address, mask_phone, phone_hash

INDIVIDUAL = "individual"  # the employer kind whose phone is personal (job_rules.EMPLOYER_KINDS)


def stored_address(seal: Sealer, person_id: uuid.UUID, address: str) -> dict[str, Any]:
    return {
        "address": seal.seal(address, aad("people", "address", person_id.hex)),
        "address_masked": mask_address(address),
    }


def open_address(opener: Opener, person_id: uuid.UUID, stored: str) -> str:
    return opener.open(stored, aad("people", "address", person_id.hex))


def stored_resident_phone(
    seal: Sealer, resident_id: uuid.UUID, phone: str, key: str
) -> dict[str, Any]:
    return {
        "phone": seal.seal(phone, aad("residents", "phone", resident_id.hex)),
        "phone_masked": mask_phone(phone),
        "phone_tail": phone.replace("-", "")[-4:],
        "phone_hash": phone_hash(phone, key),
    }


def open_resident_phone(opener: Opener, resident_id: uuid.UUID, stored: str) -> str:
    return opener.open(stored, aad("residents", "phone", resident_id.hex))


def stored_employer_phone(
    seal: Sealer, employer_id: uuid.UUID, kind: str, phone: str
) -> dict[str, Any]:
    """An individual's phone sealed; a company's stays plain (a business contact)."""
    where = aad("employers", "phone", employer_id.hex)
    stored = seal.seal(phone, where) if kind == INDIVIDUAL else phone
    return {"phone": stored, "phone_masked": mask_phone(phone)}


def open_employer_phone(opener: Opener, employer_id: uuid.UUID, stored: str) -> str:
    return opener.open(stored, aad("employers", "phone", employer_id.hex))


# --- an older desk's plain values, sealed in place ------------------------------------------


def seal_in_place(conn: Connection, public: str, key: str, district: str = "") -> int:
    """Seal every plain address, resident's phone and individual employer's phone, keeping
    each row's version (the caller's transaction; see personal_keys.seal_people_in_place).
    `key`: the desk's ID-number hash key, for residents' phone hashes; `district`: the
    district's public key when the desk knows it (sealed to both, as the desk's writes)."""
    seal = Sealer(public, district)
    people = [
        {"row": row, **stored_address(seal, uuid.UUID(hex=row), value)}
        for row, value in conn.execute(
            text(f"SELECT id, address FROM people WHERE {_plain('address')}")
        )
    ]
    residents = [
        {"row": row, **stored_resident_phone(seal, uuid.UUID(hex=row), value, key)}
        for row, value in conn.execute(
            text(f"SELECT id, phone FROM residents WHERE {_plain('phone')}")
        )
    ]
    employers = [
        {"row": row, **stored_employer_phone(seal, uuid.UUID(hex=row), kind, value)}
        for row, kind, value in conn.execute(
            text(f"SELECT id, kind, phone FROM employers WHERE {_plain('phone')}")
        )
    ]
    updates = {
        "people": (people, "address = :address, address_masked = :address_masked"),
        "residents": (
            residents,
            "phone = :phone, phone_masked = :phone_masked, phone_tail = :phone_tail, "
            "phone_hash = :phone_hash",
        ),
        "employers": (employers, "phone = :phone, phone_masked = :phone_masked"),
    }
    for table, (values, columns) in updates.items():
        if values:
            with triggers_aside(conn, table):
                conn.execute(text(f"UPDATE {table} SET {columns} WHERE id = :row"), values)
    return len(people) + len(residents) + len(employers)


def _plain(column: str) -> str:
    sealed = " AND ".join(f"{column} NOT LIKE '{prefix}%'" for prefix in PREFIXES)
    return f"{column} <> '' AND {sealed}"
