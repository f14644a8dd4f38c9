"""The demo database: realistic shape, exact money, reproducible from its seed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from db.models import (
    ActivitySession,
    Adjustment,
    Attendance,
    Closeout,
    DeskInfo,
    Enrolment,
    GigAssignment,
    GigOrder,
    Outbox,
    Payment,
    Person,
    Referral,
    Service,
    SessionMeeting,
    Staff,
    StaffPin,
    WalkIn,
    WalkInAttendee,
    synced_tables,
)
from db.models.reference import SERVICE_LINES
from db.session import reading
from frontdesk.demo_accounts import DEMO_STAFF
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.domain.idcard import birth_of, gender_of, normalise
from frontdesk.domain.privacy import id_hash, mask_id, mask_phone
from frontdesk.domain.registration import CATEGORIES
from frontdesk.domain.service_catalogue import SERVICES
from frontdesk.domain.session_rules import group_kind
from frontdesk.errors import UserError
from frontdesk.services import fairs, personal_keys
from frontdesk.services.auth import sign_in, verify_pin
from frontdesk.services.demo import (
    DemoSummary,
    build_demo,
    ensure_demo,
)
from frontdesk.services.desk import open_desk
from tests.conftest import FIXED_NOW

TODAY = date(2026, 11, 26)  # a Thursday, as in conftest.FIXED_NOW
MOBILE = re.compile(r"^1[3-9]\d{9}$")
POLYPHONIC_INITIALS = {
    "曾": {"z", "c"},
    "单": {"d", "s"},
    "解": {"j", "x"},
    "区": {"q", "o"},
    "查": {"c", "z"},
    "朴": {"p"},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoSummary, Engine]]:
    path = tmp_path_factory.mktemp("demo") / "desk.sqlite3"
    summary = build_demo(path, seed=2026, today=TODAY)
    engine = open_desk(path)
    yield summary, engine
    engine.dispose()


@pytest.fixture
def s(built: tuple[DemoSummary, Engine]) -> Iterator[Session]:
    with reading(built[1]) as session:
        yield session


SESSION_TABLES = (
    "activity_sessions",
    "session_meetings",
    "session_enrolments",
    "session_attendance",
)


@pytest.fixture
def plain(built: tuple[DemoSummary, Engine]) -> dict:
    """Every person's full ID number and phone by id, read with the demo manager's key."""
    engine = built[1]
    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        people = list(s.exec(select(Person)))
    sign_in(engine, manager, DEMO_STAFF[0][2], FIXED_NOW)
    opener = personal_keys.held(engine)
    assert opener is not None
    try:
        return {p.id: personal_keys.open_person(opener, p.id, p.id_number, p.phone) for p in people}
    finally:
        personal_keys.drop(engine)


def _all(s: Session, model: type) -> list:
    return list(s.exec(select(model)))


def test_summary_counts_match_the_tables(built: tuple[DemoSummary, Engine], s: Session) -> None:
    summary, _ = built
    assert summary.people == 300
    assert summary.services == len(SERVICES)  # the seeded default catalogue
    assert summary.first_day == TODAY - timedelta(days=41)
    for model, count in [
        (Person, summary.people),
        (WalkIn, summary.walkins),
        (Payment, summary.payments),
        (GigOrder, summary.gig_orders),
        (GigAssignment, summary.gig_assignments),
        (Service, summary.services),
        (Staff, summary.staff),
    ]:
        assert s.exec(select(func.count()).select_from(model)).one() == count
    assert summary.walkins > 500 and summary.gig_assignments > 100


def test_every_past_day_is_closed_and_chained(
    built: tuple[DemoSummary, Engine], s: Session
) -> None:
    from frontdesk.services.closeout import unclosed_days, verify_chain

    summary, engine = built
    closed = _all(s, Closeout)
    assert len(closed) == summary.closeouts > 30
    assert unclosed_days(engine, "HS01", TODAY) == []  # sign-in flags nothing
    assert verify_chain(engine, "HS01") == []
    assert TODAY not in {c.business_date for c in closed}  # today stays open
    for c in closed:
        assert c.partner_share_fen + c.community_proceeds_fen == c.income_fen
        shorts = [v for v in c.over_short_fen.values() if v]
        assert not shorts or (c.approved_by is not None and c.note)


def test_employment_services_over_the_weeks(built: tuple[DemoSummary, Engine], s: Session) -> None:
    from db.models import Employer, JobPosting, Referral, ReferralEvent
    from frontdesk.domain.credit_code import normalise

    summary, _ = built
    posts, refs = _all(s, JobPosting), _all(s, Referral)
    assert len(posts) == summary.job_postings > 10 and len(refs) == summary.referrals > 10
    placed = [r for r in refs if r.outcome == "placed"]
    assert len(placed) == summary.placements > 0
    assert {r.outcome for r in refs} >= {"referred", "placed"}  # some still waiting
    assert all(normalise(e.credit_code) == e.credit_code != "" for e in _all(s, Employer))
    people = {p.id: p for p in _all(s, Person)}
    assert all(people[r.person_id].status == "employed" for r in placed)
    steps = Counter(e.referral_id for e in _all(s, ReferralEvent))
    assert all(steps[r.id] >= 1 for r in refs) and all(steps[r.id] >= 2 for r in placed)
    assert all(p.valid_from <= TODAY for p in posts)


def test_group_activities_are_sessions_not_walkins(
    built: tuple[DemoSummary, Engine], s: Session
) -> None:
    """Classes, events, job fairs and courses are made through the session services: no
    group walk-in, a finished course with its completion stamped, a fair's referrals."""
    summary, engine = built
    services = {sv.id: sv for sv in _all(s, Service)}
    walkins = _all(s, WalkIn)
    assert not [
        w for w in walkins if group_kind(services[w.service_id].code, services[w.service_id].line)
    ]
    assert not _all(s, WalkInAttendee)
    made = _all(s, ActivitySession)
    assert len(made) == summary.sessions
    kinds = Counter((x.kind, x.status) for x in made)
    assert kinds[("class", "done")] > 5 and kinds[("event", "done")] > 3
    assert kinds[("job_fair", "done")] >= 2 and kinds[("course", "done")] == 1
    assert kinds[("course", "running")] == 1  # still going on today
    finished = next(x for x in made if x.kind == "course" and x.status == "done")
    places = [e for e in _all(s, Enrolment) if e.session_id == finished.id]
    done = [e for e in places if e.completed]
    assert 0 < len(done) < len([e for e in places if e.status == "enrolled"]) + 1
    assert any(e.status == "waiting" for e in places)  # beyond its twelve places
    people = {p.id: p for p in _all(s, Person)}
    for a in _all(s, Attendance):
        assert a.person_id is None or people[a.person_id].status != "cancelled"
    fair_refs = [r for r in _all(s, Referral) if r.session_id is not None]
    assert len(fair_refs) == summary.fair_referrals > 0
    assert {r.source for r in fair_refs} == {"fair"}
    fair_ids = {x.id for x in made if x.kind == "job_fair"}
    assert {r.session_id for r in fair_refs} <= fair_ids
    brought = 0
    for fair in fair_ids:  # what each fair brought and came to, as its record shows it
        view = fairs.fair_view(engine, "HS01", fair)
        assert view.referrals == sum(1 for r in fair_refs if r.session_id == fair)
        brought += view.postings
    assert brought > 0  # the first may come before any posting was open


