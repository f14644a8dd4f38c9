"""The quick log: keystroke budgets pressed key by key, bad input at its field, attendees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import Payment, Person, Service, Staff, WalkIn
from db.session import reading
from screens.desk.home import HomeScreen
from screens.desk.quick_log import QuickLogScreen
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.tui_support import make_app, settle, sign_in


def walkins_with_service(path_engine) -> list[tuple[WalkIn, Service]]:
    with reading(path_engine) as s:
        return s.exec(select(WalkIn, Service).join(Service, Service.id == WalkIn.service_id)).all()


async def home(pilot) -> None:
    await sign_in(pilot, MANAGER_PIN)
    assert isinstance(pilot.app.screen, HomeScreen)


async def press_counted(pilot, keys: list[str]) -> int:
    """Press keys one at a time, letting workers finish between them, and count them."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    return len(keys)


async def test_anonymous_free_policy_consultation_in_five_keys(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        keys = ["f3", "1", "enter"]  # quick log, quick key 1 (政策咨询), save
        assert await press_counted(pilot, keys) <= 5
        assert isinstance(app.screen, QuickLogScreen)  # ready for the next visitor
    ((walkin, service),) = walkins_with_service(engine)
    assert service.name_zh == "政策咨询" and walkin.person_id is None and walkin.headcount == 1


async def test_same_by_pinyin_initials_is_also_within_budget(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        assert await press_counted(pilot, ["f3", "z", "c", "z", "x", "enter"]) <= 6
    ((_walkin, service),) = walkins_with_service(engine)
    assert service.code == "LG04"


async def test_paid_housekeeping_for_a_registered_resident_in_twelve_keys(
    desk_with_people: Path, desk
) -> None:
    engine, _ = desk
    app = make_app(desk_with_people)
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot)
        counted = await press_counted(pilot, ["f3", *"rcbj", "tab"])
        for ch in "oyn":  # the search text, not counted
            await pilot.press(ch)
        await settle(pilot)
        counted += await press_counted(pilot, ["enter"])  # pick 欧阳娜娜 -> amount
        for ch in "135":  # the amount, not counted (typing replaces the price)
            await pilot.press(ch)
        counted += await press_counted(pilot, ["enter", "2", "enter"])  # -> method, WeChat, save
        assert counted <= 12, counted
    with reading(engine) as s:
        walkin, service, name = s.exec(
            select(WalkIn, Service, Person.name)
            .join(Service, Service.id == WalkIn.service_id)
            .join(Person, Person.id == WalkIn.person_id)
        ).one()
        pay = s.exec(select(Payment)).one()
    assert (service.code, name) == ("JZ01", "欧阳娜娜")
    assert (pay.amount_fen, pay.method, pay.walkin_id) == (13500, "wechat", walkin.id)


async def test_bad_amount_and_missing_method_show_at_their_fields(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 30)) as pilot:
        await home(pilot)
        await pilot.press("f3", "6")  # 日常保洁, paid
        await settle(pilot)
        screen = app.screen
        screen.query_one("#amount").value = "45.678"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "two decimals" in str(screen.query_one("#amount-error").render())
        assert "payment method" in str(screen.query_one("#method-error").render())
        screen.query_one("#amount").value = "99999"
        screen.query_one("#method").value = "1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "too large" in str(screen.query_one("#amount-error").render())
    with reading(engine) as s:
        assert s.exec(select(WalkIn)).all() == [] and s.exec(select(Payment)).all() == []


async def test_unknown_service_is_refused(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        await pilot.press("f3", *"qqq", "enter", "ctrl+s")
        await settle(pilot)
        assert "No service matches" in str(app.screen.query_one("#service-chosen").render())
        assert "No such service" in str(app.screen.query_one("#service-error").render())
    assert walkins_with_service(engine) == []


async def test_group_activities_are_not_offered(desk) -> None:
    """Classes, events and job fairs are sessions now (one place for group attendance)."""
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        await pilot.press("f3")
        await settle(pilot)
        legend = str(app.screen.query_one("#quick-keys").render())
        assert "公益课堂" not in legend and "惠民活动" not in legend
        for code in ("gy01", "lg06"):
            app.screen.query_one("#service").value = ""
            await pilot.press(*code)
            await settle(pilot)
            assert "没有匹配" in str(app.screen.query_one("#service-chosen").render())
    assert walkins_with_service(engine) == []


async def test_service_by_code_with_every_detail_of_the_visit(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 30)) as pilot:
        await home(pilot)
        await pilot.press("f3", *"lg07")  # 就业意向登记 by its catalogue code (no quick key)
        await settle(pilot)
        screen = app.screen
        assert "LG07" in str(screen.query_one("#service-chosen").render())
        await pilot.press("tab", "tab", "tab")  # past the visitor (anonymous) and head count
        assert app.focused is screen.query_one("#channel")
        await pilot.press("down")  # opens the list
        await settle(pilot)
        await pilot.press("down", "enter")  # 电话, chosen
        await settle(pilot)
        assert screen.query_one("#channel").value == "phone"
        await pilot.press("tab", *"25", "tab", *"想找包装工作", "tab", *"微工厂", "tab")
        await pilot.press("enter")  # no follow-up: an anonymous caller has nobody to call back
        await settle(pilot)
        assert isinstance(app.screen, QuickLogScreen)
        assert screen.query_one("#service").value == ""  # cleared for the next visitor
    ((walkin, service),) = walkins_with_service(engine)
    assert service.code == "LG07" and walkin.person_id is None and walkin.headcount == 1
    assert (walkin.channel, walkin.duration_min) == ("phone", 25)
    assert (walkin.outcome, walkin.referral) == ("想找包装工作", "微工厂")
    assert walkin.follow_up_on is None
    assert walkin.business_date == date(2026, 11, 26) and walkin.staff_id == app.staff.staff_id
    with reading(engine) as s:
        assert s.exec(select(Payment)).all() == []


