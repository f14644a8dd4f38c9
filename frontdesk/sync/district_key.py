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

from db.central_seal import sealed_tables
from db.models import DeskInfo, Person, Resident
from db.sealed import Opener, Sealer, Unreadable, aad, sealed_for
from db.sealed_columns import rows_sealed
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


# --- the district's public key (issue 22 item 2) -----------------------------------------------


def learn_public_key(engine: Engine, key: str) -> None:
    """The district's public key from the handshake: new values are sealed to it too."""
    with writer(engine).begin() as conn:
        conn.execute(update(DeskInfo).values(district_public_key=key))


def reseal(engine: Engine, site: str, district: str) -> int | None:
    """Re-seal the site's values not yet sealed to `district` (fd1, or fd2 to a rotated
    key) to the desk's key and the district's, each row a new version pushed once. Needs
    the desk's key held; None when it is not and rows wait (a later round does them)."""
    opener = held(engine)
    with writer(engine).begin() as conn:
        public, done = conn.execute(
            select(col(DeskInfo.data_public_key), col(DeskInfo.district_sealed_key))
        ).one()
        if done == district:
            return 0
        stale = {
            table: _stale_rows(conn, table, columns, site, district)
            for table, columns in sealed_tables().items()
        }
        if opener is None and any(stale.values()):
            return None
        conn.execute(update(DeskInfo).values(district_sealed_key=district))
        if opener is None:
            return 0
        seal = Sealer(public, district)
        return sum(
            _reseal_table(conn, table, sealed_tables()[table], rows, seal, opener)
            for table, rows in stale.items()
        )


def _stale_rows(
    conn: Connection, table: str, columns: list[str], site: str, district: str
) -> list[tuple]:
    rows = conn.exec_driver_sql(
        f"SELECT id, {', '.join(columns)} FROM {table} "
        f"WHERE site_code = ? AND {rows_sealed(table)}",
        (site,),
    ).all()
    return [tuple(r) for r in rows if any(v and not sealed_for(v, district) for v in r[1:])]


def _reseal_table(
    conn: Connection,
    table: str,
    columns: list[str],
    rows: list[tuple],
    seal: Sealer,
    opener: Opener,
) -> int:
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLite keeps UTC stamps
    values = []
    for row_id, *stored in rows:
        try:
            new = [
                seal.seal(opener.open(v, aad(table, c, row_id)), aad(table, c, row_id))
                for c, v in zip(columns, stored, strict=True)
            ]
        except Unreadable:
            continue  # sealed to a dead desk's key (a restored desk): nothing to re-seal
        values.append((*new, now, row_id))
    sets = ", ".join(f"{c} = ?" for c in columns)
    for start in range(0, len(values), CHUNK):
        conn.exec_driver_sql(
            f"UPDATE {table} SET {sets}, updated_at = ?, row_version = row_version + 1 "
            "WHERE id = ?",
            values[start : start + CHUNK],
        )
    return len(values)
