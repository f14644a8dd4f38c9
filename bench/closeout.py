"""Close-out benchmark: `close_day` on a desk with 5,000 income entries on one business day.

1. Fill: a fresh desk in a temporary directory (`init_desk`), an opening float, then N paid
   walk-ins (default 5,000) through the real code path, `add_walkin`, BATCH per `writing()`
   transaction: every paid service of the seeded catalogue (three partners, 70 / 60 / 50 %,
   and the center's own), every payment method, amounts around each service's price, times
   spread over the opening hours of one day. The engine is then disposed and the WAL
   checkpointed into the file, which becomes the master copy.
2. Close: a day closes only once, so each round copies the master to a new file first
   (untimed), opens it as the desk does (`open_desk_for`: the same engine and pragmas),
   runs one trivial query (connection, pragmas, schema: untimed), and then times
   `close_day` as a whole: the X figures, the approval check, the figures again under the
   write lock, partners' shares, the chained hash, the audit row, one fsync'd commit
   (WAL, synchronous=FULL). Counts equal the expected figures, so no manager PIN is asked
   for (a PIN check is a deliberately slow key derivation and would be measured instead).
   A fresh engine each round also means SQLAlchemy compiles its statements again, as the
   first close in a new process does; one untimed round comes first for Python's own
   warm-up (imports, mapper set-up).
3. Baseline, in the same run and alternating with the close: a fresh copy of the same
   master, plain sqlite3 with the desk's pragmas, then timed: `SELECT method,
   sum(amount_fen) FROM payments WHERE business_date=? GROUP BY method` and one INSERT +
   COMMIT (into a one-row scratch table made before the clock starts). That is the least
   any close-out has to do: read the day's income once and make one durable write.

    .venv/bin/python bench/closeout.py              # 5,000 entries, 15 rounds, readable table
    .venv/bin/python bench/closeout.py --json       # one JSON object on stdout
    .venv/bin/python bench/closeout.py --entries 20000 --rounds 9 --keep /tmp/close20k

Budget: p95 of close_day <= 100 ms. Exit status: 0 within budget, 1 over it, 2 when a
part fails (including a close whose figures do not match what was written).
Progress goes to stderr, so stdout holds only the table or the JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # `python bench/closeout.py` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from bench.common import BenchError, log, percentile  # noqa: E402  (needs the project first)

SITE, SITE_NAME, MANAGER, PIN = "HS01", "白沙社区", "陈主任", "2468"
BATCH = 1000
BUDGET_MS = 100.0
FLOAT_FEN = 50_000  # 500 yuan in the drawer at opening
CEILING_FEN = 2_000_000_00  # far above any seeded price: no entry is refused for its size
# Roughly how a desk is paid: mostly WeChat and Alipay, some cash, a little card and e-CNY.
METHOD_WEIGHTS = {"wechat": 45, "alipay": 25, "cash": 20, "unionpay": 6, "ecny": 4}
OPENING, CLOSING = clock_time(8, 30), clock_time(17, 30)
PRAGMAS = (  # as db/engine.py sets them on every desk connection
    "busy_timeout = 5000",
    "foreign_keys = ON",
    "journal_mode = WAL",
    "synchronous = FULL",
    "cache_size = -512",
)


# --- the desk -----------------------------------------------------------------------------


@dataclass
class Master:
    path: Path
    day: date
    close_at: datetime  # the evening of `day`, when the close is done
    entries: int
    expected_fen: dict[str, int]  # what close_day must find, float included
    staff_id: Any
    fill_s: float
    mib: float  # size of the checkpointed file


def build_master(root: Path, entries: int, seed: int) -> Master:
    """A desk whose business day `day` holds `entries` paid walk-ins, checkpointed to one file."""
    from sqlmodel import select

    from db.models import Service, Staff
    from db.session import reading
    from frontdesk.domain.clock import LOCAL_TZ, business_date, system_clock
    from frontdesk.domain.session_rules import group_kind
    from frontdesk.services.acting import Actor
    from frontdesk.services.closeout import open_day
    from frontdesk.services.desk import DeskSetup, init_desk

    path = root / "master.sqlite3"
    engine = init_desk(path, DeskSetup(SITE, SITE_NAME, MANAGER, PIN))
    # Today: the partner agreements init seeds are valid from the day of installation.
    day = business_date(system_clock())
    close_at = datetime.combine(day, clock_time(21, 0), LOCAL_TZ)
    try:
        with reading(engine) as s:
            manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
            paid = [  # what the quick log offers: group activities are sessions
                x
                for x in s.exec(select(Service).where(Service.paid)).all()
                if group_kind(x.code, x.line) is None
            ]
        actor = Actor(SITE, manager)
        open_day(engine, actor, day, FLOAT_FEN, close_at)
        start = time.perf_counter()
        expected = fill(engine, actor, paid, day, entries, random.Random(seed))
        fill_s = time.perf_counter() - start
    finally:
        engine.dispose()
    checkpoint(path)
    expected["cash"] += FLOAT_FEN
    mib = path.stat().st_size / 2**20
    return Master(path, day, close_at, entries, expected, manager, fill_s, mib)


def fill(engine, actor, paid: list, day: date, entries: int, rng: random.Random) -> dict[str, int]:
    """`entries` paid walk-ins via add_walkin, BATCH per transaction; income per method."""
    from db.session import writing
    from frontdesk.domain.clock import LOCAL_TZ
    from frontdesk.services.walkins import WalkInInput, add_walkin

    methods, weights = list(METHOD_WEIGHTS), list(METHOD_WEIGHTS.values())
    opening = datetime.combine(day, OPENING, LOCAL_TZ)
    span_s = (datetime.combine(day, CLOSING, LOCAL_TZ) - opening).total_seconds()
    income = dict.fromkeys(METHOD_WEIGHTS, 0)
    done = 0
    while done < entries:
        with writing(engine) as s:
            for _ in range(min(BATCH, entries - done)):
                svc = rng.choice(paid)
                # A little discount, in whole jiao as cash is taken (domain/money.check_cash_jiao).
                fen = max(10, svc.default_price_fen + rng.randint(-20, 20) * 50)
                method = rng.choices(methods, weights)[0]
                at = opening + timedelta(seconds=rng.uniform(0, span_s))
                raw = WalkInInput(
                    svc.id, amount=f"{fen // 100}.{fen % 100:02d}", method=method, started_at=at
                )
                add_walkin(s, actor, raw, at, CEILING_FEN)
                income[method] += fen
        done += min(BATCH, entries - done)
        log(f"  fill: {done:>6,} entries")
    return income


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so one copy of the file is the whole database."""
    conn = sqlite3.connect(path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise BenchError(f"could not checkpoint {path}")


def fresh_copy(master: Master, name: str) -> Path:
    copy = master.path.with_name(name)
    shutil.copyfile(master.path, copy)
    return copy


def drop(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- one round of each --------------------------------------------------------------------


def time_close(master: Master, path: Path) -> float:
    """close_day on a fresh copy, as a whole; milliseconds. Checks what it closed."""
    from sqlmodel import select

    from db.models import Site
    from db.session import reading
    from frontdesk.services.acting import Actor
    from frontdesk.services.closeout import CloseInput, close_day
    from frontdesk.services.desk import open_desk_for

    engine = open_desk_for(path, SITE).engine
    try:
        with reading(engine) as s:  # connect, pragmas, schema: not part of a close
            s.exec(select(Site.code)).first()
        raw = CloseInput(master.day, dict(master.expected_fen))
        actor = Actor(SITE, master.staff_id)
        start = time.perf_counter_ns()
        report = close_day(engine, actor, raw, master.close_at)
        took = (time.perf_counter_ns() - start) / 1e6
    finally:
        engine.dispose()
    if report.entries != master.entries or report.expected_fen != master.expected_fen:
        raise BenchError(f"close_day saw {report.entries} entries, {report.expected_fen}")
    if any(report.over_short_fen.values()) or not report.hash:
        raise BenchError(f"close_day did not balance: {report.over_short_fen}")
    return took


def time_baseline(master: Master, path: Path) -> float:
    """Raw sqlite3: the day's income by method, then one INSERT + COMMIT; milliseconds."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("CREATE TABLE bench_close (day TEXT PRIMARY KEY, totals TEXT)")
        start = time.perf_counter_ns()
        totals = conn.execute(
            "SELECT method, sum(amount_fen) FROM payments WHERE business_date=? GROUP BY method",
            (master.day.isoformat(),),
        ).fetchall()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO bench_close VALUES (?, ?)", (master.day.isoformat(), json.dumps(totals))
        )
        conn.execute("COMMIT")
        took = (time.perf_counter_ns() - start) / 1e6
    finally:
        conn.close()
    if sum(n for _, n in totals) != sum(master.expected_fen.values()) - FLOAT_FEN:
        raise BenchError(f"baseline read {totals}")
    return took


def benchmark(master: Master, rounds: int) -> tuple[list[float], list[float]]:
    """Alternating rounds (which side goes first swaps), each on its own fresh copy."""
    from screens.runtime import settle_after_startup

    settle_after_startup()  # as the app does once its desk is open
    closes: list[float] = []
    raws: list[float] = []
    for i in range(rounds + 1):  # round 0 is a warm-up
        order = ("close", "raw") if i % 2 else ("raw", "close")
        for side in order:
            path = fresh_copy(master, f"{side}-{i}.sqlite3")
            try:
                if side == "close":
                    took = time_close(master, path)
                    if i:
                        closes.append(took)
                else:
                    took = time_baseline(master, path)
                    if i:
                        raws.append(took)
            finally:
                drop(path)
        if i:
            log(f"  round {i:>2}: close_day {closes[-1]:7.1f} ms   raw {raws[-1]:6.1f} ms")
    return closes, raws


# --- report -------------------------------------------------------------------------------


def summary(master: Master, closes: list[float], raws: list[float]) -> dict[str, Any]:
    median, raw_median = statistics.median(closes), statistics.median(raws)
    p95 = percentile(closes, 95)
    return {
        "entries": master.entries,
        "closeout_ms": round(median, 2),
        "closeout_p95_ms": round(p95, 2),
        "baseline_ms": round(raw_median, 2),
        "baseline_p95_ms": round(percentile(raws, 95), 2),
        "ratio": round(median / raw_median, 2),
        "rounds": len(closes),
        "budget_ms": BUDGET_MS,
        "within_budget": p95 <= BUDGET_MS,
    }


def print_table(master: Master, closes: list[float], raws: list[float], r: dict) -> None:
    import sqlalchemy

    print(
        f"Close-out of one business day with {master.entries:,} income entries, "
        f"{r['rounds']} alternating rounds"
    )
    print(
        f"(each round a fresh copy of the same {master.mib:.1f} MiB "
        f"desk; Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}; fill took {master.fill_s:.1f} s)"
    )
    print(f"{'':34}{'median ms':>10}{'p95 ms':>9}{'min ms':>9}{'max ms':>9}")
    for name, values in (
        ("close_day (whole close)", closes),
        ("raw sqlite3 SUM + INSERT/COMMIT", raws),
    ):
        print(
            f"{name:34}{statistics.median(values):>10.1f}{percentile(values, 95):>9.1f}"
            f"{min(values):>9.1f}{max(values):>9.1f}"
        )
    verdict = "PASS" if r["within_budget"] else "FAIL"
    print(f"ratio close_day/raw (medians): {r['ratio']:.1f}")
    print(f"close_day p95 {r['closeout_p95_ms']:.1f} ms   budget <= {BUDGET_MS:.0f} ms   {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000, help="income entries (5000)")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds of each (15)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument("--keep", metavar="DIR", help="build the master desk in DIR and keep it")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    if args.entries < 1 or args.rounds < 1:
        parser.error("--entries and --rounds must be at least 1")
    try:
        if args.keep:
            root = Path(args.keep)
            root.mkdir(parents=True, exist_ok=False)
            closes, raws, master = _run(root, args)
        else:
            with tempfile.TemporaryDirectory(prefix="frontdesk-close-") as name:
                closes, raws, master = _run(Path(name), args)
    except (BenchError, FileExistsError) as exc:
        print(f"closeout.py: {exc}", file=sys.stderr)
        return 2
    result = summary(master, closes, raws)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(master, closes, raws, result)
    return 0 if result["within_budget"] else 1


def _run(root: Path, args: argparse.Namespace) -> tuple[list[float], list[float], Master]:
    log(f"closeout.py: building a desk with {args.entries:,} entries in {root}")
    master = build_master(root, args.entries, args.seed)
    closes, raws = benchmark(master, args.rounds)
    return closes, raws, master


if __name__ == "__main__":
    sys.exit(main())
