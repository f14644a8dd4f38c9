"""Pilot tests of the close-out screen (日结) and the sign-in flag for unclosed days, at 80x24."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import Adjustment, BusinessDay, Closeout, Payment, Service, Site, Staff
from db.session import reading, writing
from frontdesk.domain.money import percent_text
from frontdesk.errors import UserError
from frontdesk.i18n.strings import CATALOGUE
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.closeout import AdjustmentInput, CloseInput
from frontdesk.services.day_report import receipt_text
from frontdesk.services.walkins import WalkInInput
from screens.desk.closeout import CloseoutScreen
from screens.desk.closeout_dialogs import (
    AdjustmentDialog,
    ConfirmClose,
    DayPicker,
    ReportFileDialog,
    parse_signed_yuan,
)
from screens.desk.home import HomeScreen
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.tui_support import make_app, settle, sign_in, text_of

TODAY = date(2026, 11, 26)
CEILING = 2_000_000  # 20,000 yuan
SIZE = (80, 24)


def context(desk) -> tuple:
    """(engine, path, clerk actor, manager id, service ids by code) of the desk fixture."""
    engine, path = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
    return engine, path, Actor("HS01", clerk), manager, services


@pytest.fixture
def ctx(desk) -> tuple:
    return context(desk)


def log(ctx, code: str, amount: str = "", method: str = "", at=FIXED_NOW) -> None:
    engine, _, actor, _, services = ctx
    raw = WalkInInput(services[code], amount=amount, method=method, started_at=at)
    walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)


def log_day(ctx) -> None:
    """¥135 cash to the housekeeping firm (70 %), ¥68 WeChat to the clinic (60 %), a free visit."""
    log(ctx, "JZ01", "135", "cash")
    log(ctx, "KY01", "68", "wechat")
    log(ctx, "LG04")


async def open_closeout(pilot, pin: str = CLERK_PIN, staff_index: int = 1) -> CloseoutScreen:
    await sign_in(pilot, pin, staff_index=staff_index)
    await pilot.app.push_screen(CloseoutScreen())
    await settle(pilot)
    assert isinstance(pilot.app.screen, CloseoutScreen)
    return pilot.app.screen


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.press(*text)
    await settle(pilot)


def closeouts(engine) -> list[Closeout]:
    with reading(engine) as s:
        return list(s.exec(select(Closeout)))


def shown(screen, selector: str) -> bool:
    return screen.query_one(selector).display


async def confirm(pilot) -> str:
    """Answer the confirmation Ctrl+S brings up with Enter; its text, for a look."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmClose)
    said = text_of(pilot.app, "#confirm-table")
    await pilot.press("enter")
    await settle(pilot)
    return said


