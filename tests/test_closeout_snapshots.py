"""Snapshots of the close-out screen at 80x24: counting with a short, and the Z report.

Fixed clock (FIXED_NOW), no cursor blink, data from fixtures: update deliberately with
`pytest tests/test_closeout_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk.services import closeout
from screens.desk.closeout import CloseoutScreen
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.test_closeout_screens import TODAY, context, log, log_day
from tests.tui_support import make_app, settle, sign_in

SIZE = (80, 24)


@pytest.fixture
def day(desk):
    """The sample day (¥135 cash, ¥68 WeChat, a free visit) opened with a ¥500 float."""
    ctx = context(desk)
    engine, path, actor, _, _ = ctx
    log_day(ctx)
    closeout.open_day(engine, actor, TODAY, 50000, FIXED_NOW)
    return path


async def count(pilot, cash: str) -> None:
    """Sign in as the clerk, open the close-out and type the cash and WeChat counts."""
    await sign_in(pilot, CLERK_PIN, staff_index=1)
    await pilot.app.push_screen(CloseoutScreen())
    await settle(pilot)
    await pilot.press(*cash, "enter", *"68")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_counting_with_a_short(snap_compare, day, lang: str) -> None:
    async def short(pilot) -> None:
        await count(pilot, "630")

    assert snap_compare(make_app(day, lang=lang), terminal_size=SIZE, run_before=short)


def test_z_report(snap_compare, day, monkeypatch: pytest.MonkeyPatch) -> None:
    # The hash covers staff ids, which are random per run: the picture shows a fixed one.
    real_close = closeout.close_day

    def close_day(*args, **kwargs):
        return replace(real_close(*args, **kwargs), hash="0123456789abcdef" * 4)

    monkeypatch.setattr(closeout, "close_day", close_day)

    async def closed(pilot) -> None:
        await count(pilot, "635")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # the confirmation: close
        await settle(pilot)
        pilot.app.clear_notifications()  # the "closed" toast would cover the report
        await pilot.pause()

    assert snap_compare(make_app(day), terminal_size=SIZE, run_before=closed)


@pytest.mark.parametrize("size", [SIZE, (120, 36)])
def test_the_confirmation_before_closing(snap_compare, day: Path, size: tuple[int, int]) -> None:
    """Expected, counted and over/short per method, the totals apart, before the lock."""

    async def confirming(pilot) -> None:
        await count(pilot, "630")  # ¥5 short in the cash: a manager approves with a note
        pilot.app.screen.query_one("#note").focus()
        await pilot.press(*"找零给错")
        pilot.app.screen.query_one("#pin").focus()
        await pilot.press(*MANAGER_PIN, "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(day), terminal_size=size, run_before=confirming)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_adjustment_dialog(snap_compare, desk, lang: str) -> None:
    """F2 over the close-out: yesterday closed, a correction typed without its reason."""
    ctx = context(desk)
    engine, path, actor, _, _ = ctx
    yesterday = TODAY - timedelta(days=1)
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=1))
    closeout.close_day(engine, actor, closeout.CloseInput(yesterday, {"cash": 4500}), FIXED_NOW)

    async def adjust(pilot) -> None:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.app.push_screen(CloseoutScreen())
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        pilot.app.screen.query_one("#service").focus()
        await pilot.press("6", "tab", "-", "5", "tab", "1", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(path, lang=lang), terminal_size=SIZE, run_before=adjust)


def test_an_earlier_day_left_unclosed(snap_compare, desk) -> None:
    """The screen opens on the day sign-in flagged; F3 joins the key bar, which still fits."""
    ctx = context(desk)
    log(ctx, "JZ01", "45", "cash", at=FIXED_NOW - timedelta(days=3))

    async def opened(pilot) -> None:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.app.push_screen(CloseoutScreen())
        await settle(pilot)

    assert snap_compare(make_app(ctx[1]), terminal_size=SIZE, run_before=opened)