async def test_a_negative_amount_is_refused_at_the_amount(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 30)) as pilot:
        await home(pilot)
        await pilot.press("f3", "6", "enter")  # 日常保洁, paid: Enter goes to the price
        await settle(pilot)
        screen = app.screen
        assert app.focused is screen.query_one("#amount")
        await pilot.press(*"-45", "enter", "1", "enter")  # typing replaces the price; cash
        await settle(pilot)
        assert "金额不能为负数" in str(screen.query_one("#amount-error").render())
        assert app.focused is screen.query_one("#amount")
        assert str(screen.query_one("#method-error").render()) == ""
    with reading(engine) as s:
        assert s.exec(select(WalkIn)).all() == [] and s.exec(select(Payment)).all() == []


def close_today(engine) -> None:
    from frontdesk.services.acting import Actor
    from frontdesk.services.closeout import CloseInput, close_day

    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
    today = date(2026, 11, 26)
    close_day(engine, Actor("HS01", manager), CloseInput(day=today, counted_fen={}), FIXED_NOW)


async def test_after_the_close_the_desk_goes_on_and_says_where_the_money_goes(
    desk_with_people: Path, desk
) -> None:
    engine, _ = desk
    close_today(engine)
    app = make_app(desk_with_people, lang="en")
    said: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot)
        closed = str(app.screen.query_one("#home-closed").render())
        assert "Today was closed at 10:30" in closed and "2026-11-27 Fri" in closed
        app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
        await pilot.press("f3", "1", "enter")  # 政策咨询, free: logged on the closed day
        await settle(pilot)
        assert isinstance(app.screen, QuickLogScreen)
        await pilot.press(*"rcbj", "tab", *"oyn")
        await settle(pilot)
        await pilot.press("enter", *"135", "enter", "2", "enter")  # paid, WeChat, save
        await settle(pilot)
    assert "2026-11-26 is closed: the visit is logged and counts for the day" in said[0]
    assert "this money is booked in the next business day, 2026-11-27" in said[1]
    rows = walkins_with_service(engine)
    assert {w.business_date for w, _ in rows} == {date(2026, 11, 26)}
    assert all(w.after_close for w, _ in rows) and len(rows) == 2
    with reading(engine) as s:
        pay = s.exec(select(Payment)).one()
    assert (pay.business_date, pay.amount_fen) == (date(2026, 11, 27), 13500)


async def test_a_follow_up_needs_a_visitor_and_a_real_date(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 30)) as pilot:
        await home(pilot)
        await pilot.press("f3", *"lg07", "tab", "tab", "tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"2026-12-03", "enter")
        await settle(pilot)
        screen = app.screen
        error = str(screen.query_one("#follow_up-error").render())
        assert "A follow-up needs a person to follow up with" in error
        assert app.focused is screen.query_one("#follow_up")
        screen.query_one("#follow_up").value = "2026-02-30"
        await pilot.press("enter")
        await settle(pilot)
        error = str(screen.query_one("#follow_up-error").render())
        assert "2026-02-30 is a date that does not exist" in error
    assert walkins_with_service(engine) == []


async def test_a_refusal_by_the_store_itself_is_shown_too(desk, monkeypatch) -> None:
    """Should a closed day get past the service's check, the trigger's refusal is shown."""
    from frontdesk.services import walkins

    engine, path = desk
    close_today(engine)
    monkeypatch.setattr(walkins, "is_closed", lambda *_: False)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        await pilot.press("f3", "1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickLogScreen)
        assert "该营业日已日结" in str(app.screen.query_one("#service-error").render())
    assert walkins_with_service(engine) == []
