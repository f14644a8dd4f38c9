"""District benchmark: a city's communities syncing at once to one PostgreSQL central store.

1. Central store: a PostgreSQL database made for the run (`init_central`), with row-level
   security on, and `--sites` site roles registered one after another by the real
   `central add-site` code path (`add_site`), each with its own login role and policies.
2. Desks: one SQLite desk database per site with a day's realistic activity, made through
   the services: `init_desk`, the opening float, a few job seekers registered (`register`),
   20-40 walk-ins (`add_walkin`: free services and paid ones with their income entries,
   paid as desks are paid) and the day's close-out (`close_day`, counted = expected). Only
   the migrated empty file is made once and copied per site: a filled desk cannot be
   copied, because its rows' UUIDv7 keys are global central keys and its close-out hash is
   chained over its own rows, so each desk writes its own day (`--build-workers` processes).
3. Sync, timed: every desk's first `sync_once` (handshake and district key, push, pull,
   quarantine list) as its own site role, through a pool of `--workers` processes, all at
   once. rows/s is the rows sent over the wall-clock time of the whole phase; each round
   is timed on its own too (p50, p95, max). The server's connections to the database are
   sampled meanwhile.
4. Count check: the central rows of each site, per table, against what its desk holds.
   A missing row is a lost row; a sync that raised, quarantined a row or left entries
   pending is an error.
5. The month report over all sites (`month_report`, as `frontdesk hq report` runs it, a
   fresh engine per round), `--rounds` times after a warm-up; its total walk-ins and
   income must equal what the desks wrote.

    .venv/bin/python bench/district.py                          # 1,000 sites, 8 workers
    .venv/bin/python bench/district.py --sites 100 --workers 8 --json

Budgets: zero errors and zero lost rows; month report (median) <= 5 s. Exit status: 0
within them, 1 over, 2 when a part fails to run (PostgreSQL unreachable included).
Progress goes to stderr, so stdout holds only the table or the JSON object.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # `python bench/district.py` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402  (needs the project on sys.path first)
    BenchError,
    bench_dir,
    desk_options,
    log,
    percentile,
    pg_option,
    run_and_print,
)
from bench.search import PeopleMaker  # noqa: E402
from bench.sync import PgRun  # noqa: E402

MANAGER, PIN = "陈主任", "246810"
REPORT_BUDGET_S = 5.0
FLOAT_FEN = 50_000
CEILING_FEN = 2_000_000_00
METHOD_WEIGHTS = {"wechat": 45, "alipay": 25, "cash": 20, "unionpay": 6, "ecny": 4}
OPENING, CLOSING = clock_time(8, 30), clock_time(17, 30)
JSON_KEYS = ("sites", "rows", "rows_per_s", "round_p95_s", "errors", "lost_rows", "month_report_s")


def site_code(n: int) -> str:
    return f"D{n:04d}"


# --- the desks ------------------------------------------------------------------------------


@dataclass
class Built:
    site: str
    path: Path
    rows: dict[str, int]  # the site's own rows per synced table: what must arrive
    walkins: int
    income_fen: int
    seconds: float


def migrated_template(root: Path) -> Path:
    """An empty desk file at the schema head, made once (Alembic takes ~1 s a file)."""
    from db.migrate import open_store

    path = root / "template.sqlite3"
    engine, _ = open_store(path)
    engine.dispose()
    return path


def build_desk(template: Path, folder: Path, site: str, seed: int, day: date) -> Built:
    """One community's desk with one business day written through the services."""
    from frontdesk.services.desk import DeskSetup, init_desk

    start = time.perf_counter()
    path = folder / f"{site}.sqlite3"
    shutil.copyfile(template, path)
    engine = init_desk(path, DeskSetup(site, f"{site}社区", MANAGER, PIN))
    try:
        walkins, income = a_day(engine, site, random.Random(seed), day)
    finally:
        engine.dispose()
    return Built(site, path, site_rows(path, site), walkins, income, time.perf_counter() - start)


