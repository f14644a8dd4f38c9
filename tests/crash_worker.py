"""Registers job seekers in a loop until it is killed; driven by tests/test_crash.py.

Not a test module (pytest collects only test_*.py). Run from the project root:

    python -m tests.crash_worker DESK.sqlite3 FIRST

It imports everything, then waits for one line on stdin (the go signal) before it opens
the desk, so the test can start the next round's worker while it checks the last round.
Person number n (FIRST, FIRST+1, ...) gets a valid ID number and a mobile derived from n,
so rounds that start at different FIRST values never register the same person twice. The
worker prints "ready" once the desk is open and then, right after each `register()`
returns (its transaction committed), the new person's id as 32 hex digits, flushed at once:
a printed id is a promise that the registration is on disk.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from db.models import Staff
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.services.acting import Actor
from frontdesk.services.desk import desk_info, open_desk
from frontdesk.services.seekers import register

# Polyphonic surnames and compound ones on purpose: their search keys are the most numerous.
NAMES = ("曾小明", "单丽芳", "解伟强", "区嘉欣", "查志文", "朴美玲", "司徒健华", "欧阳婷", "陈静")
PER_BIRTH_DATE = 1000  # sequence numbers 000-999 of one address code and birth date


def person(n: int) -> SeekerInput:
    birth = date(1960, 1, 1) + timedelta(days=n // PER_BIRTH_DATE)
    return SeekerInput(
        name=NAMES[n % len(NAMES)],
        id_number=make_id("440703", birth, n % PER_BIRTH_DATE),
        phone=f"139{n:08d}",
        education="61",
        skills="包装；电商",
        desired_jobs=[("包装", "4500", "蓬江区")],
        consent=True,
    )


def main(argv: list[str]) -> int:
    path, n = Path(argv[0]), int(argv[1])
    if not sys.stdin.readline():
        return 1  # stdin closed without a go: the test ended before this round
    engine = open_desk(path)
    site = desk_info(engine).site_code
    with reading(engine) as s:
        staff_id = s.exec(select(Staff.id).where(Staff.role == "manager")).first()
    actor = Actor(site, staff_id)
    print("ready", flush=True)
    while True:
        registered = register(engine, actor, person(n), datetime.now(UTC))
        print(registered.id.hex, flush=True)
        n += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
