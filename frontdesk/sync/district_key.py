"""Adopting the district's key for the keyed hash of ID numbers.

A desk made offline hashes ID numbers with a key of its own, so its duplicate check works
from the first registration. On its first sync it takes the district's key from the
central store and re-hashes its people in one transaction (each a new row version, pushed
like any change), so head office can link one person registered at two communities.
"""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlmodel import col

from db.models import DeskInfo, Person
from db.types import utcnow
from frontdesk.domain.privacy import id_hash
from frontdesk.sync.link import writer

CHUNK = 5000


def adopt(engine: Engine, site: str, key: str) -> int:
    """Re-hash the site's people with `key`; returns how many were re-hashed."""
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLite keeps UTC stamps
    changed = 0
    with writer(engine).begin() as conn:
        people = conn.execute(
            select(col(Person.id), col(Person.id_number)).where(col(Person.site_code) == site)
        ).all()
        rows = [(id_hash(number, key), now, pid.hex) for pid, number in people]
        for start in range(0, len(rows), CHUNK):
            done = conn.exec_driver_sql(
                "UPDATE people SET id_hash = ?, updated_at = ?, "
                "row_version = row_version + 1 WHERE id = ?",
                rows[start : start + CHUNK],
            )
            changed += done.rowcount
        conn.execute(update(DeskInfo).values(id_hash_key=key))
    return changed
