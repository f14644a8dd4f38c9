"""Walk-in logging and income entries: one transaction, voids by reversal, totals, bad input."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import AuditLog, Outbox, Payment, Person, Service, Staff, WalkIn, WalkInAttendee
from db.session import reading
from frontdesk.domain.forms import FormErrors
from frontdesk.errors import UserError
from frontdesk.services import walkins
from frontdesk.services.acting import Actor
from frontdesk.services.day_report import receipt_text
from frontdesk.services.walkins import WalkInInput
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.old_schema import group_walkin

TODAY = date(2026, 11, 26)
CEILING = 2_000_000  # 20,000 yuan


@pytest.fixture
def ctx(desk):
    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
    return engine, Actor("HS01", clerk), manager, services


def count(engine, model) -> int:
    with reading(engine) as s:
        return len(s.exec(select(model)).all())


def test_free_anonymous_visit(ctx) -> None:
    engine, actor, _, svc = ctx
    logged = walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    assert logged.payment is None and logged.walkin.business_date == TODAY
    assert logged.walkin.person_id is None and logged.walkin.headcount == 1
    assert count(engine, Payment) == 0


def test_paid_service_writes_its_income_entry_in_the_same_commit(ctx) -> None:
    engine, actor, _, svc = ctx
    raw = WalkInInput(svc["JZ01"], amount="135.00", method="微信")
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    pay = logged.payment
    assert (pay.amount_fen, pay.method, pay.walkin_id) == (13500, "wechat", logged.walkin.id)
    assert pay.partner_id is not None  # the housekeeping partner operates it
    with reading(engine) as s:
        ops = {
            (o.table_name, o.op)
            for o in s.exec(select(Outbox).where(Outbox.row_id.in_([logged.walkin.id, pay.id])))
        }
    assert ops == {("walkins", "I"), ("payments", "I")}


@pytest.mark.parametrize(
    ("amount", "method", "code"),
    [
        ("12.345", "cash", "money.format"),
        ("-5", "cash", "money.negative"),
        ("20000.01", "cash", "money.too_large"),
        ("", "cash", "walkin.amount_required"),
        ("0", "cash", "walkin.amount_required"),
        ("45", "", "walkin.method_required"),
        ("45", "paypal", "walkin.unknown_method"),
    ],
)
def test_bad_payment_input_is_named_and_nothing_is_written(ctx, amount, method, code) -> None:
    engine, actor, _, svc = ctx
    before = count(engine, Outbox)
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(
            engine,
            actor,
            WalkInInput(svc["JZ01"], amount=amount, method=method),
            FIXED_NOW,
            CEILING,
        )
    assert code in [e.code for e in err.value.errors]
    assert {e.field for e in err.value.errors} <= {"amount", "method"}
    assert count(engine, WalkIn) == 0 and count(engine, Outbox) == before


def test_unknown_service_and_free_service_with_an_amount(ctx) -> None:
    engine, actor, _, svc = ctx
    with pytest.raises(UserError) as err:
        walkins.log_walkin(engine, actor, WalkInInput(uuid.uuid4()), FIXED_NOW, CEILING)
    assert err.value.code == "walkin.unknown_service" and err.value.field == "service"
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(
            engine, actor, WalkInInput(svc["LG04"], amount="10", method="cash"), FIXED_NOW, CEILING
        )
    assert err.value.errors[0].code == "walkin.free_no_amount"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("headcount", "0", "walkin.headcount"),
        ("headcount", "abc", "walkin.headcount"),
        ("duration_min", "-3", "walkin.duration"),
        ("follow_up_on", "2026-11-25", "walkin.follow_up_past"),
        ("follow_up_on", "11/30", "walkin.follow_up_format"),
        ("channel", "email", "walkin.channel"),
    ],
)
def test_bad_fields(ctx, field, value, code) -> None:
    engine, actor, _, svc = ctx
    raw = WalkInInput(svc["LG04"], **{field: value})
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    assert [e.code for e in err.value.errors] == [code]


@pytest.mark.parametrize("code", ["GY01", "GY02", "GY03", "GY04", "LG06"])
def test_a_group_activity_is_refused_at_the_service_with_the_way_to_it(ctx, code: str) -> None:
    """Group attendance has one place, the sessions: the walk-in log points there."""
    engine, actor, _, svc = ctx
    before = count(engine, WalkIn)
    with pytest.raises(FormErrors) as caught:
        walkins.log_walkin(
            engine, actor, WalkInInput(svc[code], headcount="20"), FIXED_NOW, CEILING
        )
    (error,) = caught.value.errors
    assert (error.field, error.code) == ("service", "walkin.group_service")
    assert "F12" in error.message()
    assert count(engine, WalkIn) == before


def test_event_with_registered_attendees(ctx, desk_with_people) -> None:
    engine, actor, _, svc = ctx
    from db.models import Person

    with reading(engine) as s:
        people = s.exec(select(Person.id)).all()[:3]
    raw = WalkInInput(svc["LG04"], headcount="5", attendees=list(people))  # a family asks
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    assert logged.walkin.headcount == 5 and count(engine, WalkInAttendee) == 3
    too_many = WalkInInput(svc["LG04"], headcount="2", attendees=list(people))
    with pytest.raises(FormErrors):
        walkins.log_walkin(engine, actor, too_many, FIXED_NOW, CEILING)


def test_void_free_entry_is_a_reversal_never_a_delete(ctx) -> None:
    engine, actor, _, svc = ctx
    logged = walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    with pytest.raises(UserError) as err:
        walkins.void_walkin(engine, actor, logged.walkin.id, "  ", FIXED_NOW)
    assert err.value.field == "reason"
    rev = walkins.void_walkin(engine, actor, logged.walkin.id, "登记错了", FIXED_NOW)
    assert rev.walkin.reverses_id == logged.walkin.id and rev.payment is None
    assert count(engine, WalkIn) == 2
    with pytest.raises(UserError) as err:
        walkins.void_walkin(engine, actor, logged.walkin.id, "again", FIXED_NOW)
    assert err.value.code == "walkin.already_voided"
    with pytest.raises(UserError) as err:
        walkins.void_walkin(engine, actor, rev.walkin.id, "undo", FIXED_NOW)
    assert err.value.code == "walkin.is_reversal"
    log = walkins.day_log(engine, "HS01", TODAY)
    assert log.by_line["gig_market"] == (0, 0, 0)


def test_void_paid_entry_needs_a_managers_pin_and_books_a_negative_entry(ctx) -> None:
    engine, actor, manager, svc = ctx
    raw = WalkInInput(svc["KY01"], amount="68", method="alipay")
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    with pytest.raises(UserError) as err:
        walkins.void_walkin(engine, actor, logged.walkin.id, "收错", FIXED_NOW)
    assert err.value.code == "walkin.void_needs_manager"
    with pytest.raises(UserError) as err:
        walkins.void_walkin(engine, actor, logged.walkin.id, "收错", FIXED_NOW, manager, "0000")
    assert err.value.code == "signin.wrong_pin"
    assert count(engine, Payment) == 1
    rev = walkins.void_walkin(
        engine, actor, logged.walkin.id, "收错", FIXED_NOW, manager, MANAGER_PIN
    )
    assert rev.payment.amount_fen == -6800 and rev.payment.reverses_id == logged.payment.id
    log = walkins.day_log(engine, "HS01", TODAY)
    assert log.income_fen == 0 and log.by_method["alipay"] == 0
    assert [line.voided for line in log.lines if not line.reversal] == [True]
    with reading(engine) as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "walkin_void")).one()
    assert str(manager) in audit.detail


def test_day_log_totals_by_line_and_method(ctx) -> None:
    engine, actor, _, svc = ctx
    for code, amount, method in [
        ("JZ01", "45", "cash"),
        ("JZ01", "90", "wechat"),
        ("KY02", "48", "cash"),
        ("LG04", "", ""),
    ]:
        raw = WalkInInput(svc[code], amount=amount, method=method)
        walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    group_walkin(engine, actor, svc["GY01"], FIXED_NOW, headcount=12)  # logged before sessions
    yesterday = FIXED_NOW - timedelta(days=1)
    walkins.log_walkin(
        engine,
        actor,
        WalkInInput(svc["JZ01"], amount="45", method="cash", started_at=yesterday),
        FIXED_NOW,
        CEILING,
    )
    log = walkins.day_log(engine, "HS01", TODAY)
    assert log.income_fen == 18300 and log.by_method["cash"] == 9300
    assert log.by_line["housekeeping"] == (2, 2, 13500)
    assert log.by_line["classes"] == (1, 12, 0)
    assert len(log.lines) == 5


def first_person(engine) -> uuid.UUID:
    with reading(engine) as s:
        return s.exec(select(Person.id)).first()


def test_follow_ups_due_and_done(ctx, desk_with_people) -> None:
    engine, actor, _, svc = ctx
    later = TODAY + timedelta(days=3)
    raw = WalkInInput(svc["LG05"], person_id=first_person(engine), follow_up_on=later)
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    assert walkins.follow_ups_due(engine, "HS01", TODAY) == []
    due = walkins.follow_ups_due(engine, "HS01", TODAY + timedelta(days=3))
    assert [f.walkin_id for f in due] == [logged.walkin.id]
    walkins.mark_followed_up(engine, actor, logged.walkin.id, FIXED_NOW)
    assert walkins.follow_ups_due(engine, "HS01", TODAY + timedelta(days=3)) == []


# --- closed days ------------------------------------------------------------------------------


def close(engine, actor: Actor, day: date) -> None:
    """Close `day` out with every method counted exactly as expected."""
    from frontdesk.services.closeout import CloseInput, close_day, day_report

    expected = day_report(engine, "HS01", day).expected_fen
    close_day(engine, actor, CloseInput(day=day, counted_fen=dict(expected)), FIXED_NOW)


def test_the_desk_goes_on_after_todays_close(ctx, desk_with_people) -> None:
    """Free visits, events and paid entries are all logged after the close: the visits on
    their day (outside the close-out), the money in the next open day; the close-out's own
    figures never change."""
    from frontdesk.services import closeout

    engine, actor, _, svc = ctx
    walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    close(engine, actor, TODAY)
    with reading(engine) as s:
        person = s.exec(select(Person.id)).first()
    free = walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    event = WalkInInput(svc["LG05"], headcount="5", attendees=[person], referral="转介街道")
    walkins.log_walkin(engine, actor, event, FIXED_NOW, CEILING)
    paid = WalkInInput(svc["JZ01"], amount="45", method="cash")
    late = walkins.log_walkin(engine, actor, paid, FIXED_NOW, CEILING)
    assert free.walkin.business_date == TODAY and free.walkin.after_close
    assert free.payment is None and not free.booked_later
    assert late.walkin.business_date == TODAY and late.walkin.after_close
    assert late.payment.business_date == TODAY + timedelta(days=1) and late.booked_later
    assert count(engine, WalkInAttendee) == 1
    z = closeout.day_report(engine, "HS01", TODAY)
    assert (z.walkins, z.walkins_after_close, z.income_fen) == (1, 3, 0)  # as of the close
    with reading(engine) as s:
        assert all(c.sound for c in closeout.check_closed_days(s, "HS01"))
    tomorrow = closeout.x_report(engine, "HS01", TODAY + timedelta(days=1))
    assert tomorrow.income_by_method["cash"] == 4500 and not tomorrow.closed
    assert tomorrow.after_close == [closeout.AfterCloseLine(TODAY, 4500, 1)]
    receipt = receipt_text(tomorrow)
    assert "其中 2026-11-26 日结后收款 1" in receipt and "¥45.00" in receipt
    assert "来访（截至日结）" in receipt_text(z) and "日结后来访增减" in receipt_text(z)
    # The day's log counts every visit; its money only where it is booked.
    log = walkins.day_log(engine, "HS01", TODAY)
    assert log.by_line["housekeeping"] == (1, 1, 0) and log.income_fen == 0
    (paid_line,) = [x for x in log.lines if x.amount_fen]
    assert paid_line.booked_on == TODAY + timedelta(days=1) and paid_line.after_close
    next_log = walkins.day_log(engine, "HS01", TODAY + timedelta(days=1))
    (carried,) = next_log.lines
    assert (carried.kind, carried.for_day, carried.amount_fen) == ("carried", TODAY, 4500)
    assert next_log.by_line["housekeeping"] == (0, 0, 4500) and next_log.income_fen == 4500


def test_an_entry_dated_on_an_earlier_closed_day(ctx) -> None:
    """A free visit is logged on its closed day; money for it is an adjustment."""
    engine, actor, _, svc = ctx
    yesterday = TODAY - timedelta(days=1)
    close(engine, actor, yesterday)
    then = FIXED_NOW - timedelta(days=1)
    paid = WalkInInput(svc["JZ01"], amount="45", method="cash", started_at=then)
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(engine, actor, paid, FIXED_NOW, CEILING)
    (refusal,) = err.value.errors
    assert (refusal.code, refusal.field) == ("walkin.day_closed", "date")
    assert "2026-11-25 已日结" in refusal.message() and "调整" in refusal.message()
    assert count(engine, Payment) == 0
    free = walkins.log_walkin(
        engine, actor, WalkInInput(svc["LG04"], started_at=then), FIXED_NOW, CEILING
    )
    assert free.walkin.business_date == yesterday and free.walkin.after_close


def test_a_void_after_todays_close_books_its_refund_in_the_next_day(ctx) -> None:
    from db.models import Adjustment
    from frontdesk.services import closeout

    engine, actor, manager, svc = ctx
    raw = WalkInInput(svc["KY01"], amount="68", method="alipay")
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    free = walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    close(engine, actor, TODAY)
    with pytest.raises(UserError) as err:  # a paid entry still needs the manager
        walkins.void_walkin(engine, actor, logged.walkin.id, "收错", FIXED_NOW)
    assert err.value.code == "walkin.void_needs_manager"
    rev = walkins.void_walkin(
        engine, actor, logged.walkin.id, "收错", FIXED_NOW, manager, MANAGER_PIN
    )
    tomorrow = TODAY + timedelta(days=1)
    assert rev.walkin.business_date == TODAY and rev.walkin.after_close
    assert rev.payment.business_date == tomorrow and rev.payment.amount_fen == -6800
    with reading(engine) as s:
        adjustment = s.exec(select(Adjustment)).one()
    assert (adjustment.closed_date, adjustment.booked_date) == (TODAY, tomorrow)
    walkins.void_walkin(engine, actor, free.walkin.id, "登记重复", FIXED_NOW)  # free: no PIN
    z = closeout.day_report(engine, "HS01", TODAY)
    assert (z.walkins, z.walkins_after_close, z.income_fen) == (2, -2, 6800)
    with reading(engine) as s:
        assert all(c.sound for c in closeout.check_closed_days(s, "HS01"))


def test_a_void_of_an_earlier_closed_day_books_a_linked_adjustment_today(ctx) -> None:
    from db.models import Adjustment

    engine, actor, manager, svc = ctx
    yesterday = TODAY - timedelta(days=1)
    raw = WalkInInput(
        svc["KY01"], amount="68", method="alipay", started_at=FIXED_NOW - timedelta(days=1)
    )
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    close(engine, actor, yesterday)
    rev = walkins.void_walkin(
        engine, actor, logged.walkin.id, "收错", FIXED_NOW, manager, MANAGER_PIN
    )
    assert rev.walkin.business_date == TODAY and rev.payment.business_date == TODAY
    with reading(engine) as s:
        adjustment = s.exec(select(Adjustment)).one()
    assert (adjustment.closed_date, adjustment.booked_date) == (yesterday, TODAY)
    assert (adjustment.payment_id, adjustment.amount_fen) == (rev.payment.id, -6800)


def test_a_follow_up_of_a_closed_day_can_still_be_marked_done(ctx, desk_with_people) -> None:
    engine, actor, _, svc = ctx
    raw = WalkInInput(svc["LG05"], person_id=first_person(engine), follow_up_on=TODAY)
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    close(engine, actor, TODAY)
    walkins.mark_followed_up(engine, actor, logged.walkin.id, FIXED_NOW)
    assert walkins.follow_ups_due(engine, "HS01", TODAY) == []
    with reading(engine) as s:
        walkin = s.get(WalkIn, logged.walkin.id)
        versions = s.exec(select(Outbox.row_version).where(Outbox.row_id == walkin.id)).all()
    assert walkin.followed_up_at is not None and walkin.row_version == 2
    assert sorted(versions) == [1, 2]  # the mark travels to the central store like any change


def test_a_follow_up_needs_a_person_and_a_date_that_exists(ctx, desk_with_people) -> None:
    from frontdesk.i18n import set_language

    engine, actor, _, svc = ctx
    anonymous = WalkInInput(svc["LG05"], follow_up_on=TODAY + timedelta(days=1))
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(engine, actor, anonymous, FIXED_NOW, CEILING)
    assert [(e.code, e.field) for e in err.value.errors] == [
        ("walkin.follow_up_needs_person", "follow_up")
    ]
    no_such = WalkInInput(svc["LG05"], person_id=first_person(engine), follow_up_on="2026-02-30")
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(engine, actor, no_such, FIXED_NOW, CEILING)
    (refusal,) = err.value.errors
    assert (refusal.code, refusal.field) == ("walkin.follow_up_no_such_date", "follow_up")
    assert refusal.message() == "没有 2026-02-30 这一天，请核对日期"
    set_language("en")
    try:
        assert refusal.message() == "2026-02-30 is a date that does not exist: check it"
    finally:
        set_language("zh")
    bad = WalkInInput(svc["LG05"], person_id=first_person(engine), follow_up_on="下周")
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(engine, actor, bad, FIXED_NOW, CEILING)
    assert err.value.errors[0].code == "walkin.follow_up_format"
    assert count(engine, WalkIn) == 0
