"""Pilot tests of the close-out screen (日结) and the sign-in flag for unclosed days, at 80x24."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import BusinessDay, Closeout, Service, Staff
from db.session import reading
from frontdesk.catalogue import CATALOGUE
from frontdesk.services import closeout, walkins
from frontdesk.services.closeout import CloseInput
from frontdesk.services.seekers import Actor
from frontdesk.services.walkins import WalkInInput
from screens.closeout import CloseoutScreen, rate_text
from screens.home import HomeScreen
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
        assert "¥13.54" in report and "今日入账的调整（0 笔）" in report
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
        await settle(pilot)
        assert "PIN 码错误" in text_of(app, "#pin-error")
        assert screen.query_one("#pin").value == "" and closeouts(engine) == []
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
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
        await settle(pilot)
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
        await settle(pilot)
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
    assert [rate_text(bp) for bp in (2000, 1250, 1234, 5, 0)] == [
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
        assert {"确认日结", "返回"} <= actions
