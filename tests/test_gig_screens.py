"""Pilot tests of the gig screens at 80x24: orders, an order's roster, the dispatch picker,
today's board, check-out, pieces, settlement and the pay slip, pressing the real keys."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlmodel import select

from db.models import AuditLog, Employer, GigAssignment, GigOrder, Payment, Person, Staff
from db.session import reading
from frontdesk.domain.gig_rules import OrderInput
from frontdesk.services import gigs, settlement
from frontdesk.services.acting import Actor
from frontdesk.services.pay_slip import pay_slip, slip_text
from screens.common.widgets import KeyBar
from screens.desk.attendance import CheckOutDialog, ConfirmDialog, PiecesDialog
from screens.desk.dispatch_picker import DispatchPickerScreen
from screens.desk.employer_dialog import EmployerDialog
from screens.desk.gig_board import GigBoardScreen
from screens.desk.gig_order import GigOrderScreen
from screens.desk.gig_order_dialogs import CancelOrderDialog, OrderStatusDialog
from screens.desk.gig_order_form import GigOrderFormScreen
from screens.desk.gig_orders import GigOrdersScreen
from screens.desk.home import HomeScreen
from screens.desk.pay_slip_view import SLIP_SHOWN, PaySlipScreen
from screens.desk.settle_dialog import SettleDialog
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.gig_screen_data import TOMORROW, gig_day, register_people
from tests.gig_support import CEILING_FEN, TODAY, at, row_counts, versions
from tests.tui_support import FakeClock, make_app, settle, sign_in, text_of

SIZE = (80, 24)


@pytest.fixture
def day(desk):
    engine, path = desk
    return gig_day(engine), path


def recorder(app) -> list[str]:
    """What the desk says in notifications, recorded (and not shown)."""
    said: list[str] = []
    app.notify = lambda message, **kw: said.append(str(message))
    return said


def untouched(engine) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Row counts and the row versions of the gig tables: what a refusal leaves alone."""
    return row_counts(engine), versions(engine, "gig_assignments"), versions(engine, "gig_orders")


def assignment(engine, assignment_id: uuid.UUID) -> GigAssignment:
    with reading(engine) as s:
        return s.get(GigAssignment, assignment_id)


async def highlight(pilot, table_id: str, key: object) -> None:
    table = pilot.app.screen.query_one(f"#{table_id}")
    table.move_cursor(row=table.get_row_index(str(key)))
    await settle(pilot)


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def open_board(pilot, pin: str = MANAGER_PIN, staff_index: int = 0) -> GigBoardScreen:
    await sign_in(pilot, pin, staff_index=staff_index)
    await press(pilot, "f7")
    assert isinstance(pilot.app.screen, GigBoardScreen)
    return pilot.app.screen


async def open_order(pilot, order_id: uuid.UUID, pin: str = MANAGER_PIN) -> GigOrderScreen:
    await sign_in(pilot, pin, staff_index=0 if pin == MANAGER_PIN else 1)
    await pilot.app.push_screen(GigOrderScreen(order_id))
    await settle(pilot)
    return pilot.app.screen


