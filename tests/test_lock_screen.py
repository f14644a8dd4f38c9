"""A locked desk shows nothing: the lock covers the screen, and a reveal ends with it.

Checked on what the terminal shows (the screenshot's text), not on widget values: nothing
of the screens under the lock may be readable there.
"""

from __future__ import annotations

from pathlib import Path

from frontdesk.domain.privacy import mask_id, mask_phone
from screens.common.lock import LockScreen
from screens.desk.home import HomeScreen
from screens.desk.seeker_record import SeekerRecordScreen
from screens.desk.seekers import SeekerListScreen
from tests.conftest import MANAGER_PIN
from tests.test_seeker_screens import ID, PHONE, registered
from tests.tui_support import make_app, screen_text, settle, sign_in, text_of


async def lock_and_read(pilot) -> str:
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LockScreen)
    return screen_text(pilot.app)


async def unlock(pilot) -> None:
    await pilot.press(*MANAGER_PIN, "enter")
    await settle(pilot)


async def test_a_locked_home_shows_no_income(desk_with_income: Path) -> None:
    app = make_app(desk_with_income, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        assert isinstance(app.screen, HomeScreen)
        assert "93.50" in screen_text(app)  # today's income (35.00 cash + 58.50 WeChat)
        shown = await lock_and_read(pilot)
        for figure in ("93.50", "35.00", "58.50"):
            assert figure not in shown
        assert "陈主任" in shown  # the lock says whose PIN it wants, nothing more
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "93.50" in screen_text(app)


async def test_a_locked_list_shows_no_row(desk) -> None:
    engine, path = desk
    registered(engine)
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        assert "曾小明" in screen_text(app)
        shown = await lock_and_read(pilot)
        assert "曾小明" not in shown and mask_id(ID) not in shown
        assert mask_phone(PHONE) not in shown and ID[-4:] not in shown


async def test_a_revealed_record_is_hidden_by_the_lock_and_masked_after_it(desk) -> None:
    engine, path = desk
    registered(engine)
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"zxm", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        shown = screen_text(app)
        assert ID in shown and PHONE in shown  # revealed
        app.notify("Zeng Xiaoming 13800138000")  # a notice on screen goes with the lock too
        await pilot.pause()
        shown = await lock_and_read(pilot)
        assert ID not in shown and PHONE not in shown and "Zeng" not in shown
        assert ID[6:14] not in shown and mask_id(ID) not in shown
        await unlock(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        body = text_of(app, "#record-body")
        assert ID not in body and PHONE not in body
        assert mask_id(ID) in body and mask_phone(PHONE) in body


async def test_the_idle_lock_hides_a_reveal_too(desk) -> None:
    from tests.tui_support import FakeClock

    engine, path = desk
    registered(engine)
    clock = FakeClock()
    app = make_app(path, clock=clock, idle_lock_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"zxm", "enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert ID in text_of(app, "#record-body")
        clock.advance(minutes=1, seconds=1)
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert ID not in shown and PHONE not in shown and "曾小明" not in shown
        await unlock(pilot)
        assert mask_id(ID) in text_of(app, "#record-body")
        assert ID not in text_of(app, "#record-body")


async def test_the_lock_and_sign_out_drop_the_personal_data_key(desk) -> None:
    """Signing in holds the desk's key; F9 drops it until the PIN is typed again; F10 too."""
    from frontdesk.services import personal_keys

    engine, path = desk
    personal_keys.drop(engine)
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        held = app.desk.engine if app.desk is not None else None
        assert held is not None and personal_keys.held(held) is not None
        await lock_and_read(pilot)
        assert personal_keys.held(held) is None
        await unlock(pilot)
        assert personal_keys.held(held) is not None
        await pilot.press("f10")
        await settle(pilot)
        assert personal_keys.held(held) is None
