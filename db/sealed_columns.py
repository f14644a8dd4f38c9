"""The (table, column) pairs stored sealed (db/sealed.py), each value's associated data
naming the pair and the row.

`SEALED_COLUMNS` is the one list the central store's sealing (db/central_seal.py), a desk's
re-seal to the district's key, a restore with a key holder and head office's reveal iterate:
sealed to the desk's key and, once the desk knows it, the district's.

- people.id_number, people.phone (revision 0021): shown as id_masked / phone_masked.
- people.address (0023): shown as `address_masked` (area and street, no house number).
- residents.phone (0023): a group activity's light record; found by `phone_hash` (keyed, as
  the ID number's), shown as `phone_masked`, searched by `phone_tail`.

`DESK_ONLY`: sealed at the desk but not in that list. employers.phone of an employer of kind
`individual` only (a company's phone is a published business contact and stays plain): a
column sealed for some rows only, which the generic passes above would seal for all, so an
individual's phone stays sealed to the desk's key alone (head office sees it masked; a
rebuilt desk gets it back masked).
"""

from __future__ import annotations

SEALED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("people", "id_number"),
    ("people", "phone"),
    ("people", "address"),
    ("residents", "phone"),
)
DESK_ONLY: tuple[tuple[str, str], ...] = (("employers", "phone"),)
# Declared widths once sealed (revision 0023): a value sealed to two keys (`fd2.`) is
# base64 of the text's UTF-8 plus about 180 bytes (an address of 200 Chinese characters:
# about 1,040 characters).
SEALED_WIDTH = {
    ("people", "address"): 1200,
    ("residents", "phone"): 400,
    ("employers", "phone"): 400,
}
