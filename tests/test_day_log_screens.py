"""Pilot tests of today's log, the void dialog and the follow-ups, at 80x24."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import select
from textual.widgets import Select

from db.models import Payment, Person, Staff, WalkIn
from db.session import reading
from frontdesk.i18n.strings import CATALOGUE
from frontdesk.services import walkins
from frontdesk.services.acting import Actor
from frontdesk.services.walkins import WalkInInput
from screens.common.tables import fit_columns
from screens.desk.day_log import DayLogScreen
from screens.desk.follow_ups import FollowUpsScreen
from screens.desk.home import HomeScreen
from screens.desk.void_dialog import VoidDialog
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.old_schema import group_walkin
from tests.tui_support import make_app, settle, sign_in, text_of

TODAY = date(2026, 11, 26)
CEILING = 2_000_000  # 20,000 yuan
SIZE = (80, 24)

# name -> (service code, visitor, minutes before FIXED_NOW, other fields)
SAMPLE = {
    "policy": ("LG04", None, 85, {}),
    "cleaning": ("JZ01", "曾小明", 70, {"amount": "45", "method": "现金"}),
    "class": ("GY01", None, 50, {}),  # twelve people, an old group walk-in
    "tcm": ("KY01", "欧阳娜娜", 30, {"amount": "68", "method": "wechat"}),
    "rights": ("LG05", "李四", 15, {"follow_up_on": TODAY, "outcome": "欠薪咨询，约好当天回访"}),
}


def log_sample(engine) -> dict[str, uuid.UUID]:
    """Five entries today (free and paid, anonymous and known, one follow-up due today) and
    one from three days ago whose follow-up is overdue. Returns walk-in ids by name."""
    from db.models import Service

    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
        people = {p.name: p.id for p in s.exec(select(Person))}
    actor = Actor("HS01", clerk)
    ids = {}
    for name, (code, visitor, minutes, extra) in SAMPLE.items():
        if name == "class":  # logged before classes became sessions: old data still shows
            at = FIXED_NOW - timedelta(minutes=minutes)
            ids[name] = group_walkin(engine, actor, services[code], at, headcount=12).id
            continue
        raw = WalkInInput(
            services[code],
            person_id=people.get(visitor),
            started_at=FIXED_NOW - timedelta(minutes=minutes),
            **extra,
        )
        ids[name] = walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING).walkin.id
    earlier = FIXED_NOW - timedelta(days=3)
    raw = WalkInInput(
        services["LG01"],
        person_id=people["单长乐"],
        follow_up_on=TODAY - timedelta(days=2),
        outcome="推荐到微工厂装配岗位面试",
    )
    ids["earlier"] = walkins.log_walkin(engine, actor, raw, earlier, CEILING).walkin.id
    return ids


@pytest.fixture
def sample(desk, desk_with_people):
    engine, path = desk
    return engine, path, log_sample(engine)


async def open_day_log(pilot, pin: str = MANAGER_PIN, staff_index: int = 0) -> DayLogScreen:
    await sign_in(pilot, pin, staff_index=staff_index)
    await pilot.app.push_screen(DayLogScreen())
    await settle(pilot)
    assert isinstance(pilot.app.screen, DayLogScreen)
    return pilot.app.screen


async def highlight(pilot, walkin_id: uuid.UUID) -> None:
    table = pilot.app.screen.query_one("#entries")
    table.move_cursor(row=table.get_row_index(str(walkin_id)))
    await settle(pilot)


def row_of(screen, walkin_id: uuid.UUID) -> list[str]:
    return [str(c) for c in screen.query_one("#entries").get_row(str(walkin_id))]


def count(engine, model) -> int:
    with reading(engine) as s:
        return len(s.exec(select(model)).all())


async def test_entries_newest_first_with_totals(sample) -> None:
    _, path, ids = sample
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot)
        table = screen.query_one("#entries")
        keys = [row.key.value for row in table.ordered_rows]
        assert keys == [str(ids[n]) for n in ("rights", "tcm", "class", "cleaning", "policy")]
        assert row_of(screen, ids["tcm"]) == [
            "10:00",
            "中医理疗",
            "欧阳**",
            "1",
            "¥68.00",
            "微信支付",
            "",
        ]
        assert row_of(screen, ids["class"])[1:5] == ["公益课堂", "匿名", "12", ""]
        by_line = text_of(app, "#totals-line")
        assert "零工市场" in by_line and "2 次 / 2 人" in by_line
        assert "5 次 / 16 人" in by_line  # the day's sum
        by_method = text_of(app, "#totals-method")
        assert "¥45.00" in by_method and "¥68.00" in by_method and "¥113.00" in by_method
        assert "10:15 权益保障" in text_of(app, "#daylog-note")  # the highlighted entry in full
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_void_free_entry_needs_a_reason(sample) -> None:
    engine, path, ids = sample
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot, CLERK_PIN, staff_index=1)
        await highlight(pilot, ids["policy"])
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VoidDialog)
        assert not app.screen.query("#pin")  # free: no manager needed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "冲销须填写原因" in text_of(app, "#reason-error")
        assert isinstance(app.screen, VoidDialog) and count(engine, WalkIn) == 6
        await pilot.press(*"重复登记", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert row_of(screen, ids["policy"])[6] == "已冲销"
        reversal = screen.query_one("#entries").ordered_rows[0].key.value
        assert row_of(screen, uuid.UUID(reversal))[6] == "冲销：重复登记"
        assert screen.daylog.by_line["gig_market"] == (1, 1, 0)
        # Neither the voided entry nor its reversal can be voided (again).
        for walkin_id in (ids["policy"], uuid.UUID(reversal)):
            await highlight(pilot, walkin_id)
            await pilot.press("v")
            await settle(pilot)
            assert app.screen is screen
    with reading(engine) as s:
        rev = s.exec(select(WalkIn).where(WalkIn.reverses_id == ids["policy"])).one()
    assert rev.void_reason == "重复登记"


async def test_void_paid_entry_needs_the_managers_pin(sample) -> None:
    engine, path, ids = sample
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot, CLERK_PIN, staff_index=1)
        with reading(engine) as s:
            manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        await highlight(pilot, ids["tcm"])
        await pilot.press("v")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, VoidDialog)
        assert dialog.query_one("#manager").value == str(manager)  # the only manager
        await pilot.press(*"收错了", "enter")
        await settle(pilot)
        assert app.focused is dialog.query_one("#pin")  # the manager is chosen: on to the PIN
        dialog.query_one("#manager").clear()
        await pilot.press(*"2468", "enter")
        await settle(pilot)
        assert "店长输入 PIN" in text_of(app, "#manager-error")
        dialog.query_one("#manager").value = str(manager)
        dialog.query_one("#pin").focus()
        await pilot.press(*"0000", "enter")
        await settle(pilot)
        assert "PIN 码错误" in text_of(app, "#pin-error")
        assert dialog.query_one("#pin").value == ""
        assert app.screen is dialog and count(engine, Payment) == 2
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.daylog.by_line["wellness"] == (0, 0, 0)
        assert screen.daylog.by_method["wechat"] == 0 and screen.daylog.income_fen == 4500
        assert row_of(screen, ids["tcm"])[6] == "已冲销"
        assert "¥45.00" in text_of(app, "#totals-method")
    with reading(engine) as s:
        original = s.exec(select(Payment).where(Payment.walkin_id == ids["tcm"])).one()
        refund = s.exec(select(Payment).where(Payment.reverses_id == original.id)).one()
    assert (refund.amount_fen, refund.method, refund.reason) == (-6800, "wechat", "收错了")


async def test_escape_cancels_a_void(sample) -> None:
    engine, path, ids = sample
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot)
        await highlight(pilot, ids["cleaning"])
        await pilot.press("v")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#manager").value is not Select.NULL  # the signed-in manager
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "needs a reason" in text_of(app, "#reason-error")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and count(engine, WalkIn) == 6
        assert row_of(screen, ids["cleaning"])[2] == "曾**"
        assert "Total" in text_of(app, "#totals-method")


async def test_follow_ups_mark_done(sample) -> None:
    engine, path, ids = sample
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_log(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        table = app.screen.query_one("#follow-ups")
        assert [row.key.value for row in table.ordered_rows] == [
            str(ids["earlier"]),
            str(ids["rights"]),
        ]
        assert [str(c) for c in table.get_row_at(0)][:3] == ["2026-11-24", "求职登记", "单**"]
        assert "推荐到微工厂装配岗位面试" in text_of(app, "#follow-note")
        await pilot.press("d")
        await settle(pilot)
        assert [row.key.value for row in table.ordered_rows] == [str(ids["rights"])]
        await pilot.press("d")
        await settle(pilot)
        assert table.row_count == 0 and "没有待回访" in text_of(app, "#follow-note")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DayLogScreen)
    with reading(engine) as s:
        done = s.exec(select(WalkIn).where(WalkIn.followed_up_at.is_not(None))).all()
    assert {w.id for w in done} == {ids["earlier"], ids["rights"]}


async def test_empty_day(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot)
        assert "今天还没有记录" in text_of(app, "#daylog-note")
        assert "¥0.00" in text_of(app, "#totals-method")
        await pilot.press("v")  # nothing to void: nothing happens
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("f")
        await settle(pilot)
        assert "没有待回访的记录" in text_of(app, "#follow-note")


# --- closed days ------------------------------------------------------------------------------


def close(engine, day: date) -> None:
    """Close `day` out (as the manager) with every method counted as expected."""
    from frontdesk.services.closeout import CloseInput, close_day, day_report

    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
    expected = day_report(engine, "HS01", day).expected_fen
    close_day(engine, Actor("HS01", manager), CloseInput(day, dict(expected)), FIXED_NOW)


async def test_follow_ups_of_closed_days_can_be_marked_done(sample) -> None:
    engine, path, ids = sample
    close(engine, TODAY - timedelta(days=3))  # the day of the overdue follow-up
    close(engine, TODAY)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_log(pilot)
        await pilot.press("f")
        await settle(pilot)
        table = app.screen.query_one("#follow-ups")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert table.row_count == 0 and "没有待回访" in text_of(app, "#follow-note")
    with reading(engine) as s:
        done = s.exec(select(WalkIn).where(WalkIn.followed_up_at.is_not(None))).all()
    assert {w.id for w in done} == {ids["earlier"], ids["rights"]}


async def test_a_store_refusal_of_a_follow_up_mark_is_said(sample, monkeypatch) -> None:
    from db.migrate import StoreError

    _, path, _ = sample

    def refused(*_args) -> None:
        raise StoreError("day_closed")

    monkeypatch.setattr(walkins, "mark_followed_up", refused)
    app = make_app(path, lang="en")
    said: list[tuple[str, str]] = []
    app.notify = lambda message, **kw: said.append((str(message), kw.get("severity", "")))
    async with app.run_test(size=SIZE) as pilot:
        await open_day_log(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)  # running, the entry still listed
        assert app.screen.query_one("#follow-ups").row_count == 2
    ((message, severity),) = said
    assert severity == "error" and "business day is closed" in message


async def test_a_void_after_todays_close_books_its_refund_in_the_next_day(sample) -> None:
    """The desk goes on after the close: the void goes through, the closed day's figures
    stay, and the log says where the refund went."""
    from frontdesk.services.closeout import day_report

    engine, path, ids = sample
    close(engine, TODAY)
    closed = day_report(engine, "HS01", TODAY)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot)
        await highlight(pilot, ids["cleaning"])
        await pilot.press("v")
        await settle(pilot)
        dialog = app.screen
        assert "after today's close, in the next business day" in text_of(app, ".note")
        await pilot.press(*"wrong", "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        assert app.screen is screen  # voided
        assert screen.daylog.income_fen == 4500 + 6800  # today's money stays as closed
        reversal = next(x for x in screen.daylog.lines if x.reversal)
        assert reversal.booked_on == TODAY + timedelta(days=1) and reversal.after_close
        assert "Money booked in 2026-11-27" in row_of(screen, reversal.id)[6]
        assert dialog is not app.screen
    after = day_report(engine, "HS01", TODAY)
    assert (after.income_fen, after.walkins, after.hash) == (
        closed.income_fen,
        closed.walkins,
        closed.hash,
    )
    assert after.walkins_after_close == -1
    tomorrow = walkins.day_log(engine, "HS01", TODAY + timedelta(days=1))
    (refund,) = tomorrow.lines
    assert (refund.kind, refund.amount_fen, refund.for_day) == ("adjustment", -4500, TODAY)
    assert tomorrow.adjustments_fen == -4500 and tomorrow.by_method["cash"] == -4500


async def test_a_store_refusal_of_a_void_is_said(sample, monkeypatch) -> None:
    """Should a closed day get past the service's check, the trigger's refusal is shown."""
    engine, path, ids = sample
    close(engine, TODAY)
    monkeypatch.setattr(walkins, "is_closed", lambda *_: False)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_log(pilot)
        await highlight(pilot, ids["policy"])
        await pilot.press("v")
        await settle(pilot)
        dialog = app.screen
        await pilot.press(*"重复登记", "enter")
        await settle(pilot)
        assert app.screen is dialog and "该营业日已日结" in text_of(app, "#void-error")
        await pilot.press("escape", "y")  # not busy any more: it can be left (the reason
        await settle(pilot)  # typed is thrown away once Y says so)
        assert isinstance(app.screen, DayLogScreen)
    assert count(engine, WalkIn) == 6


async def test_a_paid_entry_of_an_earlier_closed_day_is_voided_with_an_adjustment(
    desk, desk_with_people
) -> None:
    from db.models import Adjustment, Service

    engine, path = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        service = s.exec(select(Service.id).where(Service.code == "KY01")).one()
    earlier = FIXED_NOW - timedelta(days=1)
    raw = WalkInInput(service, amount="68", method="wechat", started_at=earlier)
    walkins.log_walkin(engine, Actor("HS01", clerk), raw, FIXED_NOW, CEILING)
    yesterday = TODAY - timedelta(days=1)
    close(engine, yesterday)
    (line,) = walkins.day_log(engine, "HS01", yesterday).lines
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        app.push_screen(VoidDialog(line))
        await settle(pilot)
        await pilot.press(*"收错了", "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, VoidDialog)  # voided
    with reading(engine) as s:
        refund = s.exec(select(Payment).where(Payment.amount_fen < 0)).one()
        adjustment = s.exec(select(Adjustment)).one()
    assert (refund.business_date, refund.amount_fen) == (TODAY, -6800)
    assert (adjustment.closed_date, adjustment.booked_date) == (yesterday, TODAY)
    assert adjustment.payment_id == refund.id


def test_columns_fit_the_room() -> None:
    natural = {"time": 5, "service": 30, "visitor": 9, "state": 20}
    widths = fit_columns(natural, 70, ("service", "state"))
    assert widths["time"] == 5 and widths["visitor"] == 9
    assert sum(widths.values()) + 2 * len(widths) == 70
    assert widths["service"] == 30 and widths["state"] == 70 - 8 - 14 - 30
    narrow = fit_columns(natural, 40, ("service", "state"))
    assert narrow["service"] == 6 + (40 - 8 - 14 - 12) and narrow["state"] == 6
    assert fit_columns(natural, 200, ("service", "state")) == natural


def test_every_shown_binding_has_a_name() -> None:
    for cls in (DayLogScreen, VoidDialog, FollowUpsScreen):
        for binding in cls.BINDINGS:
            if binding.show:
                assert binding.id and f"key.{binding.id}" in CATALOGUE, (cls.__name__, binding)


async def test_an_adjustment_is_its_own_line_and_not_voided_here(sample) -> None:
    """Money booked today for a closed day shows on a line of its own, counts in the
    totals per method and on the adjustments line, and V says how to correct it."""
    from db.models import Service
    from frontdesk.services.closeout import AdjustmentInput, add_adjustment

    engine, path, _ = sample
    yesterday = TODAY - timedelta(days=1)
    close(engine, yesterday)
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        cleaning = s.exec(select(Service.id).where(Service.code == "JZ01")).one()
    late = AdjustmentInput(yesterday, cleaning, 4500, "cash", "漏登一笔保洁")
    payment = add_adjustment(engine, Actor("HS01", clerk), late, FIXED_NOW)
    app = make_app(path, lang="en")
    said: list[tuple[str, str]] = []
    app.notify = lambda message, **kw: said.append((str(message), kw.get("severity", "")))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_log(pilot)
        assert "Adjustment for 2026-11-25" in row_of(screen, payment.id)[6]
        log = screen.daylog
        assert log.adjustments_fen == 4500 and log.by_line["housekeeping"][2] == 4500
        assert sum(v[2] for v in log.by_line.values()) + log.adjustments_fen == log.income_fen
        assert "Adjustments for closed days" in text_of(app, "#totals-line")
        await highlight(pilot, payment.id)
        await pilot.press("v")
        await settle(pilot)
        assert app.screen is screen  # no void dialog for money that is not a visit
    assert said == [(CATALOGUE["daylog.not_a_visit"][1], "warning")]