def test_closed_days_have_a_late_entry_and_a_correction(
    built: tuple[DemoSummary, Engine], s: Session
) -> None:
    from frontdesk.services.closeout import day_report, verify_chain

    summary, engine = built
    adjustments = sorted(_all(s, Adjustment), key=lambda a: a.amount_fen)
    assert len(adjustments) == summary.adjustments == 2
    closed = {c.business_date for c in _all(s, Closeout)}
    payments = {p.id: p for p in _all(s, Payment)}
    for a in adjustments:
        paid = payments[a.payment_id]
        assert a.closed_date in closed and a.booked_date == TODAY == paid.business_date
        assert paid.amount_fen == a.amount_fen and paid.reason == a.reason
        assert paid.received_at.astimezone(LOCAL_TZ).date() == TODAY
    correction, late = adjustments
    assert correction.amount_fen < 0 < late.amount_fen
    assert correction.reason.startswith("更正") and late.reason.startswith("漏记")
    cleaning = s.exec(select(Service).where(Service.code == "JZ01")).one()
    corrected = [  # the entry put right: a cleaning of more hours than the correction takes off
        p
        for p in payments.values()
        if p.business_date == correction.closed_date
        and p.service_id == cleaning.id
        and p.amount_fen >= 2 * cleaning.default_price_fen
    ]
    assert corrected and correction.amount_fen == -cleaning.default_price_fen
    today = day_report(engine, "HS01", TODAY)  # today's X report counts both
    assert today.adjustments_fen == late.amount_fen + correction.amount_fen
    for day in {a.closed_date for a in adjustments}:  # and so does the Z report of each day
        later = day_report(engine, "HS01", day).adjustments_later
        wanted = [a.amount_fen for a in adjustments if a.closed_date == day]
        assert sorted(x.amount_fen for x in later) == wanted
    assert verify_chain(engine, "HS01") == []


