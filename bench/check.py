"""`frontdesk check` with 100,000 people on file and a year of outbox history, in one run.

1. Fill: a fresh desk in a temporary directory (`init_desk`), then N people exactly as
   bench/search.py makes them (`PeopleMaker`, `validate` + `new_person`, 2,000 per
   `writing()` transaction), so search keys, dispatch keys, audit rows and outbox entries
   are the app's own.
2. History: `--days` past desk days, each with `--walkins` walk-ins through `add_walkin`
   (paid ones with their income entry), opened with a float and closed by `close_day`, as a
   desk does; then `--edits` rounds of changes to a third of the people each (an SQL
   UPDATE of their notes that moves row_version, so the outbox triggers record every one).
   The outbox is then dated over the past year in sequence order and acknowledged up to its
   last few entries, as a desk that synced every day has it.
3. Timed, `--rounds` times each, interleaved, after an untimed warm-up:
   - check, never pruned: `maintenance.check(path)`, the whole of `frontdesk check` but
     the process start, on the outbox as it is (a desk that never prunes);
   - baseline: `PRAGMA integrity_check` alone, on its own sqlite3 connection with the
     check's page cache (the least any check does, and the first thing `frontdesk check`
     does);
   then the outbox is pruned once (`db.outbox.prune`, as after a push; timed), and
   - check, pruned: `maintenance.check(path)` again.
   Every check must pass (no problem found): anything else is a failure (exit 2).

    .venv/bin/python bench/check.py                  # 100,000 people, readable table
    .venv/bin/python bench/check.py --json           # one JSON object on stdout
    .venv/bin/python bench/check.py --people 5000 --days 60 --keep /tmp/check5k

With --keep DIR, DIR holds desk.sqlite3 (pruned) and unpruned.sqlite3 (the same desk just
before pruning), for comparisons.

Exit status: 0 within budget, 1 over it, 2 when a part fails to run.
Progress goes to stderr, so stdout holds only the table or the JSON object.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # `python bench/check.py` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402  (needs the project on sys.path first)
    BenchError,
    bench_dir,
    desk_options,
    log,
    run_and_print,
)
from bench.search import (  # noqa: E402
    Desk,
    PeopleMaker,
    fill,
    make_desk,
)

BUDGET_S = 10.0  # issue 13: 100,000 people checked in 10 s at most
FLOAT_FEN = 50_000
CEILING_FEN = 10_000_000
METHOD_WEIGHTS = {"wechat": 45, "alipay": 25, "cash": 15, "unionpay": 10, "ecny": 5}
UNACKED = 500  # entries at the end of the outbox not yet acknowledged
JSON_KEYS = (
    "people",
    "check_s",
    "baseline_s",
    "ratio",
    "check_pruned_s",
    "prune_s",
    "outbox_entries",
    "outbox_after_prune",
    "closeouts",
    "rounds",
    "budget_s",
    "within_budget",
)


# --- history -------------------------------------------------------------------------------


def desk_days(today: date, count: int) -> list[date]:
    """The `count` desk days before today, oldest first (the desk is closed on Sundays)."""
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() != 6:
            days.append(day)
    return sorted(days)


def business(desk: Desk, days: list[date], per_day: int, rng: random.Random) -> int:
    """Walk-ins on each day through `add_walkin`, then the day opened and closed."""
    from sqlmodel import select

    from db.models import Person, Service
    from db.session import reading, writing
    from frontdesk.domain.clock import LOCAL_TZ
    from frontdesk.domain.session_rules import group_kind
    from frontdesk.services.closeout import CloseInput, close_day, open_day, x_report
    from frontdesk.services.walkins import WalkInInput, add_walkin

    with reading(desk.engine) as s:
        services = [  # what the quick log offers: group activities are sessions
            x
            for x in s.exec(select(Service).where(Service.active))
            if group_kind(x.code, x.line) is None
        ]
        people = list(s.exec(select(Person.id).limit(5000)))
    methods, weights = list(METHOD_WEIGHTS), list(METHOD_WEIGHTS.values())
    for n, day in enumerate(days, 1):
        opening = datetime.combine(day, clock_time(8, 30), LOCAL_TZ)
        evening = datetime.combine(day, clock_time(18, 0), LOCAL_TZ)
        open_day(desk.engine, desk.actor, day, FLOAT_FEN, opening)
        with writing(desk.engine) as s:
            for _ in range(per_day):
                svc = rng.choice(services)
                at = opening + timedelta(minutes=rng.randrange(0, 540))
                raw = WalkInInput(
                    svc.id,
                    person_id=rng.choice(people) if rng.random() < 0.6 else None,
                    started_at=at,
                )
                if svc.paid:
                    fen = max(100, svc.default_price_fen or 2000)
                    raw.amount = f"{fen // 100}.{fen % 100:02d}"
                    raw.method = rng.choices(methods, weights)[0]
                add_walkin(s, desk.actor, raw, at, CEILING_FEN)
        expected = x_report(desk.engine, desk.actor.site_code, day).expected_fen
        close_day(desk.engine, desk.actor, CloseInput(day, dict(expected)), evening)
        if n % 50 == 0 or n == len(days):
            log(f"  history: {n:>4} days closed")
    return len(days)


def edits(path: Path, rounds: int) -> None:
    """`rounds` changes of a third of the people each; the outbox triggers record them."""
    conn = sqlite3.connect(path)
    try:
        for n in range(rounds):
            with conn:
                conn.execute(
                    "UPDATE people SET notes = ?, row_version = row_version + 1 "
                    "WHERE abs(random()) % 3 = 0",
                    (f"edit {n + 1}",),
                )
            log(f"  history: edit round {n + 1} of {rounds}")
    finally:
        conn.close()


def date_and_acknowledge(path: Path, now: datetime) -> int:
    """Spread the outbox over the past year in sequence order and acknowledge it all but its
    last UNACKED entries, as daily syncs leave it; the entries in the outbox."""
    from frontdesk.sync.link import digest

    conn = sqlite3.connect(path)
    try:
        low, high, count = conn.execute(
            "SELECT min(seq), max(seq), count(*) FROM outbox"
        ).fetchone()
        mark = max(low, high - UNACKED)
        span = max(1, high - low)
        start = now - timedelta(days=365)
        step_s = 365 * 86400 / span
        stamp = "strftime('%Y-%m-%d %H:%M:%f', ?, '+' || ((seq - ?) * ?) || ' seconds')"
        base = start.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        with conn:
            conn.execute(
                f"UPDATE outbox SET created_at = {stamp}, "
                f"acked_at = CASE WHEN seq <= ? THEN {stamp} END",
                (base, low, step_s, mark, base, low, step_s),
            )
            entry = conn.execute(
                "SELECT seq, table_name, row_id, row_version FROM outbox WHERE seq = ?", (mark,)
            ).fetchone()
            conn.execute(
                "UPDATE sync_state SET last_acked_seq = ?, acked_digest = ?",
                (mark, digest(entry[0], entry[1], entry[2], entry[3])),
            )
        return count
    finally:
        conn.close()


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def outbox_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        conn.close()


# --- timing ---------------------------------------------------------------------------------


def time_check(path: Path) -> float:
    from frontdesk.services.maintenance import check

    start = time.perf_counter()
    problems = check(path)
    elapsed = time.perf_counter() - start
    if problems:
        raise BenchError("check found problems: " + " | ".join(problems[:5]))
    return elapsed


def time_integrity(path: Path) -> float:
    from frontdesk.services.maintenance import CHECK_CACHE_KIB

    start = time.perf_counter()
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")  # as the check has it
        found = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    elapsed = time.perf_counter() - start
    if found != [("ok",)]:
        raise BenchError(f"integrity_check: {found[:3]}")
    return elapsed


def parts(path: Path) -> dict[str, float]:
    """Where one check's time goes, part by part (information)."""
    from db.engine import make_engine
    from frontdesk.services import maintenance as m

    steps = {
        "integrity_check": lambda c: c.exec_driver_sql("PRAGMA integrity_check").fetchall(),
        "foreign_key_check": lambda c: c.exec_driver_sql("PRAGMA foreign_key_check").fetchall(),
        "triggers": m._missing_triggers,
        "outbox": m._outbox_gaps,
        "search keys": m._unsearchable_people,
        "dispatch keys": m._stale_dispatch_rows,
        "close-outs": m._closeouts,
    }
    engine = make_engine(path)
    found: dict[str, float] = {}
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA cache_size = -{m.CHECK_CACHE_KIB}")
            for name, step in steps.items():
                start = time.perf_counter()
                step(conn)
                found[name] = time.perf_counter() - start
    finally:
        engine.dispose()
    return found


