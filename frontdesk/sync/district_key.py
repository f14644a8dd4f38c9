"""Adopting the district's key for the keyed hashes of ID numbers and residents' phones.

A desk made offline hashes ID numbers with a key of its own, so its duplicate check works
from the first registration. On its first sync it takes the district's key from the
central store and re-hashes its people in one transaction (each a new row version, pushed
like any change), so head office can link one person registered at two communities.

Residents' phone hashes (a resident is found by the whole phone) use the same key and
follow it in the same transaction.

The re-hash needs the full ID numbers and phones, sealed to the desk's key: it runs when
the key is held (someone with a key slot is signed in: the TUI's background sync). A
round without it (`frontdesk sync` on a desk that has people) keeps the desk's own key
and pushes as usual; the adoption waits for a round with the key, and head office links
those people from then on.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select, update
from sqlmodel import col

from db.models import DeskInfo, Person, Resident
from db.sealed import aad
from db.types import utcnow
from frontdesk.domain.privacy import id_hash, phone_hash
from frontdesk.services.personal_keys import held
from frontdesk.services.sealed_contacts import open_resident_phone
from frontdesk.sync.link import writer

CHUNK = 5000


def adopt(engine: Engine, site: str, key: str) -> int | None:
    """Re-hash the site's people and residents with `key`; how many were re-hashed, None
    when the desk's key is not held and there are rows to re-hash (the adoption waits)."""
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLite keeps UTC stamps
    changed = 0
    opener = held(engine)
    with writer(engine).begin() as conn:
        people = conn.execute(
            select(col(Person.id), col(Person.id_number)).where(col(Person.site_code) == site)
        ).all()
        residents = conn.execute(
            select(col(Resident.id), col(Resident.phone)).where(col(Resident.site_code) == site)
        ).all()
        if opener is None:
            if people or residents:
                return None
            conn.execute(update(DeskInfo).values(id_hash_key=key))
            return 0
        rows = [
            (id_hash(opener.open(number, aad("people", "id_number", pid.hex)), key), now, pid.hex)
            for pid, number in people
        ]
        changed += _rehash(conn, "people", "id_hash", rows)
        phones = [
            (phone_hash(open_resident_phone(opener, rid, phone), key), now, rid.hex)
            for rid, phone in residents
        ]
        changed += _rehash(conn, "residents", "phone_hash", phones)
        conn.execute(update(DeskInfo).values(id_hash_key=key))
    return changed


def _rehash(conn: Connection, table: str, column: str, rows: list[tuple[str, str, str]]) -> int:
    """Each row's new hash as a new version (pushed like any change)."""
    changed = 0
    for start in range(0, len(rows), CHUNK):
        done = conn.exec_driver_sql(
            f"UPDATE {table} SET {column} = ?, updated_at = ?, "
            "row_version = row_version + 1 WHERE id = ?",
            rows[start : start + CHUNK],
        )
        changed += done.rowcount
    return changed
