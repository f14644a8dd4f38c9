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
from frontdesk.services.walkins import WalkInInput
from tests.conftest import FIXED_NOW, MANAGER_PIN

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


def test_event_with_registered_attendees(ctx, desk_with_people) -> None:
    engine, actor, _, svc = ctx
    from db.models import Person

    with reading(engine) as s:
        people = s.exec(select(Person.id)).all()[:3]
    raw = WalkInInput(svc["GY01"], headcount="25", attendees=list(people))
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    assert logged.walkin.headcount == 25 and count(engine, WalkInAttendee) == 3
    too_many = WalkInInput(svc["GY01"], headcount="2", attendees=list(people))
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
        ("GY01", "", ""),
    ]:
        raw = WalkInInput(
            svc[code], amount=amount, method=method, headcount="12" if code == "GY01" else 1
        )
        walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
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


def test_follow_ups_due_and_done(ctx) -> None:
    engine, actor, _, svc = ctx
    raw = WalkInInput(svc["LG05"], follow_up_on=TODAY + timedelta(days=3), outcome="欠薪咨询")
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


def test_nothing_is_logged_once_today_is_closed(ctx, desk_with_people) -> None:
    from frontdesk.i18n import set_language

    engine, actor, _, svc = ctx
    walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    close(engine, actor, TODAY)
    with reading(engine) as s:
        person = s.exec(select(Person.id)).first()
    before = (count(engine, WalkIn), count(engine, Payment), count(engine, WalkInAttendee))
    for raw in (
        WalkInInput(svc["LG04"]),
        WalkInInput(svc["JZ01"], amount="45", method="cash"),
        WalkInInput(svc["GY01"], headcount="5", attendees=[person]),
    ):
        with pytest.raises(FormErrors) as err:  # refused in words, not by the trigger
            walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
        (refusal,) = err.value.errors
        assert (refusal.code, refusal.field) == ("walkin.today_closed", "date")
        assert "今天（2026-11-26）已日结" in refusal.message()
        set_language("en")
        assert "Today (2026-11-26) is already closed" in refusal.message()
        assert "next business day" in refusal.message()
        set_language("zh")
    assert (count(engine, WalkIn), count(engine, Payment), count(engine, WalkInAttendee)) == before


def test_an_entry_dated_on_an_earlier_closed_day_is_refused(ctx) -> None:
    engine, actor, _, svc = ctx
    yesterday = TODAY - timedelta(days=1)
    close(engine, actor, yesterday)
    late = WalkInInput(svc["LG04"], started_at=FIXED_NOW - timedelta(days=1))
    with pytest.raises(FormErrors) as err:
        walkins.log_walkin(engine, actor, late, FIXED_NOW, CEILING)
    (refusal,) = err.value.errors
    assert (refusal.code, refusal.field) == ("walkin.day_closed", "date")
    assert "2026-11-25 已日结" in refusal.message() and "调整" in refusal.message()
    # Today is open: the same visit logged today goes in.
    walkins.log_walkin(engine, actor, WalkInInput(svc["LG04"]), FIXED_NOW, CEILING)
    assert count(engine, WalkIn) == 1


def test_a_void_when_today_is_closed_is_refused_in_words(ctx) -> None:
    engine, actor, manager, svc = ctx
    raw = WalkInInput(svc["KY01"], amount="68", method="alipay")
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    close(engine, actor, TODAY)
    for manager_id, pin in ((None, ""), (manager, MANAGER_PIN)):
        with pytest.raises(UserError) as err:
            walkins.void_walkin(engine, actor, logged.walkin.id, "收错", FIXED_NOW, manager_id, pin)
        assert err.value.code == "walkin.void_today_closed"  # before the PIN is even asked
        assert "今天（2026-11-26）已日结" in err.value.message()
    assert (count(engine, WalkIn), count(engine, Payment)) == (1, 1)


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


def test_a_follow_up_of_a_closed_day_can_still_be_marked_done(ctx) -> None:
    engine, actor, _, svc = ctx
    raw = WalkInInput(svc["LG05"], follow_up_on=TODAY, outcome="欠薪咨询")
    logged = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    close(engine, actor, TODAY)
    walkins.mark_followed_up(engine, actor, logged.walkin.id, FIXED_NOW)
    assert walkins.follow_ups_due(engine, "HS01", TODAY) == []
    with reading(engine) as s:
        walkin = s.get(WalkIn, logged.walkin.id)
        versions = s.exec(select(Outbox.row_version).where(Outbox.row_id == walkin.id)).all()
    assert walkin.followed_up_at is not None and walkin.row_version == 2
    assert sorted(versions) == [1, 2]  # the mark travels to the central store like any change
