"""What sealing personal data costs per row, against the same row's values stored plain.

Times (CPU time of this process, so a busy machine shows less in the figures):

- plain: a person's stored number columns as before sealing (masked forms and tails only;
  the plain numbers themselves cost nothing to copy): the same-run baseline.
- import: `stored_person_values` with one Sealer per batch of 1,000 (as the import and a
  restore seal), per row.
- save: a new Sealer per row (one registration save: an ephemeral X25519 key each), per row.
- open: opening both numbers again with the desk's key (a reveal, an unmasked export), per row.
- slot: opening a PIN slot (scrypt, the sign-in's added cost), per sign-in.
- fd2 import / save / open: the same with the district's key as a second recipient (a desk
  that knows it: one content key per Sealer wrapped for both keys), and open with the
  district's key (head office's reveal, a restore with a key holder).
- address: a person's address as stored, masked only (its baseline) and sealed with one
  Sealer per batch (`stored_address`, revision 0023), per row.

Prints a table, or with --json one object:
{"rows", "plain_us", "import_us", "save_us", "open_us", "slot_ms", "import_ratio",
 "import_added_us", "save_added_us", "fd2_import_us", "fd2_save_us", "fd2_open_us",
 "fd2_import_ratio_fd1", "fd2_save_ratio_fd1", "fd2_bytes", "fd1_bytes",
 "address_plain_us", "address_us", "address_added_us"}.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from datetime import date

from db.sealed import Opener, Sealer, b64, new_key_pair, unwrap, wrap
from frontdesk.domain.idcard import make_id
from frontdesk.domain.privacy import mask_address, mask_id, mask_phone
from frontdesk.services.personal_keys import open_person, stored_person_values
from frontdesk.services.sealed_contacts import stored_address

BATCH = 1000
ADDRESS = "江门市蓬江区白沙街道{}号{}栋"  # as the demo writes them, a house number each


def people(n: int) -> list[tuple[uuid.UUID, str, str]]:
    born = date(1990, 5, 17)
    return [(uuid.uuid4(), make_id("440703", born, 10 + i % 900), f"139{i:08d}") for i in range(n)]


def per_row_us(seconds: float, rows: int) -> float:
    return round(seconds / rows * 1e6, 2)


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def measure(rows: int) -> dict[str, float]:
    data = people(rows)
    private, public = new_key_pair()
    district_private, district = new_key_pair()
    stored: list[dict] = []
    stored2: list[dict] = []

    def plain() -> None:
        for _, id_number, phone in data:
            {
                "id_number": id_number,
                "id_masked": mask_id(id_number),
                "id_tail": id_number[-4:],
                "phone": phone,
                "phone_masked": mask_phone(phone),
                "phone_tail": phone[-4:],
            }

    def batched() -> None:
        stored.clear()
        for start in range(0, rows, BATCH):
            seal = Sealer(public)
            for pid, id_number, phone in data[start : start + BATCH]:
                stored.append(stored_person_values(seal, pid, id_number, phone))

    def each() -> None:
        for pid, id_number, phone in data:
            stored_person_values(Sealer(public), pid, id_number, phone)

    def opened() -> None:
        opener = Opener(private)
        for (pid, _, _), values in zip(data, stored, strict=True):
            open_person(opener, pid, values["id_number"], values["phone"])

    def batched2() -> None:
        stored2.clear()
        for start in range(0, rows, BATCH):
            seal = Sealer(public, district)
            for pid, id_number, phone in data[start : start + BATCH]:
                stored2.append(stored_person_values(seal, pid, id_number, phone))

    def each2() -> None:
        for pid, id_number, phone in data:
            stored_person_values(Sealer(public, district), pid, id_number, phone)

    def opened2() -> None:
        opener = Opener(district_private)
        for (pid, _, _), values in zip(data, stored2, strict=True):
            open_person(opener, pid, values["id_number"], values["phone"])

    plain_s, import_s, save_s = cpu(plain), cpu(batched), cpu(each)
    open_s = cpu(opened)
    import2_s, save2_s = cpu(batched2), cpu(each2)
    open2_s = cpu(opened2)
    slot = wrap(private, "246810", b"bench")
    slot_s = cpu(lambda: [unwrap(slot, "246810", b"bench") for _ in range(5)]) / 5
    assert b64(private)  # the key round-trips through the slot
    figures = {
        "rows": rows,
        "plain_us": per_row_us(plain_s, rows),
        "import_us": per_row_us(import_s, rows),
        "save_us": per_row_us(save_s, rows),
        "open_us": per_row_us(open_s, rows),
        "slot_ms": round(slot_s * 1000, 1),
    }
    figures["import_ratio"] = round(import_s / plain_s, 2)
    figures["import_added_us"] = round(figures["import_us"] - figures["plain_us"], 2)
    figures["save_added_us"] = round(figures["save_us"] - figures["plain_us"], 2)
    figures["fd2_import_us"] = per_row_us(import2_s, rows)
    figures["fd2_save_us"] = per_row_us(save2_s, rows)
    figures["fd2_open_us"] = per_row_us(open2_s, rows)
    figures["fd2_import_ratio_fd1"] = round(import2_s / import_s, 2)
    figures["fd2_save_ratio_fd1"] = round(save2_s / save_s, 2)
    figures["fd1_bytes"] = len(stored[0]["id_number"])
    figures["fd2_bytes"] = len(stored2[0]["id_number"])
    return figures | addresses(data, public)


def addresses(data: list[tuple[uuid.UUID, str, str]], public: str) -> dict[str, float]:
    rows = len(data)
    written = [(pid, ADDRESS.format(i % 180 + 1, i % 9 + 1)) for i, (pid, _, _) in enumerate(data)]

    def masked() -> None:
        for _, address in written:
            {"address": address, "address_masked": mask_address(address)}

    def sealed() -> None:
        for start in range(0, rows, BATCH):
            seal = Sealer(public)
            for pid, address in written[start : start + BATCH]:
                stored_address(seal, pid, address)

    plain_s, sealed_s = cpu(masked), cpu(sealed)
    figures = {
        "address_plain_us": per_row_us(plain_s, rows),
        "address_us": per_row_us(sealed_s, rows),
    }
    figures["address_added_us"] = round(figures["address_us"] - figures["address_plain_us"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="people (20000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args()
    figures = measure(args.rows)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{args.rows:,} people, CPU time per row")
    print(f"  plain (baseline)      {figures['plain_us']:>8.2f} µs")
    print(f"  sealed, import batch  {figures['import_us']:>8.2f} µs  ({figures['import_ratio']}×)")
    print(f"  sealed, one save      {figures['save_us']:>8.2f} µs")
    print(f"  opened again          {figures['open_us']:>8.2f} µs")
    print(f"  PIN slot at sign-in   {figures['slot_ms']:>8.1f} ms")
    print(f"  address masked only   {figures['address_plain_us']:>8.2f} µs")
    print(f"  address sealed        {figures['address_us']:>8.2f} µs")
    print(
        f"  fd2, import batch     {figures['fd2_import_us']:>8.2f} µs"
        f"  ({figures['fd2_import_ratio_fd1']}× fd1)"
    )
    print(
        f"  fd2, one save         {figures['fd2_save_us']:>8.2f} µs"
        f"  ({figures['fd2_save_ratio_fd1']}× fd1)"
    )
    print(f"  fd2, opened (district){figures['fd2_open_us']:>8.2f} µs")
    print(
        f"  stored ID number      {figures['fd1_bytes']} (fd1) / {figures['fd2_bytes']} (fd2) chars"
    )
    print(
        f"added: {figures['import_added_us']} µs a row imported (budget 200 µs a row at"
        f" 5,000 rows/s), {figures['save_added_us']} µs a save (budget 10 ms),"
        f" {figures['address_added_us']} µs an address"
    )


if __name__ == "__main__":
    main()