def key_bar(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


# --- the whole way, by keys -------------------------------------------------------------------
async def test_create_dispatch_check_in_out_pieces_settle_and_pay_slip(desk, tmp_path) -> None:
    engine, path = desk
    with reading(engine) as s:
        clerk_id = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    people = register_people(engine, Actor("HS01", clerk_id))
    clock = FakeClock()
    app = make_app(path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await press(pilot, "f6")
        orders = app.screen
        assert isinstance(orders, GigOrdersScreen)
        assert "没有符合条件的订单" in text_of(app, "#orders-note")

        # A new order, its employer added from the form.
        await press(pilot, "ctrl+n")
        form = app.screen
        assert isinstance(form, GigOrderFormScreen)
        await press(pilot, "f2")
        assert isinstance(app.screen, EmployerDialog)
        await press(pilot, *"恒达五金制品厂", "enter")
        assert app.screen is form
        with reading(engine) as s:
            employer = s.exec(select(Employer)).one()
        assert (employer.name, form.query_one("#employer").value) == (
            "恒达五金制品厂",
            str(employer.id),
        )
        await press(pilot, "tab", *"包装", "tab", *"白沙社区小社微工厂", "tab", "tab")
        await press(pilot, *"09:00", "tab", *"12:00", "tab", "3", "tab", "tab")
        await press(pilot, *"0.355", "tab", "件", "tab", *"10", "tab", "2", "tab", "enter")
        order_screen = app.screen
        assert isinstance(order_screen, GigOrderScreen)
        assert "恒达五金制品厂" in text_of(app, "#order-title")
        details = text_of(app, "#order-details")
        assert "计件 ¥0.355/件" in details and "已派 0/3 人" in details and "¥10.00" in details
        with reading(engine) as s:
            order = s.exec(select(GigOrder)).one()
            fee = s.exec(select(Payment).where(Payment.gig_order_id == order.id)).one()
        assert (order.job_type, order.rate_fen, order.headcount) == ("包装", Decimal("35.5"), 3)
        assert (fee.amount_fen, fee.method) == (1000, "wechat")

        # Dispatch the best-ranked person from the picker.
        await press(pilot, "d")
        picker = app.screen
        assert isinstance(picker, DispatchPickerScreen)
        first = picker.query_one("#candidates").ordered_rows[0].key.value
        assert first == str(people["欧阳娜娜"])
        assert "想做包装" in text_of(app, "#picker-note")
        await press(pilot, "enter")
        assert "已派 1/3" in text_of(app, "#picker-title")
        assert str(people["欧阳娜娜"]) not in [
            r.key.value for r in picker.query_one("#candidates").ordered_rows
        ]
        await press(pilot, "escape")
        assert app.screen is order_screen
        assert [str(c) for c in order_screen.query_one("#roster").get_row_at(0)][:3] == [
            "欧阳娜娜",
            "139****5678",
            "已派工",
        ]

        # Today's board: check in, pieces, check out, settle, pay slip.
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "f7")
        board = app.screen
        assert isinstance(board, GigBoardScreen)
        (row_key,) = [r.key.value for r in board.query_one("#board").ordered_rows]
        assignment_id = uuid.UUID(row_key)
        assert "签到" in key_bar(app) and "结算" not in key_bar(app)
        await press(pilot, "i")
        assert assignment(engine, assignment_id).status == "checked_in"
        clock.advance(hours=1, minutes=30)  # 12:00
        await press(pilot, "p")
        assert isinstance(app.screen, PiecesDialog)
        await press(pilot, *"160", "enter", *"150", "enter", *"10", "enter")
        assert app.screen is board
        await press(pilot, "o")
        assert isinstance(app.screen, CheckOutDialog)
        assert app.screen.query_one("#out-time").value == "12:00"
        assert "1 小时 30 分" in text_of(app, "#worked")
        await press(pilot, "enter", "enter")
        assert app.screen is board
        worked = assignment(engine, assignment_id)
        assert (worked.status, worked.minutes_worked) == ("checked_out", 90)
        assert (worked.pieces_completed, worked.pieces_accepted, worked.pieces_defective) == (
            160,
            150,
            10,
        )
        assert [str(c) for c in board.query_one("#board").get_row_at(0)][6:] == [
            "1:30",
            "150",
            "¥53.25",
        ]
        await press(pilot, "s")
        dialog = app.screen
        assert isinstance(dialog, SettleDialog)
        quote = text_of(app, "#quote")
        assert "合格 150 件 × 单价 ¥0.355 = ¥53.25" in quote and "四舍五入" in quote
        assert not dialog.query_one("#warnings").display
        await press(pilot, "2", "enter", *"WX4200001234", "enter")
        assert app.screen is board
        paid = assignment(engine, assignment_id)
        assert (paid.status, paid.wage_fen, paid.pay_method, paid.pay_reference) == (
            "settled",
            5325,
            "wechat",
            "WX4200001234",
        )
        assert paid.settled_by == clerk_id and paid.settled_at == FIXED_NOW + timedelta(hours=1.5)
        assert "工资条" in key_bar(app) and "结算" not in key_bar(app)

        await press(pilot, "l")
        slip = app.screen
        assert isinstance(slip, PaySlipScreen)
        shown = text_of(app, "#slip-text")
        assert "¥53.25" in shown and "欧阳娜娜" in shown and "WX4200001234" in shown
        sheet, text_file = tmp_path / "slip.xlsx", tmp_path / "slip.txt"
        await press(pilot, "e", *str(sheet), "enter")
        await press(pilot, *str(text_file), "enter")
        assert app.screen is slip
        await press(pilot, "escape")
        assert app.screen is board
    rows = dict(openpyxl.load_workbook(sheet).active.iter_rows(min_row=2, values_only=True))
    assert rows["姓名"] == "欧阳娜娜" and rows["实发工资（元）"] == 53.25
    expected = slip_text(pay_slip(engine, "HS01", assignment_id), SLIP_SHOWN)
    assert text_file.read_text(encoding="utf-8").rstrip("\n") == expected.rstrip("\n")


# --- bad input: a clear message, nothing written -----------------------------------------------
async def test_negative_pieces_are_refused_at_their_field(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot)
        await highlight(pilot, "board", d.assignments["王小红"])
        before = untouched(d.engine)
        await press(pilot, "p")
        dialog = app.screen
        assert isinstance(dialog, PiecesDialog)
        await press(pilot, "-", "5", "tab")
        assert text_of(app, "#completed-error") == "件数不能为负数"
        await press(pilot, "ctrl+s")
        assert app.screen is dialog and text_of(app, "#completed-error") == "件数不能为负数"
        # Accepted and defective cannot add up to more than was completed.
        dialog.query_one("#completed").focus()
        await press(pilot, "ctrl+a", "ctrl+k", "1", "0", "tab", "8", "tab", "5", "tab")
        assert text_of(app, "#completed-error") == ""
        assert "不能超过完成数" in text_of(app, "#accepted-error")
        await press(pilot, "ctrl+s")
        assert app.screen is dialog
        assert untouched(d.engine) == before
        await press(pilot, "escape", "y")  # the typed pieces thrown away once Y says so
        assert app.screen is board
    assert assignment(d.engine, d.assignments["王小红"]).pieces_completed == 0


async def test_a_full_order_refuses_one_more(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, d.orders["live"])
        assert "已派 2/2 人" in text_of(app, "#order-details")
        await press(pilot, "d")
        picker = app.screen
        assert isinstance(picker, DispatchPickerScreen)
        assert picker.query_one("#candidates").row_count == 0  # the one who wants it is on it
        assert "没有合适的求职者" in text_of(app, "#picker-note")
        before = untouched(d.engine)
        await press(pilot, *"欧阳")
        await press(pilot, "enter")
        assert [r.key.value for r in picker.query_one("#candidates").ordered_rows] == [
            str(d.people["欧阳娜娜"])
        ]
        assert text_of(app, "#picker-error") == "订单已满员（2 人）"
        assert untouched(d.engine) == before


async def test_a_double_booking_is_refused(day) -> None:
    d, path = day
    with reading(d.engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        employer = s.exec(select(Employer.id).where(Employer.name == "祥记食品")).one()
    raw = OrderInput(
        employer_id=employer,
        job_type="直播带货",
        place="祥记食品门店",
        work_date=TODAY,
        shift_start="11:00",
        shift_end="14:00",
        headcount="2",
        pay_mode="hour",
        rate="20",
    )
    overlapping = gigs.create_order(d.engine, Actor("HS01", clerk), raw, FIXED_NOW, CEILING_FEN)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, overlapping.id)
        await press(pilot, "d")
        picker = app.screen
        assert picker.query_one("#candidates").row_count == 0  # 王小红 is busy 09:00–12:00
        before = untouched(d.engine)
        await press(pilot, *"3333")  # her phone's last four
        await press(pilot, "enter")
        assert "overlapping shift that day: 直播带货 09:00–12:00" in text_of(app, "#picker-error")
        assert untouched(d.engine) == before
        # Someone free is sent at once; the picker stays open for the next.
        picker.query_one("#find").value = ""
        await press(pilot, *"oynn")  # pinyin initials
        await press(pilot, "enter")
        assert "1/2 placed" in text_of(app, "#picker-title")
        assert text_of(app, "#picker-error") == ""


async def test_settling_twice_is_refused_with_a_message(day) -> None:
    d, path = day
    app = make_app(path)
    said = recorder(app)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot)
        await highlight(pilot, "board", d.assignments["欧阳娜娜"])
        assert "结算" not in key_bar(app)  # settled: the key is not offered ...
        before = untouched(d.engine)
        await press(pilot, "s")  # ... and pressing it says why
        assert app.screen is board
        assert said[-1] == "该工人的工资已结算，不能重复支付或修改"
        assert untouched(d.engine) == before

        # Another desk pays 李四 while this one has the dialog open.
        await highlight(pilot, "board", d.assignments["李四"])
        await press(pilot, "s")
        dialog = app.screen
        assert isinstance(dialog, SettleDialog)
        assert "低于最低工资标准 ¥17.00/小时" in text_of(app, "#warnings")  # ¥21.30 for 2:26
        manager = Actor("HS01", app.staff.staff_id)
        settlement.settle(d.engine, manager, d.assignments["李四"], "alipay", "ZFB-1", at(10, 40))
        before = untouched(d.engine)
        await press(pilot, "1", "ctrl+s")
        assert app.screen is dialog
        assert text_of(app, "#settle-error") == "该工人的工资已结算，不能重复支付或修改"
        assert untouched(d.engine) == before
        paid = assignment(d.engine, d.assignments["李四"])
        assert (paid.pay_method, paid.pay_reference, paid.wage_fen) == ("alipay", "ZFB-1", 2130)
        await press(pilot, "escape", "y")  # the method typed is thrown away once Y says so
        assert app.screen is board
        assert [str(c) for c in board.query_one("#board").get_row(str(d.assignments["李四"]))][
            3
        ] == "已结算"


