"""Keys typed in one burst, as an old PC's keyboard buffer sends them, land where they belong.

Each test hands a form's whole key sequence to the app at once (tests/tui_support.burst) and
checks every field or the row it saved.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from db.models import Payment, Person, Service, Staff, WalkIn
from db.session import reading
from frontdesk.services import personal_keys
from frontdesk.services.sealed_contacts import open_address
from screens.desk.quick_log import QuickLogScreen
from tests.conftest import CLERK_PIN, MANAGER_PIN
from tests.sealed_support import full_numbers
from tests.test_closeout_screens import ctx, log_day, open_closeout  # noqa: F401 - fixture
from tests.tui_support import burst, key_event, make_app, settle, sign_in

SIZE = (80, 24)


def logged(engine) -> list[tuple[str, str | None, str]]:
    """(service code, visitor's name, who logged it) of every walk-in, oldest first."""
    with reading(engine) as s:
        rows = s.exec(
            select(Service.code, Person.name, Staff.name)
            .select_from(WalkIn)
            .join(Service, Service.id == WalkIn.service_id)
            .join(Staff, Staff.id == WalkIn.staff_id)
            .outerjoin(Person, Person.id == WalkIn.person_id)
            .order_by(WalkIn.started_at, WalkIn.created_at)
        ).all()
    return [tuple(row) for row in rows]


async def test_closeout_counts_typed_at_once(ctx) -> None:  # noqa: F811
    _, path, _, _, _ = ctx
    log_day(ctx)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        screen.query_one("#float").focus()
        await settle(pilot)
        await burst(pilot, *"500", "enter", *"630", "enter", *"68", "enter")
        fields = ("float", "count-cash", "count-wechat", "count-alipay")
        values = {name: screen.query_one(f"#{name}").value for name in fields}
        assert values == {"float": "500", "count-cash": "630", "count-wechat": "68"} | {
            "count-alipay": ""
        }
        assert app.focused is screen.query_one("#count-alipay")


async def test_sign_in_and_a_visit_typed_before_the_staff_list_is_shown(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        # No pause at all: the staff list is still loading when the keys arrive. The clerk
        # goes back to the list, picks the second name, then types the PIN after Enter.
        keys = ["shift+tab", "down", "enter", *CLERK_PIN, "enter", "f3", *"zczx", "enter"]
        await burst(pilot, *keys)
        assert isinstance(app.screen, QuickLogScreen)
        assert app.screen.query_one("#service").value == ""  # saved: ready for the next
    assert logged(engine) == [("LG04", None, "李文员")]


async def test_a_paid_visit_then_a_free_one_in_one_burst(desk_with_people: Path, desk) -> None:
    engine, _ = desk
    app = make_app(desk_with_people)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        paid = ["f3", *"rcbj", "tab", *"oyn", "enter", *"135", "enter", "2", "enter"]
        await burst(pilot, *paid, "1", "enter")
        assert isinstance(app.screen, QuickLogScreen)
    assert [row[:2] for row in logged(engine)] == [("JZ01", "欧阳娜娜"), ("LG04", None)]
    with reading(engine) as s:
        pay = s.exec(select(Payment)).one()
    assert (pay.amount_fen, pay.method) == (13500, "wechat")


async def test_the_name_is_chosen_with_arrows_from_the_pin_box(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "down", *CLERK_PIN, "enter", "f3", "1", "enter")
    assert logged(engine) == [("LG04", None, "李文员")]


async def test_letters_typed_with_the_key_that_opens_the_quick_log_search_there(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await burst(pilot, "f3", "z", "y")
        assert isinstance(app.screen, QuickLogScreen)
        assert app.screen.query_one("#service").value == "zy"


async def test_a_whole_registration_typed_at_once(desk) -> None:
    from screens.desk.seeker_record import SeekerRecordScreen
    from tests.test_seeker_screens import ID, PHONE

    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        keys = ["f2", "ctrl+n", *"曾小明", "tab", *ID, "tab", *PHONE, "tab", "tab", "tab"]
        keys += [*"汉族", "tab", *"保洁、做饭", "tab", *"保洁员", "tab", *"150", "tab", *"白沙"]
        keys += ["tab"] * 7 + [*"周末", "tab", "tab", *"白沙路1号", "tab", *"会开车", "tab"]
        await burst(pilot, *keys, "space", "ctrl+s")
        assert isinstance(app.screen, SeekerRecordScreen)
    with reading(engine) as s:
        p = s.exec(select(Person)).one()
    assert (p.name, p.ethnicity) == ("曾小明", "汉族")
    assert full_numbers(engine, p) == (ID, PHONE)  # sealed on file: read with the key
    assert (p.skills, p.availability, p.address_masked, p.notes) == (
        ["保洁", "做饭"],
        "周末",
        "白沙路****",
        "会开车",
    )
    opener = personal_keys.held(engine)  # held since full_numbers signed a manager in
    assert opener is not None and open_address(opener, p.id, p.address) == "白沙路1号"
    assert [(j["job"], j.get("pay_fen"), j.get("area")) for j in p.desired_jobs] == [
        ("保洁员", 15000, "白沙")
    ]
    assert p.consent_at is not None


async def test_a_gig_order_with_its_new_employer_typed_at_once(desk) -> None:
    from db.models import Employer, GigOrder
    from screens.desk.gig_order import GigOrderScreen

    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        keys = ["f6", "ctrl+n", "f2", *"恒达五金制品厂", "enter", "tab", *"包装", "tab"]
        keys += [*"白沙社区小社微工厂", "tab", "tab", *"09:00", "tab", *"12:00", "tab", "3"]
        keys += ["tab", "tab", *"0.355", "tab", "件", "tab", *"10", "tab", "2", "tab", "enter"]
        await burst(pilot, *keys)
        assert isinstance(app.screen, GigOrderScreen)
    with reading(engine) as s:
        order, employer = s.exec(select(GigOrder, Employer).join(Employer)).one()
        fee = s.exec(select(Payment)).one()
    assert (employer.name, order.job_type, order.place) == (
        "恒达五金制品厂",
        "包装",
        "白沙社区小社微工厂",
    )
    assert (str(order.shift_start)[:5], str(order.shift_end)[:5]) == ("09:00", "12:00")
    assert (order.headcount, order.pay_mode, order.unit) == (3, "piece", "件")
    assert (str(order.rate_fen), fee.amount_fen, fee.method) == ("35.5", 1000, "wechat")


async def test_check_out_and_settle_a_worker_typed_at_once(desk) -> None:
    from db.models import GigAssignment
    from screens.desk.gig_board import GigBoardScreen
    from tests.gig_screen_data import gig_day

    engine, path = desk
    day = gig_day(engine)
    worker = day.assignments["王小红"]  # on the live-stream shift since 09:05
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await burst(pilot, "f7")
        board = app.screen
        assert isinstance(board, GigBoardScreen)
        table = board.query_one("#board")
        table.move_cursor(row=table.get_row_index(str(worker)))
        await settle(pilot)
        await burst(pilot, "o", "enter", "enter", "s", "2", "enter", *"WX4200001234", "enter")
        assert app.screen is board
    with reading(engine) as s:
        paid = s.get(GigAssignment, worker)
    assert paid is not None
    assert (paid.status, paid.minutes_worked) == ("settled", 85)
    assert (paid.pay_method, paid.pay_reference) == ("wechat", "WX4200001234")


async def test_a_void_with_the_managers_pin_typed_at_once(desk_with_people, desk) -> None:
    from screens.desk.day_log import DayLogScreen
    from tests.test_day_log_screens import log_sample

    engine, path = desk
    ids = log_sample(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await burst(pilot, "f4")
        log = app.screen
        assert isinstance(log, DayLogScreen)
        table = log.query_one("#entries")
        table.move_cursor(row=table.get_row_index(str(ids["tcm"])))
        await settle(pilot)
        await burst(pilot, "v", *"收错了", "enter", *MANAGER_PIN, "enter", "escape")
        assert app.screen is not log  # the Escape after the PIN left the day log
    with reading(engine) as s:
        original = s.exec(select(Payment).where(Payment.walkin_id == ids["tcm"])).one()
        refund = s.exec(select(Payment).where(Payment.reverses_id == original.id)).one()
    assert (refund.amount_fen, refund.method, refund.reason) == (-6800, "wechat", "收错了")


async def test_a_head_office_price_change_typed_at_once(tmp_path: Path) -> None:
    from db.models import Service
    from frontdesk.sync.admin import open_central
    from screens.hq.dashboard import DashboardScreen
    from screens.hq.reference import ReferenceScreen
    from tests.hq_screen_support import central_template, copy_central, make_hq_app

    central = copy_central(central_template(), tmp_path / "store")
    app = make_hq_app(central)
    async with app.run_test(size=(100, 30)) as pilot:
        await burst(pilot, "f2", "3")
        assert isinstance(app.screen, ReferenceScreen)
        table = app.screen.query_one("#ref-services")
        table.move_cursor(row=table.get_row_index("JZ01"))
        await settle(pilot)
        await burst(pilot, "enter", "ctrl+a", "ctrl+k", *"52.5", "enter", "escape")
        assert isinstance(app.screen, DashboardScreen)  # the Escape after the save went back
    engine = open_central(str(central))
    with reading(engine) as s:
        assert s.exec(select(Service).where(Service.code == "JZ01")).one().default_price_fen == 5250
    engine.dispose()


async def test_the_first_run_and_the_first_sign_in_typed_at_once(tmp_path: Path) -> None:
    from screens.desk.home import HomeScreen

    app = make_app(tmp_path / "new.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        setup = [*"hs09", "enter", *"白沙社区", "enter", *"陈主任", "enter"]
        setup += [*"246810", "enter", *"246810", "enter"]
        await burst(pilot, *setup, *"246810", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.desk is not None and app.desk.site_code == "HS09"


async def test_a_stuck_load_delays_keys_but_never_loses_them(desk, monkeypatch) -> None:
    import threading

    from frontdesk import sign_in_list
    from screens.common import typeahead

    _, path = desk
    gate, read = threading.Event(), sign_in_list.sign_in_list
    monkeypatch.setattr(sign_in_list, "sign_in_list", lambda *a: gate.wait(30) and read(*a))
    monkeypatch.setattr(typeahead, "TYPEAHEAD_WAIT_S", 0.2)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        for key in CLERK_PIN:
            app.post_message(key_event(key))
        await app.typed_ahead()
        assert app.screen.query_one("#pin").value == CLERK_PIN  # handed on after the wait
        gate.set()
        await settle(pilot)
        assert app.screen.query_one("#staff").option_count == 2


async def test_the_pin_is_typed_while_the_desk_loads_behind_the_list(desk, monkeypatch) -> None:
    """The staff list shows before the ORM opens the desk; keys typed then reach the PIN
    box at once, and Enter signs in as soon as the open is done."""
    import threading

    from frontdesk.services import desk as desk_service
    from screens.desk.home import HomeScreen

    _, path = desk
    gate, open_desk = threading.Event(), desk_service.open_desk_for
    monkeypatch.setattr(desk_service, "open_desk_for", lambda *a: gate.wait(30) and open_desk(*a))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        while app.screen.query_one("#staff").option_count < 2:  # shown with the desk unopened
            await pilot.pause(0.01)
        for key in ["down", *CLERK_PIN, "enter"]:  # the clerk, below the manager
            app.post_message(key_event(key))
        pin = app.screen.query_one("#pin")
        for _ in range(500):  # the keys land while the open still waits (polled: a busy CI)
            if pin.value == CLERK_PIN:
                break
            await pilot.pause(0.01)
        assert app.desk is None
        assert pin.value == CLERK_PIN  # not held for the load
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.staff is not None
        assert app.staff.name == "李文员"
