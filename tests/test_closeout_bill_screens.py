"""The close-out screen's bill (issue 19: 2, the screen): F5 reads a platform's bill, shows
the matching, F2 puts a mobile payment keyed as cash right, Ctrl+S takes the bill for the
close, which keeps the reconciliation. Pilot and snapshots (80x24, 120x36; fixed clock)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import AuditLog, Payment
from db.session import reading
from frontdesk.services import closeout
from screens.desk.closeout_bill import BillDialog
from tests.bill_files import wechat_merchant
from tests.conftest import FIXED_NOW
from tests.test_closeout_screens import TODAY, closeouts, context, log, log_day, open_closeout
from tests.tui_support import make_app, settle, text_of

BILL = [
    ("2026-11-26 10:31:05", "68.00", "SUCCESS"),  # the WeChat entry at 10:30
    ("2026-11-26 10:33:20", "45.00", "SUCCESS"),  # keyed as cash at 10:30
    ("2026-11-26 11:40:00", "12.00", "SUCCESS"),  # nobody logged it
]


@pytest.fixture
def day(desk):
    """The sample day (¥135 cash, ¥68 WeChat, a free visit), ¥45 more keyed as cash, a
    ¥500 float, and the day's WeChat bill in the documents folder."""
    ctx = context(desk)
    engine, path, actor, _, _ = ctx
    log_day(ctx)
    log(ctx, "JZ01", "45", "cash")
    closeout.open_day(engine, actor, TODAY, 50000, FIXED_NOW)
    wechat_merchant(Path(os.environ["FRONTDESK_DOCUMENTS_DIR"]) / "wx.csv", BILL)
    return engine, path


async def read_bill(pilot, name: str = "wx.csv") -> BillDialog:
    await pilot.press("f5")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, BillDialog)
    dialog.query_one("#bill-file").value = name  # a bare name: in the documents folder
    dialog.query_one("#bill-file").focus()
    await pilot.press("enter")
    await settle(pilot)
    return dialog


async def test_read_correct_and_close_with_the_bill(day) -> None:
    engine, path = day
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot)
        dialog = await read_bill(pilot)
        shown = text_of(app, "#bill-result")
        assert "已读取微信支付商户交易账单（微信支付）" in shown
        assert "本日账单 3 笔，共 ¥125.00" in shown and "对上 1 笔，共 ¥68.00" in shown
        assert "有账单无记录 2 笔 ¥57.00：10:33 ¥45.00，11:40 ¥12.00" in shown
        assert "疑似记成现金 1 笔" in shown
        assert app.focused is dialog.query_one("#slips")
        await pilot.press("f2")  # the highlighted cash entry was a WeChat payment
        await settle(pilot)
        shown = text_of(app, "#bill-result")
        assert "对上 2 笔，共 ¥113.00" in shown and "有账单无记录 1 笔 ¥12.00" in shown
        assert "疑似记成现金" not in shown and not dialog.query_one("#slips").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and "账单：微信支付" in text_of(app, "#bills")
        assert text_of(app, "#income-wechat") == "¥113.00"  # reloaded
        assert text_of(app, "#income-cash") == "¥135.00"
        screen.query_one("#count-cash").focus()
        await pilot.press(*"635", "enter", *"113")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "对上 2 笔，有记录无账单 0 笔，有账单无记录 1 笔" in text_of(app, "#report")
        assert "支付宝：未对账" in text_of(app, "#report")
    (row,) = closeouts(engine)
    assert row.reconciled["wechat"]["matched"] == 2
    assert row.reconciled["wechat"]["unmatched_bill_lines_fen"] == 1200
    with reading(engine) as s:
        methods = sorted(p.method for p in s.exec(select(Payment)))
        audit = s.exec(select(AuditLog).where(AuditLog.action == "payment_method")).one()
    assert methods == ["cash", "wechat", "wechat"] and audit.detail == "cash->wechat"


async def test_a_file_that_is_no_bill_is_said_at_the_file(day, tmp_path: Path) -> None:
    _, path = day
    other = tmp_path / "notes.csv"
    other.write_text("姓名,电话\n张三,1\n", encoding="utf-8")
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_closeout(pilot)
        dialog = await read_bill(pilot, str(other))
        assert "is not a bill we know" in text_of(app, "#bill-file-error")
        assert app.focused is dialog.query_one("#bill-file")
        await pilot.press("ctrl+s")  # nothing read: nothing to use
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BillDialog)
        assert not app.screen.query_one("#bills").display


async def test_a_closed_day_has_no_bill_key(day) -> None:
    engine, path = day
    _, _, actor, _, _ = context((engine, path))
    counts = {"cash": 68000, "wechat": 6800}
    closeout.close_day(engine, actor, closeout.CloseInput(TODAY, counts), FIXED_NOW)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot)
        assert screen.check_action("import_bill", ()) is False
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen is screen
        shown = text_of(app, "#report")
        assert "微信支付：未对账（未导入账单）" in shown


# --- snapshots ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "lang"), [((80, 24), "zh"), ((120, 36), "zh"), ((80, 24), "en")])
def test_the_bill_read_snapshot(snap_compare, day, size, lang: str) -> None:
    async def read(pilot) -> None:
        await open_closeout(pilot)
        await read_bill(pilot)

    assert snap_compare(make_app(day[1], lang=lang), terminal_size=size, run_before=read)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_the_z_report_with_its_bill_snapshot(
    snap_compare, day, size, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_close = closeout.close_day

    def close_day(*args, **kwargs):  # the hash covers random staff ids: a fixed one shown
        return replace(real_close(*args, **kwargs), hash="0123456789abcdef" * 4)

    monkeypatch.setattr(closeout, "close_day", close_day)

    async def closed(pilot) -> None:
        screen = await open_closeout(pilot)
        await read_bill(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#count-cash").focus()
        await pilot.press(*"680", "enter", *"68")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.clear_notifications()
        screen.query_one("#closeout").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(make_app(day[1]), terminal_size=size, run_before=closed)
