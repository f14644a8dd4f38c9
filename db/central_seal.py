"""Personal values at the central store sealed to the district's public key, in place.

Rows pushed before desks sealed (revision 0021) sit at the central store in plain text, in
the synced tables and in the quarantine's copies of refused rows. `seal_central` seals
every plain value of `SEALED_COLUMNS` to the district's public key (`fd1.` with head
office's key as the one recipient: only head office reads the central copy), and with an
`Opener` of the old district key (a rotation) also re-seals the values that key opens.

Only the encoding changes: row versions stay and the tables' triggers are set aside for the
update (put back as they were, in the caller's one transaction), so no desk pulls or sends
anything again. Used by revision 0022, `central key create` and `central key rotate`.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import Connection, text

from db.outbox import triggers_aside
from db.sealed import Opener, Sealer, Unreadable, aad, is_sealed
from db.sealed_columns import SEALED_COLUMNS, row_sealed, rows_sealed

QUARANTINE = "sync_quarantine"


def sealed_tables(pairs: tuple[tuple[str, str], ...] = SEALED_COLUMNS) -> dict[str, list[str]]:
    """SEALED_COLUMNS (or a revision's own frozen list) by table."""
    tables: dict[str, list[str]] = {}
    for table, column in pairs:
        tables.setdefault(table, []).append(column)
    return tables


def seal_central(
    conn: Connection,
    public: str,
    old: Opener | None = None,
    *,
    also: str = "",
    pairs: tuple[tuple[str, str], ...] = SEALED_COLUMNS,
) -> int:
    """Seal the central store's plain values (and, given `old`, re-seal what it opens) to
    `public` (and `also`: a restore seals to the new desk's key and the district's); how
    many rows changed. `pairs`: a revision's own list, as its columns were then."""
    seal = Sealer(public, also)
    if conn.dialect.name == "sqlite":
        # The plain text the update replaces is zeroed, not left in free space of the file.
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    changed = 0
    tables = sealed_tables(pairs)
    for table, columns in tables.items():
        changed += _seal_table(conn, table, columns, seal, old)
    return changed + _seal_quarantine(conn, tables, seal, old)


def _new_value(value: str | None, seal: Sealer, old: Opener | None, where: bytes) -> str | None:
    """The value sealed to the new key, or None when it stays as it is."""
    if not value:
        return None
    if not is_sealed(value):
        return seal.seal(value, where)
    if old is None:
        return None
    try:
        return seal.seal(old.open(value, where), where)
    except Unreadable:
        return None  # sealed to a desk only: head office never held it


def _seal_table(
    conn: Connection, table: str, columns: list[str], seal: Sealer, old: Opener | None
) -> int:
    where = rows_sealed(table)
    rows = conn.execute(text(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {where}")).all()
    updates = []
    for row_id, *values in rows:
        row = _hex(row_id)
        new = {
            c: _new_value(v, seal, old, aad(table, c, row))
            for c, v in zip(columns, values, strict=True)
        }
        if any(v is not None for v in new.values()):
            kept = {c: v for c, v in zip(columns, values, strict=True)}
            updates.append({**kept, **{c: v for c, v in new.items() if v is not None}, "r": row_id})
    if updates:
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        with triggers_aside(conn, table):
            conn.execute(text(f"UPDATE {table} SET {sets} WHERE id = :r"), updates)
    return len(updates)


def _seal_quarantine(
    conn: Connection, tables: dict[str, list[str]], seal: Sealer, old: Opener | None
) -> int:
    names = ", ".join(f"'{t}'" for t in tables)
    query = f"SELECT id, table_name, row_id, payload FROM {QUARANTINE} WHERE table_name IN "
    rows = conn.execute(text(f"{query}({names})")).all()
    updates = []
    for q_id, table, row_id, payload in rows:
        try:
            values = json.loads(payload or "{}")
        except ValueError:
            continue
        if not row_sealed(table, values):
            continue
        row, touched = _hex(row_id), False
        for column in tables[table]:
            new = _new_value(values.get(column), seal, old, aad(table, column, row))
            if new is not None:
                values[column], touched = new, True
        if touched:
            text_ = json.dumps(values, ensure_ascii=False, sort_keys=True)
            updates.append({"p": text_, "i": q_id})
    if updates:
        conn.execute(text(f"UPDATE {QUARANTINE} SET payload = :p WHERE id = :i"), updates)
    return len(updates)


def _hex(row_id: object) -> str:
    """A row id as a desk stores it (32 hex digits), whichever way the store gave it."""
    return row_id.hex if isinstance(row_id, uuid.UUID) else uuid.UUID(str(row_id)).hex
