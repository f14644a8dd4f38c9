"""Snapshots of the group-activity screens at 80x24 and 120x36, in Chinese and in English.

Fixed clock (FIXED_NOW), the activities of tests/session_screen_data.py (fixed names and
phones, masked as the service gives them). Update deliberately with
`pytest tests/test_session_snapshots.py --snapshot-update` and read the SVGs.
"""

from __future__ import annotations

import pytest

from screens.desk.session_record import SessionScreen
from tests.conftest import MANAGER_PIN
from tests.session_screen_data import activity_day
from tests.tui_support import make_app, settle, sign_in

SIZES = [(80, 24), (120, 36)]
LANGS = ["zh", "en"]


@pytest.fixture
def day(desk_with_people, desk):
    engine, path = desk
    return activity_day(engine), path


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def session_list(pilot, d) -> None:
    await press(pilot, "f12")


async def class_register(pilot, d) -> None:
    await press(pilot, "f12", "a", "a")


async def course_record(pilot, d) -> None:
    await pilot.app.push_screen(SessionScreen(d.course))
    await settle(pilot)


async def enrol_dialog(pilot, d) -> None:
    await course_record(pilot, d)
    await press(pilot, "e", *"zxm")


async def completion_list(pilot, d) -> None:
    await course_record(pilot, d)
    await press(pilot, "l")


async def form_with_errors(pilot, d) -> None:
    await press(pilot, "f12", "ctrl+n")
    form = pilot.app.screen
    for name, value in {"ends_on": "2026-11-20", "hours": "16:00", "capacity": "0"}.items():
        form.query_one(f"#{name}").value = value
    form.query_one("#hours_end").value = "14:00"
    await press(pilot, "ctrl+s")


SCREENS = {
    "session_list": session_list,
    "class_register": class_register,
    "course_record": course_record,
    "enrol_dialog": enrol_dialog,
    "completion_list": completion_list,
    "form_with_errors": form_with_errors,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", SCREENS)
def test_session_screen(snap_compare, day, screen: str, lang: str, size) -> None:
    d, path = day

    async def run_before(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await SCREENS[screen](pilot, d)

    assert snap_compare(make_app(path, lang=lang), terminal_size=size, run_before=run_before)
