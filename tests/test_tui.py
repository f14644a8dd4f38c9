"""Pilot tests of the shell: sign-in, wrong PIN, lockout, idle lock, navigation, first run."""

from __future__ import annotations

import asyncio
import importlib
import time
from pathlib import Path

import pytest
from textual.command import CommandPalette

from frontdesk.i18n import t
from frontdesk.services.auth import LOCK_SECONDS, MAX_FAILURES
from screens.common.help import HelpScreen
from screens.common.keys import binding_label, key_display
from screens.common.lock import LockScreen
from screens.desk.home import HomeScreen
from screens.desk.setup import SetupScreen
from screens.desk.signin import SignInScreen
from screens.desk_app import EXIT_ON_READY, FrontdeskApp
from tests.conftest import CLERK_PIN, MANAGER_PIN
from tests.tui_support import FakeClock, make_app, settle, sign_in


def error_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_right_pin_opens_home(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, MANAGER_PIN)  # 陈主任 sorts before 李文员
        assert isinstance(app.screen, HomeScreen)
        assert app.staff is not None and app.staff.role == "manager"


async def test_wrong_pin_says_so_and_stays(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "0000")
        assert isinstance(app.screen, SignInScreen)
        assert "PIN 码错误" in error_text(app, "#pin-error")
        assert app.screen.query_one("#pin").value == ""


