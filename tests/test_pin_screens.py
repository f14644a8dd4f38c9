"""Pilot tests of signing in with head office's one-time code and choosing a new PIN, and
snapshots of the screens PINs and codes changed, at 80x24 and 120x36 in both languages."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Staff
from db.session import reading, writing
from frontdesk.i18n import t
from frontdesk.services import auth
from frontdesk.services.auth import sign_in
from screens.common.lock import LockScreen
from screens.desk.home import HomeScreen
from screens.desk.new_pin import NewPinScreen
from screens.desk.signin import SignInScreen
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.tui_support import FakeClock, make_app, settle, text_of
from tests.tui_support import sign_in as pilot_sign_in

CODE = "4821093755128804"
NEW_PIN = "864213"
CLERK = 1  # the clerk's place on the sign-in list (managers first)
SIZES = [(80, 24), (120, 36)]
LANGS = ["zh", "en"]


def error_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def staff_id(engine, name: str) -> uuid.UUID:
    with reading(engine) as s:
        return s.exec(select(Staff.id).where(Staff.name == name)).one()


def code_waits(engine, who: uuid.UUID, code: str = CODE) -> None:
    """Head office's reset as a pull leaves it in the desk's staff row."""
    issued = auth.IssuedReset(code, uuid.UUID(int=7), auth.hash_code(code), FIXED_NOW)
    with writing(engine) as s:
        issued.apply(s.get(Staff, who))


@pytest.fixture
def code_desk(desk) -> tuple[Path, uuid.UUID]:
    """The desk with a one-time code waiting for the clerk."""
    engine, path = desk
    clerk = staff_id(engine, "李文员")
    code_waits(engine, clerk)
    return path, clerk


async def at_the_clerk(pilot) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#staff").highlighted = CLERK
    pilot.app.screen.query_one("#pin").focus()
    await pilot.pause()


# --- Pilot -----------------------------------------------------------------------------------


async def test_code_and_new_pin_typed_in_one_burst_sign_in(
    desk, code_desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = desk
    path, clerk = code_desk
    # A slow desk PC: no code is checked until every key has been typed, so the keys after
    # the code land in the new-PIN form only if it opens before the next key.
    gate, check = threading.Event(), auth.verify_code
    monkeypatch.setattr(auth, "verify_code", lambda *a: gate.wait(10) and check(*a))
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_clerk(pilot)
        assert "one-time code" in text_of(app, "#signin-note")
        await pilot.press(*CODE, "enter", *NEW_PIN, "enter", *NEW_PIN, "enter")
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.staff is not None and app.staff.staff_id == clerk
    assert sign_in(engine, clerk, NEW_PIN, FIXED_NOW).name == "李文员"


async def test_the_same_code_fails_the_second_time(code_desk) -> None:
    path, _ = code_desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_clerk(pilot)
        await pilot.press(*CODE, "enter", *NEW_PIN, "enter", *NEW_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f10")  # sign out, and try the code again
        await settle(pilot)
        await at_the_clerk(pilot)
        assert "one-time code" not in text_of(app, "#signin-note")
        await pilot.press(*CODE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)  # a used code is just a wrong PIN
        assert "Wrong PIN" in error_text(app, "#pin-error")
        await pilot_sign_in(pilot, NEW_PIN, staff_index=CLERK)
        assert isinstance(app.screen, HomeScreen)


async def test_a_wrong_code_is_said_under_the_code_and_typed_again(desk, code_desk) -> None:
    path, clerk = code_desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_clerk(pilot)
        wrong = "4821093755128805"
        await pilot.press(*wrong, "enter", *NEW_PIN, "enter", *NEW_PIN, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewPinScreen)
        assert "Wrong PIN" in error_text(app, "#code-error")
        assert app.focused is screen.query_one("#code") and screen.query_one("#code").value == ""
        assert screen.query_one("#new_pin").value == ""  # typed again from scratch
        await pilot.press(*CODE, "enter", *NEW_PIN, "enter", *NEW_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.staff.staff_id == clerk


@pytest.mark.parametrize(
    ("first", "again", "field", "message"),
    [
        ("24680", "24680", "new_pin", t("pin.new_format", least=6, most=12)),
        (NEW_PIN, "864214", "new_pin_again", t("pin.mismatch")),
    ],
)
async def test_a_bad_new_pin_keeps_the_code_waiting(
    desk, code_desk, first, again, field, message
) -> None:
    engine, _ = desk
    path, clerk = code_desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_clerk(pilot)
        await pilot.press(*CODE, "enter", *first, "enter", *again, "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewPinScreen)
        assert error_text(app, f"#{field}-error") == message
        assert app.focused is app.screen.query_one("#new_pin")
        await pilot.press("escape")  # leave: the code still works next time
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.focused is app.screen.query_one("#pin")
    with pytest.raises(auth.NewPinNeeded):
        sign_in(engine, clerk, CODE, FIXED_NOW)


async def test_the_old_pin_is_refused_once_a_code_waits(code_desk) -> None:
    path, _ = code_desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot_sign_in(pilot, CLERK_PIN, staff_index=CLERK)
        assert isinstance(app.screen, SignInScreen)
        assert "no longer works" in error_text(app, "#pin-error")


async def test_a_reset_that_arrives_while_signed_in_is_taken_at_the_lock(desk) -> None:
    engine, path = desk
    clerk = staff_id(engine, "李文员")
    app = make_app(path, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot_sign_in(pilot, CLERK_PIN, staff_index=CLERK)
        assert isinstance(app.screen, HomeScreen)
        code_waits(engine, clerk)  # pulled by the background sync meanwhile
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*CLERK_PIN, "enter")
        await settle(pilot)
        assert "一次性码" in error_text(app, "#lock-error")
        await pilot.press(*CODE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewPinScreen)
        await pilot.press(*NEW_PIN, "enter", *NEW_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and not app.locked
    assert sign_in(engine, clerk, NEW_PIN, FIXED_NOW).role == "clerk"


async def test_a_manager_pin_is_still_asked_as_before(desk) -> None:
    """Nothing changes for a PIN kept at the desk (the manager signs in as ever)."""
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot_sign_in(pilot, MANAGER_PIN)
        assert isinstance(app.screen, HomeScreen)


# --- snapshots: the desk -----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_with_a_code_waiting(snap_compare, code_desk, lang: str, size) -> None:
    path, _ = code_desk
    app = make_app(path, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=at_the_clerk)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_choosing_a_new_pin(snap_compare, code_desk, lang: str, size) -> None:
    path, _ = code_desk
    app = make_app(path, lang=lang)

    async def mismatch(pilot) -> None:
        await at_the_clerk(pilot)
        await pilot.press(*CODE, "enter", *NEW_PIN, "enter", *"864214", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=mismatch)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_setup_suggests_six_digits(snap_compare, lang: str, size) -> None:
    # A fixed path that is never created, in a folder every machine has (a missing folder is
    # asked about first: test_first_day): the screen shows it, so it must not vary.
    app = make_app(Path("/frontdesk-never-made.sqlite3"), lang=lang)

    async def short_pin(pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        for field, value in [("site_code", "HS01"), ("site_name", "白沙社区"), ("manager", "陈")]:
            screen.query_one(f"#{field}").value = value
        screen.query_one("#pin").focus()
        await pilot.press(*"2468", "tab", *"2468", "ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=short_pin)


# --- snapshots: head office --------------------------------------------------------------------


@pytest.fixture(scope="module")
def hq_template() -> Path:
    return central_template()


@pytest.fixture
def central(hq_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(auth, "new_code", lambda: CODE)
    return copy_central(hq_template, tmp_path / "store")


def at_staff(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f2", "2")
        await settle(pilot)
        table = pilot.app.screen.query_one("#ref-staff")
        names = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        table.move_cursor(row=names.index("李文员"))
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_new_staff_account_form(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=size, run_before=at_staff("n"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_resetting_a_pin(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=size, run_before=at_staff("p"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_the_code_shown_once(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=size, run_before=at_staff("p", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_staff_list_with_a_code_not_used(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=size, run_before=at_staff("p", "enter", "enter"))
