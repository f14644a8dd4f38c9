"""Snapshots of a job fair's record and its add dialog at 80x24 and 120x36, in Chinese and
in English (fixed clock, tests/session_screen_data.fair_day). Update deliberately with
`pytest tests/test_fair_snapshots.py --snapshot-update` and read the SVGs."""

from __future__ import annotations

import pytest

from screens.desk.session_record import SessionScreen
from tests.conftest import MANAGER_PIN
from tests.session_screen_data import fair_day
from tests.tui_support import make_app, settle, sign_in

SIZES = [(80, 24), (120, 36)]
LANGS = ["zh", "en"]


async def fair_record(pilot, fair) -> None:
    await pilot.app.push_screen(SessionScreen(fair))
    await settle(pilot)
    await pilot.press("tab", "down")  # the fair's table, on its first posting
    await settle(pilot)


async def fair_add_dialog(pilot, fair) -> None:
    await pilot.app.push_screen(SessionScreen(fair))
    await settle(pilot)
    await pilot.press("b", *"白沙")
    await settle(pilot)


SCREENS = {"fair_record": fair_record, "fair_add_dialog": fair_add_dialog}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", SCREENS)
def test_fair_screen(snap_compare, desk_with_people, desk, screen: str, lang: str, size) -> None:
    engine, path = desk
    day = fair_day(engine)

    async def run_before(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await SCREENS[screen](pilot, day.fair)

    assert snap_compare(make_app(path, lang=lang), terminal_size=size, run_before=run_before)
