"""A desk database full of realistic, reproducible demo data (`frontdesk demo`).

Every data value comes from `random.Random(seed)`, so one seed and one `today` give the same
people, visits and amounts; only row ids (UUIDv7) and bookkeeping stamps differ between runs.
Most rows go in through ordinary ORM inserts, so the outbox triggers see every one of them.
What the desk's own services do goes through them: every past day is opened and closed by
`closeout.close_day`, two adjustments of closed days (a late entry and a correction) are
booked today by `closeout.add_adjustment`, the employment services' postings and referrals
are made by theirs (demo_jobs) and the group activities (classes, events, job fairs,
courses) by the session services (demo_sessions). Those draw from generators of their own
seeded from the same seed, so adding them left the rest of the data as it was.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import SQLModel, col, select

from db.models import (
    Closeout,
    Employer,
    GigAssignment,
    GigOrder,
    Partner,
    PartnerAgreement,
    Payment,
    Person,
    Service,
    Staff,
    WalkIn,
)
from db.sealed import Sealer
from db.session import reading, writing
from db.types import new_id
from frontdesk.config import Config
from frontdesk.demo_accounts import DEMO_STAFF
from frontdesk.domain import gig_rules
from frontdesk.domain.clock import LOCAL_TZ, business_date
from frontdesk.domain.idcard import birth_of, gender_of, make_id
from frontdesk.domain.money import ceiling_of
from frontdesk.domain.privacy import id_hash
from frontdesk.domain.registration import CATEGORIES
from frontdesk.errors import UserError
from frontdesk.services import demo_jobs, demo_sessions, ledger
from frontdesk.services import demo_names as names
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record
from frontdesk.services.auth import add_desk_staff, hash_pin
from frontdesk.services.desk import DeskSetup, desk_info, init_desk, open_desk
from frontdesk.services.personal_keys import stored_person_values
from frontdesk.services.sealed_contacts import stored_address, stored_employer_phone

SITE_CODE = "HS01"
SITE_NAME = "环市街道白沙社区"
PEOPLE = 300
EARLIER_SHARE = 0.25  # registered before the demo period, so early gigs have workers
REGISTRATION_VALID_DAYS = 365
DEMO_FLOAT_FEN = 50_000  # 500 yuan of change in the drawer each morning
CASH_LIMIT_FEN = 100_000  # larger sums are paid by card or phone, not cash
SENSITIVE_CATEGORIES = frozenset(code for code, sensitive in CATEGORIES.items() if sensitive)
CEILING_FEN = ceiling_of(Config.amount_ceiling_yuan)  # the default ceiling of a typed amount

PAYMENT_WEIGHTS = {"wechat": 45, "alipay": 25, "cash": 15, "unionpay": 10, "ecny": 5}
WAGE_WEIGHTS = {"wechat": 60, "cash": 20, "alipay": 10, "unionpay": 10}
FEE_WEIGHTS = {"wechat": 5, "unionpay": 4, "alipay": 1}
REFERENCE_PREFIX = {"wechat": "WX", "alipay": "ZFB", "unionpay": "YL", "ecny": "SZRMB"}
SATISFACTION = ((5, 60), (4, 25), (3, 5), (None, 10))

# Desk hours in local time (minutes after midnight): morning and afternoon, lunch closed.
WEEKDAY_HOURS = ((8 * 60 + 30, 12 * 60), (14 * 60 + 30, 17 * 60 + 30))
SATURDAY_HOURS = ((9 * 60, 12 * 60), (14 * 60 + 30, 17 * 60))
MORNING_ONLY = ((8 * 60 + 30, 12 * 60),)  # today: the demo is opened mid-day

# Individual visits by service code, with a weight; registrations and events come apart.
VISIT_WEIGHTS = {
    "LG02": 8, "LG03": 3, "LG04": 14, "LG05": 4, "WG01": 8, "WG02": 5, "JZ01": 6, "JZ02": 1,
    "JZ03": 2, "KY01": 8, "KY02": 6, "JN01": 3, "JN02": 2, "JN03": 2, "JN04": 3, "JN05": 1,
}  # fmt: skip
DURATION_MIN = {
    "gig_market": (5, 30), "micro_factory": (10, 30), "housekeeping": (5, 15),
    "wellness": (30, 60), "skills": (10, 20), "classes": (60, 120),
}  # fmt: skip
OUTCOMES = {
    "gig_market": ("已解答", "已登记意向", "已推荐岗位", "已发放政策资料"),
    "micro_factory": ("已报名", "已安排试工", "已登记，待派工"),
    "housekeeping": ("已预约上门", "已派单"),
    "wellness": ("已完成",),
    "skills": ("已报名", "已登记，待开班"),
    "classes": ("已举办",),
}
REFERRALS = {"LG05": "区劳动监察大队", "LG03": "区创业孵化基地", "LG04": "区人社局窗口"}
LINKED_LINES = ("gig_market", "micro_factory", "skills")  # visits tied to a registration
PART_TIME_SHIFTS = (  # at most 4 hours: part-time work under 劳动合同法 art. 68
    (time(9, 0), time(12, 0)),
    (time(14, 0), time(17, 30)),
    (time(13, 30), time(17, 30)),
)
DAY_SHIFT = (time(8, 30), time(17, 30))
NOON = time(12, 0)

T = TypeVar("T")


@dataclass(frozen=True)
class DemoSummary:
    """What was built: the period covered and the rows added per table."""

    path: Path
    seed: int
    first_day: date
    today: date
    staff: int
    partners: int
    partner_agreements: int
    services: int
    people: int
    employers: int
    gig_orders: int
    gig_assignments: int
    walkins: int
    payments: int  # adjustments included: each is booked as a payment today
    closeouts: int = 0
    adjustments: int = 0
    job_postings: int = 0
    referrals: int = 0
    placements: int = 0
    sessions: int = 0  # group activities: classes, events, job fairs and courses
    fair_referrals: int = 0  # of the referrals, those made at the job fairs


@dataclass
class _Ctx:
    rng: random.Random
    today: date
    days: list[date]  # desk days (Mon–Sat) of the period, up to and including today
    staff: list[uuid.UUID]  # manager first, then the clerks
    services: dict[str, Service]  # by code
    hash_key: str  # the desk's ID-hash key, so duplicate checks find demo people too
    sealer: Sealer  # the desk's public key: demo people are stored as real ones are
    by_id: dict[uuid.UUID, Service] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.services.values()}

    def weighted(self, weights: Mapping[T, int]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def pick_staff(self) -> uuid.UUID:
        return self.rng.choices(self.staff, weights=[1] + [3] * (len(self.staff) - 1))[0]


# --- entry points ------------------------------------------------------------------------


def build_demo(
    path: Path, *, seed: int = 2026, today: date | None = None, weeks: int = 6
) -> DemoSummary:
    """Create a demo desk at `path` with `weeks` of activity ending on `today`."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    today = today or business_date(datetime.now(UTC))
    first = today - timedelta(days=7 * weeks - 1)
    manager, _, pin = DEMO_STAFF[0]
    created = not path.exists()
    engine = init_desk(path, DeskSetup(SITE_CODE, SITE_NAME, manager, pin), demo=True)
    try:
        rng = random.Random(seed)
        extra = random.Random(f"frontdesk-demo-extra-{seed}")  # the adjustments
        counts = _fill(engine, rng, first, today)
        counts["closeouts"] = _close_past_days(engine, rng, today)
        counts["adjustments"] = _book_adjustments(engine, extra, today)
        counts["payments"] += counts["adjustments"]
        jobs = random.Random(f"frontdesk-demo-jobs-{seed}")  # its own: the rest stays as it was
        counts.update(demo_jobs.employment(engine, jobs, SITE_CODE, _desk_days(first, today)))
        groups = random.Random(f"frontdesk-demo-sessions-{seed}")
        made = demo_sessions.activities(engine, groups, SITE_CODE, _desk_days(first, today))
        counts["sessions"], counts["fair_referrals"] = made["sessions"], made["fair_referrals"]
        counts["referrals"] += made["fair_referrals"]
        counts["placements"] += made["placements"]
        _audit_build(engine, seed, first, today)
    except BaseException:
        engine.dispose()
        if created:  # a half-built demo would later be taken for a finished one
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    engine.dispose()
    return DemoSummary(path=path, seed=seed, first_day=first, today=today, **counts)