async def test_settle_asks_for_a_method_and_a_reference(day) -> None:
    d, path = day
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await highlight(pilot, "board", d.assignments["李四"])
        before = untouched(d.engine)
        await press(pilot, "s", "ctrl+s")
        assert "needs the payment method" in text_of(app, "#method-error")
        await press(pilot, "3", "enter", "enter")  # Alipay, and no reference
        assert "needs its reference" in text_of(app, "#reference-error")
        assert untouched(d.engine) == before
        await press(pilot, *"2026112600001", "enter")
        assert isinstance(app.screen, GigBoardScreen)
    paid = assignment(d.engine, d.assignments["李四"])
    assert (paid.status, paid.pay_method, paid.pay_reference) == (
        "settled",
        "alipay",
        "2026112600001",
    )


async def test_order_form_errors_at_their_fields_as_they_are_left_and_on_save(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "f6", "ctrl+n")
        form = app.screen
        assert isinstance(form, GigOrderFormScreen)
        before = untouched(d.engine)
        await press(pilot, "tab", "tab")  # the job type left empty
        assert text_of(app, "#job_type-error") == "此项必填"
        form.query_one("#work_date").value = ""
        await press(pilot, "tab", *"2026-11-20", "tab", *"10:00", "tab", *"9:30", "tab")
        assert text_of(app, "#work_date-error") == "用工日期不能早于今天"
        assert text_of(app, "#shift_end-error") == "下班栏：下班时间须晚于上班时间"
        await press(pilot, "0", "tab", "tab", *"0.12345", "tab", "tab")
        assert text_of(app, "#headcount-error") == "人数须为 1 至 500 的整数"
        assert text_of(app, "#rate-error") == "单价格式不对：元，最多 4 位小数"
        assert text_of(app, "#unit-error") == "单位栏：此项必填"  # a piece rate names its piece
        # Hourly pay: two decimals at most, and no unit needed.
        form.query_one("#pay_mode").value = "hour"
        await settle(pilot)
        assert text_of(app, "#rate-error") == "单价格式不对：元，最多 2 位小数"
        assert text_of(app, "#unit-error") == ""
        await press(pilot, *"5", "tab", "tab")  # a fee needs its method
        assert text_of(app, "#fee_method-error") == "收费服务须选择支付方式"
        # Fixing a field clears its error as it is typed.
        form.query_one("#headcount").focus()
        await press(pilot, "ctrl+a", "ctrl+k", "2")
        assert text_of(app, "#headcount-error") == ""
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert text_of(app, "#employer-error") == "请选择本站的用工企业"
        assert text_of(app, "#job_type-error") == "此项必填"
        # employer, job type, place, date, shift end, rate, fee method: all said at once
        assert text_of(app, "#form-summary") == "有 7 处需要改正"
        assert text_of(app, "#place-error") == "此项必填"
        assert app.focused is form.query_one("#employer")  # the first of them
        assert untouched(d.engine) == before
        await press(pilot, "escape", "y")  # what was typed is thrown away once Y says so
        assert isinstance(app.screen, GigOrdersScreen)
    assert untouched(d.engine) == before