def test_staff_can_sign_in_with_the_demo_pins(s: Session) -> None:
    staff = _all(s, Staff)
    assert sorted(row.role for row in staff) == ["clerk", "clerk", "manager"]
    hashes = {row.staff_id: row.pin_hash for row in _all(s, StaffPin)}
    assert set(hashes) == {row.id for row in staff}  # each PIN kept at the desk
    for pin in ("1234", "1111", "2222"):
        assert sum(verify_pin(pin, stored) for stored in hashes.values()) == 1


def test_people_ids_are_valid_and_match_gender_and_birth(s: Session, plain: dict) -> None:
    people = _all(s, Person)
    key = s.exec(select(DeskInfo.id_hash_key)).one()
    assert len({plain[p.id][0] for p in people}) == len(people)
    for p in people:
        number = plain[p.id][0]
        assert normalise(number, TODAY) == number and number != p.id_number  # stored sealed
        assert number.startswith("4407") and p.id_masked == mask_id(number)
        assert (p.gender, p.birth_date) == (gender_of(number), birth_of(number))
        assert p.id_tail == number[-4:]
        assert p.id_hash == id_hash(number, key)
        born = p.birth_date
        age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        assert 18 <= age <= 65


def test_people_have_mobiles_consent_and_sensible_fields(s: Session, plain: dict) -> None:
    for p in _all(s, Person):
        phone = plain[p.id][1]
        assert MOBILE.match(phone) and p.phone_tail == phone[-4:]
        assert p.phone_masked == mask_phone(phone)
        assert p.consent_at is not None and p.consent_staff_id is not None
        assert p.registered_on <= TODAY
        assert p.education in ("11", "14", "21", "31", "41", "44", "47", "61", "71", "81", "90")
        assert 1 <= len(p.desired_jobs) <= 3
        assert all(set(job) == {"job", "pay_fen", "area"} for job in p.desired_jobs)
        assert all(type(job["pay_fen"]) is int for job in p.desired_jobs)
        assert len(p.name_initials) <= 200 and len(p.name_pinyin) <= 400
    statuses = Counter(p.status for p in _all(s, Person))
    assert statuses["active"] > statuses["employed"] > 0


def test_sensitive_categories_have_separate_consent(s: Session) -> None:
    with_categories = [p for p in _all(s, Person) if p.categories]
    assert with_categories
    sensitive = {code for code, is_sensitive in CATEGORIES.items() if is_sensitive}
    for p in with_categories:
        needs = bool(sensitive & set(p.categories))
        assert (p.sensitive_consent_at is not None) == needs