def _fill(engine: Engine, rng: random.Random, first: date, today: date) -> dict[str, int]:
    """Make every row in memory, then save them section by section, one transaction each.

    Making first lets a no-show lower a worker's reliability before the worker is saved,
    so every row is a single insert (one outbox entry) and never an update.
    """
    staff = _add_staff(engine)
    with reading(engine) as s:  # init_desk seeded the default catalogue
        services = {svc.code: svc for svc in s.exec(select(Service))}
        partners = s.exec(select(Partner)).all()
        agreements = s.exec(select(PartnerAgreement)).all()
    info = desk_info(engine)
    assert info is not None  # init_desk made it
    key = info.id_hash_key
    seal = Sealer(info.data_public_key)
    ctx = _Ctx(rng, today, _desk_days(first, today), staff, services, key, seal)
    people = _make_people(ctx, first)
    hiring = _make_employers(ctx)  # each employer with the job it offers
    employers = [employer for employer, _ in hiring]
    demo_jobs.credit_codes(random.Random(f"frontdesk-demo-codes-{ctx.today}"), employers)
    orders, assignments, fees = _make_gigs(ctx, hiring, people)
    walkins, takings = _make_walkins(ctx, people)
    _save(engine, people)
    _save(engine, employers)
    _save(engine, orders, assignments, fees)
    _save(engine, walkins, takings)
    return {
        "staff": len(staff),
        "partners": len(partners),
        "partner_agreements": len(agreements),
        "services": len(services),
        "people": len(people),
        "employers": len(employers),
        "gig_orders": len(orders),
        "gig_assignments": len(assignments),
        "walkins": len(walkins),
        "payments": len(fees) + len(takings),
    }


