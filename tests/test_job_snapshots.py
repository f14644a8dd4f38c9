"""Snapshots of the employment screens and dialogs at 80x24 and 120x36, in Chinese and in
English.

Fixed clock (FIXED_NOW), the employers, postings and referrals of tests/job_screen_data.py
over the `desk_with_people` registrations (fixed names and phones, masked as the service
gives them). Update deliberately with `pytest tests/test_job_snapshots.py
--snapshot-update` and read the SVGs (CJK names must line up in every table).
"""

from __future__ import annotations

import pytest

from screens.desk.follow_ups import FollowUpsScreen
from screens.desk.posting_record import PostingScreen
from screens.desk.seeker_record import SeekerRecordScreen
from tests.conftest import MANAGER_PIN
from tests.job_screen_data import job_day
from tests.tui_support import make_app, settle, sign_in

SIZES = [(80, 24), (120, 36)]
LANGS = ["zh", "en"]


@pytest.fixture
def day(desk_with_people, desk):
    engine, path = desk
    return job_day(engine), path


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def push(pilot, screen) -> None:
    await pilot.app.push_screen(screen)
    await settle(pilot)


async def postings_list(pilot, d) -> None:
    await press(pilot, "ctrl+e")
    pilot.app.screen.query_one("#status-filter").value = ""  # every status, as worded
    await settle(pilot)


async def posting_record(pilot, d) -> None:
    await push(pilot, PostingScreen(d.postings["packing"]))


async def refer_dialog(pilot, d) -> None:
    await posting_record(pilot, d)
    await press(pilot, "r")


async def outcome_dialog(pilot, d) -> None:
    await posting_record(pilot, d)
    await press(pilot, "tab", "o", "p")


async def posting_form_with_errors(pilot, d) -> None:
    await press(pilot, "ctrl+e", "ctrl+n")
    form = pilot.app.screen
    values = {
        "title": "普工",
        "job_type": "包装",
        "positions": "0",
        "pay_min": "5000",
        "pay_max": "4000",
        "valid_from": "2026-12-01",
        "valid_until": "2026-11-30",
    }
    for name, value in values.items():
        form.query_one(f"#{name}").value = value
    await press(pilot, "ctrl+s")


async def employers_list(pilot, d) -> None:
    await press(pilot, "ctrl+e", "f2")


async def employer_edit(pilot, d) -> None:
    await press(pilot, "ctrl+e", "f2", "enter")


async def follow_ups(pilot, d) -> None:
    await push(pilot, FollowUpsScreen())


async def seeker_record(pilot, d) -> None:
    await push(pilot, SeekerRecordScreen(d.people["曾小明"]))


SCREENS = {
    "postings_list": postings_list,
    "posting_record": posting_record,
    "refer_dialog": refer_dialog,
    "outcome_dialog": outcome_dialog,
    "posting_form_with_errors": posting_form_with_errors,
    "employers_list": employers_list,
    "employer_edit": employer_edit,
    "follow_ups": follow_ups,
    "seeker_record": seeker_record,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", SCREENS)
def test_job_screen(snap_compare, day, screen: str, lang: str, size) -> None:
    d, path = day

    async def run_before(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await SCREENS[screen](pilot, d)

    assert snap_compare(make_app(path, lang=lang), terminal_size=size, run_before=run_before)