# --- report ---------------------------------------------------------------------------------


@dataclass
class Results:
    people: int
    fill_s: float
    closeouts: int
    outbox_entries: int
    outbox_after_prune: int
    mib: float
    checks: list[float]
    baselines: list[float]
    pruned: list[float]
    prune_s: float
    parts: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict:
        check_s = statistics.median(self.checks)
        base_s = statistics.median(self.baselines)
        pruned_s = statistics.median(self.pruned)
        out = {
            "people": self.people,
            "check_s": round(check_s, 3),
            "baseline_s": round(base_s, 3),
            "ratio": round(check_s / base_s, 2) if base_s else None,
            "check_pruned_s": round(pruned_s, 3),
            "prune_s": round(self.prune_s, 3),
            "outbox_entries": self.outbox_entries,
            "outbox_after_prune": self.outbox_after_prune,
            "closeouts": self.closeouts,
            "rounds": len(self.checks),
            "budget_s": BUDGET_S,
            "within_budget": max(check_s, pruned_s) <= BUDGET_S,
        }
        assert tuple(out) == JSON_KEYS
        return out


def print_table(r: Results) -> None:
    s = r.summary()
    verdict = "PASS" if s["within_budget"] else "FAIL"
    print(
        f"frontdesk check with {r.people:,} people, {r.closeouts} close-outs "
        f"(Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; "
        f"database {r.mib:,.0f} MiB, warm page cache)"
    )
    print(f"Fill: {r.people:,} people in {r.fill_s:.1f} s (validate + new_person)")
    print(f"{'':44}{'median s':>9}{'min s':>8}{'max s':>8}  budget   verdict")
    rows = (
        (f"check, outbox never pruned ({r.outbox_entries:,} entries)", r.checks, True),
        ("  baseline: PRAGMA integrity_check alone", r.baselines, False),
        (f"check, outbox pruned ({r.outbox_after_prune:,} entries)", r.pruned, True),
    )
    for label, times, judged in rows:
        tail = f"  <= {BUDGET_S:.0f} s   {verdict}" if judged else ""
        print(
            f"{label:44}{statistics.median(times):>9.2f}{min(times):>8.2f}{max(times):>8.2f}{tail}"
        )
    print(f"check / integrity_check (never pruned): {s['ratio']}x")
    print(
        f"prune after a push: {r.prune_s:.2f} s, {r.outbox_entries - r.outbox_after_prune:,} "
        "entries removed (acknowledged, older than 30 days, not a row's newest)"
    )
    if r.parts:
        print("one check (pruned), part by part:")
        for name, secs in r.parts.items():
            print(f"  {name:42}{secs:>9.2f}")