async def test_close_with_a_managers_approval(ctx) -> None:
    engine, path, _, manager, _ = ctx
    log_day(ctx)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        report = text_of(app, "#report")
        assert "收入合计（2 笔）" in report and "¥203.00" in report
        assert "江门市蓬江区好帮手家政服务有限公司" in report and "¥94.50" in report
        assert "¥67.70" in report and "返还社区 20%（按社区所得）" in report
        assert "¥13.54" in report and "本日入账的调整（0 笔）" in report
        assert text_of(app, "#income-cash").strip() == "¥135.00"
        # The float, saved on Enter while the day is open, is part of the expected cash.
        screen.query_one("#float").focus()
        await pilot.press(*"500", "enter")  # the field's 0.00 is selected: typing replaces it
        await settle(pilot)
        with reading(engine) as s:
            assert s.exec(select(BusinessDay.opening_float_fen)).one() == 50000
        assert text_of(app, "#expected-cash").strip() == "¥635.00"
        assert app.focused is screen.query_one("#count-cash")
        await pilot.press(*"630", "enter", *"68")
        await settle(pilot)
        assert text_of(app, "#diff-cash").strip() == "短款 ¥5.00"
        assert text_of(app, "#diff-wechat").strip() == "相符"
        assert "长款合计 ¥0.00" in text_of(app, "#totals")
        assert "短款合计 ¥5.00" in text_of(app, "#totals")
        assert shown(screen, "#approval")  # tolerance 0: any difference needs a manager
        assert screen.query_one("#manager").value == str(manager)  # the only manager
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "须填写说明" in text_of(app, "#note-error")
        assert app.focused is screen.query_one("#note") and closeouts(engine) == []
        await pilot.press(*"找零给错", "enter")
        assert app.focused is screen.query_one("#pin")
        await pilot.press(*"0000", "enter")
        said = await confirm(pilot)
        assert "¥635.00" in said and "¥630.00" in said and "短款 ¥5.00" in said
        assert "PIN 码错误" in text_of(app, "#pin-error")
        assert screen.query_one("#pin").value == "" and closeouts(engine) == []
        await pilot.press(*MANAGER_PIN, "enter")
        await confirm(pilot)
        assert app.screen is screen and screen.closed
        assert not shown(screen, "#count-form")
        z = text_of(app, "#report")
        assert "Z 报表" in text_of(app, "#closeout-title")
        assert "¥630.00" in z and "短款 ¥5.00" in z and "说明：找零给错" in z
        [row] = closeouts(engine)
        assert row.hash[:12] in z and "2026-11-26 10:30" in z
        assert (row.approved_by, row.note, row.counted_fen["cash"]) == (manager, "找零给错", 63000)
        assert row.over_short_fen["cash"] == -500 and row.opening_float_fen == 50000
        assert "close_day" not in {b.binding.id for b in screen.active_bindings.values()}
        await pilot.press("ctrl+s")  # read-only: nothing happens
        await settle(pilot)
        assert len(closeouts(engine)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_exact_close_by_denomination(ctx) -> None:
    engine, path, _, _, _ = ctx
    log(ctx, "JZ01", "45.60", "cash")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot, MANAGER_PIN, staff_index=0)
        # A count that is not an amount is said at its field as it is typed.
        await type_into(pilot, "#count-alipay", "12.345")
        assert "Not an amount" in text_of(app, "#alipay-error")
        screen.query_one("#count-alipay").value = ""
        await settle(pilot)
        assert not shown(screen, "#alipay-error")
        # 4 x ¥10 + 1 x ¥5 + 6 x 1 jiao = ¥45.60, filled in as the cash count.
        await type_into(pilot, "#pieces-1000", "4")
        await type_into(pilot, "#pieces-500", "1")
        await type_into(pilot, "#pieces-10", "6")
        assert screen.query_one("#count-cash").value == "45.60"
        assert "¥45.60" in text_of(app, "#count-total")
        assert text_of(app, "#diff-cash").strip() == "Even"
        assert not shown(screen, "#approval")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert screen.closed and "Z report" in text_of(app, "#closeout-title")
        assert "Cash counted: ¥10×4  ¥5×1  ¥0.1×6" in text_of(app, "#report")
    [row] = closeouts(engine)
    assert row.cash_count == {"1000": 4, "500": 1, "10": 6}
    assert row.counted_fen["cash"] == 4560 and row.approved_by is None


async def test_a_typed_cash_total_replaces_the_pieces(ctx) -> None:
    engine, path, _, _, _ = ctx
    log(ctx, "JZ01", "45", "cash")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        await type_into(pilot, "#pieces-2000", "2")
        assert screen.query_one("#count-cash").value == "40.00"
        assert shown(screen, "#approval")  # short ¥5
        await type_into(pilot, "#count-cash", "45")  # typed over the counted 40.00
        assert screen.query_one("#pieces-2000").value == ""  # the pieces no longer agree
        assert not shown(screen, "#count-total")
        assert text_of(app, "#diff-cash").strip() == "相符"
        assert not shown(screen, "#approval")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert screen.closed
    [row] = closeouts(engine)
    assert row.cash_count == {} and row.counted_fen["cash"] == 4500


async def test_a_closed_day_opens_read_only(ctx) -> None:
    engine, path, actor, _, _ = ctx
    log(ctx, "JZ01", "45", "cash")
    closeout.close_day(engine, actor, CloseInput(TODAY, {"cash": 4500}), FIXED_NOW)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        assert screen.closed and not shown(screen, "#count-form")
        assert "Z 报表" in text_of(app, "#closeout-title")
        z = text_of(app, "#report")
        assert "¥45.00" in z and "相符" in z and closeouts(engine)[0].hash[:12] in z
        assert "已日结，记录不能再改动" in z
        assert "close_day" not in {b.binding.id for b in screen.active_bindings.values()}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(closeouts(engine)) == 1


async def test_sign_in_flags_unclosed_days(ctx) -> None:
    log(ctx, "LG04", at=FIXED_NOW - timedelta(days=1))
    app = make_app(ctx[1])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        note = text_of(app, "#signin-note")
        assert "有 1 个营业日尚未日结" in note and "2026-11-25" in note