def test_polyphonic_surnames_are_indexed_under_every_reading(s: Session) -> None:
    people = _all(s, Person)
    for surname, letters in POLYPHONIC_INITIALS.items():
        holders = [p for p in people if p.name.startswith(surname)]
        assert holders, surname
        for p in holders:
            firsts = {token[0] for token in p.name_initials.split()}
            assert letters <= firsts, (p.name, p.name_initials)


def test_demo_people_are_found_by_every_reading(built: tuple[DemoSummary, Engine]) -> None:
    from frontdesk.services.search import search

    engine = built[1]
    zeng = [p for p in search(engine, "HS01", "曾") if p.name.startswith("曾")]
    assert zeng
    for initials in ("z", "c"):
        found = {p.id for p in search(engine, "HS01", initials, limit=500)}
        assert {p.id for p in zeng} <= found


def test_every_service_line_is_in_the_catalogue(s: Session) -> None:
    services = _all(s, Service)
    assert {sv.line for sv in services} == set(SERVICE_LINES)
    for sv in services:
        assert type(sv.default_price_fen) is int
        if sv.line == "housekeeping" or (sv.paid and sv.line == "wellness"):
            assert sv.paid and sv.partner_id is not None  # partner-run paid services
        if sv.line == "gig_market":
            assert not sv.paid


def test_each_paid_walkin_has_exactly_one_payment(s: Session) -> None:
    services = {sv.id: sv for sv in _all(s, Service)}
    by_walkin = Counter(p.walkin_id for p in _all(s, Payment) if p.walkin_id)
    payments = {p.walkin_id: p for p in _all(s, Payment) if p.walkin_id}
    walkins = _all(s, WalkIn)
    for w in walkins:
        service = services[w.service_id]
        if not service.paid:
            assert w.id not in by_walkin
            continue
        assert by_walkin[w.id] == 1
        pay = payments[w.id]
        assert pay.business_date == w.business_date and pay.amount_fen > 0
        assert pay.partner_id == service.partner_id and pay.service_id == service.id
    assert any(services[w.service_id].paid for w in walkins)


def test_money_is_integer_fen(s: Session) -> None:
    # Read the raw column too: an integer on the ORM side must also be stored as one.
    assert all(type(p.amount_fen) is int for p in _all(s, Payment))
    raw_types = s.exec(text("SELECT DISTINCT typeof(amount_fen) FROM payments")).all()
    assert [row[0] for row in raw_types] == ["integer"]
    methods = Counter(p.method for p in _all(s, Payment))
    assert set(methods) == {"cash", "wechat", "alipay", "unionpay", "ecny"}
    assert methods["wechat"] > methods["ecny"]


def test_activity_is_on_desk_days_up_to_today(s: Session) -> None:
    for w in _all(s, WalkIn):
        assert w.business_date <= TODAY and w.business_date.weekday() != 6
        assert w.started_at.astimezone(LOCAL_TZ).date() == w.business_date
        assert 8 <= w.started_at.astimezone(LOCAL_TZ).hour < 18
        assert w.headcount >= 1
    for p in _all(s, Payment):
        assert p.business_date <= TODAY
        assert p.received_at.astimezone(LOCAL_TZ).date() == p.business_date
    per_day = Counter(w.business_date for w in _all(s, WalkIn) if w.business_date < TODAY)
    assert all(15 <= n <= 45 for n in per_day.values())
    # One person a visit: people counted by the head are at sessions' meetings now.
    assert all(w.headcount == 1 for w in _all(s, WalkIn))
    for meeting in _all(s, SessionMeeting):
        assert meeting.meeting_date.weekday() != 6
        assert meeting.meeting_date <= TODAY + timedelta(days=14)  # a course goes on