def a_day(engine, site: str, rng: random.Random, day: date) -> tuple[int, int]:
    """Float, registrations, walk-ins (free and paid) and the close-out; walk-ins, income."""
    from sqlmodel import select

    from db.models import Service, Staff
    from db.session import reading, writing
    from frontdesk.domain.clock import LOCAL_TZ
    from frontdesk.domain.session_rules import group_kind
    from frontdesk.services.acting import Actor
    from frontdesk.services.closeout import CloseInput, close_day, day_report, open_day
    from frontdesk.services.seekers import register
    from frontdesk.services.walkins import WalkInInput, add_walkin

    def at(minute: float) -> datetime:
        return datetime.combine(day, OPENING, LOCAL_TZ) + timedelta(minutes=minute)

    with reading(engine) as s:
        actor = Actor(site, s.exec(select(Staff.id).where(Staff.role == "manager")).one())
        services = [  # what the quick log offers: group activities are sessions
            x
            for x in s.exec(select(Service).where(Service.active)).all()
            if group_kind(x.code, x.line) is None
        ]
    paid, free = [x for x in services if x.paid], [x for x in services if not x.paid]
    span = (CLOSING.hour - OPENING.hour) * 60 - OPENING.minute
    open_day(engine, actor, day, FLOAT_FEN, at(0))
    maker = PeopleMaker(rng, day)
    people = [
        register(engine, actor, maker.next(), at(rng.uniform(5, span))).id
        for _ in range(rng.randint(3, 8))
    ]
    count, income = rng.randint(20, 40), 0
    with writing(engine) as s:  # the day's walk-ins in time order, as the quick log saves them
        for minute in sorted(rng.uniform(1, span) for _ in range(count)):
            if rng.random() < 0.4:
                svc = rng.choice(paid)
                fen = max(100, svc.default_price_fen + rng.randint(-4, 4) * 500)
                method = rng.choices(list(METHOD_WEIGHTS), list(METHOD_WEIGHTS.values()))[0]
                raw = WalkInInput(svc.id, amount=f"{fen // 100}.{fen % 100:02d}", method=method)
                income += fen
            else:
                who = rng.choice(people) if rng.random() < 0.3 else None
                raw = WalkInInput(rng.choice(free).id, person_id=who, headcount=rng.randint(1, 3))
            add_walkin(s, actor, raw, at(minute), CEILING_FEN)
    expected = day_report(engine, site, day).expected_fen
    close_day(engine, actor, CloseInput(day=day, counted_fen=dict(expected)), at(span + 15))
    return count, income


def site_rows(path: Path, site: str) -> dict[str, int]:
    from db.models import synced_tables

    conn = sqlite3.connect(path)
    try:
        found = {
            name: conn.execute(
                f"SELECT count(*) FROM {name} WHERE site_code = ?", (site,)
            ).fetchone()[0]
            for name in synced_tables()
        }
    finally:
        conn.close()
    return {name: n for name, n in found.items() if n}


# --- one site's sync, in a pool worker ------------------------------------------------------


@dataclass
class Round:
    site: str
    seconds: float
    sent: int = 0
    pulled: int = 0
    server_cpu_s: float = 0.0  # CPU of the round's server backend (loopback only)
    error: str = ""


def sync_site(path: Path, site: str, url: str) -> Round:
    """The desk's sync_once as its own site role; a failure is kept, not raised."""
    from frontdesk.errors import describe
    from frontdesk.services.desk import open_desk_for
    from frontdesk.sync.runner import sync_once

    engine = open_desk_for(path, site).engine
    central = _metered(url)
    start = time.perf_counter()
    try:
        report = sync_once(engine, central)
    except Exception as exc:
        took, error = time.perf_counter() - start, f"{type(exc).__name__}: {describe(exc)}"
        return Round(site, took, server_cpu_s=central.cpu_s, error=error)
    finally:
        central.dispose()
        engine.dispose()
    took = time.perf_counter() - start
    problems = []
    if report.push.quarantined or report.rejects:
        problems.append(f"{report.push.quarantined} rows quarantined")
    if report.pending:
        problems.append(f"{report.pending} entries left pending")
    sent, pulled = report.push.sent, report.pull.changes
    return Round(site, took, sent, pulled, central.cpu_s, "; ".join(problems))