# --- main -----------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> Results:
    from db.engine import make_engine
    from db.outbox import prune

    with bench_dir(args.keep, "frontdesk-bench-check-") as root:
        log(f"desk in {root}")
        from frontdesk.domain.clock import business_date

        now = datetime.now(UTC)
        desk = make_desk(root)
        maker = PeopleMaker(random.Random(args.seed + 1), business_date(now))
        fill_s, _ = fill(desk, maker, args.people)
        days = desk_days(business_date(now), args.days)
        closeouts = business(desk, days, args.walkins, random.Random(args.seed))
        desk.engine.dispose()
        edits(desk.path, args.edits)
        entries = date_and_acknowledge(desk.path, now)
        checkpoint(desk.path)
        mib = desk.path.stat().st_size / 2**20
        log(f"timing: {args.rounds} rounds of check and integrity_check, after a warm-up")
        time_check(desk.path)
        time_integrity(desk.path)
        checks, baselines = [], []
        for n in range(args.rounds):
            checks.append(time_check(desk.path))
            baselines.append(time_integrity(desk.path))
            log(f"  round {n + 1}: check {checks[-1]:.2f} s, integrity {baselines[-1]:.2f} s")
        if args.keep:  # for comparisons: the desk as it was before pruning
            shutil.copyfile(desk.path, root / "unpruned.sqlite3")
        engine = make_engine(desk.path)
        start = time.perf_counter()
        try:
            prune(engine, now)
        finally:
            engine.dispose()
        prune_s = time.perf_counter() - start
        after = outbox_size(desk.path)
        checkpoint(desk.path)
        pruned = []
        for n in range(args.rounds):
            pruned.append(time_check(desk.path))
            log(f"  round {n + 1}: check (pruned) {pruned[-1]:.2f} s")
        return Results(
            people=args.people,
            fill_s=fill_s,
            closeouts=closeouts,
            outbox_entries=entries,
            outbox_after_prune=after,
            mib=mib,
            checks=checks,
            baselines=baselines,
            pruned=pruned,
            prune_s=prune_s,
            parts=parts(desk.path),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people on file (100000)")
    parser.add_argument("--days", type=int, default=250, help="past desk days closed (250)")
    parser.add_argument("--walkins", type=int, default=40, help="walk-ins per day (40)")
    parser.add_argument("--edits", type=int, default=6, help="rounds of edits to people (6)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (3)")
    desk_options(parser)
    args = parser.parse_args(argv)
    if args.people < 100 or args.days < 1 or args.rounds < 1 or args.walkins < 1:
        parser.error("--people must be at least 100; --days, --walkins, --rounds >= 1")
    results = run_and_print("check.py", args, benchmark, print_table)
    if results is None:
        return 2
    return 0 if results.summary()["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
