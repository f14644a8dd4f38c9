"""The first day at the desk: the demo's PINs beside their names, a wrong PIN naming its
account, the first-run wizard's folder, Esc on unsaved typing, where saved files go."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, OptionList

from db.models import Person
from db.session import reading
from frontdesk.services import closeout
from frontdesk.services.closeout import CloseInput
from frontdesk.services.demo import build_demo
from screens.common.discard import DiscardDialog
from screens.common.save_paths import documents_dir, safe_name
from screens.desk.closeout_dialogs import AdjustmentDialog
from screens.desk.home import HomeScreen
from screens.desk.quick_log import QuickLogScreen
from screens.desk.seeker_dialogs import RevealDialog
from screens.desk.seeker_form import SeekerFormScreen
from screens.desk.seeker_record import SeekerRecordScreen
from screens.desk.seekers import SeekerListScreen
from screens.desk.setup import SetupScreen
from screens.desk.signin import SignInScreen
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.test_closeout_screens import context, log, open_closeout
from tests.test_seeker_screens import registered
from tests.tui_support import make_app, screen_text, settle, sign_in, text_of


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


# --- Esc on a form with unsaved typing ---------------------------------------------------------


async def test_esc_on_typing_asks_and_keeps_it_until_told(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SeekerFormScreen)
        await pilot.press(*"曾小明", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardDialog)
        assert "Throw away what you typed?" in screen_text(app)
        await pilot.press("escape")  # no: back to the form, the typing kept
        await settle(pilot)
        assert app.screen is form and form.query_one("#name", Input).value == "曾小明"
        await pilot.press("escape", "n")
        await settle(pilot)
        assert app.screen is form and form.query_one("#name", Input).value == "曾小明"
        await pilot.press("escape", "enter")  # yes: thrown away, nothing saved
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
    with reading(engine) as s:
        assert s.exec(select(Person)).first() is None


async def test_esc_leaves_at_once_with_nothing_typed(desk) -> None:
    engine, path = desk
    registered(engine)
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("escape")  # an empty new form
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        await pilot.press(*"zxm", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, SeekerFormScreen)
        await pilot.press("escape")  # an edit form as it was filled in
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", "y", "backspace", "escape")  # typed, then taken back
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)


async def test_the_quick_log_asks_too_and_y_leaves(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, QuickLogScreen)
        await pilot.press(*"zc", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardDialog)
        assert "放弃未保存的输入" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_typed_pin_is_left_without_a_question(desk) -> None:
    engine, path = desk
    registered(engine)
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"zxm", "enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RevealDialog)
        await pilot.press(*"12", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)


# --- files saved from the TUI ------------------------------------------------------------------


async def test_an_export_goes_to_the_documents_folder_under_a_suggested_name(desk) -> None:
    """conftest points FRONTDESK_DOCUMENTS_DIR at the test's own folder."""
    engine, path = desk
    registered(engine)
    documents = documents_dir()
    app = make_app(path, lang="en")
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        box = app.screen.query_one("#export-file", Input)
        assert box.value == "job-seekers-2026-11-26.xlsx" and box.has_focus
        await pilot.press("enter")
        await settle(pilot)
        first = documents / "job-seekers-2026-11-26.xlsx"
        assert first.is_file() and str(first) in said[-1]  # the full path is said
        await pilot.press("f6")
        await settle(pilot)
        box = app.screen.query_one("#export-file", Input)
        assert box.value == "job-seekers-2026-11-26-2.xlsx"  # never the taken name
        await pilot.press(*"mine/people.csv", "enter")  # typing replaces the suggestion
        await settle(pilot)
        assert "does not exist" in text_of(app, "#export-file-error")  # no folder is made
        (documents / "mine").mkdir()
        await pilot.press("enter")
        await settle(pilot)
        assert (documents / "mine" / "people.csv").is_file()
        assert str(documents / "mine" / "people.csv") in said[-1]


def test_a_suggested_name_is_fit_for_any_file_system() -> None:
    assert safe_name('王/小红:*?"<>|\t-2026-11-26.txt') == "王_小红________-2026-11-26.txt"


# --- pictures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SNAP_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_discard_question(snap_compare, desk, lang: str, size) -> None:
    _, path = desk
    app = make_app(path, lang=lang)

    async def typed_then_esc(pilot) -> None:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"曾小明", "escape")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=typed_then_esc)


@pytest.mark.parametrize("size", SNAP_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_lock_over_a_revealed_record(snap_compare, desk, size) -> None:
    """The picture holds the lock alone: no record, no number, no status bar."""
    engine, path = desk
    registered(engine)
    app = make_app(path)

    async def revealed_then_locked(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"zxm", "enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=revealed_then_locked)


async def test_a_box_the_dialog_filled_itself_is_not_typing(desk) -> None:
    """The adjustment dialog fills in the last closed day from a worker: Esc leaves at once;
    once something is typed, it asks."""
    ctx = context(desk)
    engine, path, actor, _, _ = ctx
    yesterday = date(2026, 11, 25)
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=1))
    closeout.close_day(engine, actor, CloseInput(yesterday, {"cash": 4500}), FIXED_NOW)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, AdjustmentDialog)
        assert app.screen.query_one("#day", Input).value == "2026-11-25"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("f2")
        await settle(pilot)
        app.screen.query_one("#service", Input).focus()
        await pilot.press(*"JZ01", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardDialog)
