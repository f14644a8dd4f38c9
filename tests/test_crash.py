"""Crash safety of registration: SIGKILL a registering process at random moments.

Each round forks a new worker process (tests/crash_worker.py) on the same desk database. It
registers people one after another through `seekers.register` and prints each id once
register() has returned. After a seeded random delay the test kills it with SIGKILL,
wherever it is: building the row, computing keys, inside the commit's fsync. Then:

- `frontdesk check --db` finds nothing wrong (integrity, foreign keys, schema, outbox);
- every id the worker printed is in `people` (a committed registration is never lost);
- nothing is half-written: every person has exactly its search keys, one
  "seeker_register" audit row and an outbox row at its row_version, and the outbox has
  exactly one 'I' row per person (and none for a person who does not exist).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

from db.search_keys import keys_for
from tests.cli_support import run_cli

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20
SEED = 20261126
MAX_DELAY_S = 0.5  # after the worker says "ready" (near 0: around its first commit)
PER_ROUND = 100_000  # person numbers of round r start at r * PER_ROUND (see crash_worker)
READY_TIMEOUT_S = 30


@cache
def expected_keys(name: str) -> frozenset[str]:
    return frozenset(keys_for(name))


class Workers:
    """tests/crash_worker.py serving: it has imported everything once and forks each round's
    worker, a process of its own (a fresh interpreter per round cost ~1 s of imports)."""

    def __init__(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, *words: object) -> str:
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.write(" ".join(map(str, words)) + "\n")
        self.server.stdin.flush()
        answer = self.server.stdout.readline().strip()
        assert answer, f"the worker server died ({self.server.wait()})"
        return answer

    def close(self) -> None:
        if self.server.stdin is not None:
            self.server.stdin.close()
        self.server.wait()


class Worker:
    """One round's worker: registers from person number `number * PER_ROUND` on."""

    def __init__(self, workers: Workers, path: Path, tmp: Path, number: int) -> None:
        self.workers, self.path, self.number = workers, path, number
        self.out, self.err = tmp / f"round{number}.out", tmp / f"round{number}.err"
        self.pid = 0  # until started

    def run_and_kill(self, delay: float, after_first_save: bool = False) -> list[str]:
        """Start it, SIGKILL it `delay` s after it has opened the desk (or after its first
        registration committed: then the kill lands among registrations however slow the
        machine); the ids it printed."""
        context = f"round {self.number}"
        self.pid = int(
            self.workers.ask("start", self.path, self.number * PER_ROUND, self.out, self.err)
        )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self._printed().startswith("ready"):
            assert self._running(), f"{context}: worker died: {self.err.read_text()}"
            assert time.monotonic() < deadline, f"{context}: worker never got ready"
            time.sleep(0.005)
        while after_first_save and len(self._ids()) == 0:
            assert self._running(), f"{context}: worker died: {self.err.read_text()}"
            assert time.monotonic() < deadline, f"{context}: worker never registered anyone"
            time.sleep(0.005)
        time.sleep(delay)
        # Still running when killed: it did not stop early on an error of its own.
        assert self._running(), f"{context}: worker stopped: {self.err.read_text()}"
        ended = self.kill()
        assert ended == f"signal {signal.SIGKILL.value}", f"{context}: {ended}"
        return self._ids()

    def _printed(self) -> str:
        return self.out.read_text(encoding="ascii") if self.out.exists() else ""

    def _ids(self) -> list[str]:
        lines = self._printed().splitlines()
        return [line for line in lines if len(line) == 32]  # not "ready", not a torn line

    def _running(self) -> bool:
        return self.workers.ask("status", self.pid) == "running"

    def kill(self) -> str:
        """SIGKILL it if it still runs; how it ended."""
        if self._running():
            os.kill(self.pid, signal.SIGKILL)
        while (ended := self.workers.ask("status", self.pid)) == "running":
            time.sleep(0.001)
        return ended


def assert_whole(path: Path, printed: set[str], context: str) -> int:
    """Every registration complete, every printed id present; the number of people."""
    conn = sqlite3.connect(path)
    try:
        people = dict(conn.execute("SELECT id, name FROM people"))
        versions = dict(conn.execute("SELECT id, row_version FROM people"))
        keys: dict[str, set[str]] = defaultdict(set)
        for person_id, key in conn.execute("SELECT person_id, key FROM person_keys"):
            keys[person_id].add(key)
        audits = Counter(
            entity_id
            for (entity_id,) in conn.execute(
                "SELECT entity_id FROM audit_log "
                "WHERE action = 'seeker_register' AND entity = 'people'"
            )
        )
        queued = set(
            conn.execute("SELECT row_id, row_version FROM outbox WHERE table_name = 'people'")
        )
        inserts = Counter(
            row_id
            for (row_id,) in conn.execute(
                "SELECT row_id FROM outbox WHERE table_name = 'people' AND op = 'I'"
            )
        )
    finally:
        conn.close()
    lost = printed - people.keys()
    assert not lost, f"{context}: {len(lost)} printed (committed) ids missing, e.g. {min(lost)}"
    bad_keys = [p for p, name in people.items() if keys.get(p, set()) != expected_keys(name)]
    assert not bad_keys, f"{context}: wrong or missing search keys for {bad_keys[:3]}"
    assert keys.keys() <= people.keys(), f"{context}: search keys of nobody"
    assert audits == Counter(people.keys()), f"{context}: audit rows do not match people"
    unsent = [p for p, v in versions.items() if (p, v) not in queued]
    assert not unsent, f"{context}: people without an outbox row at their version: {unsent[:3]}"
    assert inserts == Counter(people.keys()), f"{context}: outbox 'I' rows do not match people"
    return len(people)


def test_sigkill_while_registering_never_loses_or_tears_a_registration(
    desk, tmp_path: Path
) -> None:
    engine, path = desk
    engine.dispose()  # only the workers, `frontdesk check` and sqlite3 below touch the file
    rng = random.Random(SEED)
    printed: set[str] = set()
    workers, worker = Workers(), None
    try:
        for number in range(ROUNDS):
            delay = rng.uniform(0, MAX_DELAY_S)
            # Odd rounds wait for a committed registration first: whatever the machine's
            # speed, those kills land while registering, not before the first one.
            mid = number % 2 == 1
            moment = "the first save" if mid else "ready"
            context = f"round {number} (killed {delay:.3f} s after {moment}, seed {SEED})"
            worker = Worker(workers, path, tmp_path, number)
            ids = worker.run_and_kill(delay, after_first_save=mid)
            assert ids or not mid, f"{context}: no registration printed"
            printed.update(ids)
            on_file = assert_whole(path, printed, context)
            check = run_cli("check", "--db", str(path))  # in this process: no interpreter start
            assert check.returncode == 0, (
                f"{context}: frontdesk check: {check.stdout}{check.stderr}"
            )
            assert on_file >= len(printed)
    finally:
        if worker is not None and worker.pid:
            worker.kill()  # a failed round's worker must not outlive the test
        workers.close()
