"""Registers job seekers in a loop until it is killed; driven by tests/test_crash.py.

Not a test module (pytest collects only test_*.py). Run from the project root:

    python -m tests.crash_worker

It imports everything once, then makes a worker per command on stdin, each a process of its
own forked from it (as multiprocessing's forkserver does), so a round costs no interpreter
start and no imports (they were 20 of the test's 29 CPU seconds):

    start DESK FIRST OUT ERR   fork a worker registering people from number FIRST on, with
                               its stdout and stderr in the files OUT and ERR; answers PID
    status PID                 "running", or how it ended: "exit N" or "signal N"

A worker opens the desk itself, after the fork: nothing of the database is shared. Person
number n (FIRST, FIRST+1, ...) gets a valid ID number and a mobile derived from n,
so rounds that start at different FIRST values never register the same person twice. The
worker prints "ready" once the desk is open and then, right after each `register()`
returns (its transaction committed), the new person's id as 32 hex digits, flushed at once:
a printed id is a promise that the registration is on disk.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from db.models import Staff
from db.search_keys import keys_for
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.services.acting import Actor
from frontdesk.services.desk import desk_info, open_desk
from frontdesk.services.seekers import register

# Polyphonic surnames and compound ones on purpose: their search keys are the most numerous.
NAMES = ("曾小明", "单丽芳", "解伟强", "区嘉欣", "查志文", "朴美玲", "司徒健华", "欧阳婷", "陈静")
WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
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


def register_until_killed(path: Path, n: int) -> None:
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


def start(path: str, first: str, out: str, err: str) -> int:
    pid = os.fork()
    if pid:
        return pid
    try:  # the worker: its own stdin, stdout and stderr, then registrations until killed
        for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, out, WRITE), (2, err, WRITE)):
            os.dup2(os.open(name, flags, 0o600), fd)
        sys.stdout = open(1, "w", encoding="ascii", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        register_until_killed(Path(path), int(first))
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    os._exit(1)  # never back into the server's loop


ENDED: dict[int, str] = {}  # a worker's end, kept: it can be reaped only once


def status(pid: int) -> str:
    if pid in ENDED:
        return ENDED[pid]
    done, code = os.waitpid(pid, os.WNOHANG)
    if not done:
        return "running"
    ended = f"signal {os.WTERMSIG(code)}" if os.WIFSIGNALED(code) else f"exit {code >> 8}"
    ENDED[pid] = ended
    return ended


def serve() -> int:
    keys_for(NAMES[0])  # pypinyin's tables, loaded on first use, loaded here once
    for line in sys.stdin:
        command, *args = line.split()
        answer = start(*args) if command == "start" else status(int(args[0]))
        print(answer, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(serve())