def ensure_demo(path: Path, *, seed: int = 2026, today: date | None = None) -> DemoSummary | None:
    """Build a demo desk at `path`, or return None when one is already there.

    A database holding real data is never touched: that raises UserError("demo.real_data").
    """
    if not path.exists():
        return build_demo(path, seed=seed, today=today)
    engine = open_desk(path)
    try:
        info = desk_info(engine)
    finally:
        engine.dispose()
    if info is None or not info.demo:
        raise UserError("demo.real_data", path=str(path))
    return None


# --- helpers -----------------------------------------------------------------------------


def _save(engine: Engine, *groups: Sequence[SQLModel]) -> None:
    """One transaction; groups are flushed in order so foreign keys are always satisfied."""
    with writing(engine) as s:
        for group in groups:
            s.add_all(group)
            s.flush()


def _utc(day: date, minute: int) -> datetime:
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LOCAL_TZ)
    return local.astimezone(UTC)


def _desk_days(first: date, last: date) -> list[date]:
    count = (last - first).days + 1
    days = (first + timedelta(days=i) for i in range(count))
    return [d for d in days if d.weekday() != 6]  # the desk is closed on Sundays


def _hours(ctx: _Ctx, day: date) -> tuple[tuple[int, int], ...]:
    if day == ctx.today:
        return MORNING_ONLY
    return SATURDAY_HOURS if day.weekday() == 5 else WEEKDAY_HOURS


def _random_minute(rng: random.Random, hours: Iterable[tuple[int, int]]) -> int:
    minutes = [m for start, end in hours for m in range(start, end)]
    return rng.choice(minutes)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- staff and catalogue -----------------------------------------------------------------