async def test_orders_list_filters_pages_and_opens(day) -> None:
    d, path = day
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "f6")
        screen = app.screen
        table = screen.query_one("#orders")
        keys = [r.key.value for r in table.ordered_rows]
        assert keys == [str(d.orders[n]) for n in ("packing", "live", "parts")]  # not cancelled
        assert [str(c) for c in table.get_row_at(0)] == [
            "11-26",
            "07:30–10:00",
            "恒达五金制品厂",
            "包装",
            "2/3",
            "¥0.355/件",
            "In progress",
        ]
        screen.query_one("#status-filter").value = "all"
        await settle(pilot)
        assert str(d.orders["food"]) in [r.key.value for r in table.ordered_rows]
        screen.query_one("#date-filter").focus()
        await press(pilot, *"2026-11-27")
        assert [r.key.value for r in table.ordered_rows] == [str(d.orders["parts"])]
        await press(pilot, "ctrl+a", "ctrl+k", *"2026-13-01")
        assert "YYYY-MM-DD" in text_of(app, "#date-filter-error")
        await press(pilot, "ctrl+a", "ctrl+k", "enter")  # Enter in the filter: to the list
        assert app.focused is table and len(table.ordered_rows) == 4
        await press(pilot, "pagedown")  # less than a page: nothing further
        assert "page 1" in text_of(app, "#orders-title")
        await highlight(pilot, "orders", d.orders["parts"])
        assert "0 of 4 placed" in text_of(app, "#orders-note")
        await press(pilot, "enter")
        assert isinstance(app.screen, GigOrderScreen) and app.screen.order_id == d.orders["parts"]
        assert "Nobody dispatched yet" in text_of(app, "#roster-note")


