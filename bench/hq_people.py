"""Head office's person search (frontdesk/hq/people.py) on a central SQLite store of
`--people` registrations across `--sites` communities.

1. A central store made by `central init` and `add-site`; one desk per community is not
   needed: one real desk (HS01) registers nine people with a manager signed in and syncs,
   so the rows are exactly what desks push (sealed values, masks, tails, hashes, readings),
   then SQL copies them, with new ids, ID hashes, tails and communities, up to the size.
   (The copies' random ids are not in registration order: the timing does not mind.)
2. Timed, alternating, after an untimed warm-up: `find_people` for the first page with no
   query, a name fragment, pinyin initials, full pinyin, a last-four, a whole phone and a
   name nobody has (a scan of the whole table). Baseline in the same rounds: one raw SQL
   statement reading the newest 20 rows by the primary key.

    .venv/bin/python bench/hq_people.py [--people 200000] [--sites 50] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = {
    "first page": "",
    "name fragment": "小明",
    "initials": "zxm",
    "full pinyin": "zengxiao",
    "last four": "0005",
    "whole phone": "13900000005",
    "nobody": "qqq",
}


NAMES = ("曾小明", "单丽芳", "解伟强", "区嘉欣", "查志文", "朴美玲", "司徒健华", "欧阳婷", "陈静")
PIN = "2468"


def seeker(n: int):
    from datetime import date

    from frontdesk.domain.idcard import make_id
    from frontdesk.domain.registration import SeekerInput

    return SeekerInput(
        name=NAMES[n],
        id_number=make_id("440703", date(1960, 1, 1), n),
        phone=f"139{n:08d}",
        consent=True,
    )


def build(folder: Path, people: int, sites: int) -> str:
    from datetime import UTC, datetime

    from sqlalchemy import text
    from sqlmodel import select

    from db.engine import make_engine
    from db.models import Staff
    from db.session import reading
    from frontdesk.services import personal_keys
    from frontdesk.services.acting import Actor
    from frontdesk.services.auth import sign_in
    from frontdesk.services.desk import DeskSetup, init_desk
    from frontdesk.services.seekers import register
    from frontdesk.sync.admin import add_site, init_central
    from frontdesk.sync.runner import Central, sync_once

    url = str(folder / "central.sqlite3")
    init_central(url)
    site_url = add_site(url, "HS01", "白沙社区").url
    desk = init_desk(folder / "HS01.sqlite3", DeskSetup("HS01", "白沙社区", "陈主任", PIN))
    now = datetime.now(UTC)
    with reading(desk) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
    for n in range(len(NAMES)):
        register(desk, Actor("HS01", manager), seeker(n), now)
    sign_in(desk, manager, PIN, now)  # the desk's key held: its values go sealed as usual
    link = Central(site_url)
    sync_once(desk, link)
    link.dispose()
    personal_keys.drop(desk)
    desk.dispose()
    for n in range(2, sites + 1):
        add_site(url, f"S{n:03d}", f"社区{n}")
    central = make_engine(url)
    with central.begin() as conn:
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(people)")]
        made = {
            "id": "lower(hex(randomblob(16)))",
            "id_hash": "lower(hex(randomblob(32)))",
            "phone_tail": "printf('%04d', abs(random()) % 10000)",
            "id_tail": "printf('%04d', abs(random()) % 10000)",
            "site_code": f"printf('S%03d', 2 + abs(random()) % {max(sites - 1, 1)})",
        }
        picked = ", ".join(made.get(c, c) for c in cols)
        copy = f"INSERT INTO people ({', '.join(cols)}) SELECT {picked} FROM people LIMIT :n"
        while (count := conn.execute(text("SELECT count(*) FROM people")).scalar_one()) < people:
            conn.execute(text(copy), {"n": people - count})
    central.dispose()
    return url


def timed(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy import text
    from sqlmodel import select

    from db.engine import make_engine
    from db.models import HqStaff
    from db.session import reading
    from frontdesk.hq.accounts import VIEWER, HqActor, add_account
    from frontdesk.hq.people import find_people

    with tempfile.TemporaryDirectory() as folder:
        print("building…", file=sys.stderr)
        central = make_engine(build(Path(folder), args.people, args.sites))
        add_account(central, "查看员", VIEWER, "135790")
        with reading(central) as s:
            row = s.exec(select(HqStaff)).one()
        actor = HqActor(row.id, row.name, row.role)
        newest = text("SELECT id, name, id_masked FROM people ORDER BY id DESC LIMIT 20")

        def baseline() -> None:
            with central.connect() as conn:
                conn.execute(newest).all()

        out: dict[str, float | int] = {"people": args.people, "sites": args.sites}
        for q in QUERIES.values():  # warm-up
            find_people(central, actor, q)
        out["baseline_s"] = timed(baseline, args.rounds)
        for label, q in QUERIES.items():
            out[f"{label}_s"] = timed(lambda q=q: find_people(central, actor, q), args.rounds)
        central.dispose()
    if args.json:
        print(json.dumps(out))
    else:
        base = float(out["baseline_s"])
        for key, value in out.items():
            extra = f"  x{float(value) / base:,.0f}" if key.endswith("_s") and base else ""
            print(f"{key:20} {value}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