def _add_staff(engine: Engine) -> list[uuid.UUID]:
    # Hash before taking the write lock: scrypt is slow on purpose.
    hashed = [(name, role, hash_pin(pin)) for name, role, pin in DEMO_STAFF[1:]]
    with writing(engine) as s:
        manager = s.exec(select(Staff).where(Staff.role == "manager")).one()
        clerks = [add_desk_staff(s, SITE_CODE, *row) for row in hashed]
    return [manager.id, *(c.id for c in clerks)]


# --- people --------------------------------------------------------------------------------


def _make_people(ctx: _Ctx, first: date) -> list[Person]:
    ids: set[str] = set()
    phones: set[str] = set()
    people = [_make_person(ctx, i, first, ids, phones) for i in range(PEOPLE)]
    # In registration order, as a desk would have added them.
    return sorted(people, key=lambda p: (p.consent_at, p.id_masked))


def _make_person(ctx: _Ctx, i: int, first: date, ids: set[str], phones: set[str]) -> Person:
    rng = ctx.rng
    gender = "F" if rng.random() < 0.6 else "M"
    surname = (
        names.POLYPHONIC_SURNAMES[i]
        if i < len(names.POLYPHONIC_SURNAMES)
        else ctx.weighted(dict(names.SURNAMES))
    )
    name = surname + _given_name(rng, gender)
    id_number = _new_id_number(ctx, gender, ids)
    phone = _new_phone(rng, phones)
    registered_on, registered_at = _registration(ctx, first)
    staff_id = ctx.pick_staff()
    categories = _categories(rng)
    sensitive = any(code in SENSITIVE_CATEGORIES for code in categories)
    status, reason = _status(rng)
    person_id = new_id()
    return Person(
        id=person_id,
        site_code=SITE_CODE,
        name=name,
        **stored_person_values(ctx.sealer, person_id, id_number, phone),
        id_hash=id_hash(id_number, ctx.hash_key),
        gender=gender_of(id_number),
        birth_date=birth_of(id_number),
        ethnicity=ctx.weighted(dict(names.ETHNICITIES)),
        hukou_type=ctx.weighted(dict(names.HUKOU_TYPES)),  # codes of registration.HUKOU_TYPES
        **stored_address(ctx.sealer, person_id, _address(rng)),
        education=ctx.weighted(dict(names.EDUCATION)),
        skills=rng.sample(names.SKILLS, rng.randint(1, 3)),
        desired_jobs=_desired_jobs(rng),
        availability=rng.choice(names.AVAILABILITY),
        categories=categories,
        consent_at=registered_at,
        consent_staff_id=staff_id,
        sensitive_consent_at=registered_at if sensitive else None,
        sensitive_consent_staff_id=staff_id if sensitive else None,
        registered_on=registered_on,
        valid_until=registered_on + timedelta(days=REGISTRATION_VALID_DAYS),
        status=status,
        status_reason=reason,
        staff_id=staff_id,
    )


def _given_name(rng: random.Random, gender: str) -> str:
    pool = names.GIVEN_FEMALE if gender == "F" else names.GIVEN_MALE
    return "".join(rng.choices(pool, k=1 if rng.random() < 0.2 else 2))


def _new_id_number(ctx: _Ctx, gender: str, taken: set[str]) -> str:
    rng = ctx.rng
    # Many full-time mothers aged 25–40 (全职宝妈); everyone else 18–65.
    low, high = (25, 40) if gender == "F" and rng.random() < 0.5 else (18, 65)
    earliest = _years_before(ctx.today, high + 1) + timedelta(days=1)
    latest = _years_before(ctx.today, low)
    while True:
        birth = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        code = ctx.weighted({c: w for c, _, w in names.ADDRESS_CODES})
        sequence = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
        number = make_id(code, birth, sequence)
        if number not in taken:
            taken.add(number)
            return number


