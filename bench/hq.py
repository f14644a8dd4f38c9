"""Head office's monthly report over 26 communities and one year of data on PostgreSQL.

1. A PostgreSQL database made for the run on the server of `--pg` (an admin URL; default
   FRONTDESK_TEST_PG, else postgres@127.0.0.1), set up by `central init` and `add-site` for
   26 communities, then filled by COPY with one year up to yesterday: per community and
   day about 30 walk-ins (a third of them paid, with their income entries), a close-out of
   the day with its figures worked out from those entries (partner shares rounded per
   entry, the rebate of the site rate), new job seekers, and micro-factory gig orders with
   their workers, pieces and wages. The audit trail the desk services would have written
   goes with them (about 20 rows per community and day: sign-ins, registrations, status
   changes, including the `seeker_status` → employed rows the report's "employed" figure
   counts, edits, reveals, close-outs and every step of each gig). Today stays open, so
   the current month also has a day counted from its X report. Foreign keys, triggers and
   indexes are all live, as in production; the database is dropped (with the roles made
   for it) at the end.
2. Timed, alternating, after an untimed warm-up: `month_report(central, month)` for the
   last complete month, and the same for the current month (information). Baseline in the
   same rounds: one raw SQL statement summing the month's income entries per community.
   Each report's employed figure is checked against the status changes written.

    .venv/bin/python bench/hq.py            # readable table
    .venv/bin/python bench/hq.py --json     # {"sites", "rows", "audit_rows", "month_report_s", ...}

Budget: the monthly report (median) <= 2 s. Exit 0 within budget, 1 over, 2 when a part
fails to run (PostgreSQL unreachable included). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import BenchError, log, pg_option  # noqa: E402  (needs the project first)

SITES = 26
DAYS = 365
BUDGET_S = 2.0
METHODS = ("wechat", "alipay", "cash", "unionpay", "ecny")
METHOD_WEIGHTS = (45, 25, 20, 6, 4)


# --- the database -------------------------------------------------------------------------------


def admin_connect(url: str):
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL unreachable at {url}: {exc}") from exc


def make_database(admin_url: str) -> tuple[str, str]:
    name = f"fd_bench_hq_{uuid.uuid4().hex[:10]}"
    with admin_connect(admin_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, name: str) -> None:
    with admin_connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        roles = conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (name + "\\_%",)
        ).fetchall()
        for (role,) in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


# --- one year of activity -----------------------------------------------------------------------


@dataclass
class Filler:
    """Rows for one community, written by COPY in the order foreign keys need."""

    rng: random.Random
    today: date
    services: list[Any]  # (id, line, paid, price_fen, partner_id)
    shares: dict[Any, int]  # partner id -> share in basis points
    rows: dict[str, list[dict]] = field(default_factory=dict)
    # First day of a month -> people whose status was set to employed in it (all sites).
    employed: dict[date, int] = field(default_factory=dict)

    def add(self, table: str, **values) -> dict:
        now = datetime.now(UTC)
        row = {
            "id": uuid.uuid4(),
            "created_at": now,
            "updated_at": now,
            "row_version": 1,
            "deleted_at": None,
            **values,
        }
        self.rows.setdefault(table, []).append(row)
        return row

    def audit(self, site: str, at: datetime, action: str, staff_id, **values) -> None:
        """One audit_log row as frontdesk.services.audit.record writes it."""
        values.setdefault("entity", "")
        values.setdefault("entity_id", None)
        values.setdefault("detail", "")
        self.add("audit_log", site_code=site, at=at, staff_id=staff_id, action=action, **values)


def local_at(day: date, hour: int, minute: int = 0) -> datetime:
    from frontdesk.domain.clock import LOCAL_TZ

    return datetime.combine(day, clock_time(hour, minute), LOCAL_TZ)


def fill_site(f: Filler, site: str, staff_id, people_ids: list) -> None:
    from frontdesk.domain.clock import LOCAL_TZ
    from frontdesk.domain.money import split

    for back in range(DAYS, -1, -1):  # back == 0 is today: entries, no close-out yet
        day = f.today - timedelta(days=back)
        opened = datetime.combine(day, clock_time(9, 0), LOCAL_TZ)
        day_fen = {m: 0 for m in METHODS}
        partner_fen = entries = 0
        for n in range(f.rng.randint(2, 3)):  # the morning's sign-ins
            f.audit(site, opened - timedelta(minutes=30 - 7 * n), "signin", staff_id)
        if f.rng.random() < 0.04:  # a manager reveals an ID number now and then
            f.audit(
                site,
                opened + timedelta(hours=f.rng.randint(1, 7)),
                "reveal",
                staff_id,
                entity="people",
                entity_id=f.rng.choice(people_ids),
            )
        walkins = f.rng.randint(20, 40)
        for n in range(walkins):
            sid, _line, paid, price, partner = f.rng.choice(f.services)
            at = opened + timedelta(minutes=n * 12)
            person = f.rng.choice(people_ids) if f.rng.random() < 0.4 else None
            w = f.add(
                "walkins",
                site_code=site,
                business_date=day,
                started_at=at,
                service_id=sid,
                person_id=person,
                headcount=1,
                staff_id=staff_id,
                channel="in_person",
                duration_min=20,
                outcome="",
                referral="",
                void_reason="",
                notes="",
            )
            if paid and price:
                method = f.rng.choices(METHODS, METHOD_WEIGHTS)[0]
                f.add(
                    "payments",
                    site_code=site,
                    business_date=day,
                    received_at=at,
                    amount_fen=price,
                    method=method,
                    service_id=sid,
                    partner_id=partner,
                    walkin_id=w["id"],
                    staff_id=staff_id,
                    reason="",
                )
                day_fen[method] += price
                entries += 1
                if partner is not None:
                    partner_fen += split(price, f.shares.get(partner, 0))
        income = sum(day_fen.values())
        proceeds = income - partner_fen
        if back == 0:
            continue
        closed_at = opened + timedelta(hours=9)
        closeout = f.add(
            "closeouts",
            site_code=site,
            business_date=day,
            opening_float_fen=0,
            entries=entries,
            walkins=walkins,
            expected_fen=day_fen,
            counted_fen=day_fen,
            cash_count={},
            over_short_fen={m: 0 for m in METHODS},
            income_fen=income,
            partner_lines=[],
            partner_share_fen=partner_fen,
            community_proceeds_fen=proceeds,
            rebate_fen=split(proceeds, 2000),
            rebate_rate_bp=2000,
            rebate_base="community_share",
            adjustments_fen=0,
            outbox_seq=0,
            prev_hash="",
            hash="0" * 64,
            closed_at=closed_at,
            closed_by=staff_id,
            note="",
        )
        f.audit(
            site,
            closed_at,
            "closeout",
            staff_id,
            entity="closeouts",
            entity_id=closeout["id"],
            detail=day.isoformat(),
        )
        if day.weekday() < 5 and f.rng.random() < 0.5:
            gig_day(f, site, staff_id, people_ids, day)


def gig_day(f: Filler, site: str, staff_id, people_ids: list, day: date) -> None:
    """An order taken the day before, five workers through every step, settled; audited as
    the gig services audit each step."""
    employer = f.rows["employers"][0]["id"]
    order = f.add(
        "gig_orders",
        site_code=site,
        employer_id=employer,
        job_type="零部件装配",
        place="社区微工厂",
        work_date=day,
        shift_start=clock_time(9, 0),
        shift_end=clock_time(12, 0),
        headcount=5,
        pay_mode="piece",
        rate_fen=Decimal("3.55"),
        unit="件",
        status="done",
        service_fee_fen=0,
        notes="",
    )

    def step(at: datetime, action: str, entity: str, row_id, detail: str = "") -> None:
        f.audit(site, at, action, staff_id, entity=entity, entity_id=row_id, detail=detail)

    step(local_at(day - timedelta(days=1), 16), "gig_order_create", "gig_orders", order["id"])
    for person in f.rng.sample(people_ids, 5):
        pieces = f.rng.randint(300, 700)
        wage = int((Decimal(pieces) * Decimal("3.55")).quantize(Decimal(1), ROUND_HALF_UP))
        assignment = f.add(
            "gig_assignments",
            site_code=site,
            order_id=order["id"],
            person_id=person,
            status="settled",
            dispatched_by=staff_id,
            pieces_completed=pieces,
            pieces_accepted=pieces,
            pieces_defective=0,
            minutes_worked=180,
            wage_fen=wage,
            pay_method="wechat",
            pay_reference="wx",
            settled_by=staff_id,
        )
        a = assignment["id"]
        step(local_at(day - timedelta(days=1), 16, 10), "gig_assign", "gig_assignments", a)
        step(local_at(day, 8, 55), "gig_check_in", "gig_assignments", a)
        step(local_at(day, 11, 50), "gig_pieces", "gig_assignments", a, f"{pieces}/{pieces}/0")
        step(local_at(day, 12), "gig_check_out", "gig_assignments", a, "minutes=180")
        detail = f"wage_fen={wage} method=wechat warnings="
        step(local_at(day, 14), "gig_settle", "gig_assignments", a, detail)
    step(local_at(day, 17), "gig_order_status", "gig_orders", order["id"], "done")


def people_rows(f: Filler, site: str, staff_id, count: int) -> list:
    from frontdesk.domain.idcard import make_id

    ids = []
    for n in range(count):
        registered = f.today - timedelta(days=f.rng.randint(1, DAYS))
        birth = date(1965, 1, 1) + timedelta(days=f.rng.randint(0, 12000))
        number = make_id("440703", birth, n % 999)
        phone = f"139{f.rng.randrange(10**8):08d}"
        row = f.add(
            "people",
            site_code=site,
            name="陈静",
            id_number=number,
            id_hash=uuid.uuid4().hex * 2,
            id_tail=number[-4:],
            gender="F" if int(number[16]) % 2 == 0 else "M",
            birth_date=birth,
            phone=phone,
            phone_tail=phone[-4:],
            name_initials="cj",
            name_pinyin="chenjing",
            ethnicity="汉族",
            hukou_type="",
            address="",
            education="61",
            skills=["包装"],
            desired_jobs=[{"job": "包装", "pay_fen": 400000, "area": "蓬江区"}],
            availability="工作日",
            categories=[],
            consent_at=datetime.now(UTC),
            consent_staff_id=staff_id,
            registered_on=registered,
            valid_until=registered + timedelta(days=365),
            status="active",
            status_reason="",
            staff_id=staff_id,
            reliability=100,
            notes="",
        )
        ids.append(row["id"])
        person_history(f, site, staff_id, row)
    return ids


def person_history(f: Filler, site: str, staff_id, row: dict) -> None:
    """A registration's audit rows: registered, perhaps edited, and for about a fifth set to
    employed weeks or months later (a few cancelled instead), as far as today allows."""
    registered = row["registered_on"]

    def audit(day: date, action: str, detail: str = "") -> None:
        at = local_at(day, f.rng.randint(9, 16), f.rng.randint(0, 59))
        f.audit(site, at, action, staff_id, entity="people", entity_id=row["id"], detail=detail)

    audit(registered, "seeker_register")
    if f.rng.random() < 0.1:
        edited = registered + timedelta(days=f.rng.randint(0, 60))
        if edited <= f.today:
            audit(edited, "seeker_edit")
    draw = f.rng.random()
    if draw < 0.23:
        changed = registered + timedelta(days=f.rng.randint(7, 150))
        if changed > f.today:
            return
        if draw < 0.2:
            row["status"] = "employed"
            audit(changed, "seeker_status", "employed")
            month = changed.replace(day=1)
            f.employed[month] = f.employed.get(month, 0) + 1
        else:
            row["status"], row["status_reason"] = "cancelled", "迁出"
            audit(changed, "seeker_status", "cancelled")


ORDER = (
    "staff",
    "employers",
    "people",
    "walkins",
    "payments",
    "gig_orders",
    "gig_assignments",
    "closeouts",
    "audit_log",
)


def copy_rows(conn, table: str, rows: list[dict]) -> None:
    """COPY with every column's own bind conversion (JSON as text, exact decimals as text)."""
    from sqlalchemy import JSON
    from sqlalchemy.dialects import postgresql
    from sqlmodel import SQLModel

    if not rows:
        return
    tbl = SQLModel.metadata.tables[table]
    dialect = postgresql.dialect()
    columns = [c for c in tbl.columns if c.name in rows[0]]
    procs = []
    for c in columns:
        if isinstance(c.type, JSON):
            procs.append(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
        else:
            procs.append(c.type.bind_processor(dialect) or (lambda v: v))
    names = ", ".join(c.name for c in columns)
    with conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([p(row[c.name]) for p, c in zip(procs, columns, strict=True)])


@dataclass
class Built:
    rows: int = 0
    audit_rows: int = 0
    employed: dict[date, int] = field(default_factory=dict)  # month -> people, all sites


def build(url: str, today: date, seed: int) -> Built:
    import psycopg
    from sqlalchemy import select

    from db.engine import make_engine
    from db.models import PartnerAgreement, Service
    from frontdesk.sync.admin import add_site, init_central

    init_central(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        services = conn.execute(
            select(
                Service.id,
                Service.line,
                Service.paid,
                Service.default_price_fen,
                Service.partner_id,
            )
        ).all()
        shares = dict(
            conn.execute(
                select(PartnerAgreement.partner_id, PartnerAgreement.share_bp).where(
                    PartnerAgreement.service_id.is_(None)
                )
            ).all()
        )
    engine.dispose()
    rng = random.Random(seed)
    built = Built()
    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq) as conn:
        for n in range(1, SITES + 1):
            site = f"S{n:02d}"
            add_site(url, site, f"第{n}社区")
            f = Filler(rng, today, services, shares)
            staff = f.add(
                "staff",
                site_code=site,
                name="陈主任",
                role="manager",
                active=True,
            )
            f.add(
                "employers",
                site_code=site,
                name="江门市五金厂",
                contact_name="郑生",
                phone="",
                address="",
                notes="",
            )
            people = people_rows(f, site, staff["id"], 1500)
            fill_site(f, site, staff["id"], people)
            for table in ORDER:
                copy_rows(conn, table, f.rows.get(table, []))
                built.rows += len(f.rows.get(table, []))
            conn.commit()
            built.audit_rows += len(f.rows.get("audit_log", []))
            for month, n in f.employed.items():
                built.employed[month] = built.employed.get(month, 0) + n
            log(f"  {site}: {sum(len(v) for v in f.rows.values()):,} rows")
    return built


# --- timing -------------------------------------------------------------------------------------


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def raw_month_sum(url: str, month: date) -> float:
    import psycopg

    from frontdesk.hq.figures import next_month

    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    start = time.perf_counter()
    with psycopg.connect(libpq) as conn:
        conn.execute(
            "SELECT site_code, sum(amount_fen) FROM payments WHERE business_date >= %s "
            "AND business_date < %s GROUP BY site_code",
            (month, next_month(month)),
        ).fetchall()
    return time.perf_counter() - start


def time_reports(
    url: str, today: date, rounds: int, employed: dict[date, int]
) -> dict[str, list[float]]:
    from db.engine import make_engine
    from frontdesk.hq.monthly import month_report

    times: dict[str, list[float]] = {"month": [], "current": [], "raw": []}
    last, current = previous_month(today), today.replace(day=1)
    for i in range(rounds + 1):  # the first round warms caches and is not counted
        row = {}
        for kind, month in (("month", last), ("current", current)):
            engine = make_engine(url)  # a fresh connection each time, as the CLI makes
            start = time.perf_counter()
            report = month_report(engine, month)
            row[kind] = time.perf_counter() - start
            engine.dispose()
            if len(report.sites) != SITES:
                raise BenchError(f"the report lists {len(report.sites)} communities")
            if report.total.seekers_employed != employed.get(month, 0):
                raise BenchError(
                    f"{report.month}: {report.total.seekers_employed} employed, "
                    f"{employed.get(month, 0)} status changes written"
                )
        row["raw"] = raw_month_sum(url, last)
        if i:
            for kind, took in row.items():
                times[kind].append(took)
    return times


def main(argv: list[str] | None = None) -> int:
    global SITES, DAYS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    pg_option(parser)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sites", type=int, default=SITES, help="communities (26)")
    parser.add_argument("--days", type=int, default=DAYS, help="days of history (365)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from frontdesk import i18n
    from frontdesk.domain.clock import business_date

    i18n.set_language("en")
    SITES, DAYS = args.sites, args.days  # the fill and the checks read the module's values
    today = business_date(datetime.now(UTC))
    try:
        admin_connect(args.pg).close()
        name, url = make_database(args.pg)
    except BenchError as exc:
        print(f"hq.py: {exc}", file=sys.stderr)
        return 2
    try:
        log(f"hq.py: filling {name} with {SITES} communities x {DAYS} days")
        start = time.perf_counter()
        built = build(url, today, args.seed)
        rows = built.rows
        fill_s = time.perf_counter() - start
        times = time_reports(url, today, args.rounds, built.employed)
    except BenchError as exc:
        print(f"hq.py: {exc}", file=sys.stderr)
        return 2
    finally:
        drop_database(args.pg, name)
    median = statistics.median(times["month"])
    raw = statistics.median(times["raw"])
    result = {
        "sites": SITES,
        "rows": rows,
        "audit_rows": built.audit_rows,
        "employed_last_month": built.employed.get(previous_month(today), 0),
        "month_report_s": round(median, 3),
        "current_month_s": round(statistics.median(times["current"]), 3),
        "raw_month_sum_s": round(raw, 4),
        "ratio": round(median / raw, 1),
        "rounds": args.rounds,
        "budget_s": BUDGET_S,
        "within_budget": median <= BUDGET_S,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"Monthly report over {SITES} communities x {DAYS} days ({rows:,} rows, "
            f"filled in {fill_s:.0f} s), {args.rounds} rounds, medians"
        )
        print(
            f"  audit rows {built.audit_rows:,}; set employed last month "
            f"{result['employed_last_month']:,} (the report agrees)"
        )
        print(f"  month_report, last complete month    {median:8.3f} s")
        print(f"  month_report, current month (X day)  {result['current_month_s']:8.3f} s")
        print(f"  raw SQL: income per community        {raw:8.4f} s   ratio {result['ratio']}")
        verdict = "PASS" if result["within_budget"] else "FAIL"
        print(f"  budget <= {BUDGET_S:.0f} s: {verdict}")
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
