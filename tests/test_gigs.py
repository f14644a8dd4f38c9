"""Gig rules (fields, wages, labour checks) and employers and orders on a real desk."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from db.job_keys import (
    WEEKDAY_AM,
    WEEKDAY_PM,
    WEEKEND_AM,
    WEEKEND_PM,
    availability_mask,
    shift_mask,
)
from db.models import AuditLog, GigAssignment, GigOrder, Payment, Service
from db.models.gigs import PAY_MODES
from db.session import reading
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.forms import FormErrors
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.services import closeout, dispatch, employers, gigs
from frontdesk.services.employers import EmployerInput
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.gig_support import CEILING_FEN, TODAY, gig_desk, order, person, row_counts

# --- order fields --------------------------------------------------------------------------


def _raw(**fields: object) -> rules.OrderInput:
    raw = rules.OrderInput(
        job_type="零部件装配",
        place="小社微工厂",
        work_date="2026-11-27",
        shift_start="09:00",
        shift_end="12:00",
        headcount="5",
        pay_mode="piece",
        rate="0.0355",
        unit="件",
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


def test_a_valid_order_is_cleaned() -> None:
    clean = rules.validate_order(_raw(service_fee="25", fee_method="微信"), TODAY, CEILING_FEN)
    assert clean.rate_fen == Decimal("3.55") and clean.headcount == 5
    assert (clean.shift_start, clean.shift_end) == (time(9), time(12))
    assert (clean.service_fee_fen, clean.fee_method) == (2500, "wechat")


def test_every_bad_field_is_reported_at_once() -> None:
    raw = _raw(
        job_type=" ",
        place="",
        work_date="2026-11-25",
        shift_start="12:00",
        shift_end="09:00",
        headcount="0",
        rate="0.00001",
        unit="",
        service_fee="5",
        fee_method="",
    )
    with pytest.raises(FormErrors) as caught:
        rules.validate_order(raw, TODAY, CEILING_FEN)
    fields = {e.field: e.code for e in caught.value.errors}
    assert fields == {
        "shift_end": "gig.shift_order",
        "job_type": "gig.required",
        "place": "gig.required",
        "work_date": "gig.date_past",
        "headcount": "gig.headcount",
        "rate": "gig.rate_format",
        "unit": "gig.required",
        "fee_method": "walkin.method_required",
    }


@pytest.mark.parametrize(
    ("mode", "typed", "fen"),
    [
        ("piece", "0.0355", Decimal("3.55")),
        ("piece", "1.2", Decimal("120")),
        ("piece", "¥0.0001", Decimal("0.01")),
        ("hour", "19", Decimal("1900")),
        ("hour", "19.5", Decimal("1950")),
        ("day", "150.00", Decimal("15000")),
    ],
)
def test_rates_are_exact_fen(mode: str, typed: str, fen: Decimal) -> None:
    got = rules.clean_rate(typed, mode, CEILING_FEN)
    assert got == fen and got.as_tuple().exponent <= 0


@pytest.mark.parametrize(
    ("mode", "typed", "code"),
    [
        ("piece", "0.00001", "gig.rate_format"),
        ("hour", "19.005", "gig.rate_format"),
        ("piece", "1e3", "gig.rate_format"),
        ("piece", "abc", "gig.rate_format"),
        ("piece", "-1", "gig.rate_format"),
        ("hour", "0", "gig.rate_positive"),
        ("day", "30000", "money.too_large"),
    ],
)
def test_bad_rates_are_refused(mode: str, typed: str, code: str) -> None:
    with pytest.raises(UserError) as caught:
        rules.clean_rate(typed, mode, CEILING_FEN)
    assert caught.value.code == code and caught.value.field == "rate"


def test_pay_modes_by_code_or_name() -> None:
    assert [rules.clean_pay_mode(m) for m in ("piece", "计时", "按天")] == ["piece", "hour", "day"]
    with pytest.raises(UserError) as caught:
        rules.clean_pay_mode("月薪")
    assert caught.value.field == "pay_mode"


def test_times_and_hours_as_typed() -> None:
    assert rules.clean_time("9:05", "shift_start") == time(9, 5)
    assert rules.clean_time("１３：３０", "shift_start") == time(13, 30)  # full-width IME input
    with pytest.raises(UserError):
        rules.clean_time("25:00", "shift_start")
    assert rules.clean_hours("3.5") == 210
    assert rules.clean_hours("3:20") == 200
    assert rules.clean_hours("0.01") == 1  # kept in whole minutes, half up
    for bad in ("0", "-2", "25", "abc", ""):
        with pytest.raises(UserError):
            rules.clean_hours(bad)


def test_pieces_are_never_negative_and_add_up() -> None:
    assert rules.clean_pieces("100", "95", "5") == (100, 95, 5)
    assert rules.clean_pieces("", "", "") == (0, 0, 0)
    with pytest.raises(UserError) as caught:
        rules.clean_pieces("10", "-1", "0")
    assert caught.value.code == "gig.pieces_negative" and caught.value.field == "accepted"
    with pytest.raises(UserError) as caught:
        rules.clean_pieces("10", "8", "3")
    assert caught.value.code == "gig.pieces_sum"
    with pytest.raises(UserError) as caught:
        rules.clean_pieces("1.5", "0", "0")
    assert caught.value.code == "gig.pieces_format"


def test_order_status_transitions() -> None:
    rules.check_transition("open", "filled")
    rules.check_transition("filled", "in_progress")
    rules.check_transition("in_progress", "done")
    rules.check_transition("open", "cancelled")
    set_language("en")
    with pytest.raises(UserError) as caught:
        rules.check_transition("done", "open")
    assert caught.value.message() == "An order that is Done cannot become Open"


# --- wages ---------------------------------------------------------------------------------

rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


def _half_up(exact: Fraction) -> int:
    whole = exact.numerator // exact.denominator
    return whole + (1 if exact - whole >= Fraction(1, 2) else 0)


@given(
    mode=st.sampled_from(PAY_MODES),
    rate=rates,
    minutes=st.integers(0, 24 * 60),
    pieces=st.integers(0, 1_000_000),
)
def test_wage_is_the_exact_product_rounded_once(
    mode: str, rate: Decimal, minutes: int, pieces: int
) -> None:
    exact = {
        "piece": Fraction(rate) * pieces,
        "hour": Fraction(rate) * minutes / 60,
        "day": Fraction(rate),
    }[mode]
    wage = rules.wage_fen(mode, rate, minutes, pieces)
    assert type(wage) is int and wage >= 0
    assert wage == _half_up(exact)
    assert abs(Fraction(wage) - exact) <= Fraction(1, 2)


def test_wage_examples_and_half_up() -> None:
    assert rules.wage_fen("piece", Decimal("3.55"), 0, 1234) == 4381  # 4380.7 fen
    assert rules.wage_fen("piece", Decimal("0.5"), 0, 1) == 1  # half a fen rounds up
    assert rules.wage_fen("hour", Decimal("1900"), 210, 0) == 6650
    assert rules.wage_fen("hour", Decimal("1900"), 7, 0) == 222  # 221.67 fen
    assert rules.wage_fen("day", Decimal("15000"), 480, 0) == 15000
    with pytest.raises(ValueError):
        rules.wage_fen("piece", Decimal("1"), 0, -1)


def test_rates_print_exactly() -> None:
    assert rules.fmt_rate(Decimal("3.55")) == "0.0355"
    assert rules.fmt_rate(Decimal("35.5")) == "0.355"
    assert rules.fmt_rate(Decimal("1900")) == "19.00"
    assert rules.fmt_rate(Decimal("15000")) == "150.00"


# --- availability and ranking points -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("", 0),
        ("工作日全天", WEEKDAY_AM | WEEKDAY_PM),
        ("工作日 9:00–16:00（接送孩子）", WEEKDAY_AM | WEEKDAY_PM),
        ("周末", WEEKEND_AM | WEEKEND_PM),
        ("上午", WEEKDAY_AM | WEEKEND_AM),
        ("下午", WEEKDAY_PM | WEEKEND_PM),
        ("全天，可加班", 15),
        ("每周三天", 15),
        ("weekday mornings", WEEKDAY_AM),
    ],
)
def test_availability_bits(text: str, mask: int) -> None:
    assert availability_mask(text) == mask


def test_shift_needs_and_fit() -> None:
    thursday, saturday = TODAY, TODAY + timedelta(days=2)
    assert shift_mask(thursday, time(9), time(12)) == WEEKDAY_AM
    assert shift_mask(thursday, time(13, 30), time(17, 30)) == WEEKDAY_PM
    assert shift_mask(saturday, time(8, 30), time(17, 30)) == WEEKEND_AM | WEEKEND_PM
    need = WEEKDAY_AM | WEEKDAY_PM
    assert rules.fit_class(0, need) == "unknown"
    assert rules.fit_class(15, need) == "full"
    assert rules.fit_class(WEEKDAY_AM, need) == "partial"
    assert rules.fit_class(WEEKEND_AM, need) == "none"
    assert rules.match_score(True, True, "full") == 7
    assert rules.match_score(False, False, "none") == 0


# --- labour-law warnings ----------------------------------------------------------------


def _codes(notices: list[rules.Notice]) -> list[str]:
    return [n.code for n in notices]


def test_no_warning_for_fair_part_time_work() -> None:
    week = [(TODAY, 180)]
    assert rules.labour_notices(6000, 180, 1700, week, TODAY, TODAY) == []


def test_pay_below_the_minimum_wage_warns() -> None:
    notices = rules.labour_notices(5000, 180, 1700, [(TODAY, 180)], TODAY, TODAY)
    assert _codes(notices) == ["gig.warn_min_wage"]
    set_language("en")
    assert notices[0].message() == (
        "Effective pay ¥16.67 an hour is below the minimum wage of ¥17.00"
    )
    exactly = rules.labour_notices(5100, 180, 1700, [(TODAY, 180)], TODAY, TODAY)
    assert exactly == []  # 17.00 an hour is not below 17.00


def test_part_time_hour_limits_warn() -> None:
    long_day = [(TODAY, 8 * 60)]
    assert _codes(rules.labour_notices(20000, 480, 1700, long_day, TODAY, TODAY)) == [
        "gig.warn_day_average"
    ]
    days = [(TODAY - timedelta(days=i), 4 * 60) for i in range(4)]
    days.append((TODAY + timedelta(days=1), 4 * 60 + 30))  # 16 h + 4.5 h + more below
    days.append((TODAY + timedelta(days=2), 4 * 60))
    notices = rules.labour_notices(8000, 240, 1700, days, TODAY, TODAY)
    assert _codes(notices) == ["gig.warn_day_average", "gig.warn_week_hours"]
    assert notices[1].params == {"hours": "24.5"}


def test_late_pay_warns() -> None:
    late = TODAY + timedelta(days=16)
    notices = rules.labour_notices(6000, 180, 1700, [(TODAY, 180)], TODAY, late)
    assert _codes(notices) == ["gig.warn_pay_cycle"]


# --- employers and orders on a desk --------------------------------------------------------


def test_employers_are_validated_and_listed(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    with pytest.raises(FormErrors) as caught:
        employers.add_employer(engine, d.clerk, EmployerInput(name="", phone="12"), FIXED_NOW)
    assert {e.field for e in caught.value.errors} == {"name", "phone"}
    employers.add_employer(engine, d.clerk, EmployerInput(name="利华包装材料厂"), FIXED_NOW)
    names = [e.name for e in employers.list_employers(engine, "HS01")]
    assert names == sorted(names) and len(names) == 2


def test_an_order_with_a_fee_is_one_commit_with_its_income(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    order_id = order(d, service_fee="30", fee_method="支付宝")
    with reading(engine) as s:
        saved = s.get(GigOrder, order_id)
        fee = s.exec(select(Payment).where(Payment.gig_order_id == order_id)).one()
        service = s.get(Service, fee.service_id)
        audit = s.exec(select(AuditLog.action).where(AuditLog.entity_id == order_id)).all()
    assert saved.status == "open" and saved.rate_fen == Decimal("35.5")
    assert saved.service_fee_fen == 3000 and fee.amount_fen == 3000
    assert (fee.method, fee.business_date, service.code) == ("alipay", TODAY, "WG03")
    assert audit == ["gig_order_create"]


def test_a_refused_order_writes_nothing(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    before = row_counts(engine)
    with pytest.raises(FormErrors) as caught:
        order(d, employer_id=None, headcount="-3")
    assert [e.field for e in caught.value.errors] == ["employer", "headcount"]
    assert row_counts(engine) == before


def test_a_fee_after_the_close_is_booked_into_the_next_open_day(desk) -> None:
    """Closing the money never stops the desk: the closed day keeps its figures."""
    engine, _ = desk
    d = gig_desk(engine)
    closeout.open_day(engine, d.manager, TODAY, 0, FIXED_NOW)
    expected = closeout.x_report(engine, "HS01", TODAY).expected_fen
    closeout.close_day(engine, d.manager, closeout.CloseInput(TODAY, dict(expected)), FIXED_NOW)
    closed = closeout.day_report(engine, "HS01", TODAY)
    order_id = order(d, work_date=TODAY + timedelta(days=1))
    fee = gigs.charge_fee(engine, d.clerk, order_id, "30", "cash", FIXED_NOW, CEILING_FEN)
    tomorrow = TODAY + timedelta(days=1)
    assert (fee.business_date, fee.amount_fen) == (tomorrow, 3000)
    assert closeout.x_report(engine, "HS01", tomorrow).income_by_method["cash"] == 3000
    after = closeout.day_report(engine, "HS01", TODAY)
    assert (after.income_fen, after.hash) == (closed.income_fen, closed.hash)


def test_a_fee_taken_later_only_once(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    order_id = order(d)
    paid = gigs.charge_fee(engine, d.clerk, order_id, "15", "wechat", FIXED_NOW, CEILING_FEN)
    assert paid.gig_order_id == order_id and paid.amount_fen == 1500
    with pytest.raises(UserError) as caught:
        gigs.charge_fee(engine, d.clerk, order_id, "15", "wechat", FIXED_NOW, CEILING_FEN)
    assert caught.value.code == "gig.fee_exists"


def test_orders_are_listed_by_day_and_shift_with_filters(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    later = order(d, shift_start="14:00", shift_end="17:00")
    first = order(d)
    tomorrow = order(d, work_date=TODAY + timedelta(days=1), pay_mode="hour", rate="19")
    worker = person(d)
    dispatch.assign(engine, d.clerk, first, worker, FIXED_NOW)
    rows = gigs.list_orders(engine, "HS01")
    assert [r.id for r in rows] == [first, later, tomorrow]
    assert rows[0].holding == 1 and rows[0].employer == "恒达五金制品厂"
    only_today = gigs.list_orders(engine, "HS01", date_from=TODAY, date_to=TODAY)
    assert {r.id for r in only_today} == {first, later}
    gigs.cancel_order(engine, d.clerk, later, "企业取消", FIXED_NOW)
    open_ones = gigs.list_orders(engine, "HS01", statuses=("open", "filled"))
    assert [r.id for r in open_ones] == [first, tomorrow]
    assert gigs.list_orders(engine, "HS01", offset=1, limit=1)[0].id == later
    assert gigs.get_order(engine, "HS01", first).holding == 1


def test_status_moves_and_what_blocks_them(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    order_id = order(d, headcount="1")
    worker = person(d)
    dispatch.assign(engine, d.clerk, order_id, worker, FIXED_NOW)
    assert gigs.get_order(engine, "HS01", order_id).status == "filled"
    with pytest.raises(UserError) as caught:
        gigs.set_order_status(engine, d.clerk, order_id, "done", FIXED_NOW)
    assert caught.value.code == "gig.order_transition"
    gigs.set_order_status(engine, d.clerk, order_id, "in_progress", FIXED_NOW)
    with pytest.raises(UserError) as caught:
        gigs.set_order_status(engine, d.clerk, order_id, "done", FIXED_NOW)
    assert caught.value.code == "gig.order_not_finished"
    with pytest.raises(UserError) as caught:
        gigs.set_order_status(engine, d.clerk, order_id, "cancelled", FIXED_NOW)
    assert caught.value.code == "gig.cancel_with_reason"


def test_cancelling_an_order_cancels_its_dispatches(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    order_id = order(d)
    a = dispatch.assign(engine, d.clerk, order_id, person(d), FIXED_NOW)
    with pytest.raises(UserError):
        gigs.cancel_order(engine, d.clerk, order_id, " ", FIXED_NOW)
    gigs.cancel_order(engine, d.clerk, order_id, "企业停工", FIXED_NOW)
    with reading(engine) as s:
        assert s.get(GigAssignment, a.id).status == "cancelled"
        assert s.get(GigOrder, order_id).status == "cancelled"
    with pytest.raises(UserError) as caught:
        gigs.cancel_order(engine, d.clerk, order_id, "again", FIXED_NOW)
    assert caught.value.code == "gig.order_transition"


def test_refunding_the_fee_needs_a_manager_and_books_a_reversal(desk) -> None:
    engine, _ = desk
    d = gig_desk(engine)
    order_id = order(d, service_fee="30", fee_method="wechat")
    with pytest.raises(UserError) as caught:
        gigs.cancel_order(engine, d.clerk, order_id, "企业取消", FIXED_NOW, refund_fee=True)
    assert caught.value.code == "walkin.void_needs_manager"
    gigs.cancel_order(
        engine,
        d.clerk,
        order_id,
        "企业取消",
        FIXED_NOW,
        refund_fee=True,
        manager_id=d.manager.staff_id,
        pin=MANAGER_PIN,
    )
    with reading(engine) as s:
        paid = s.exec(select(Payment).where(Payment.gig_order_id == order_id)).all()
    assert sorted(p.amount_fen for p in paid) == [-3000, 3000]
    refund = next(p for p in paid if p.amount_fen < 0)
    assert refund.reverses_id is not None and refund.reason == "企业取消"