def test_gig_assignments_follow_the_work_date(s: Session) -> None:
    orders = {o.id: o for o in _all(s, GigOrder)}
    assert {o.pay_mode for o in orders.values()} == {"piece", "hour", "day"}
    assert any(o.rate_fen != o.rate_fen.to_integral_value() for o in orders.values())
    assert any(o.service_fee_fen > 0 for o in orders.values())
    seen = Counter()
    for a in _all(s, GigAssignment):
        order = orders[a.order_id]
        seen[a.status] += 1
        if order.work_date > TODAY:
            assert a.status == "assigned"
        elif order.status == "cancelled":
            assert a.status == "cancelled"
        elif order.work_date < TODAY:
            assert a.status in ("checked_out", "settled", "no_show")
        if a.status in ("checked_out", "settled"):
            assert a.wage_fen == _expected_wage(order, a) and type(a.wage_fen) is int
            assert a.checked_out_at > a.checked_in_at
        if a.status == "settled":
            assert a.settled_at is not None and a.settled_by is not None and a.pay_method
            assert a.settled_at.astimezone(LOCAL_TZ).date() < TODAY
        if a.status == "no_show":
            assert a.wage_fen is None
    assert seen["settled"] and seen["no_show"] and seen["assigned"]


def _expected_wage(order: GigOrder, a: GigAssignment) -> int:
    if order.pay_mode == "piece":
        exact = order.rate_fen * a.pieces_accepted
    elif order.pay_mode == "hour":
        exact = order.rate_fen * Decimal(a.minutes_worked) / Decimal(60)
    else:
        exact = order.rate_fen
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def test_no_worker_is_booked_twice_on_one_day(s: Session) -> None:
    orders = {o.id: o for o in _all(s, GigOrder)}
    booked = Counter((a.person_id, orders[a.order_id].work_date) for a in _all(s, GigAssignment))
    assert max(booked.values()) == 1


def test_outbox_has_one_insert_per_synced_row(s: Session) -> None:
    inserts = select(Outbox.table_name, func.count()).where(Outbox.op == "I")
    outbox = dict(s.exec(inserts.group_by(Outbox.table_name)).all())
    # Rows are made whole before they are saved, except what the employment services'
    # own calls move on: a referral's outcome, a posting filling up, a seeker placed, and
    # the session services': a session's status, attendance, head counts, completion.
    updated = set(s.exec(select(Outbox.table_name).where(Outbox.op == "U").distinct()).all())
    assert updated <= {"referrals", "job_postings", "people", *SESSION_TABLES}
    for table in synced_tables():
        rows = s.exec(text(f"SELECT count(*) FROM {table}")).one()[0]
        assert outbox.get(table, 0) == rows, table


def _signature(path: Path) -> tuple[list, list, list, list]:
    engine = open_desk(path)
    try:
        with reading(engine) as s:
            # The masked forms: the sealed values differ run to run (fresh nonces and keys).
            people = sorted((p.name, p.id_masked, p.phone_masked) for p in s.exec(select(Person)))
            paid = sorted(
                (p.business_date, p.amount_fen, p.method) for p in s.exec(select(Payment))
            )
            attended = sorted(
                s.exec(
                    select(SessionMeeting.meeting_date, Person.id_masked, Attendance.present)
                    .join(Attendance, Attendance.meeting_id == SessionMeeting.id)
                    .join(Person, Person.id == Attendance.person_id)
                ).all()
            )
            adjusted = sorted(
                (a.closed_date, a.amount_fen, a.reason) for a in s.exec(select(Adjustment))
            )
    finally:
        engine.dispose()
    return people, paid, attended, adjusted


def test_same_seed_same_data_other_seed_other_data(
    built: tuple[DemoSummary, Engine], tmp_path: Path
) -> None:
    again = build_demo(tmp_path / "again.sqlite3", seed=2026, today=TODAY)
    other = build_demo(tmp_path / "other.sqlite3", seed=7, today=TODAY)
    first = _signature(built[0].path)
    assert _signature(again.path) == first
    other_people, other_paid, other_attended, _ = _signature(other.path)
    assert other_people != first[0] and other_paid != first[1]
    assert other_attended != first[2]


def test_ensure_demo_reuses_a_demo_and_refuses_real_data(
    built: tuple[DemoSummary, Engine], desk: tuple[Engine, Path]
) -> None:
    assert ensure_demo(built[0].path) is None
    _, real = desk
    with pytest.raises(UserError) as caught:
        ensure_demo(real)
    assert caught.value.code == "demo.real_data"
