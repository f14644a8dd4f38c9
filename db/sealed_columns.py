"""The (table, column) pairs stored sealed (db/sealed.py), each value's associated data
naming the pair and the row.

`SEALED_COLUMNS` is the one list the central store's sealing (db/central_seal.py), a desk's
re-seal to the district's key and a restore with a key holder iterate: sealed to the desk's
key and, once the desk knows it, the district's.

- people.id_number, people.phone (revision 0021): shown as id_masked / phone_masked.
- people.address (0023): shown as `address_masked` (area and street, no house number).
- residents.phone (0023): a group activity's light record; found by `phone_hash` (keyed, as
  the ID number's), shown as `phone_masked`, searched by `phone_tail`.
- employers.phone (0023) of an employer of kind `individual` only: a company's phone is a
  published business contact and stays plain. `SEALED_ROWS` holds such a table's
  condition, which every pass over the rows applies.
"""

from __future__ import annotations

from collections.abc import Mapping

SEALED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("people", "id_number"),
    ("people", "phone"),
    ("people", "address"),
    ("residents", "phone"),
    ("employers", "phone"),
)
# Tables whose columns are sealed in some rows only: the (column, value) such a row has.
SEALED_ROWS: dict[str, tuple[str, str]] = {"employers": ("kind", "individual")}

# Declared widths once sealed (revision 0023): a value sealed to two keys (`fd2.`) is
# base64 of the text's UTF-8 plus about 180 bytes (an address of 200 Chinese characters:
# about 1,040 characters).
SEALED_WIDTH = {
    ("people", "address"): 1200,
    ("residents", "phone"): 400,
    ("employers", "phone"): 400,
}


def rows_sealed(table: str) -> str:
    """The SQL condition of the table's rows whose values are sealed (every row: TRUE)."""
    if table not in SEALED_ROWS:
        return "1 = 1"
    column, value = SEALED_ROWS[table]
    return f"{column} = '{value}'"


def row_sealed(table: str, values: Mapping[str, object]) -> bool:
    """Whether a row (a quarantined copy's values) is one whose values are sealed."""
    if table not in SEALED_ROWS:
        return True
    column, value = SEALED_ROWS[table]
    return values.get(column) == value
