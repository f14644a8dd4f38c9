"""Head office's TUI signs in: the sign-in screen, the wrong-PIN lock, roles refused at the
form, the idle lock (Pilot tests on a copy of tests/hq_screen_support.py's store)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from db.models import AuditLog, Service
from frontdesk.hq.accounts import EDITOR, VIEWER
from frontdesk.i18n import t
from frontdesk.services.auth import MAX_FAILURES
from screens.hq.dashboard import DashboardScreen
from screens.hq.forms import HqForm
from screens.hq.lock import HqLockScreen
from screens.hq.signin import HqSignInScreen
from tests.hq_accounts_support import EDITOR_NAME, HQ_PIN, VIEWER_NAME, viewer
from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.test_hq_screens import Store, field_error, fill, highlight, open_reference
from tests.tui_support import screen_text, settle, text_of

SIZE = (100, 30)


@pytest.fixture(scope="module")
def template() -> Path:
    return central_template()


@pytest.fixture
def central(template: Path, tmp_path: Path) -> Path:
    return copy_central(template, tmp_path / "store")


@pytest.fixture
def store(central: Path):
    found = Store(central)
    yield found
    found.close()


async def sign_in(pilot, name: str, pin: str) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#hq-name").value = name
    await pilot.press("enter", *pin, "enter")
    await settle(pilot)


async def test_the_tui_opens_on_the_sign_in_and_shows_nothing_of_the_store(central) -> None:
    app = make_hq_app(central, signed_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HqSignInScreen) and app.actor is None
        shown = screen_text(app)
        assert "白沙社区" not in shown and "HS01" not in shown
        assert text_of(app, "#signin-title") == t("hq_account.signin_title")
        # The palette offers no screen of head office before a right PIN.
        commands = [c.help for c in app.get_system_commands(app.screen)]
        assert t("hqui.palette_reference") not in commands
        await pilot.press("f2")  # the dashboard's key does nothing here
        await settle(pilot)
        assert isinstance(app.screen, HqSignInScreen)
        await sign_in(pilot, EDITOR_NAME, HQ_PIN)
        assert isinstance(app.screen, DashboardScreen)
        assert app.actor is not None and (app.actor.name, app.actor.role) == (EDITOR_NAME, EDITOR)


async def test_a_wrong_pin_is_refused_and_five_lock_the_account(central) -> None:
    app = make_hq_app(central, signed_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, EDITOR_NAME, "999999")
        assert isinstance(app.screen, HqSignInScreen)
        wrong = t("signin.wrong_pin", name=EDITOR_NAME, left=MAX_FAILURES - 1)
        assert text_of(app, "#pin-error") == wrong
        assert app.screen.query_one("#pin").value == ""  # emptied for the next try
        for _ in range(MAX_FAILURES - 1):
            await pilot.press(*"999999", "enter")
            await settle(pilot)
        assert t("signin.locked", name=EDITOR_NAME, seconds=60) == text_of(app, "#pin-error")
        await pilot.press(*HQ_PIN, "enter")  # the right PIN waits for the lock to run out
        await settle(pilot)
        assert isinstance(app.screen, HqSignInScreen) and app.actor is None
        assert text_of(app, "#pin-error").startswith(
            t("signin.locked", name=EDITOR_NAME, seconds=1)[:8]
        )


async def test_an_unknown_name_is_said_under_the_name(central) -> None:
    app = make_hq_app(central, signed_in=False, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "Nobody", HQ_PIN)
        assert text_of(app, "#name-error") == t("hq_account.unknown")
        assert text_of(app, "#pin-error") == ""
        assert app.focused is app.screen.query_one("#hq-name")
        app.screen.query_one("#hq-name").value = ""
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert text_of(app, "#name-error") == t("hq_account.name_first")


async def test_a_store_that_cannot_be_opened_is_said_on_the_sign_in(tmp_path: Path) -> None:
    app = make_hq_app(tmp_path / "nope", signed_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HqSignInScreen)
        assert text_of(app, "#pin-error").startswith(t("hqui.store_failed", reason="")[:6])


async def test_a_viewer_reads_but_is_refused_a_change_at_the_form(central, store) -> None:
    viewer(store.engine)  # an account made by `central add-hq-staff --role viewer`
    before = store.one(Service, Service.code == "JZ01")
    audits = store.count(AuditLog)
    app = make_hq_app(central, signed_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, VIEWER_NAME, HQ_PIN)
        assert app.actor is not None and app.actor.role == VIEWER
        await open_reference(pilot, "services")
        await highlight(pilot, "#ref-services", "JZ01")
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, price="52")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HqForm)  # still open, with the reason in words
        assert field_error(app, "price") == ""
        assert text_of(app, "#form-error") == t("hq_account.needs_editor", name=VIEWER_NAME)
    after = store.one(Service, Service.code == "JZ01")
    assert (after.default_price_fen, after.row_version) == (
        before.default_price_fen,
        before.row_version,
    )
    assert store.count(AuditLog) == audits + 1  # the sign-in's own check, nothing more


async def test_the_idle_lock_covers_head_office_until_the_pin_is_typed(central) -> None:
    app = make_hq_app(central, signed_in=False)
    app.cfg = replace(app.cfg, idle_lock_minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, EDITOR_NAME, HQ_PIN)
        assert isinstance(app.screen, DashboardScreen)
        app.clock.advance(seconds=59)
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # not yet
        app.clock.advance(seconds=2)
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, HqLockScreen)
        shown = screen_text(app)
        assert "白沙社区" not in shown and t("hq_account.lock_title") in shown
        assert EDITOR_NAME in shown
        await pilot.press(*"999999", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HqLockScreen)
        wrong = t("signin.wrong_pin", name=EDITOR_NAME, left=MAX_FAILURES - 1)
        assert text_of(app, "#lock-error") == wrong
        await pilot.press(*HQ_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f9")  # and F9 locks at once
        await settle(pilot)
        assert isinstance(app.screen, HqLockScreen)
        await pilot.press("f10")  # sign out from the lock: back to the sign-in, nobody in
        await settle(pilot)
        assert isinstance(app.screen, HqSignInScreen) and app.actor is None
