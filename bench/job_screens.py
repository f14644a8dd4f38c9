"""The reads behind the employment screens, on the desk bench/jobs.py builds (100,000
people, 10,000 postings, a few thousand referrals by default).

Each screen's read is timed as the screen makes it, after an untimed warm-up, beside a
same-run baseline: the part of it that is the issue's own budgeted service (matching) or
the bare page read through the driver, and the ratio of the two.

- postings list: a page of open postings of a job type (`list_postings`), and of one
  employer, all statuses; baseline: the same page's rows through the driver, unjoined;
- a posting's record: `get_posting` + `candidates_for_posting` + `of_posting`; baseline:
  `candidates_for_posting` alone (≤ 50 ms p95, bench/jobs.py);
- a seeker's record, its jobs part: `postings_for_seeker` (5) + `of_person`; baseline:
  `postings_for_seeker` alone;
- follow-ups: walk-ins' `follow_ups_due` + referrals' `due`; baseline: the walk-ins' alone;
- employers list: a page found by a name fragment; baseline: the page through the driver.

    .venv/bin/python bench/job_screens.py [--people N] [--postings M] [--json]

Keystroke to updated table is held to ≤ 50 ms p95 (DESIGN.md): exit status 0 when every
screen read's p95 is within it, 1 over it, 2 when a part fails to run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # `python bench/job_screens.py` puts bench/ first
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402  (needs the project on sys.path first)
    BenchError,
    bench_dir,
    log,
    percentile,
)
from bench.jobs import (  # noqa: E402  (needs the project on sys.path first)
    PAGE,
    add_postings,
    add_referrals,
    jobs_args,
    open_postings,
    people_ids,
    timed,
)
from bench.search import (  # noqa: E402
    SITE,
    PeopleMaker,
    fill,
    make_desk,
)

BUDGET_MS = 50.0
Timed = tuple[str, list[float], str, list[float]]  # name, times, baseline name, its times


def measure(args: argparse.Namespace) -> list[Timed]:
    from frontdesk.domain.clock import business_date
    from frontdesk.services import employers, matching, postings, referrals, walkins

    with bench_dir(args.keep, "frontdesk-bench-job-screens-") as root:
        desk = make_desk(root)
        today = business_date(datetime.now(UTC))
        fill(desk, PeopleMaker(random.Random(args.seed + 1), today), args.people)
        rng = random.Random(args.seed)
        log(f"postings: {args.postings:,}")
        add_postings(desk, rng, args.postings, today)
        targets = open_postings(desk.engine, today)
        log(f"referrals: {add_referrals(desk, rng, targets, today):,}")
        engine, seekers = desk.engine, people_ids(desk.engine, rng, args.rounds)
        jobs = sorted({r.job_type for r in postings.list_postings(engine, SITE, today, limit=500)})
        firms = [e.id for e in employers.list_employers(engine, SITE)]
        raw = engine.raw_connection()
        cursor = raw.cursor()

        def bare_page(sql: str, *params: Any) -> Callable[[Any], None]:
            return lambda _: cursor.execute(sql, params).fetchall()

        def run(name: str, call: Callable, items: list, base: str, floor: Callable) -> Timed:
            log(f"time: {name}")
            return (
                name,
                timed(call, items, args.warmup, args.rounds),
                base,
                timed(floor, items, args.warmup, args.rounds),
            )

        def record(p: Any) -> None:
            postings.get_posting(engine, SITE, p, today)
            matching.candidates_for_posting(engine, SITE, p, today)
            referrals.of_posting(engine, SITE, p)

        def seeker_jobs(person: Any) -> None:
            matching.postings_for_seeker(engine, SITE, person, today, limit=5)
            referrals.of_person(engine, SITE, person)

        page_sql = (
            "SELECT * FROM job_postings WHERE site_code = ? AND status = 'open' "
            "ORDER BY id DESC LIMIT ?"
        )
        try:
            found = [
                run(
                    "postings list: open, one job type",
                    lambda j: postings.list_postings(
                        engine, SITE, today, job_type=j, status="open"
                    ),
                    jobs,
                    "the page's rows, raw",
                    bare_page(page_sql, SITE, PAGE),
                ),
                run(
                    "postings list: one employer, all",
                    lambda e: postings.list_postings(engine, SITE, today, employer_id=e),
                    firms,
                    "the page's rows, raw",
                    bare_page(page_sql, SITE, PAGE),
                ),
                run(
                    "a posting's record",
                    record,
                    targets,
                    "candidates_for_posting alone",
                    lambda p: matching.candidates_for_posting(engine, SITE, p, today),
                ),
                run(
                    "a seeker's record: postings and referrals",
                    seeker_jobs,
                    seekers,
                    "postings_for_seeker alone",
                    lambda p: matching.postings_for_seeker(engine, SITE, p, today, limit=5),
                ),
                run(
                    "follow-ups: visits' and referrals'",
                    lambda d: (
                        walkins.follow_ups_due(engine, SITE, d),
                        referrals.due(engine, SITE, d),
                    ),
                    [today],
                    "the visits' alone",
                    lambda d: walkins.follow_ups_due(engine, SITE, d),
                ),
                run(
                    "employers list: a name fragment",
                    lambda text: employers.list_employers(engine, SITE, text, limit=PAGE),
                    ["厂", "公司", "店"],
                    "the page's rows, raw",
                    bare_page(
                        "SELECT * FROM employers WHERE site_code = ? ORDER BY name LIMIT ?",
                        SITE,
                        PAGE,
                    ),
                ),
            ]
        finally:
            raw.close()
            engine.dispose()
    return found


def summary(found: list[Timed]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, ms, base, base_ms in found:
        p95, base95 = percentile(ms, 95), percentile(base_ms, 95)
        out[name] = {
            "p95_ms": round(p95, 3),
            "baseline": base,
            "baseline_p95_ms": round(base95, 3),
            "ratio": round(p95 / base95, 2) if base95 else None,
        }
    return out


def within(found: list[Timed]) -> bool:
    return all(percentile(ms, 95) <= BUDGET_MS for _, ms, _, _ in found)


def main(argv: list[str] | None = None) -> int:
    args = jobs_args(argv, __doc__, rounds=200, warmup=20)
    try:
        found = measure(args)
    except BenchError as exc:
        print(f"job_screens.py: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"people": args.people, "postings": args.postings, **summary(found)}))
    else:
        print(f"{'people / postings':44}  {args.people:,} / {args.postings:,}")
        for name, row in summary(found).items():
            print(
                f"{name:44}  p95 {row['p95_ms']:7.2f} ms   {row['baseline']}: "
                f"{row['baseline_p95_ms']:.2f} ms   ratio {row['ratio']}"
            )
        print(f"{'budget: every p95 <= 50 ms':44}  {'within' if within(found) else 'OVER'}")
    return 0 if within(found) else 1


if __name__ == "__main__":
    sys.exit(main())
