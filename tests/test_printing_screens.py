"""Printing from the TUI: the receipt after a paid save (F4), a fault that never undoes the
sale, the printer settings screen (save into the config file, test page), its snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Payment, Receipt, WalkIn
from db.session import reading
from screens.desk.home import HomeScreen
from screens.desk.printer_settings import PrinterSettingsScreen
from screens.desk.quick_log import QuickLogScreen
from tests.conftest import MANAGER_PIN
from tests.tui_support import make_app, screen_text, settle, sign_in

FIXED_CONFIG = "/etc/frontdesk/config.toml"  # shown on the settings screen: fixed for snapshots


@pytest.fixture(autouse=True)
def _no_printer_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTDESK_PRINTER", raising=False)


def configure(printer: str) -> None:
    import os

    Path(os.environ["FRONTDESK_CONFIG"]).write_text(
        f"idle_lock_minutes = 7\n\n[printer]\n{printer}\n", encoding="utf-8"
    )


async def paid_save(pilot) -> None:
    await sign_in(pilot, MANAGER_PIN)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press(*"JZ01", "enter", "enter", "2", "enter")  # service, price, WeChat, save
    await settle(pilot)
    assert isinstance(pilot.app.screen, QuickLogScreen)


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_f4_after_a_paid_save_prints_its_receipt(desk, tmp_path: Path) -> None:
    engine, path = desk
    out = tmp_path / "lp0"
    configure(f'kind = "file"\ndevice = "{out}"')
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await paid_save(pilot)
        assert "F4" in notices(app)  # the save offers the receipt
        await pilot.press("f4")
        await settle(pilot)
        assert "HS01-1-000001" in notices(app)
    data = out.read_bytes()
    assert "收  据".encode("gb18030") in data and b"HS01-1-000001" in data
    with reading(engine) as s:
        assert s.exec(select(Receipt.number)).all() == [1]


async def test_a_printer_fault_says_why_and_keeps_the_sale(desk, tmp_path: Path) -> None:
    engine, path = desk
    configure(f'kind = "file"\ndevice = "{tmp_path / "unplugged" / "lp0"}"')
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await paid_save(pilot)
        await pilot.press("f4")
        await settle(pilot)
        said = notices(app)
        assert "无法打印" in said and "HS01-1-000001 已保存" in said
        assert isinstance(app.screen, QuickLogScreen)  # the clerk goes on
    with reading(engine) as s:  # the sale and the receipt stay
        assert len(s.exec(select(WalkIn)).all()) == 1 and len(s.exec(select(Payment)).all()) == 1
        assert len(s.exec(select(Receipt)).all()) == 1


async def test_f4_offers_nothing_before_a_paid_save(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.check_action("print_receipt", ()) is False


# --- the settings screen ---------------------------------------------------------------------


async def open_settings(pilot) -> None:
    await sign_in(pilot, MANAGER_PIN)
    await pilot.press("ctrl+o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PrinterSettingsScreen)


async def test_settings_are_saved_into_the_config_file(desk) -> None:
    import os
    import tomllib

    _, path = desk
    configure('kind = "none"')
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        screen = app.screen
        screen.query_one("#kind").value = "network"
        screen.query_one("#host").value = "192.168.1.50"
        screen.query_one("#width_mm").value = 80
        screen.query_one("#cut").value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.cfg.printer.where() == "network:192.168.1.50:9100"  # printing uses it now
        assert app.cfg.printer.columns == 48
    saved = tomllib.loads(Path(os.environ["FRONTDESK_CONFIG"]).read_text(encoding="utf-8"))
    assert saved["idle_lock_minutes"] == 7  # the rest of the file stays
    assert saved["printer"] == {
        "kind": "network",
        "host": "192.168.1.50",
        "port": 9100,
        "width_mm": 80,
        "encoding": "gb18030",
        "chinese_mode": True,
        "cut": False,
    }


async def test_a_missing_host_is_said_at_its_box_and_nothing_is_written(desk) -> None:
    import os

    _, path = desk
    configure('kind = "none"')
    before = Path(os.environ["FRONTDESK_CONFIG"]).read_text(encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        app.screen.query_one("#kind").value = "network"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "缺少连接信息" in str(app.screen.query_one("#host-error").render())
        assert app.screen.focused is app.screen.query_one("#host")
    assert Path(os.environ["FRONTDESK_CONFIG"]).read_text(encoding="utf-8") == before


async def test_f6_prints_the_test_page_with_the_settings_on_screen(desk, tmp_path: Path) -> None:
    _, path = desk
    out = tmp_path / "lp0"
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        app.screen.query_one("#kind").value = "file"
        app.screen.query_one("#device").value = str(out)
        await pilot.press("f6")
        await settle(pilot)
        assert f"file:{out}" in notices(app)
    assert "打印测试".encode("gb18030") in out.read_bytes()


# --- snapshots ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_printer_settings_snapshot(snap_compare, desk, monkeypatch, lang: str, size) -> None:
    _, path = desk
    configure('kind = "network"\nhost = "192.168.1.50"\nwidth_mm = 58')
    app = make_app(path, lang=lang)
    monkeypatch.setenv("FRONTDESK_CONFIG", FIXED_CONFIG)  # the path the screen names
    assert snap_compare(app, terminal_size=size, run_before=open_settings)


async def test_the_settings_screen_shows_every_box_at_80x24(desk) -> None:
    _, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        text = screen_text(app)
        for label in ("Kind", "Host", "Port", "Device", "USB vendor", "Paper", "Encoding"):
            assert label in text, label
        assert "Chinese mode" in text and "Cut after printing" in text


async def test_p_on_todays_log_reprints_a_receipt_by_its_number(desk, tmp_path: Path) -> None:
    from screens.desk.reprint_dialog import ReprintDialog

    _, path = desk
    out = tmp_path / "lp0"
    configure(f'kind = "file"\ndevice = "{out}"')
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await paid_save(pilot)
        await pilot.press("f4")  # the first print
        await settle(pilot)
        await pilot.press("escape", "f4")  # home, today's log
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ReprintDialog)
        await pilot.press(*"HS01-1-000002", "enter")  # a number never issued: said at the box
        await settle(pilot)
        assert "没有收据号" in str(app.screen.query_one("#document-error").render())
        app.screen.query_one("#document").value = ""
        await pilot.press("1", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ReprintDialog)
        assert "已重印" in notices(app)
    assert "重印".encode("gb18030") in out.read_bytes()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reprint_dialog_snapshot(snap_compare, desk, lang: str, size) -> None:
    _, path = desk

    async def open_dialog(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(make_app(path, lang=lang), terminal_size=size, run_before=open_dialog)


async def test_a_print_says_how_it_went_after_its_screen_has_closed(desk, tmp_path: Path) -> None:
    """F6 then Esc: the receipt screen is gone before the printer answers (a named pipe
    nobody reads yet: the print blocks in its open), and the outcome is still said once the
    printer takes the page (the print is the app's worker, not the screen's)."""
    import os
    import threading

    from screens.desk.receipt_view import ReceiptScreen
    from tests.test_receipts import clerk, paid_walkin

    engine, path = desk
    paid_walkin(engine, clerk(engine))
    out = tmp_path / "lp0"
    os.mkfifo(out)
    configure(f'kind = "file"\ndevice = "{out}"')
    received: list[bytes] = []
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("f6", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReceiptScreen)  # closed while the print waits
        printer = threading.Thread(target=lambda: received.append(out.read_bytes()))
        printer.start()
        await settle(pilot)
        printer.join(10)
        assert "HS01-1-000001" in notices(app) and "已打印" in notices(app)
    assert b"HS01-1-000001" in received[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_receipt_screen_snapshot(snap_compare, desk, lang: str, size) -> None:
    """R on today's log: the receipt as the 58 mm printer prints it."""
    from tests.test_receipts import clerk, paid_walkin

    engine, path = desk
    paid_walkin(engine, clerk(engine))

    async def open_receipt(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(make_app(path, lang=lang), terminal_size=size, run_before=open_receipt)


async def test_f6_on_the_close_out_prints_the_z_report_with_signature_lines(
    desk, tmp_path: Path
) -> None:
    from frontdesk.services.closeout import CloseInput, close_day
    from screens.desk.closeout import CloseoutScreen
    from tests.conftest import FIXED_NOW
    from tests.test_receipts import clerk, paid_walkin

    engine, path = desk
    actor = clerk(engine)
    paid_walkin(engine, actor)
    close_day(engine, actor, CloseInput(FIXED_NOW.date(), {"wechat": 3500}), FIXED_NOW)
    out = tmp_path / "lp0"
    configure(f'kind = "file"\ndevice = "{out}"\nwidth_mm = 80')
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, CloseoutScreen)
        await pilot.press("f6")
        await settle(pilot)
        assert "日结报表" in notices(app)
    data = out.read_bytes()
    assert "Z 日结报表".encode("gb18030") in data
    assert "负责人签字".encode("gb18030") + b"_" * 38 + b"\n" in data  # 48 columns