def _metered(url: str):
    """The runner's Central, reading its server backend's CPU time before the round gives
    the connection back (loopback server: /proc tells; elsewhere it reads 0)."""
    from frontdesk.sync.runner import Central

    class Metered(Central):
        cpu_s = 0.0

        def release(self) -> None:
            if self.engine.pool.checkedin():  # the round's connection, idle in the pool
                with self.engine.connect() as conn:
                    pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
                self.cpu_s += cpu_s(pid)
            super().release()

    return Metered(url)


def cpu_s(pid: int) -> float:
    """CPU seconds a local server process has used so far, to the nanosecond (schedstat;
    /proc/PID/stat counts 10 ms ticks); 0 where /proc cannot tell."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


# --- the run --------------------------------------------------------------------------------


@dataclass
class Results:
    sites: int
    workers: int
    pg_server: str
    day: date
    build_s: float
    add_site_s: list[float]
    reinit_s: float
    rounds: list[Round]
    sync_wall_s: float
    idle_rounds: list[Round]  # the next round of every desk, nothing new to send
    idle_wall_s: float
    desk_rows: int
    lost_rows: int
    extra_rows: int
    peak_connections: int
    max_connections: int
    report_s: list[float]
    policies_per_table: int
    central_mib: float = 0.0  # synced tables with their indexes and TOAST
    table_rows: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Round]:
        return [r for r in self.rounds + self.idle_rounds if r.error]

    @property
    def sent(self) -> int:
        return sum(r.sent for r in self.rounds)

    @property
    def report_median_s(self) -> float:
        return statistics.median(self.report_s)

    def verdicts(self) -> dict[str, bool]:
        return {
            "sync": not self.errors and self.lost_rows == 0 and self.extra_rows == 0,
            "month_report": self.report_median_s <= REPORT_BUDGET_S,
        }

    def summary(self) -> dict[str, Any]:
        seconds = [r.seconds for r in self.rounds]
        result: dict[str, Any] = {
            "sites": self.sites,
            "rows": self.desk_rows,
            "rows_per_s": round(self.sent / self.sync_wall_s),
            "round_p95_s": round(percentile(seconds, 95), 3),
            "errors": len(self.errors),
            "lost_rows": self.lost_rows,
            "month_report_s": round(self.report_median_s, 3),
        }
        assert tuple(result) == JSON_KEYS
        verdicts = self.verdicts()
        result.update(
            {
                "workers": self.workers,
                "sent": self.sent,
                "sync_s": round(self.sync_wall_s, 3),
                "round_p50_s": round(percentile(seconds, 50), 3),
                "round_max_s": round(max(seconds), 3),
                "pulled_per_round": round(statistics.mean(r.pulled for r in self.rounds), 1),
                "extra_rows": self.extra_rows,
                "server_cpu_ms_per_round": _cpu_ms(self.rounds),
                "idle_sync_s": round(self.idle_wall_s, 3),
                "idle_round_p95_s": round(percentile([r.seconds for r in self.idle_rounds], 95), 3),
                "idle_server_cpu_ms_per_round": _cpu_ms(self.idle_rounds),
                "add_site_s": round(sum(self.add_site_s), 3),
                "add_site_first_ms": round(1000 * _tenth(self.add_site_s, first=True), 1),
                "add_site_last_ms": round(1000 * _tenth(self.add_site_s, first=False), 1),
                "policies_per_table": self.policies_per_table,
                "central_init_again_s": round(self.reinit_s, 3),
                "central_mib": round(self.central_mib, 1),
                "central_bytes_per_row": round(self.central_mib * 2**20 / max(1, self.desk_rows)),
                "peak_connections": self.peak_connections,
                "max_connections": self.max_connections,
                "build_s": round(self.build_s, 3),
                "month_report_budget_s": REPORT_BUDGET_S,
                "within_budget": all(verdicts.values()),
            }
        )
        return result


def _cpu_ms(rounds: list[Round]) -> float:
    return round(1000 * statistics.mean(r.server_cpu_s for r in rounds), 1)


def _tenth(values: list[float], first: bool) -> float:
    """Mean of the first or last tenth (at least one): how add-site grows with the sites."""
    n = max(1, len(values) // 10)
    part = values[:n] if first else values[-n:]
    return statistics.mean(part)


def benchmark(args: argparse.Namespace) -> Results:
    pg = PgRun(args.pg)  # before the desks: an unreachable server is reported at once
    try:
        with bench_dir(args.keep, "frontdesk-bench-district-") as root:
            return _run(root, pg, args)
    finally:
        pg.drop()
        log(f"dropped database {pg.name} and its roles")


def _pool(workers: int) -> ProcessPoolExecutor:
    # fork: the children have the project imported already and need no importable __main__
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _run(root: Path, pg: PgRun, args: argparse.Namespace) -> Results:
    from frontdesk.domain.clock import business_date, system_clock
    from frontdesk.sync.admin import add_site, init_central

    day = business_date(system_clock())
    codes = [site_code(n) for n in range(1, args.sites + 1)]
    log(f"central store {pg.name}: init and {len(codes):,} sites")
    _part("central init", init_central, pg.url)
    urls: dict[str, str] = {}
    add_s: list[float] = []
    for code in codes:
        start = time.perf_counter()
        urls[code] = _part("central add-site", add_site, pg.url, code, f"{code}社区").url
        add_s.append(time.perf_counter() - start)
        if len(add_s) % 100 == 0:
            log(f"  add-site: {len(add_s):,} sites, last one {add_s[-1] * 1000:.0f} ms")

    log(f"desks in {root}: {len(codes):,} with a day ({day}) each, {args.build_workers} processes")
    template = migrated_template(root)
    start = time.perf_counter()
    built: dict[str, Built] = {}
    with _pool(args.build_workers) as pool:
        jobs = [
            pool.submit(build_desk, template, root, c, args.seed + i, day)
            for i, c in enumerate(codes)
        ]
        for job in jobs:
            one = _part("desk", job.result)
            built[one.site] = one
            if len(built) % 100 == 0:
                log(f"  desks: {len(built):,} built, {time.perf_counter() - start:.0f} s")
    build_s = time.perf_counter() - start

    log(f"sync: {len(codes):,} desks through {args.workers} workers")
    rounds, wall, peak = sync_all(pg, built, urls, args.workers)
    took = [r.seconds for r in rounds]
    log(  # said now, so a later part that fails does not take the figures with it
        f"  {sum(r.sent for r in rounds):,} rows in {wall:.1f} s, round p95 "
        f"{percentile(took, 95):.2f} s, {sum(bool(r.error) for r in rounds)} errors, "
        f"{peak} connections at most"
    )
    log("sync again: every desk's next round, with nothing new (the floor of every round)")
    idle, idle_wall, _ = sync_all(pg, built, urls, args.workers)
    log(f"  {idle_wall:.1f} s, {sum(bool(r.error) for r in idle)} errors")
    for failed in [r for r in rounds + idle if r.error][:5]:
        log(f"  {failed.site}: {failed.error}")

    central = central_counts(pg.url)
    lost = extra = 0
    for code, one in built.items():
        for name in set(one.rows) | set(central.get(code, {})):
            have, there = one.rows.get(name, 0), central.get(code, {}).get(name, 0)
            lost += max(0, have - there)
            extra += max(0, there - have)
    log(f"  counts: {lost} rows lost, {extra} rows more than the desks hold")

    log("month report over every site")
    report_s = time_reports(pg.url, day, args.rounds, built)
    log(f"  median {statistics.median(report_s):.3f} s")
    log("central init again, as after an upgrade: every site's policies re-applied")
    start = time.perf_counter()
    _part("central init again", init_central, pg.url)
    reinit_s = time.perf_counter() - start
    table_rows: Counter[str] = Counter()
    for one in built.values():
        table_rows.update(one.rows)
    return Results(
        sites=len(codes),
        workers=args.workers,
        pg_server=pg.server,
        day=day,
        build_s=build_s,
        add_site_s=add_s,
        reinit_s=reinit_s,
        rounds=rounds,
        sync_wall_s=wall,
        idle_rounds=idle,
        idle_wall_s=idle_wall,
        desk_rows=sum(table_rows.values()),
        lost_rows=lost,
        extra_rows=extra,
        peak_connections=peak,
        max_connections=int(pg.admin.execute("SHOW max_connections").fetchone()[0]),
        report_s=report_s,
        policies_per_table=policies(pg.url, "walkins"),
        central_mib=central_mib(pg.url),
        table_rows=dict(table_rows),
    )


def sync_all(
    pg: PgRun, built: dict[str, Built], urls: dict[str, str], workers: int
) -> tuple[list[Round], float, int]:
    """Every desk's round through the pool: the rounds, wall-clock seconds and the most
    connections to the database seen (sampled every 0.25 s)."""
    rounds: list[Round] = []
    peak = 0
    with _pool(workers) as pool:
        pool.submit(time.sleep, 0).result()  # start the workers before the clock
        start = time.perf_counter()
        pending: set[Future[Round]] = {
            pool.submit(sync_site, one.path, code, urls[code]) for code, one in built.items()
        }
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            rounds.extend(_part("sync worker", job.result) for job in done)
            peak = max(peak, connections(pg))
        wall = time.perf_counter() - start
    return rounds, wall, peak


def connections(pg: PgRun) -> int:
    return pg.admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (pg.name,)
    ).fetchone()[0]


def central_counts(url: str) -> dict[str, dict[str, int]]:
    """Rows per site and synced table in the central store (as the admin: RLS bypassed)."""
    import psycopg

    from db.central import HQ_SITE
    from db.models import synced_tables

    found: dict[str, dict[str, int]] = {}
    with psycopg.connect(url) as conn:
        for name in synced_tables():
            for site, n in conn.execute(
                f"SELECT site_code, count(*) FROM {name} WHERE site_code <> %s GROUP BY 1",
                (HQ_SITE,),
            ):
                found.setdefault(site, {})[name] = n
    return found


def policies(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_policies WHERE tablename = %s", (table,)
        ).fetchone()[0]


def central_mib(url: str) -> float:
    """The synced tables' size with their indexes: what the rows cost the server's disk."""
    import psycopg

    from db.models import synced_tables

    with psycopg.connect(url) as conn:
        return (
            sum(
                conn.execute("SELECT pg_total_relation_size(%s)", (name,)).fetchone()[0]
                for name in synced_tables()
            )
            / 2**20
        )


def time_reports(url: str, day: date, rounds: int, built: dict[str, Built]) -> list[float]:
    """month_report over every site, a fresh engine per round as the CLI makes; checked."""
    from frontdesk.hq.monthly import month_report
    from frontdesk.sync.admin import open_central

    walkins = sum(b.walkins for b in built.values())
    income = sum(b.income_fen for b in built.values())
    times = []
    for i in range(rounds + 1):  # the first round warms caches and is not counted
        engine = open_central(url)
        try:
            start = time.perf_counter()
            report = month_report(engine, day.replace(day=1))
            took = time.perf_counter() - start
        finally:
            engine.dispose()
        listed = {row.site for row in report.sites}
        if not set(built) <= listed:
            raise BenchError(f"the month report lists {len(listed)} of {len(built)} sites")
        if (report.total.walkins, report.total.income_fen) != (walkins, income):
            raise BenchError(
                f"the month report counts {report.total.walkins} walk-ins and "
                f"{report.total.income_fen} fen; the desks wrote {walkins} and {income}"
            )
        if i:
            times.append(took)
    return times


def _part(name: str, func, *args):
    """Run one part; a failure of the code under test is a failed part (exit 2)."""
    from frontdesk.errors import describe

    try:
        return func(*args)
    except BenchError:
        raise
    except Exception as exc:
        raise BenchError(f"{name} failed: {type(exc).__name__}: {describe(exc)}") from exc


# --- report ---------------------------------------------------------------------------------


def print_table(r: Results) -> None:
    s = r.summary()
    print(
        f"{r.sites:,} sites syncing their day ({r.day}) at once to one PostgreSQL "
        f"{r.pg_server} central store, row-level security on, {r.workers} workers"
    )
    parts = ", ".join(f"{name} {n:,}" for name, n in sorted(r.table_rows.items()))
    print(f"rows the desks hold: {r.desk_rows:,} ({parts}); desks built in {r.build_s:.0f} s")
    print(
        f"sync: {s['sent']:,} rows sent in {s['sync_s']:.2f} s, {s['rows_per_s']:,} rows/s; "
        f"round p50 {s['round_p50_s']:.3f} s, p95 {s['round_p95_s']:.3f} s, "
        f"max {s['round_max_s']:.3f} s; {s['pulled_per_round']:.0f} changes pulled a round"
    )
    print(
        f"errors {s['errors']}, lost rows {s['lost_rows']}, extra rows {s['extra_rows']}; "
        f"connections at most {s['peak_connections']} (server max_connections "
        f"{s['max_connections']}); a round's server backend used "
        f"{s['server_cpu_ms_per_round']:.0f} CPU ms on average"
    )
    print(
        f"next round of every desk, nothing new: {s['idle_sync_s']:.2f} s for all, round p95 "
        f"{s['idle_round_p95_s']:.3f} s, its server backend "
        f"{s['idle_server_cpu_ms_per_round']:.0f} CPU ms on average"
    )
    print(
        f"add-site: {s['add_site_s']:.1f} s for {r.sites:,} sites, first tenth "
        f"{s['add_site_first_ms']:.0f} ms each, last tenth {s['add_site_last_ms']:.0f} ms; "
        f"{s['policies_per_table']:,} policies on each synced table; central init again "
        f"(an upgrade) {s['central_init_again_s']:.1f} s"
    )
    print(
        f"central store: {s['central_mib']:,.1f} MiB in the synced tables and their indexes, "
        f"{s['central_bytes_per_row']:,} bytes a row (reference rows included)"
    )
    print(
        f"month report over {r.sites:,} sites: median {s['month_report_s']:.3f} s "
        f"({len(r.report_s)} rounds)"
    )
    for failed in r.errors[:10]:
        print(f"  {failed.site}: {failed.error}")
    v = r.verdicts()
    print(
        f"budget: zero errors and lost rows {'PASS' if v['sync'] else 'FAIL'}; "
        f"month report <= {REPORT_BUDGET_S:.0f} s {'PASS' if v['month_report'] else 'FAIL'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=1000, help="communities (1000)")
    parser.add_argument("--workers", type=int, default=8, help="sync processes at once (8)")
    parser.add_argument(
        "--build-workers", type=int, default=2, help="processes building the desks (2)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="month report rounds (3)")
    pg_option(parser)
    desk_options(parser, keep="the desks in DIR and keep them")
    args = parser.parse_args(argv)
    if args.sites < 1 or args.workers < 1 or args.build_workers < 1 or args.rounds < 1:
        parser.error("--sites, --workers, --build-workers and --rounds must be at least 1")
    from frontdesk import i18n

    i18n.set_language("en")  # messages of the code under test, in the bench's language
    # A run stopped by kill still drops its database and roles (the finally blocks run).
    stopped = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:  # a bug of the bench itself is still a part that failed to run
        results = run_and_print("district.py", args, benchmark, print_table, bugs_fail=True)
    finally:
        signal.signal(signal.SIGTERM, stopped)
    if results is None:
        return 2
    return 0 if all(results.verdicts().values()) else 1


if __name__ == "__main__":
    sys.exit(main())