async def test_five_wrong_pins_lock_the_account(desk) -> None:
    _, path = desk
    clock = FakeClock()
    app = make_app(path, lang="en", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(MAX_FAILURES):
            await sign_in(pilot, "0000", staff_index=1)
        assert "locked" in error_text(app, "#pin-error")
        await sign_in(pilot, CLERK_PIN, staff_index=1)  # even the right PIN waits
        assert isinstance(app.screen, SignInScreen)
        clock.advance(seconds=LOCK_SECONDS + 1)
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        assert isinstance(app.screen, HomeScreen)
        assert app.staff.role == "clerk"


async def test_idle_desk_locks_and_asks_for_the_pin(desk) -> None:
    _, path = desk
    clock = FakeClock()
    app = make_app(path, clock=clock, idle_lock_minutes=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        clock.advance(minutes=1)
        app.lock_if_idle()
        assert not isinstance(app.screen, LockScreen)
        clock.advance(minutes=1, seconds=1)
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("9", "9", "9", "9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "PIN 码错误" in error_text(app, "#lock-error")
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_idle_timer_locks_the_desk_by_itself(desk) -> None:
    """Nobody calls lock_if_idle here: the app's own interval timer must notice the idle desk."""
    _, path = desk
    clock = FakeClock()
    app = make_app(path, clock=clock, idle_lock_minutes=1)
    app.IDLE_CHECK_S = 0.02  # the timer's period; 5 s in the running desk
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        clock.advance(seconds=50)
        await pilot.pause(0.3)  # many ticks, still under the limit
        assert isinstance(app.screen, HomeScreen)
        clock.advance(seconds=11)
        deadline = time.monotonic() + 1.5
        while not isinstance(app.screen, LockScreen) and time.monotonic() < deadline:
            await pilot.pause(0.02)
        assert isinstance(app.screen, LockScreen)
        assert app.locked


async def test_typing_keeps_the_desk_awake(desk) -> None:
    _, path = desk
    clock = FakeClock()
    app = make_app(path, clock=clock, idle_lock_minutes=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        clock.advance(minutes=1, seconds=50)
        await pilot.press("ctrl+r")  # any key counts as activity
        await settle(pilot)
        clock.advance(seconds=20)
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_keys_reach_every_section(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.staff is None


# Every section of the desk: its key on home, the name the palette finds it by, its screen.
SECTIONS = [
    ("f2", "seekers", "screens.desk.seekers:SeekerListScreen"),
    ("f3", "quick_log", "screens.desk.quick_log:QuickLogScreen"),
    ("f4", "day_log", "screens.desk.day_log:DayLogScreen"),
    ("f5", "closeout", "screens.desk.closeout:CloseoutScreen"),
    ("f6", "gig_orders", "screens.desk.gig_orders:GigOrdersScreen"),
    ("f7", "gig_board", "screens.desk.gig_board:GigBoardScreen"),
    ("f8", "sync", "screens.desk.sync_screen:SyncScreen"),
]


def screen_class(where: str) -> type:
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_help_lists_every_key_of_the_screen(desk, lang: str) -> None:
    _, path = desk
    app = make_app(path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys")
        rows = {
            tuple(str(cell) for cell in table.get_row_at(i)[:2]) for i in range(table.row_count)
        }
        # What home and the shell declare and show, worked out here, not by the help screen.
        shown = [b for b in (*HomeScreen.BINDINGS, *FrontdeskApp.BINDINGS) if b.show]
        assert all(binding_label(b) for b in shown), "a key people see has no name"
        wanted = {(key_display(b), binding_label(b)) for b in shown}
        assert wanted <= rows, sorted(wanted - rows)
        keys = {key for key, _ in rows}
        assert {f"F{n}" for n in range(1, 11)} | {"Ctrl+R", "Ctrl+Q", "Ctrl+P"} <= keys


@pytest.mark.parametrize(("key", "section", "where"), SECTIONS)
async def test_each_key_on_home_opens_its_section(desk, key: str, section: str, where: str) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen) is screen_class(where), section


@pytest.mark.parametrize(("key", "section", "where"), SECTIONS)
async def test_the_palette_reaches_each_section(desk, key: str, section: str, where: str) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*t(f"key.{section}"))  # the section's name as the key bar shows it
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not CommandPalette.is_open(app)
        assert type(app.screen) is screen_class(where), key


async def test_home_shows_todays_income(desk_with_income) -> None:
    path = desk_with_income
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        figures = app.screen.figures  # 35.00 cash + 58.50 WeChat; yesterday's entry excluded
        assert figures.income_fen == 9350
        assert figures.by_method["cash"] == 3500 and figures.by_method["alipay"] == 0
        assert figures.payments == 2


async def test_first_run_creates_the_desk(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"x", "enter", *"白沙社区", "enter", *"陈主任", "enter")
        await pilot.press(*"246810", "enter", *"246810", "enter")
        await settle(pilot)
        assert "站点代码" in error_text(app, "#site_code-error")
        assert not path.exists()  # bad input writes nothing
        app.screen.query_one("#site_code").value = "hs09"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "246810")
        assert isinstance(app.screen, HomeScreen)
        assert app.desk.site_code == "HS09"


async def test_setup_pins_must_match(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for field, value in [("site_code", "HS02"), ("site_name", "Site"), ("manager", "Chen")]:
            screen.query_one(f"#{field}").value = value
        screen.query_one("#pin").value = "2468"
        screen.query_one("#pin_again").value = "2469"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "differ" in error_text(app, "#pin_again-error")
        assert not path.exists()


async def test_not_a_database_is_reported_on_sign_in(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("not a database")
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "not a desk database" in error_text(app, "#pin-error")
        assert app.screen.query_one("#pin").disabled
    assert path.read_text() == "not a database"


async def test_desk_of_another_site_is_refused(desk) -> None:
    _, path = desk
    app = make_app(path, lang="en", site="HS02")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "belongs to site HS01" in error_text(app, "#pin-error")


async def test_older_database_is_backed_up_upgraded_and_said_so(tmp_path: Path) -> None:
    from db.engine import make_engine
    from db.migrate import upgrade
    from frontdesk.services.auth import hash_pin

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, "0001")  # a desk made by the first release
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO sites (id, site_code, created_at, updated_at, row_version, code, name,"
            " name_en, category, rebate_rate_bp, rebate_base, closeout_tolerance_fen,"
            " min_wage_fen_per_hour, active) VALUES ('00000000000070008000000000000001', 'HS01',"
            " '2026-01-01', '2026-01-01', 1, 'HS01', '白沙社区', '', '', 2000,"
            " 'community_share', 0, 1700, 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO staff (id, site_code, created_at, updated_at, row_version, name, role,"
            " pin_hash, active) VALUES ('00000000000070008000000000000002', 'HS01',"
            " '2026-01-01', '2026-01-01', 1, '陈主任', 'manager', ?, 1)",
            (hash_pin("2468"),),
        )
        conn.exec_driver_sql(
            "INSERT INTO desk_info (id, site_code, database_uuid, created_at, demo)"
            " VALUES (1, 'HS01', '00000000000070008000000000000003', '2026-01-01', 0)"
        )
    engine.dispose()
    app = make_app(path, lang="en")
    messages: list[str] = []
    app.notify = lambda message, **kw: messages.append(message)  # record what the desk says
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("backed up" in m for m in messages)
        await sign_in(pilot, "2468")
        assert isinstance(app.screen, HomeScreen)
    backups = list(tmp_path.glob("old.sqlite3.0001-*.bak"))
    assert len(backups) == 1


@pytest.mark.parametrize(("mode", "staff_shown"), [("1", 0), ("usable", 2)])
async def test_exit_on_ready_leaves_at_first_paint_or_once_usable(
    desk, monkeypatch: pytest.MonkeyPatch, mode: str, staff_shown: int
) -> None:
    """bench/startup.py times both: "1" before the staff list loads, "usable" after."""
    _, path = desk
    monkeypatch.setenv(EXIT_ON_READY, mode)
    app = make_app(path)
    at_exit: list[int] = []
    leave = app.exit

    def exit_(*args, **kwargs) -> None:
        staff = app.screen.query_one("#staff")
        at_exit.append(sum(not o.disabled for o in staff.options))
        leave(*args, **kwargs)

    app.exit = exit_
    await asyncio.wait_for(app.run_async(headless=True, size=(80, 24)), timeout=30)
    assert at_exit == [staff_shown]  # the manager and the clerk, or nothing yet
    assert app.return_code == 0
    # Neither waits for the ORM: the staff list is read with sqlite3 alone (db/peek.py).
    assert app.desk is None


async def test_exit_when_usable_fails_when_the_sign_in_cannot_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("not a database")
    monkeypatch.setenv(EXIT_ON_READY, "usable")
    app = make_app(path)
    await asyncio.wait_for(app.run_async(headless=True, size=(80, 24)), timeout=30)
    assert app.return_code == 1  # the bench reports a failed run, not a fast one