async def test_sign_in_names_at_most_three_days(ctx) -> None:
    for days in (2, 3, 4, 5):
        log(ctx, "LG04", at=FIXED_NOW - timedelta(days=days))
    app = make_app(ctx[1], lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        note = text_of(app, "#signin-note")
        assert "Business days not closed out: 4" in note
        assert "2026-11-21 2026-11-22 2026-11-23 …" in note and "2026-11-24" not in note


def test_rates_are_exact() -> None:
    assert [percent_text(bp) for bp in (2000, 1250, 1234, 5, 0)] == [
        "20%",
        "12.5%",
        "12.34%",
        "0.05%",
        "0%",
    ]


def test_every_shown_binding_has_a_name() -> None:
    for binding in CloseoutScreen.BINDINGS:
        if binding.show:
            assert binding.id and f"key.{binding.id}" in CATALOGUE, binding


async def test_f1_names_the_close_out_keys(ctx) -> None:
    app = make_app(ctx[1])
    async with app.run_test(size=SIZE) as pilot:
        await open_closeout(pilot)
        await pilot.press("f1")
        await settle(pilot)
        table = app.screen.query_one("#help-keys")
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"确认日结", "补记调整", "存报表", "返回"} <= actions


# --- F2: an adjustment for a closed day -------------------------------------------------------


def active_keys(screen) -> set[str]:
    return {b.binding.id for b in screen.active_bindings.values() if b.binding.id}


def adjustments(engine) -> list[tuple[Adjustment, Payment]]:
    with reading(engine) as s:
        rows = s.exec(select(Adjustment, Payment).join(Payment)).all()
        return [(a, p) for a, p in rows]


async def fill(pilot, values: dict[str, str]) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}").value = value
    await settle(pilot)


