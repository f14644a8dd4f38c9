"""Matching for job referral both ways, with 100,000 people and 10,000 postings on file.

1. Fill: a fresh desk and N job seekers exactly as bench/search.py makes them (their
   wished-for jobs with pay, skills and hours), so `person_jobs` comes from the app's hook.
2. Postings through the rules: M postings over every job type of demo_names.py, with pay
   by the hour, day, month or piece, weekday or weekend hours, a tenth of them past their
   end date; a few thousand referrals through the service, so both directions have
   referred people and postings to leave out.
3. Time, after an untimed warm-up:
   - `candidates_for_posting` (first page) over open postings taken in turn;
   - `postings_for_seeker` (first page) over people on file taken in turn;
   - the baseline, in the same run: each direction's bare index read through the driver
     (the posting's job range of `person_jobs`, a page, unscored; the seeker's job keys
     and the open postings of them, unscored), the floor under any ranking; and gig
     dispatch's own `rank_candidates` over one order per job type, the ranking this one
     extends, on the same desk and load.
   Each timed page is checked: scores never rise down the page and nobody (no posting)
   with an open referral is on it (a wrong page is a failure, exit 2).

    .venv/bin/python bench/jobs.py          # 100,000 people, 10,000 postings, readable table
    .venv/bin/python bench/jobs.py --json   # {"people", "postings", "candidates_p95_ms",
                                            #  "postings_for_seeker_p95_ms", ...}

Exit status: 0 within the budget (both p95 ≤ 50 ms), 1 over it, 2 when a part fails to run.
Progress goes to stderr, so stdout holds only the table or the JSON object.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # `python bench/jobs.py` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402  (needs the project on sys.path first)
    BenchError,
    bench_dir,
    desk_options,
    log,
    percentile,
    run_and_print,
)
from bench.search import (  # noqa: E402
    SITE,
    Desk,
    PeopleMaker,
    fill,
    make_desk,
)

BUDGET_MS = 50.0
PAGE = 20
BATCH = 2000
REFERRALS = 3000
PAY = {"hour": (1800, 3000), "day": (150, 260), "month": (3000, 7000), "piece": (1, 5)}
HOURS = ("工作日 9:00-17:00", "周末 全天", "工作日 上午", "每天 13:00-18:00", "")


@dataclass
class Results:
    people: int
    postings: int
    referrals: int
    fill_s: float
    candidates_ms: list[float]
    seeker_ms: list[float]
    base_candidates_ms: list[float]
    base_seeker_ms: list[float]
    dispatch_ms: list[float]

    def summary(self) -> dict[str, Any]:
        p95 = lambda xs: round(percentile(xs, 95), 3)  # noqa: E731
        return {
            "people": self.people,
            "postings": self.postings,
            "candidates_p95_ms": p95(self.candidates_ms),
            "postings_for_seeker_p95_ms": p95(self.seeker_ms),
            "baseline_candidates_p95_ms": p95(self.base_candidates_ms),
            "baseline_postings_for_seeker_p95_ms": p95(self.base_seeker_ms),
            "baseline_dispatch_p95_ms": p95(self.dispatch_ms),
        }

    def within_budget(self) -> bool:
        worst = max(percentile(self.candidates_ms, 95), percentile(self.seeker_ms, 95))
        return worst <= BUDGET_MS


# --- postings and referrals ----------------------------------------------------------------


def add_postings(desk: Desk, rng: random.Random, count: int, today: date) -> list:
    """`count` postings through validate_posting + new_posting, BATCH per transaction."""
    from db.session import writing
    from frontdesk.domain import job_rules
    from frontdesk.services import demo_names as names
    from frontdesk.services.employers import EmployerInput, add_employer
    from frontdesk.services.postings import new_posting

    now = datetime.now(UTC)
    employers = [
        add_employer(desk.engine, desk.actor, EmployerInput(name=f"{name}{n}"), now).id
        for n, (name, _) in enumerate(names.EMPLOYERS)
    ]
    made = []
    while len(made) < count:
        with writing(desk.engine) as s:
            for _ in range(min(BATCH, count - len(made))):
                unit = rng.choice(tuple(PAY))
                low = rng.randint(*PAY[unit])
                start = today - timedelta(days=rng.randint(0, 60))
                raw = job_rules.PostingInput(
                    title=f"{rng.choice(names.JOB_TYPES)}岗位",
                    job_type=rng.choice(names.JOB_TYPES),
                    positions=str(rng.randint(1, 10)),
                    pay_min=str(low),
                    pay_max=str(low + low // 5),
                    pay_unit=unit,
                    place=rng.choice(names.COMMUNITIES),
                    hours=rng.choice(HOURS),
                    valid_from=start,
                    valid_until=start + timedelta(days=rng.choice((30, 60, 90))),
                )
                row = new_posting(
                    desk.actor, rng.choice(employers), job_rules.validate_posting(raw, today)
                )
                s.add(row)
                made.append(row.id)
        log(f"  postings: {len(made):>6,}")
    return made


def open_postings(engine, today: date) -> list:
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id FROM job_postings WHERE status = 'open' AND valid_until >= :d"),
            {"d": today},
        ).scalars()
        return [_uuid(r) for r in rows]


def people_ids(engine, rng: random.Random, count: int) -> list:
    from sqlalchemy import text

    with engine.connect() as conn:
        ids = [_uuid(r) for r in conn.execute(text("SELECT id FROM people")).scalars()]
    return rng.sample(ids, min(count, len(ids)))


def _uuid(value: Any):
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def add_referrals(desk: Desk, rng: random.Random, postings: list, today: date) -> int:
    """Each referral to one of a posting's best candidates, through the service."""
    from frontdesk.errors import UserError
    from frontdesk.services.matching import candidates_for_posting
    from frontdesk.services.referrals import refer

    now = datetime.now(UTC)
    done = 0
    for posting in rng.sample(postings, min(len(postings), REFERRALS // 3)):
        for c in candidates_for_posting(desk.engine, SITE, posting, today, 0, 3):
            try:
                refer(desk.engine, desk.actor, posting, c.person_id, now)
                done += 1
            except UserError:
                continue
    return done


# --- timing ----------------------------------------------------------------------------------


def gig_orders(desk: Desk, today: date) -> list:
    """One gig order today per job type, for dispatch's ranking beside this one."""
    from sqlalchemy import text

    from frontdesk.domain.gig_rules import OrderInput
    from frontdesk.services import demo_names as names
    from frontdesk.services.gigs import create_order

    with desk.engine.connect() as conn:
        employer = _uuid(conn.execute(text("SELECT id FROM employers LIMIT 1")).scalar_one())
    now = datetime.now(UTC)
    return [
        create_order(
            desk.engine,
            desk.actor,
            OrderInput(
                employer_id=employer,
                job_type=job,
                place="白沙社区",
                work_date=today,
                shift_start="09:00",
                shift_end="17:00",
                headcount="5",
                pay_mode="day",
                rate="150",
            ),
            now,
            10_000_000,
        ).id
        for job in names.JOB_TYPES
    ]


def check_candidates(engine, posting, page: list) -> None:
    from sqlalchemy import text

    scores = [c.score for c in page]
    if scores != sorted(scores, reverse=True):
        raise BenchError(f"posting {posting}: scores rise down the page")
    with engine.connect() as conn:
        held = set(
            conn.execute(
                text(
                    "SELECT person_id FROM referrals WHERE posting_id = :p "
                    "AND outcome NOT IN ('not_hired', 'withdrew')"
                ),
                {"p": posting.hex},
            ).scalars()
        )
    if any(c.person_id.hex in held for c in page):
        raise BenchError(f"posting {posting}: a referred person is on the page")


def check_seeker(person, page: list) -> None:
    scores = [m.score for m in page]
    if scores != sorted(scores, reverse=True):
        raise BenchError(f"person {person}: scores rise down the page")
    if any(m.posting.status != "open" for m in page):
        raise BenchError(f"person {person}: a closed posting is on the page")


def timed(call: Callable[[Any], Any], items: list, warmup: int, rounds: int) -> list[float]:
    for i in range(warmup):
        call(items[i % len(items)])
    times = []
    for i in range(rounds):
        start = time.perf_counter_ns()
        call(items[i % len(items)])
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def baselines(engine, today: date):
    """The bare index reads, through the driver: the floor under each direction."""
    raw = engine.raw_connection()
    cursor = raw.cursor()

    def candidates(posting) -> None:
        (job,) = cursor.execute(
            "SELECT job_key FROM job_postings WHERE id = ?", (posting.hex,)
        ).fetchone()
        cursor.execute(
            "SELECT person_id FROM person_jobs WHERE site_code = ? AND job = ? LIMIT ?",
            (SITE, job, PAGE),
        ).fetchall()

    def postings(person) -> None:
        jobs = [r[0] for r in cursor.execute(
            "SELECT job FROM person_jobs WHERE person_id = ?", (person.hex,)
        )]  # fmt: skip
        for job in jobs:
            cursor.execute(
                "SELECT id, hours_mask, pay_max_fen, pay_unit FROM job_postings "
                "WHERE site_code = ? AND job_key = ? AND status = 'open' AND valid_until >= ?",
                (SITE, job, today.isoformat()),
            ).fetchall()

    return candidates, postings, raw


def benchmark(args: argparse.Namespace) -> Results:
    with bench_dir(args.keep, "frontdesk-bench-jobs-") as root:
        from frontdesk.domain.clock import business_date
        from frontdesk.services.dispatch import rank_candidates
        from frontdesk.services.matching import candidates_for_posting, postings_for_seeker

        log(f"desk in {root}")
        desk = make_desk(root)
        today = business_date(datetime.now(UTC))
        fill_s, _ = fill(desk, PeopleMaker(random.Random(args.seed + 1), today), args.people)
        rng = random.Random(args.seed)
        log(f"postings: {args.postings:,} through the rules")
        add_postings(desk, rng, args.postings, today)
        targets = open_postings(desk.engine, today)
        log("referrals through the service")
        referred = add_referrals(desk, rng, targets, today)
        seekers = people_ids(desk.engine, rng, args.rounds)
        engine = desk.engine

        def rank(posting) -> None:
            check_candidates(engine, posting, candidates_for_posting(engine, SITE, posting, today))

        for posting in targets[: args.warmup]:
            rank(posting)
        for person in seekers[: args.warmup]:
            check_seeker(person, postings_for_seeker(engine, SITE, person, today))
        log(f"time: {args.rounds} of each after {args.warmup} warm-up")
        c_ms = timed(
            lambda p: candidates_for_posting(engine, SITE, p, today),
            targets,
            args.warmup,
            args.rounds,
        )
        s_ms = timed(
            lambda p: postings_for_seeker(engine, SITE, p, today), seekers, args.warmup, args.rounds
        )
        base_c, base_s, raw = baselines(engine, today)
        try:
            bc_ms = timed(base_c, targets, args.warmup, args.rounds)
            bs_ms = timed(base_s, seekers, args.warmup, args.rounds)
        finally:
            raw.close()
        orders = gig_orders(desk, today)
        d_ms = timed(
            lambda o: rank_candidates(engine, SITE, o, 0, PAGE), orders, args.warmup, args.rounds
        )
        engine.dispose()
        return Results(args.people, args.postings, referred, fill_s, c_ms, s_ms, bc_ms, bs_ms, d_ms)


def print_table(r: Results) -> None:
    def line(label: str, ms: list[float]) -> None:
        p50, p95 = percentile(ms, 50), percentile(ms, 95)
        print(f"{label:44}  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  (n={len(ms)})")

    verdict = "within budget" if r.within_budget() else "OVER BUDGET"
    counts = f"{r.people:,} / {r.postings:,} / {r.referrals:,}"
    print(f"{'people on file / postings / referrals':44}  {counts}")
    print(f"{'fill (validate + new_person)':44}  {r.fill_s:>9.1f} s")
    line("candidates_for_posting, first page", r.candidates_ms)
    line("  baseline: the job's index range, unscored", r.base_candidates_ms)
    line("postings_for_seeker, first page", r.seeker_ms)
    line("  baseline: the seeker's open postings, raw", r.base_seeker_ms)
    line("baseline: gig dispatch's rank_candidates", r.dispatch_ms)
    print(f"{'budget: both p95 <= 50 ms':44}  {verdict}")


def jobs_args(argv: list[str] | None, doc: str, rounds: int, warmup: int) -> argparse.Namespace:
    """The options of a bench on this desk of people and postings (this one and
    job_screens.py), checked."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people on file (100000)")
    parser.add_argument("--postings", type=int, default=10_000, help="postings (10000)")
    parser.add_argument(
        "--rounds", type=int, default=rounds, help=f"timed calls of each ({rounds})"
    )
    parser.add_argument(
        "--warmup", type=int, default=warmup, help=f"untimed calls of each ({warmup})"
    )
    desk_options(parser)
    args = parser.parse_args(argv)
    if args.people < 1000 or args.postings < 100 or args.rounds < 1 or args.warmup < 0:
        parser.error("--people at least 1000, --postings at least 100, --rounds at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = jobs_args(argv, __doc__, rounds=300, warmup=30)
    results = run_and_print("jobs.py", args, benchmark, print_table)
    if results is None:
        return 2
    return 0 if results.within_budget() else 1


if __name__ == "__main__":
    sys.exit(main())
