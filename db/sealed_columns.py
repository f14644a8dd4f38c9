"""The personal values sealed at the desk besides a seeker's ID number and phone (revision
0023): (table, column) pairs, each sealed with db/sealed.py's `fd1.` format, its associated
data naming the pair and the row.

- people.address: shown as `address_masked` (area and street, no house number).
- residents.phone: a group activity's light record; found by `phone_hash` (keyed, as the
  ID number's), shown as `phone_masked`, searched by `phone_tail`.
- employers.phone of an employer of kind `individual` only: a company's phone is a
  published business contact and stays plain.
"""

from __future__ import annotations

SEALED_MORE: tuple[tuple[str, str], ...] = (
    ("people", "address"),
    ("residents", "phone"),
    ("employers", "phone"),
)
# Their declared width once sealed: a sealed value is `fd1.` + base64 of 60 bytes more
# than the text's UTF-8 (an address of 200 Chinese characters: about 880 characters).
SEALED_WIDTH = {
    ("people", "address"): 1000,
    ("residents", "phone"): 120,
    ("employers", "phone"): 120,
}