async def test_an_adjustment_for_a_closed_day_from_the_close_out_screen(ctx) -> None:
    engine, path, actor, _, _ = ctx
    yesterday = TODAY - timedelta(days=1)
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=1))
    closeout.close_day(engine, actor, CloseInput(yesterday, {"cash": 4500}), FIXED_NOW)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        assert screen.report.day == TODAY and {"adjust", "save_report"} <= active_keys(screen)
        assert "pick_day" not in active_keys(screen)  # nothing earlier left to close
        await pilot.press("f2")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AdjustmentDialog)
        assert dialog.query_one("#day").value == "2026-11-25"  # the last closed day
        await type_into(pilot, "#service", "JZ01")
        assert "JZ01 日常保洁（每小时）" in text_of(app, "#service-chosen")
        await fill(pilot, {"amount": "90", "method": "2"})
        assert text_of(app, "#method-name") == "微信支付"
        # No reason: said at the reason, nothing written.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "调整须填写原因" in text_of(app, "#reason-error")
        assert app.focused is dialog.query_one("#reason") and adjustments(engine) == []
        # An open day: the service refuses it, said at the day.
        await fill(pilot, {"day": "2026-11-26", "reason": "漏登微信收款"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and not dialog.query_one("#reason-error").display
        assert "2026-11-26 尚未日结" in text_of(app, "#day-error")
        assert app.focused is dialog.query_one("#day") and adjustments(engine) == []
        with reading(engine) as s:
            assert len(s.exec(select(Payment)).all()) == 1  # yesterday's ¥45 only
        await fill(pilot, {"day": "2026-11-25"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # saved and closed
        report = text_of(app, "#report")
        assert (
            "本日入账的调整（1 笔）" in report and "补 2026-11-25 微信支付：漏登微信收款" in report
        )
        assert text_of(app, "#income-wechat").strip() == "¥90.00"  # booked in today
    [(adj, pay)] = adjustments(engine)
    assert (adj.closed_date, adj.booked_date, adj.amount_fen) == (yesterday, TODAY, 9000)
    assert (pay.business_date, pay.method, pay.reason) == (TODAY, "wechat", "漏登微信收款")
    closed = closeout.day_report(engine, "HS01", yesterday)
    assert closed.income_fen == 4500 and [a.amount_fen for a in closed.adjustments_later] == [9000]


async def test_a_correction_is_a_negative_adjustment(ctx) -> None:
    engine, path, actor, _, _ = ctx
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=1))
    closeout.close_day(
        engine, actor, CloseInput(TODAY - timedelta(days=1), {"cash": 4500}), FIXED_NOW
    )
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_closeout(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await type_into(pilot, "#service", "6")  # the quick log's number key: JZ01
        await fill(pilot, {"amount": "－5", "method": "1", "reason": "多收 ¥5"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CloseoutScreen)
        assert "Adjustments booked this day (1)" in text_of(app, "#report")
    [(adj, pay)] = adjustments(engine)
    assert adj.amount_fen == -500 and pay.method == "cash"


def test_signed_amounts_parse_exactly() -> None:
    assert parse_signed_yuan("-12.50", "amount", CEILING) == -1250
    assert parse_signed_yuan("－０.１", "amount", CEILING) == -10
    assert parse_signed_yuan("90", "amount", CEILING) == 9000
    assert parse_signed_yuan("", "amount", CEILING) is None
    with pytest.raises(UserError) as err:
        parse_signed_yuan("-1.005", "amount", CEILING)
    assert (err.value.code, err.value.field) == ("money.format", "amount")


# --- F4: the report as printed, on screen and in a file ---------------------------------------


async def test_the_z_report_shows_what_the_receipt_has_and_saves_it(ctx, tmp_path) -> None:
    engine, path, actor, _, services = ctx
    yesterday = TODAY - timedelta(days=1)
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=1))
    closeout.close_day(engine, actor, CloseInput(yesterday, {"cash": 4500}), FIXED_NOW)
    log_day(ctx)
    late = AdjustmentInput(yesterday, services["KY01"], 6800, "wechat", "昨日漏登")
    closeout.add_adjustment(engine, actor, late, FIXED_NOW)
    counted = {"cash": 13500, "wechat": 13600}
    closeout.close_day(engine, actor, CloseInput(TODAY, counted), FIXED_NOW)
    # Booked the next day for today, once today is closed.
    wrong = AdjustmentInput(TODAY, services["JZ01"], -4500, "cash", "重复收款")
    closeout.add_adjustment(engine, actor, wrong, FIXED_NOW + timedelta(days=1))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        assert screen.closed
        z = text_of(app, "#report")
        assert "来访登记 3 人次" in z
        assert "本日入账的调整（1 笔）" in z and "补 2026-11-25 微信支付：昨日漏登" in z
        assert "日结后补记本日的调整（1 笔）" in z and "记于 2026-11-27 现金：重复收款" in z
        assert "-¥45.00" in z and "分成与反哺逐笔计算，四舍五入到分" in z
        expected = receipt_text(closeout.day_report(engine, "HS01", TODAY))
        await pilot.press("f4")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReportFileDialog)
        assert text_of(app, "#receipt") == expected  # the receipt as it prints
        target = tmp_path / "z-2026-11-26.txt"
        await pilot.press(*str(target), "enter")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == expected
        # Never overwritten: the same name again is refused at the field.
        await pilot.press(*str(target), "enter")
        await settle(pilot)
        assert "已存在" in text_of(app, "#report-file-error")
        sheet = tmp_path / "z.xlsx"
        dialog.query_one("#report-file").value = str(sheet)
        await pilot.press("enter")
        await settle(pilot)
        import openpyxl

        rows = [r for r in openpyxl.load_workbook(sheet).active.iter_rows(values_only=True)]
        assert rows[0][0] == "Z 日结报表" and any(r[4] == "重复收款" for r in rows if len(r) > 4)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


# --- the tolerance through the screen ------------------------------------------------------------


async def test_a_difference_within_the_tolerance_closes_without_a_pin(ctx) -> None:
    engine, path, _, _, _ = ctx
    with writing(engine) as s:
        s.exec(select(Site)).one().closeout_tolerance_fen = 500
    log(ctx, "JZ01", "135", "cash")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        await pilot.press(*"129")  # ¥6 short: beyond ¥5
        await settle(pilot)
        assert text_of(app, "#diff-cash").strip() == "短款 ¥6.00" and shown(screen, "#approval")
        screen.query_one("#count-cash").value = "132"  # ¥3 short: within
        await settle(pilot)
        assert text_of(app, "#diff-cash").strip() == "短款 ¥3.00"
        assert not shown(screen, "#approval")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert screen.closed and "短款 ¥3.00" in text_of(app, "#report")
    [row] = closeouts(engine)
    assert row.over_short_fen["cash"] == -300 and row.approved_by is None and row.note == ""


# --- F3 and earlier days left unclosed ---------------------------------------------------------


async def test_an_unclosed_earlier_day_is_closed_from_the_screen(ctx) -> None:
    engine, path, _, _, _ = ctx
    earlier = TODAY - timedelta(days=3)
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=3))
    log(ctx, "KY01", "68", "wechat")  # today's, not part of that day
    assert closeout.unclosed_days(engine, "HS01", TODAY) == [earlier]
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        assert screen.report.day == earlier  # the flagged day comes first
        assert "日结 2026-11-23 周一（未结 · X 报表）" in text_of(app, "#closeout-title")
        assert "较早的 1 个营业日尚未日结：2026-11-23" in text_of(app, "#closeout-days")
        assert "收入合计（1 笔）" in text_of(app, "#report")
        assert text_of(app, "#income-wechat").strip() == "¥0.00"
        assert "pick_day" in active_keys(screen)
        await pilot.press(*"45")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert screen.closed and not shown(screen, "#closeout-days")
        assert "日结 2026-11-23 周一（已结 · Z 报表）" in text_of(app, "#closeout-title")
        assert closeout.unclosed_days(engine, "HS01", TODAY) == []
        [row] = closeouts(engine)
        assert row.business_date == earlier and row.counted_fen["cash"] == 4500
        # F3 goes on to today, open, with nothing typed for the day before.
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DayPicker)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.report.day == TODAY and not screen.closed
        assert "2026-11-26" in text_of(app, "#closeout-title")
        assert screen.query_one("#count-cash").value == ""
        assert text_of(app, "#income-wechat").strip() == "¥68.00"
        assert "pick_day" not in active_keys(screen)


