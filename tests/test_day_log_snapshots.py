"""Snapshots of today's log, the void dialog and the follow-ups at 80x24.

Fixed clock (FIXED_NOW), no cursor blink, data from fixtures: update deliberately with
`pytest tests/test_day_log_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import Service, Staff
from db.session import reading
from frontdesk.services import walkins
from frontdesk.services.acting import Actor
from screens.desk.day_log import DayLogScreen
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.test_day_log_screens import log_sample
from tests.tui_support import make_app, settle, sign_in

SIZE = (80, 24)
TODAY = FIXED_NOW.date()  # 10:30 in Jiangmen: the same day


@pytest.fixture
def day(desk, desk_with_people):
    """The sample day with the class voided at 10:25, so both void states show."""
    engine, path = desk
    ids = log_sample(engine)
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    at = FIXED_NOW - timedelta(minutes=5)
    walkins.void_walkin(engine, Actor("HS01", clerk), ids["class"], "人数登记错了", at)
    return path, ids


async def open_day_log(pilot) -> None:
    await sign_in(pilot, MANAGER_PIN)
    await pilot.app.push_screen(DayLogScreen())
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_day_log(snap_compare, day, lang: str) -> None:
    path, _ = day
    assert snap_compare(make_app(path, lang=lang), terminal_size=SIZE, run_before=open_day_log)


def test_void_dialog_paid(snap_compare, day) -> None:
    path, ids = day

    async def open_void(pilot) -> None:
        await open_day_log(pilot)
        table = pilot.app.screen.query_one("#entries")
        table.move_cursor(row=table.get_row_index(str(ids["tcm"])))
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=open_void)


def test_follow_ups(snap_compare, day) -> None:
    path, _ = day

    async def open_follow_ups(pilot) -> None:
        await open_day_log(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=open_follow_ups)


@pytest.fixture
def after_close(desk, day):
    """The sample day with an adjustment for yesterday, then closed; after the close a free
    visit and a paid cleaning, whose money goes into tomorrow."""
    from frontdesk.services.closeout import (
        AdjustmentInput,
        CloseInput,
        add_adjustment,
        close_day,
        day_report,
    )
    from frontdesk.services.walkins import WalkInInput

    path, _ = day
    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
    actor = Actor("HS01", clerk)
    yesterday = TODAY - timedelta(days=1)
    close_day(engine, actor, CloseInput(yesterday, {}), FIXED_NOW)
    late = AdjustmentInput(yesterday, services["JZ01"], 4500, "cash", "漏登一笔保洁")
    add_adjustment(engine, actor, late, FIXED_NOW - timedelta(minutes=2))
    expected = day_report(engine, "HS01", TODAY).expected_fen
    close_day(engine, actor, CloseInput(TODAY, dict(expected)), FIXED_NOW - timedelta(minutes=1))
    for raw in (
        WalkInInput(services["LG04"]),
        WalkInInput(services["JZ01"], amount="90", method="wechat"),
    ):
        walkins.log_walkin(engine, actor, raw, FIXED_NOW, 2_000_000)
    return path


@pytest.mark.parametrize("size", [SIZE, (120, 36)])
def test_day_log_after_the_close(snap_compare, after_close, size) -> None:
    """Visits after the close on the day, their money booked tomorrow, the adjustment on a
    line of its own; the totals per line and per method agree."""
    assert snap_compare(make_app(after_close), terminal_size=size, run_before=open_day_log)


@pytest.mark.parametrize("size", [SIZE, (120, 36)])
def test_home_once_today_is_closed(snap_compare, after_close, size) -> None:
    async def home(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await settle(pilot)

    assert snap_compare(make_app(after_close), terminal_size=size, run_before=home)