async def test_cancel_an_order_and_refund_its_fee_with_the_managers_pin(day) -> None:
    d, path = day
    with reading(d.engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    raw = OrderInput(
        employer_id=s_employer(d.engine, "白沙电商直播间"),
        job_type="直播带货",
        place="白沙电商直播间二楼",
        work_date=TOMORROW,
        shift_start="14:00",
        shift_end="18:00",
        headcount="1",
        pay_mode="day",
        rate="150",
        service_fee="20",
        fee_method="cash",
    )
    order = gigs.create_order(d.engine, Actor("HS01", clerk), raw, FIXED_NOW, CEILING_FEN)
    app = make_app(path)
    said = recorder(app)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await press(pilot, "f6")
        screen = app.screen
        await highlight(pilot, "orders", d.orders["packing"])
        await press(pilot, "c", *"企业取消", "enter")  # someone has worked on it
        assert "已有工人签到或完工" in text_of(app, "#cancel-error")
        await press(pilot, "escape", "y")  # the reason typed is thrown away once Y says so
        await highlight(pilot, "orders", order.id)
        await press(pilot, "c")
        dialog = app.screen
        assert isinstance(dialog, CancelOrderDialog)
        assert not dialog.query_one("#approval").display
        await press(pilot, *"企业改期", "tab", "space")
        assert dialog.query_one("#approval").display
        assert dialog.query_one("#manager").value is not None  # the only manager
        before = untouched(d.engine)
        dialog.query_one("#pin").focus()
        await press(pilot, *"0000", "enter")
        assert "PIN 码错误" in text_of(app, "#pin-error")
        assert dialog.query_one("#pin").value == ""
        assert untouched(d.engine)[1:] == before[1:]  # the wrong PIN is audited, no more
        await press(pilot, *MANAGER_PIN, "enter")
        assert app.screen is screen
        assert said[-1] == "订单已取消，服务费已退还"
        assert str(order.id) not in [r.key.value for r in screen.query_one("#orders").ordered_rows]
    with reading(d.engine) as s:
        fees = s.exec(select(Payment.amount_fen).where(Payment.gig_order_id == order.id)).all()
        status = s.get(GigOrder, order.id).status
    assert sorted(fees) == [-2000, 2000] and status == "cancelled"


def s_employer(engine, name: str) -> uuid.UUID:
    with reading(engine) as s:
        return s.exec(select(Employer.id).where(Employer.name == name)).one()


async def test_order_status_moves_and_their_refusals(day) -> None:
    d, path = day
    app = make_app(path)
    said = recorder(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_order(pilot, d.orders["live"])
        await press(pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, OrderStatusDialog)
        assert [b.name for b in dialog.query("RadioButton")] == ["done"]
        before = untouched(d.engine)
        await press(pilot, "ctrl+s")  # 张三 has not come, 王小红 is still at work
        assert "还有工人未签退" in text_of(app, "#status-error")
        assert untouched(d.engine) == before
        await press(pilot, "escape")
        assert app.screen is screen
        await app.push_screen(GigOrderScreen(d.orders["parts"]))
        await settle(pilot)
        await press(pilot, "t", "down", "enter", "ctrl+s")  # open: to "in progress"
        assert "进行中" in text_of(app, "#order-details")
        assert said[-1] == "订单已改为“进行中”"
        # A cancelled order takes no more moves, no dispatch and no second cancelling.
        await app.push_screen(GigOrderScreen(d.orders["food"]))
        await settle(pilot)
        assert "派工" not in key_bar(app) and "改状态" not in key_bar(app)
        await press(pilot, "d")
        assert said[-1] == "订单已完工或已取消"
        await press(pilot, "c")
        assert said[-1] == "订单“已取消”不能改为“已取消”"
    with reading(d.engine) as s:
        assert s.get(GigOrder, d.orders["parts"]).status == "in_progress"


async def test_no_show_recall_and_keys_that_follow_the_worker(day) -> None:
    d, path = day
    app = make_app(path)
    said = recorder(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_order(pilot, d.orders["live"])
        await highlight(pilot, "roster", d.assignments["张三"])
        keys = key_bar(app)
        assert "签到" in keys and "未到岗" in keys and "撤回派工" in keys and "签退" not in keys
        await press(pilot, "s")  # not here yet: nothing to settle
        assert said[-1] == "该工人尚未签到"
        await press(pilot, "n")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")
        assert assignment(d.engine, d.assignments["张三"]).status == "assigned"
        await press(pilot, "n", "enter")
        assert app.screen is screen
        assert assignment(d.engine, d.assignments["张三"]).status == "no_show"
        assert said[-1] == "张三 已记为未到岗"
        await press(pilot, "x")
        assert said[-1] == "该工人已记为未到岗"
        assert "已派 1/2 人" in text_of(app, "#order-details")
        # A dispatch taken back before the worker came: the place opens again.
        await app.push_screen(GigOrderScreen(d.orders["parts"]))
        await settle(pilot)
        await press(pilot, "d")
        await press(pilot, "enter", "escape")
        (row,) = app.screen.query_one("#roster").ordered_rows
        await press(pilot, "x", *"企业减员", "enter")
        assert assignment(d.engine, uuid.UUID(row.key.value)).status == "cancelled"
        assert "已派 0/4 人" in text_of(app, "#order-details")
    with reading(d.engine) as s:
        person = s.get(Person, d.people["张三"])
        audit = s.exec(select(AuditLog.detail).where(AuditLog.action == "gig_unassign")).one()
    assert person.reliability == 90 and audit == "企业减员"


async def test_check_out_hours_and_refusals_at_the_fields(day) -> None:
    d, path = day
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot)
        await highlight(pilot, "board", d.assignments["王小红"])  # in at 09:05
        before = untouched(d.engine)
        await press(pilot, "o")
        dialog = app.screen
        assert isinstance(dialog, CheckOutDialog)
        assert "1 h 25 min" in text_of(app, "#worked")
        await press(pilot, "ctrl+a", "ctrl+k", *"09:00", "tab", *"abc", "tab")
        assert "Hours above 0" in text_of(app, "#hours-error")
        dialog.query_one("#hours").value = ""
        await press(pilot, "ctrl+s")
        assert text_of(app, "#out-time-error") == "Check-out must be after check-in"
        assert untouched(d.engine) == before
        dialog.query_one("#out-time").value = "12:00"  # the desk's clock says 10:30
        await press(pilot, "ctrl+s")
        assert text_of(app, "#out-time-error") == "Check-out cannot be later than now"
        assert untouched(d.engine) == before
        dialog.query_one("#out-time").value = "10:20"
        dialog.query_one("#hours").value = "2.5"
        await press(pilot, "ctrl+s")
        assert app.screen is board
        out = assignment(d.engine, d.assignments["王小红"])
        assert (out.status, out.minutes_worked) == ("checked_out", 150)
        assert out.checked_out_at == at(10, 20)
        assert "Hours" in key_bar(app)
        await press(pilot, "h")
        assert app.screen.query_one("#hours").value == "2:30"
        await press(pilot, "ctrl+a", "ctrl+k", *"2:45", "enter")
        assert app.screen is board
        assert [str(c) for c in board.query_one("#board").get_row(str(d.assignments["王小红"]))][
            6:
        ] == ["2:45", "", "¥52.25"]  # 165 min at ¥19.00 an hour


async def test_pay_slip_never_overwrites_a_file(day, tmp_path) -> None:
    d, path = day
    taken = tmp_path / "slip.txt"
    taken.write_text("mine", encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await highlight(pilot, "board", d.assignments["李四"])
        await press(pilot, "l")  # not paid yet: no slip
        assert isinstance(app.screen, GigBoardScreen)
        await highlight(pilot, "board", d.assignments["欧阳娜娜"])
        await press(pilot, "l", "e")
        box = app.screen.query_one("#slip-file")
        assert box.value == "工资条-欧阳娜娜-2026-11-26.txt"  # in the documents folder
        await press(pilot, "backspace", "enter")  # the suggestion was selected: now empty
        assert text_of(app, "#slip-file-error") == "请填写文件路径"
        await press(pilot, *str(taken), "enter")
        assert "已存在" in text_of(app, "#slip-file-error")
        await press(pilot, "ctrl+a", "ctrl+k", *str(tmp_path / "slip.csv.xlsx"), "enter")
        assert text_of(app, "#slip-file-error") == ""
    assert taken.read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "slip.csv.xlsx").exists()


async def test_home_f6_and_f7_and_an_empty_board(desk) -> None:
    _, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        bindings = app.screen.active_bindings
        assert (bindings["f6"].binding.id, bindings["f7"].binding.id) == ("gig_orders", "gig_board")
        await press(pilot, "f6")
        assert isinstance(app.screen, GigOrdersScreen)
        await press(pilot, "escape", "f7")
        assert isinstance(app.screen, GigBoardScreen)
        assert text_of(app, "#board-note") == "Nobody is dispatched today"
        assert "Check in" not in key_bar(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


def test_every_key_of_the_gig_screens_has_a_name_in_both_languages() -> None:
    from frontdesk.i18n.strings import CATALOGUE

    classes = (
        GigOrdersScreen,
        GigOrderFormScreen,
        EmployerDialog,
        GigOrderScreen,
        OrderStatusDialog,
        CancelOrderDialog,
        DispatchPickerScreen,
        GigBoardScreen,
        CheckOutDialog,
        PiecesDialog,
        ConfirmDialog,
        SettleDialog,
        PaySlipScreen,
    )
    for cls in classes:
        for binding in cls.BINDINGS:
            if binding.show or binding.id:
                assert binding.id and f"key.{binding.id}" in CATALOGUE, (cls.__name__, binding)