async def test_f3_chooses_among_the_unclosed_days(ctx) -> None:
    engine, path, _, _, _ = ctx
    for days in (2, 4):
        log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=days))
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        assert screen.report.day == TODAY - timedelta(days=4)
        assert "Earlier days not closed (2): 2026-11-22 2026-11-24" in text_of(
            app, "#closeout-days"
        )
        await pilot.press("f3")
        await settle(pilot)
        picker = app.screen.query_one("#days")
        labels = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert labels == [
            "2026-11-22 Sun  not closed ◀",
            "2026-11-24 Tue  not closed",
            "2026-11-26 Thu  today",
        ]
        await pilot.press("enter")  # the first other day is highlighted
        await settle(pilot)
        assert screen.report.day == TODAY - timedelta(days=2)
        await pilot.press("f3", "escape")  # Escape leaves the day as it is
        await settle(pilot)
        assert app.screen is screen and screen.report.day == TODAY - timedelta(days=2)
    assert closeouts(engine) == []


# --- slips: a blank count, a count beyond the ceiling, the last look -------------------------


async def test_a_blank_count_is_asked_for_not_taken_as_zero(ctx) -> None:
    engine, path, _, _, _ = ctx
    log_day(ctx)  # ¥135 cash, ¥68 WeChat
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        await type_into(pilot, "#count-cash", "135")
        assert text_of(app, "#diff-wechat").strip() == "not counted"
        assert text_of(app, "#diff-alipay").strip() == ""  # nothing expected: nothing owed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and closeouts(engine) == []
        assert "¥68.00 expected: type the amount counted" in text_of(app, "#wechat-error")
        assert app.focused is screen.query_one("#count-wechat")
        await pilot.press("0")  # an explicit zero is a count: a short, which needs a manager
        await settle(pilot)
        assert text_of(app, "#diff-wechat").strip() == "Short ¥68.00"
        assert shown(screen, "#approval")


async def test_a_count_beyond_the_configured_ceiling_is_refused_at_its_box(ctx) -> None:
    engine, path, _, _, _ = ctx
    log(ctx, "JZ01", "45", "cash")
    app = make_app(path, lang="en", amount_ceiling_yuan=5000)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        await type_into(pilot, "#count-cash", "5000.01")
        assert "amount ceiling of ¥5,000.00" in text_of(app, "#cash-error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and closeouts(engine) == []
        assert "amount ceiling of ¥5,000.00" in text_of(app, "#cash-error")


async def test_the_confirmation_shows_each_method_and_escape_goes_back(ctx) -> None:
    engine, path, _, _, _ = ctx
    with writing(engine) as s:
        s.exec(select(Site)).one().closeout_tolerance_fen = 1000
    log_day(ctx)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        await type_into(pilot, "#count-cash", "140")
        await type_into(pilot, "#count-wechat", "66")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmClose)
        said = text_of(app, "#confirm-table")
        assert "Cash" in said and "¥135.00" in said and "¥140.00" in said and "Over ¥5.00" in said
        assert "WeChat" in said and "Short ¥2.00" in said
        assert "Alipay" not in said  # nothing expected, nothing counted
        assert "Over in total ¥5.00 · short in total ¥2.00" in said
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.closed and closeouts(engine) == []
        assert app.focused is screen.query_one("#count-cash")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert screen.closed
    [row] = closeouts(engine)
    assert row.over_short_fen["cash"] == 500 and row.over_short_fen["wechat"] == -200
