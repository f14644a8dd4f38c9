"""Pilot tests of the group-activity screens at 80x24, pressing the real keys: the list, a
whole class's attendance from it in two keys, a session's record, enrolment, the form."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from db.models import ActivitySession, Attendance, Enrolment, Payment
from db.session import reading
from frontdesk.services import session_attendance, sessions
from screens.desk.session_form import SessionFormScreen
from screens.desk.session_record import SessionScreen
from screens.desk.session_register import RegisterScreen
from screens.desk.sessions import SessionListScreen
from tests.activity_support import service_id
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.session_screen_data import activity_day
from tests.tui_support import make_app, settle, sign_in, text_of

SIZE = (80, 24)


def table_text(app, selector: str) -> str:
    table = app.screen.query_one(selector)
    return " ".join(str(c) for n in range(table.row_count) for c in table.get_row_at(n))


def present(engine, meeting_id) -> int:
    return sum(r.present for r in session_attendance.roster(engine, "HS01", meeting_id))


async def test_a_whole_class_is_marked_present_from_the_list_in_two_keys(
    desk_with_people, desk
) -> None:
    engine, path = desk
    day = activity_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, SessionListScreen)
        assert "插花公益课堂" in table_text(app, "#sessions")  # today's class, highlighted first
        keys = ["a", "a"]  # the register of today's meeting, then everyone present
        assert len(keys) <= 4
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "签到 4 人" in text_of(app, "#register-counts")
    assert present(engine, day.lesson_meeting) == 4


async def test_ticking_one_by_one_and_a_head_count(desk_with_people, desk) -> None:
    engine, path = desk
    day = activity_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(RegisterScreen(day.lesson_meeting))
        await settle(pilot)
        await pilot.press("space", "down", "space", "down", "space", "space")
        await settle(pilot)
        await pilot.press("h", "ctrl+a", "backspace", "-", "3", "enter")
        await settle(pilot)
        assert "0 或正整数" in text_of(app, "#headcount-error")  # refused at its field
        app.screen.query_one("#headcount").value = "12"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "签到 2 人，另计 12 人，共 14 人次" in text_of(app, "#register-counts")
    assert present(engine, day.lesson_meeting) == 2


async def test_enrolment_from_the_record_goes_on_the_waiting_list_when_full(
    desk_with_people, desk
) -> None:
    engine, path = desk
    day = activity_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionScreen(day.course))
        await settle(pilot)
        await pilot.press("e", "tab", *"陈大文", "tab", *"13500001111", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "候补 2" in table_text(app, "#people")
        await pilot.press("e", "tab", *"陈大文", "tab", *"13500001111", "enter")
        await settle(pilot)
        assert "已报名本活动" in text_of(app, "#person-search-error")  # never twice
        await pilot.press("escape")
        await settle(pilot)
    with reading(engine) as s:
        waiting = s.exec(select(func.count()).where(Enrolment.status == "waiting")).one()
    assert waiting == 2


async def test_the_form_plans_a_course_and_refuses_bad_dates_at_their_field(
    desk_with_people, desk
) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionFormScreen())
        await settle(pilot)
        form = app.screen
        form.query_one("#category").value = str(service_id(engine, "JN05"))
        fields = {
            "title": "电商培训",
            "starts_on": "2026-12-03",
            "ends_on": "2026-12-01",
            "hours": "14:00",
            "hours_end": "16:00",
            "capacity": "0",
        }
        for name, value in fields.items():
            form.query_one(f"#{name}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "结束日期不能早于开始日期" in text_of(app, "#ends_on-error")
        assert "名额须为" in text_of(app, "#capacity-error")
        with reading(engine) as s:
            assert s.exec(select(func.count()).select_from(ActivitySession)).one() == 0
        form.query_one("#ends_on").value = "2026-12-05"
        form.query_one("#capacity").value = "30"
        form.query_one("#completion_hours").value = "8"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SessionFormScreen)  # saved and closed
    rows = sessions.list_sessions(engine, "HS01")
    assert [(r.title, r.capacity, r.completion_min) for r in rows] == [("电商培训", 30, 480)]
    assert len(sessions.list_meetings(engine, "HS01", rows[0].id)) == 3
    with reading(engine) as s:
        assert s.exec(select(func.count()).select_from(Attendance)).one() == 0


async def test_a_withdrawal_with_refund_needs_the_managers_pin(desk_with_people, desk) -> None:
    from db.models import Payment

    engine, path = desk
    day = activity_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionScreen(day.course))
        await settle(pilot)
        app.screen.query_one("#people").focus()
        await pilot.press("w", *"搬家")
        await settle(pilot)
        app.screen.query_one("#refund").value = True
        app.screen.query_one("#pin").value = "9999"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#pin-error")  # a wrong PIN: refused at its field
        app.screen.query_one("#pin").value = MANAGER_PIN
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "候补" not in table_text(app, "#people")  # the waiting one moved up
    with reading(engine) as s:
        refunds = s.exec(select(Payment).where(Payment.amount_fen < 0)).all()
    assert [p.amount_fen for p in refunds] == [-30000]


async def test_the_fee_of_a_place_from_the_waiting_list_is_taken_on_the_record(
    desk_with_people, desk
) -> None:
    """Someone withdraws from the full course: the first waiting moves up owing the fee,
    marked on the record; P on them, the method's number, Enter: an income entry."""
    from frontdesk.services import enrolment

    engine, path = desk
    day = activity_day(engine)
    first = enrolment.list_enrolments(engine, "HS01", day.course)[0]
    enrolment.withdraw(engine, day.clerk, first.id, "搬家", FIXED_NOW)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionScreen(day.course))
        await settle(pilot)
        assert "待缴费" in table_text(app, "#people")
        await pilot.press("tab", "p")  # the first line has paid: said so, nothing opens
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("down", "p", "2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "待缴费" not in table_text(app, "#people")
    rows = enrolment.list_enrolments(engine, "HS01", day.course)
    moved = next(r for r in rows if r.status == "enrolled" and r.registered)
    assert moved.fee_fen == 30000 and not moved.fee_due
    with reading(engine) as s:
        paid = s.exec(select(Payment).where(Payment.amount_fen == 30000)).all()
    assert sorted(p.method for p in paid) == ["cash", "wechat", "wechat"]


async def test_the_form_plans_weekly_meetings_for_a_number_of_them(desk_with_people, desk) -> None:
    """Mondays, Wednesdays and Fridays from a Monday, six meetings: the last day follows;
    a weekday that is not one is refused at its box, nothing written."""
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionFormScreen())
        await settle(pilot)
        form = app.screen
        form.query_one("#category").value = str(service_id(engine, "JN05"))
        fields = {
            "title": "电商培训（周一三五）",
            "starts_on": "2026-11-30",
            "ends_on": "",
            "hours": "19:00",
            "hours_end": "21:00",
            "weekdays": "一三八",
            "meeting_count": "6",
        }
        for name, value in fields.items():
            form.query_one(f"#{name}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1-7" in text_of(app, "#weekdays-error")
        with reading(engine) as s:
            assert s.exec(select(func.count()).select_from(ActivitySession)).one() == 0
        form.query_one("#weekdays").value = "一三五"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SessionFormScreen)
    (row,) = sessions.list_sessions(engine, "HS01")
    assert (row.starts_on.isoformat(), row.ends_on.isoformat()) == ("2026-11-30", "2026-12-11")
    meetings = sessions.list_meetings(engine, "HS01", row.id)
    assert [m.meeting_date.day for m in meetings] == [30, 2, 4, 7, 9, 11]