def _new_phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _registration(ctx: _Ctx, first: date) -> tuple[date, datetime]:
    rng = ctx.rng
    if rng.random() < EARLIER_SHARE:
        day = first - timedelta(days=rng.randint(1, 180))
        day -= timedelta(days=1 if day.weekday() == 6 else 0)
    else:
        day = rng.choice(ctx.days)
    return day, _utc(day, _random_minute(rng, _hours(ctx, day)))


def _address(rng: random.Random) -> str:
    community, street = rng.choice(names.COMMUNITIES), rng.choice(names.STREETS)
    return f"{names.STREET_DISTRICT}{community}{street}{rng.randint(1, 180)}号"


def _desired_jobs(rng: random.Random) -> list[dict]:
    # pay_fen is the monthly pay wished for, in fen.
    return [
        {
            "job": job,
            "pay_fen": rng.randrange(2800, 6600, 100) * 100,
            "area": rng.choice(names.JOB_AREAS),
        }
        for job in rng.sample(names.JOB_TYPES, rng.randint(1, 3))
    ]


def _categories(rng: random.Random) -> list[str]:
    if rng.random() >= 0.15:
        return []
    return [rng.choice(sorted(CATEGORIES))]


def _status(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.10:
        return "employed", f"已在{rng.choice(names.EMPLOYERS)[0]}就业"
    if roll < 0.12:
        return "cancelled", rng.choice(("本人申请注销", "已离开本市"))
    return "active", ""


# --- micro-factory gigs -------------------------------------------------------------------


def _make_employers(ctx: _Ctx) -> list[tuple[Employer, str]]:
    rng = ctx.rng
    made = []
    for name, job in names.EMPLOYERS:
        contact = rng.choice(names.SURNAMES)[0] + rng.choice(("生", "姐", "经理", "厂长"))
        employer_id = new_id()
        employer = Employer(
            id=employer_id,
            site_code=SITE_CODE,
            name=name,
            contact_name=contact,
            # companies (the default kind): the phone stays plain, with its masked form
            **stored_employer_phone(ctx.sealer, employer_id, "company", _new_phone(rng, set())),
            address=_address(rng),
        )
        made.append((employer, job))
    return made


def _make_gigs(
    ctx: _Ctx, employers: list[tuple[Employer, str]], people: list[Person]
) -> tuple[list[GigOrder], list[GigAssignment], list[Payment]]:
    workers = [p for p in people if p.status == "active"]
    ahead = _desk_days(ctx.today + timedelta(days=1), ctx.today + timedelta(days=6))
    orders: list[GigOrder] = []
    assignments: list[GigAssignment] = []
    fees: list[Payment] = []
    busy: dict[date, set[uuid.UUID]] = {}
    for day in ctx.days + ahead:
        for _ in range(ctx.rng.choice((0, 1, 1, 2))):
            taken = busy.setdefault(day, set())
            pool = [p for p in workers if p.registered_on <= day and p.id not in taken]
            made = _make_order(ctx, day, ctx.rng.choice(employers), pool)
            if made is None:
                continue
            order, crew, fee = made
            taken.update(a.person_id for a in crew)
            orders.append(order)
            assignments.extend(crew)
            fees.extend(fee)
    return orders, assignments, fees


def _make_order(
    ctx: _Ctx, day: date, employer: tuple[Employer, str], pool: list[Person]
) -> tuple[GigOrder, list[GigAssignment], list[Payment]] | None:
    rng = ctx.rng
    company, job = employer
    pay_mode, unit, rates, _ = names.GIG_JOBS[job]
    start, end = DAY_SHIFT if pay_mode == "day" else rng.choice(PART_TIME_SHIFTS)
    headcount = rng.randint(3, 12)
    size = min(len(pool), max(1, round(headcount * rng.randint(60, 100) / 100)))
    if size == 0:
        return None
    order = GigOrder(
        site_code=SITE_CODE,
        employer_id=company.id,
        job_type=job,
        place=f"{SITE_NAME}小社微工厂",
        work_date=day,
        shift_start=start,
        shift_end=end,
        headcount=headcount,
        pay_mode=pay_mode,
        rate_fen=Decimal(rng.choice(rates)),
        unit=unit,
        status=_order_status(ctx, day, start, size == headcount),
    )
    crew = [_assignment(ctx, order, person) for person in rng.sample(pool, size)]
    fee = _dispatch_fee(ctx, order, crew) if rng.random() < 0.4 else []
    return order, crew, fee


def _order_status(ctx: _Ctx, day: date, start: time, full: bool) -> str:
    # Today only the morning has happened (see MORNING_ONLY): afternoon shifts lie ahead.
    if day > ctx.today or (day == ctx.today and start >= NOON):
        return "filled" if full else "open"
    if day == ctx.today:
        return "in_progress"
    return "cancelled" if ctx.rng.random() < 0.05 else "done"


def _assignment(ctx: _Ctx, order: GigOrder, person: Person) -> GigAssignment:
    row = GigAssignment(
        site_code=SITE_CODE,
        order_id=order.id,
        person_id=person.id,
        dispatched_by=ctx.pick_staff(),
    )
    if order.status == "cancelled":
        row.status = "cancelled"
    elif order.status == "in_progress":
        row.status, row.checked_in_at = "checked_in", _check_in(ctx, order)
    elif order.status == "done":
        _attend(ctx, order, row, person)
    return row


def _check_in(ctx: _Ctx, order: GigOrder) -> datetime:
    return _utc(order.work_date, _minutes(order.shift_start) + ctx.rng.randint(-10, 10))


def _attend(ctx: _Ctx, order: GigOrder, row: GigAssignment, person: Person) -> None:
    """A past shift: a no-show, or worked, checked out and (after a few days) settled."""
    rng = ctx.rng
    if rng.random() < 0.05:
        row.status = "no_show"
        person.reliability = gig_rules.lower_reliability(person.reliability)
        return
    shift = _minutes(order.shift_end) - _minutes(order.shift_start)
    lunch = 60 if order.pay_mode == "day" else 0
    row.minutes_worked = shift - lunch - rng.randint(0, 20)
    row.checked_in_at = _check_in(ctx, order)
    row.checked_out_at = row.checked_in_at + timedelta(minutes=row.minutes_worked + lunch)
    if order.pay_mode == "piece":
        pace = rng.randint(*names.GIG_JOBS[order.job_type][3])
        row.pieces_completed = row.minutes_worked * pace // 60
        row.pieces_defective = rng.randint(0, row.pieces_completed // 30)
        row.pieces_accepted = row.pieces_completed - row.pieces_defective
    row.wage_fen = gig_rules.wage_fen(
        order.pay_mode, order.rate_fen, row.minutes_worked, row.pieces_accepted
    )
    row.status = "checked_out"
    if (ctx.today - order.work_date).days >= 3:  # wages are settled a day or two later
        _settle(ctx, order, row)


def _settle(ctx: _Ctx, order: GigOrder, row: GigAssignment) -> None:
    rng = ctx.rng
    method = ctx.weighted(WAGE_WEIGHTS)
    prefix = REFERENCE_PREFIX.get(method)
    row.status = "settled"
    row.pay_method = method
    row.pay_reference = f"{prefix}{rng.randrange(10**15, 10**16)}" if prefix else "现金签收"
    # A day or two later, on a desk day, never later than yesterday.
    day = _skip_sunday(order.work_date + timedelta(days=rng.randint(1, 2)))
    day = min(day, ctx.today - timedelta(days=1))
    day -= timedelta(days=1 if day.weekday() == 6 else 0)  # still after the work day
    row.settled_at = _utc(day, rng.randint(15 * 60, 17 * 60))
    row.settled_by = ctx.pick_staff()


def _skip_sunday(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _dispatch_fee(ctx: _Ctx, order: GigOrder, crew: list[GigAssignment]) -> list[Payment]:
    """The center's fee per worker sent; paid by the employer once the work is done."""
    if order.status == "cancelled":
        return []
    fee_service = ctx.services["WG03"]
    charged = [a for a in crew if a.status != "no_show"]
    order.service_fee_fen = fee_service.default_price_fen * len(charged)
    if order.status != "done" or not charged:
        return []
    method = ctx.weighted(FEE_WEIGHTS)  # drawn before the staff, as the demo always has
    return [
        ledger.income(
            Actor(SITE_CODE, ctx.pick_staff()),
            fee_service,
            order.service_fee_fen,
            method,
            order.work_date,
            _utc(order.work_date, _minutes(order.shift_end)),
            gig_order_id=order.id,
        )
    ]


# --- walk-ins and takings ------------------------------------------------------------------


def _make_walkins(ctx: _Ctx, people: list[Person]) -> tuple[list[WalkIn], list[Payment]]:
    walkins: list[WalkIn] = []
    payments: list[Payment] = []
    for day in ctx.days:
        for visit in _day_visits(ctx, day, people):
            walkins.append(visit)
            service = ctx.by_id[visit.service_id]
            if service.paid:
                payments.append(_payment(ctx, visit, service))
    return walkins, payments


def _day_visits(ctx: _Ctx, day: date, people: list[Person]) -> list[WalkIn]:
    rng = ctx.rng
    wanted = rng.randint(15, 25) if day.weekday() == 5 else rng.randint(22, 40)
    if day == ctx.today:
        wanted //= 2
    registrations = [_registration_visit(ctx, p) for p in people if p.registered_on == day]
    known = [p for p in people if p.registered_on <= day]
    others = [_visit(ctx, day, known) for _ in range(max(3, wanted - len(registrations)))]
    return sorted(registrations + others, key=lambda w: w.started_at)


def _registration_visit(ctx: _Ctx, person: Person) -> WalkIn:
    # _make_person registers everyone with consent, taken by a clerk.
    assert person.consent_at is not None and person.staff_id is not None
    return WalkIn(
        site_code=SITE_CODE,
        business_date=person.registered_on,
        started_at=person.consent_at,
        service_id=ctx.services["LG01"].id,
        person_id=person.id,
        staff_id=person.staff_id,
        duration_min=ctx.rng.randint(10, 25),
        outcome="已登记",
        satisfaction=ctx.weighted(dict(SATISFACTION)),
    )


def _visit(ctx: _Ctx, day: date, known: list[Person]) -> WalkIn:
    rng = ctx.rng
    service = ctx.services[ctx.weighted(VISIT_WEIGHTS)]
    # Wellness and housekeeping clients are residents, not job seekers: not linked, so no
    # health data is attached to a registration.
    linked = service.line in LINKED_LINES and bool(known) and rng.random() < 0.6
    referral = REFERRALS.get(service.code, "") if rng.random() < 0.2 else ""
    # A follow-up needs someone to call back: anonymous visits get none (the same draws
    # are made either way, so the rest of the demo stays as it was).
    follow_up = service.code in ("LG03", "LG05") and rng.random() < 0.3 and linked
    by_phone = service.code in ("LG04", "LG05") and rng.random() < 0.15
    return WalkIn(
        site_code=SITE_CODE,
        business_date=day,
        started_at=_utc(day, _random_minute(rng, _hours(ctx, day))),
        service_id=service.id,
        person_id=rng.choice(known).id if linked else None,
        staff_id=ctx.pick_staff(),
        channel="phone" if by_phone else "in_person",
        duration_min=rng.randint(*DURATION_MIN[service.line]),
        outcome=rng.choice(OUTCOMES[service.line]),
        referral=referral,
        follow_up_on=day + timedelta(days=rng.randint(7, 14)) if follow_up else None,
        satisfaction=ctx.weighted(dict(SATISFACTION)),
    )


def _payment(ctx: _Ctx, visit: WalkIn, service: Service) -> Payment:
    hours = ctx.rng.randint(2, 4) if service.code == "JZ01" else 1  # cleaning is by the hour
    amount = service.default_price_fen * hours
    methods = dict(PAYMENT_WEIGHTS)
    if amount > CASH_LIMIT_FEN:
        del methods["cash"]
    return ledger.income(
        Actor(SITE_CODE, visit.staff_id),
        service,
        amount,
        ctx.weighted(methods),
        visit.business_date,
        visit.started_at + timedelta(minutes=visit.duration_min),
        walkin_id=visit.id,
    )


def _close_past_days(engine: Engine, rng: random.Random, today: date) -> int:
    """Every past desk day is opened with a float and closed, as the staff would have done.

    Counts match what was expected, except now and then a cash slip a manager approved.
    """
    from frontdesk.services import closeout

    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        dates = select(col(WalkIn.business_date)).where(col(WalkIn.business_date) < today)
        days = sorted(set(s.exec(dates)))
    actor, pin = Actor(SITE_CODE, manager), DEMO_STAFF[0][2]
    for day in days:
        evening = datetime.combine(day, time(18, 0), LOCAL_TZ).astimezone(UTC)
        closeout.open_day(engine, actor, day, DEMO_FLOAT_FEN, evening)
        expected = closeout.x_report(engine, SITE_CODE, day).expected_fen
        counted = dict(expected)
        slip = rng.random() < 0.08
        if slip:  # a short in the cash drawer: a manager approves with a note
            counted["cash"] -= rng.randrange(100, 2000, 100)
        raw = closeout.CloseInput(
            day,
            counted,
            note="找零差错" if slip else "",
            manager_id=manager if slip else None,
            pin=pin if slip else "",
        )
        closeout.close_day(engine, actor, raw, evening)
    return len(days)


def _book_adjustments(engine: Engine, extra: random.Random, today: date) -> int:
    """This morning the desk books two entries for closed days: one forgotten, one corrected.

    A cleaning paid for on a closed day was never entered (late entry), and on another a
    cleaning entered for one hour too many is put right (a negative correction), both through
    `closeout.add_adjustment`, as F2 on the close-out screen does.
    """
    from frontdesk.services import closeout

    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        cleaning = s.exec(select(Service).where(Service.code == "JZ01")).one()
        closed = sorted(s.exec(select(col(Closeout.business_date))))
        # Paid cleanings of closed days of more than one hour (the price is per hour).
        longer = s.exec(
            select(Payment)
            .where(
                Payment.service_id == cleaning.id,
                col(Payment.walkin_id).is_not(None),
                col(Payment.business_date).in_(closed),
                Payment.amount_fen >= 2 * cleaning.default_price_fen,
            )
            .order_by(col(Payment.business_date), col(Payment.received_at), col(Payment.amount_fen))
        ).all()
    if not closed:
        return 0
    actor, price = Actor(SITE_CODE, manager), cleaning.default_price_fen
    booked = 0
    late_day = extra.choice(closed[-6:])
    hours = extra.randint(2, 3)
    late = closeout.AdjustmentInput(
        late_day,
        cleaning.id,
        price * hours,
        extra.choice(("wechat", "alipay")),
        f"漏记：{late_day.isoformat()} 上门保洁 {hours} 小时，顾客当日已付款",
    )
    closeout.add_adjustment(engine, actor, late, _utc(today, 9 * 60 + extra.randint(0, 40)))
    booked += 1
    if longer:
        wrong = extra.choice(longer)
        hours, day = wrong.amount_fen // price, wrong.business_date
        fix = closeout.AdjustmentInput(
            day,
            cleaning.id,
            -price,
            wrong.method,
            f"更正：{day.isoformat()} 保洁按 {hours} 小时录入，实为 {hours - 1} 小时",
        )
        closeout.add_adjustment(engine, actor, fix, _utc(today, 10 * 60 + extra.randint(0, 50)))
        booked += 1
    return booked


def _audit_build(engine: Engine, seed: int, first: date, today: date) -> None:
    with writing(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        detail = f"seed={seed} from={first.isoformat()} to={today.isoformat()}"
        record(s, SITE_CODE, "demo_build", staff_id=manager, detail=detail)
