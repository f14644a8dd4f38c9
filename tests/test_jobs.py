"""Employment services: employers, postings, referrals and matching on real databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from db.migrate import open_store
from db.models import Employer, JobPosting, Person, Referral, Staff
from db.session import reading, writing
from frontdesk.domain import credit_code, job_rules
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.idcard import make_id
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.services import employers, matching, postings, referrals
from frontdesk.services.employers import EmployerInput
from tests.conftest import FIXED_NOW
from tests.gig_support import TODAY, Desk, gig_desk, person

CODE = "91440703MA4UJ8XW2Q"  # a well-formed code, check character worked out below
GOOD_CODE = credit_code.make_code(CODE[:17])


def _raw(**fields: object) -> job_rules.PostingInput:
    raw = job_rules.PostingInput(
        title="包装工",
        job_type="包装",
        positions="2",
        pay_min="4000",
        pay_max="5000",
        pay_unit="月",
        place="白沙社区",
        hours="工作日 9:00-17:00",
        valid_from="2026-11-20",
        valid_until="2026-12-31",
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


def _posting(d: Desk, **fields: object) -> uuid.UUID:
    return postings.add_posting(d.engine, d.clerk, d.employer_id, _raw(**fields), FIXED_NOW).id


def counts(engine: Engine) -> dict[str, int]:
    tables = ("employers", "job_postings", "referrals", "referral_events", "outbox", "audit_log")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


# --- rules ---------------------------------------------------------------------------------


def test_credit_codes_are_checked_by_gb_32100() -> None:
    for real in ("91350100M000100Y43", "91110000802100433B", "91440300708461136T"):
        assert credit_code.normalise(real.lower()) == real
    assert credit_code.normalise(" ") == ""
    with pytest.raises(UserError) as wrong:
        credit_code.normalise("91350100M000100Y44")
    assert (wrong.value.code, wrong.value.field) == ("employer.credit_code_check", "credit_code")
    with pytest.raises(UserError) as bad:
        credit_code.normalise("91350100I000100Y43")  # I is not in the alphabet
    assert bad.value.code == "employer.credit_code_format"


def test_every_bad_posting_field_is_reported_at_once() -> None:
    raw = _raw(
        title="",
        positions="0",
        pay_min="5000",
        pay_max="4000",
        pay_unit="年",
        valid_from="2026-12-31",
        valid_until="2026-12-01",
        age_min="50",
        age_max="30",
        requirements="限男性",
    )
    with pytest.raises(FormErrors) as caught:
        job_rules.validate_posting(raw, TODAY)
    assert {e.field: e.code for e in caught.value.errors} == {
        "pay_max": "job.pay_range",
        "age_max": "job.age_order",
        "valid_until": "job.dates_order",
        "title": "gig.required",
        "positions": "job.positions",
        "pay_unit": "job.pay_unit",
        "requirements": "job.discriminatory",
    }


def test_a_clean_posting_takes_defaults() -> None:
    clean = job_rules.validate_posting(_raw(pay_max="", valid_from="", valid_until=""), TODAY)
    assert (clean.pay_min_fen, clean.pay_max_fen, clean.pay_unit) == (400_000, 400_000, "month")
    assert clean.valid_from == TODAY and clean.valid_until == TODAY + timedelta(days=30)
    assert clean.source == "desk"


def test_messages_are_in_the_users_language() -> None:
    error = UserError("job.pay_range", field="pay_max")
    set_language("zh")
    assert error.message() == "薪酬上限不能低于下限"
    set_language("en")
    assert error.message() == "The highest pay cannot be below the lowest"
    set_language("zh")


def test_pay_is_compared_by_the_month() -> None:
    assert job_rules.monthly_fen(2000, "hour") == 348_000
    assert job_rules.monthly_fen(20_000, "day") == 435_000
    assert job_rules.monthly_fen(100, "piece") is None
    assert job_rules.pay_class(400_000, 500_000) == "met"
    assert job_rules.pay_class(500_000, 420_000) == "near"
    assert job_rules.pay_class(500_000, 300_000) == "far"
    assert job_rules.pay_class(0, 300_000) == "unknown"


# --- employers -----------------------------------------------------------------------------


def test_an_employer_with_a_credit_code_and_a_masked_phone(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    raw = EmployerInput(
        name="江门市白沙包装有限公司",
        credit_code=GOOD_CODE,
        kind="公司",
        contact_name="李经理",
        phone="13800138000",
    )
    made = employers.add_employer(engine, d.clerk, raw, FIXED_NOW)
    shown = employers.get_employer(engine, "HS01", made.id)
    assert (shown.credit_code, shown.kind, shown.phone) == (GOOD_CODE, "company", "138****8000")
    assert employers.list_employers(engine, "HS01", GOOD_CODE)[0].id == made.id
    before = counts(engine)
    twin = EmployerInput(name="另一家", credit_code=GOOD_CODE.lower())
    with pytest.raises(UserError) as taken:
        employers.add_employer(engine, d.clerk, twin, FIXED_NOW)
    assert (taken.value.code, taken.value.field) == ("employer.credit_code_taken", "credit_code")
    with pytest.raises(FormErrors) as bad:
        employers.add_employer(engine, d.clerk, EmployerInput(name="x", kind="协会"), FIXED_NOW)
    assert {e.field for e in bad.value.errors} == {"kind"}
    assert counts(engine) == before  # nothing written
    # Individuals hiring have no code: any number of them.
    for name in ("王师傅", "陈阿姨"):
        employers.add_employer(engine, d.clerk, EmployerInput(name=name, kind="个人"), FIXED_NOW)


# --- postings ------------------------------------------------------------------------------


def test_a_posting_expires_by_its_date_untouched(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    pid = _posting(d, valid_until="2026-11-30")
    assert postings.get_posting(engine, "HS01", pid, TODAY).status == "open"
    later = date(2026, 12, 1)
    assert postings.get_posting(engine, "HS01", pid, later).status == "expired"
    assert [p.id for p in postings.list_postings(engine, "HS01", later, status="expired")] == [pid]
    assert postings.list_postings(engine, "HS01", later, status="open") == []
    assert [p.id for p in postings.list_postings(engine, "HS01", TODAY, job_type="包装")] == [pid]


def test_a_bad_posting_writes_nothing(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    before = counts(engine)
    with pytest.raises(FormErrors) as caught:
        postings.add_posting(engine, d.clerk, uuid.uuid4(), _raw(positions="-1"), FIXED_NOW)
    assert [e.field for e in caught.value.errors] == ["employer", "positions"]
    assert counts(engine) == before


def test_an_edited_posting_is_checked_and_kept_filled_or_open_by_its_places(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    pid = _posting(d, positions="1")
    ref = referrals.refer(engine, d.clerk, pid, person(d), FIXED_NOW)
    referrals.record_outcome(engine, d.clerk, ref.id, "placed", FIXED_NOW)
    assert postings.get_posting(engine, "HS01", pid, TODAY).status == "filled"
    before = counts(engine)
    with pytest.raises(FormErrors) as bad:
        postings.update_posting(
            engine, d.clerk, pid, d.employer_id, _raw(positions="0", pay_max="1"), FIXED_NOW
        )
    assert [e.field for e in bad.value.errors] == ["pay_max", "positions"]
    assert counts(engine) == before
    with pytest.raises(FormErrors) as below:  # one person is already placed
        postings.update_posting(engine, d.clerk, pid, d.employer_id, _raw(positions="0"), FIXED_NOW)
    assert below.value.errors[0].field == "positions"
    postings.update_posting(
        engine, d.clerk, pid, d.employer_id, _raw(positions="3", job_type="搬运"), FIXED_NOW
    )
    row = postings.get_posting(engine, "HS01", pid, TODAY)
    assert (row.positions, row.placed, row.status, row.job_type) == (3, 1, "open", "搬运")
    assert [p.id for p in postings.list_postings(engine, "HS01", TODAY, job_type="搬运")] == [pid]
    with reading(engine) as s:
        posting = s.get(JobPosting, pid)
        assert posting is not None and posting.row_version == 3  # filled, then edited


# --- referrals -----------------------------------------------------------------------------


def test_a_referrals_whole_life_is_timed_and_signed(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    pid, seeker = _posting(d, positions="1"), person(d, "王芳", ("包装",))
    ref = referrals.refer(engine, d.clerk, pid, seeker, FIXED_NOW)
    assert ref.follow_up_on == TODAY + timedelta(days=7)
    for step in ("interviewed", "intention", "placed"):
        referrals.record_outcome(engine, d.manager, ref.id, step, FIXED_NOW, note=step)
    steps = referrals.history(engine, "HS01", ref.id)
    assert [s.outcome for s in steps] == ["referred", "interviewed", "intention", "placed"]
    assert [s.staff for s in steps] == ["李文员", "陈主任", "陈主任", "陈主任"]
    row = postings.get_posting(engine, "HS01", pid, TODAY)
    assert (row.placed, row.status) == (1, "filled")
    with reading(engine) as s:
        seeker_row = s.get(Person, seeker)
        assert seeker_row is not None
        assert (seeker_row.status, seeker_row.status_reason) == (
            "employed",
            "恒达五金制品厂 2026-11-26",
        )
    placed = referrals.of_person(engine, "HS01", seeker)[0]
    assert (placed.outcome, placed.placed_on, placed.follow_up_on) == ("placed", TODAY, None)
    with pytest.raises(UserError) as back:
        referrals.record_outcome(engine, d.clerk, ref.id, "interviewed", FIXED_NOW)
    assert back.value.code == "job.outcome_move"


def test_one_open_referral_per_seeker_per_posting(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    pid, seeker = _posting(d), person(d)
    first = referrals.refer(engine, d.clerk, pid, seeker, FIXED_NOW)
    before = counts(engine)
    with pytest.raises(UserError) as twice:
        referrals.refer(engine, d.clerk, pid, seeker, FIXED_NOW)
    assert (twice.value.code, twice.value.field) == ("job.already_referred", "person")
    assert counts(engine) == before
    referrals.record_outcome(engine, d.clerk, first.id, "withdrew", FIXED_NOW)
    again = referrals.refer(engine, d.clerk, pid, seeker, FIXED_NOW)  # closed: allowed again
    assert again.id != first.id


def test_closed_postings_take_no_referrals(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    expired = _posting(d, valid_from="2026-11-01", valid_until="2026-11-25")
    withdrawn = _posting(d)
    postings.withdraw_posting(engine, d.clerk, withdrawn, FIXED_NOW)
    seeker = person(d)
    before = counts(engine)
    for pid, shown in ((expired, "expired"), (withdrawn, "withdrawn")):
        with pytest.raises(UserError) as closed:
            referrals.refer(engine, d.clerk, pid, seeker, FIXED_NOW)
        assert (closed.value.code, closed.value.field) == (f"job.posting_closed.{shown}", "posting")
    assert counts(engine) == before


def test_follow_ups_come_due(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    pid, seeker = _posting(d), person(d)
    ref = referrals.refer(engine, d.clerk, pid, seeker, FIXED_NOW, follow_up_on="2026-11-28")
    assert referrals.due(engine, "HS01", TODAY) == []
    assert [r.id for r in referrals.due(engine, "HS01", date(2026, 11, 28))] == [ref.id]
    referrals.record_outcome(engine, d.clerk, ref.id, "not_hired", FIXED_NOW)
    assert referrals.due(engine, "HS01", date(2026, 11, 28)) == []


# --- matching ------------------------------------------------------------------------------


def test_matching_both_ways(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    pid = _posting(d)  # 4000-5000 a month, weekdays
    wants = person(d, "甲", ("包装",), availability="工作日")
    skilled = person(d, "乙", ("保洁",), skills="包装")
    person(d, "丙", ("保洁",))  # neither: not a candidate
    ranked = matching.candidates_for_posting(engine, "HS01", pid, TODAY)
    assert [c.person_id for c in ranked] == [wants, skilled]
    assert ranked[0].fit == "full" and ranked[0].pay == "unknown"
    other = _posting(d, title="包装组长", pay_min="6000", pay_max="7000")
    found = matching.postings_for_seeker(engine, "HS01", wants, TODAY)
    assert [m.posting.id for m in found] == [other, pid]  # same score: the newest first
    referrals.refer(engine, d.clerk, pid, wants, FIXED_NOW)
    assert [c.person_id for c in matching.candidates_for_posting(engine, "HS01", pid, TODAY)] == [
        skilled
    ]
    assert [m.posting.id for m in matching.postings_for_seeker(engine, "HS01", wants, TODAY)] == [
        other
    ]


def test_pay_wished_for_orders_the_candidates(desk) -> None:
    from frontdesk.domain.registration import SeekerInput
    from frontdesk.services.seekers import register

    engine, _ = desk
    d = gig_desk(engine)
    pid = _posting(d)  # up to 5000 a month

    def seeker(n: int, pay: str) -> uuid.UUID:
        raw = SeekerInput(
            name="测试",
            id_number=make_id("440703", date(1990, 1, n), n),
            phone=f"1370000000{n}",
            desired_jobs=[("包装", pay, "")],
            consent=True,
        )
        return register(engine, d.clerk, raw, FIXED_NOW).id

    far, met, near = seeker(1, "9000"), seeker(2, "4500"), seeker(3, "6000")
    ranked = matching.candidates_for_posting(engine, "HS01", pid, TODAY)
    assert [(c.person_id, c.pay) for c in ranked] == [(met, "met"), (near, "near"), (far, "far")]


# --- constraints on both stores ------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        target: str | Path = tmp_path / "desk.sqlite3"
    else:
        target = request.getfixturevalue("pg_head_url")
    engine, _ = open_store(target)
    yield engine
    engine.dispose()


def test_the_database_holds_the_constraints(store: Engine) -> None:
    staff = Staff(site_code="HS01", name="陈主任", role="manager")
    employer = Employer(site_code="HS01", name="甲厂", credit_code=GOOD_CODE)
    posting = JobPosting(
        site_code="HS01",
        employer_id=employer.id,
        title="包装工",
        job_type="包装",
        job_key="包装",
        positions=1,
        pay_min_fen=100,
        pay_max_fen=200,
        pay_unit="day",
        valid_from=TODAY,
        valid_until=TODAY,
        staff_id=staff.id,
    )
    seeker = Person(
        site_code="HS01",
        name="张三",
        id_number=make_id("440703", date(1985, 1, 1), 1),
        id_hash="h",
        id_tail="0011",
        gender="M",
        birth_date=date(1985, 1, 1),
        phone="13900000001",
        phone_tail="0001",
        registered_on=TODAY,
    )
    with writing(store) as s:
        s.add_all([staff, employer, seeker])
        s.flush()  # no ORM relationships: the rows pointed at go first
        s.add(posting)

    def referral(outcome: str) -> Referral:
        return Referral(
            site_code="HS01",
            posting_id=posting.id,
            person_id=seeker.id,
            staff_id=staff.id,
            referred_on=TODAY,
            outcome=outcome,
            outcome_at=FIXED_NOW,
        )

    with writing(store) as s:
        s.add_all([referral("not_hired"), referral("withdrew"), referral("referred")])
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(referral("interviewed"))  # a second open one
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(Employer(site_code="HS01", name="乙厂", credit_code=GOOD_CODE))
    with writing(store) as s:  # another site, and no code at all, are fine
        s.add(Employer(site_code="HS02", name="乙厂", credit_code=GOOD_CODE))
        s.add_all([Employer(site_code="HS01", name=n) for n in ("王师傅", "陈阿姨")])
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(JobPosting(**{**posting.model_dump(), "id": uuid.uuid4(), "pay_max_fen": 50}))


def test_the_seekers_postings_are_scored_in_sql_as_the_rules_score_them(desk) -> None:
    from frontdesk.domain.registration import SeekerInput
    from frontdesk.services.seekers import register

    engine, _ = desk
    d = gig_desk(engine)
    raw = SeekerInput(
        name="测试",
        id_number=make_id("440703", date(1990, 1, 9), 9),
        phone="13700000009",
        desired_jobs=[("包装", "4500", ""), ("保洁", "", "")],
        skills="电工",
        availability="工作日 上午",
        consent=True,
    )
    seeker = register(engine, d.clerk, raw, FIXED_NOW).id
    made = []
    for job, low, unit, hours in [
        ("包装", "4500", "月", "工作日 9:00-12:00"),  # met, full
        ("包装", "180", "日", "周末 全天"),  # 3915 a month: near; none
        ("包装", "20", "时", ""),  # 3480: far
        ("保洁", "3", "件", "工作日 下午"),  # unknown pay; partial? no: none
        ("电工", "6000", "月", "工作日 上午"),  # skill only
        ("保洁", "100", "日", "每天 上午"),  # no wish: unknown
    ]:
        made.append(_posting(d, job_type=job, pay_min=low, pay_max="", pay_unit=unit, hours=hours))
    found = matching.postings_for_seeker(engine, "HS01", seeker, TODAY)
    assert sorted(m.posting.id for m in found) == sorted(made)
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)  # SQL's order is the rules' order
    first = found[0]
    assert (first.posting.id, first.fit, first.pay) == (made[0], "full", "met")
    pays = {m.posting.id: m.pay for m in found}
    assert [pays[p] for p in made] == ["met", "near", "far", "unknown", "unknown", "unknown"]
