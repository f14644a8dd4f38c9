"""The first day at the desk: the demo's PINs beside their names, a wrong PIN naming its
account, the first-run wizard's folder, Esc on unsaved typing, where saved files go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from frontdesk.services.demo import build_demo
from screens.desk.home import HomeScreen
from screens.desk.setup import SetupScreen
from screens.desk.signin import SignInScreen
from tests.conftest import CLERK_PIN
from tests.tui_support import make_app, settle, sign_in, text_of


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "desk.sqlite3"
    build_demo(path, seed=2026, today=date(2026, 11, 26), weeks=1)
    return path


# --- sign-in ---------------------------------------------------------------------------------


async def test_the_demo_hint_gives_each_listed_name_its_own_pin(demo_db: Path) -> None:
    """Every name on the list has its PIN beside it in the hint, and that PIN signs that
    person in (the old hint said "clerks 1111 / 2222" in an order the list did not keep)."""
    app = make_app(demo_db, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#staff", OptionList)
        names = [str(option.prompt).split()[0] for option in box.options]
        line = text_of(app, "#signin-note").split("Demo PINs: ")[1].split("\n")[0]
        hinted = dict(pair.split() for pair in line.split("  "))
        assert list(hinted) == names and len(names) == 3
        for index, name in enumerate(names):
            await sign_in(pilot, hinted[name], staff_index=index)
            assert isinstance(app.screen, HomeScreen) and app.staff.name == name
            app.action_sign_out()
            await settle(pilot)
            assert isinstance(app.screen, SignInScreen)


async def test_a_wrong_pin_names_the_account_it_counted_against(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=0)  # the clerk's PIN on the manager's name
        assert isinstance(app.screen, SignInScreen)
        message = text_of(app, "#pin-error")
        assert message == "PIN 码错误（计入陈主任的账号），还可再试 4 次"
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "0000", staff_index=1)
        assert text_of(app, "#pin-error") == "Wrong PIN for 李文员's account: 4 tries left"


# --- the first-run wizard's folder -------------------------------------------------------------

SNAP_SIZES = [(80, 24), (120, 36)]


async def test_a_missing_folder_is_asked_about_before_the_fields(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-drive" / "desk.sqlite3"
    elsewhere = tmp_path / "desk.sqlite3"
    app = make_app(missing, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.focused.id == "db_path"  # before any field is filled in
        said = text_of(app, "#db_path-error")
        assert str(missing.parent) in said and "does not exist" in said
        box = app.screen.query_one("#db_path", Input)
        box.value = str(elsewhere)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.focused.id == "site_code" and text_of(app, "#db_path-error") == ""
        await pilot.press(*"HS09", "enter", *"白沙社区", "enter", *"陈主任", "enter")
        await pilot.press(*"246810", "enter", *"246810", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.cfg.db == elsewhere  # this run opens what it made
        await sign_in(pilot, "246810")
        assert isinstance(app.screen, HomeScreen) and app.desk.site_code == "HS09"
    assert elsewhere.exists() and not missing.parent.exists()


async def test_f2_makes_the_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "data" / "frontdesk" / "desk.sqlite3"
    app = make_app(missing)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert missing.parent.is_dir() and not missing.exists()
        assert "已新建文件夹" in text_of(app, "#db_path-error")
        assert app.screen.focused.id == "site_code"
        for field, value in [("site_code", "HS02"), ("site_name", "白沙"), ("manager", "陈")]:
            app.screen.query_one(f"#{field}", Input).value = value
        app.screen.query_one("#pin", Input).value = "246810"
        app.screen.query_one("#pin_again", Input).value = "246810"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
    assert missing.exists()


async def test_create_with_the_folder_still_missing_writes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "desk.sqlite3"
    app = make_app(missing, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for field, value in [("site_code", "HS02"), ("site_name", "Site"), ("manager", "Chen")]:
            screen.query_one(f"#{field}", Input).value = value
        screen.query_one("#pin", Input).value = "246810"
        screen.query_one("#pin_again", Input).value = "246810"
        screen.query_one("#pin_again", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen) and screen.focused.id == "db_path"
        assert "does not exist" in text_of(app, "#db_path-error")
        screen.query_one("#db_path", Input).value = ""
        await pilot.press("enter")
        assert "Type the database file's path" in text_of(app, "#db_path-error")
    assert not missing.parent.exists()


async def test_an_existing_folder_asks_no_path(tmp_path: Path) -> None:
    app = make_app(tmp_path / "desk.sqlite3")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#db_path") and app.screen.focused.id == "site_code"
        assert "f2" not in app.screen.active_bindings  # no folder to make


@pytest.mark.parametrize("size", SNAP_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_setup_asks_about_a_missing_folder(snap_compare, lang: str, size) -> None:
    # A fixed path whose folder no test machine has: the screen shows it, so it must not vary.
    app = make_app(Path("/srv/frontdesk/desk.sqlite3"), lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=settle)
