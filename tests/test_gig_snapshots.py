"""Snapshots of every gig screen and dialog at 80x24, in Chinese and in English.

Fixed clock (FIXED_NOW), no cursor blink, the day from tests/gig_screen_data.py (fixed
names, phones and times): update deliberately with
`pytest tests/test_gig_snapshots.py --snapshot-update` and look at the SVGs (CJK names
must line up in every table).
"""

from __future__ import annotations

import pytest

from screens.desk.gig_order import GigOrderScreen
from tests.conftest import CLERK_PIN, MANAGER_PIN
from tests.gig_screen_data import gig_day
from tests.tui_support import make_app, settle, sign_in

SIZE = (80, 24)
LANGS = ["zh", "en"]


@pytest.fixture
def day(desk):
    engine, path = desk
    return gig_day(engine), path


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def highlight(pilot, table_id: str, key: object) -> None:
    table = pilot.app.screen.query_one(f"#{table_id}")
    table.move_cursor(row=table.get_row_index(str(key)))
    await settle(pilot)


def shots(day, lang: str, steps):
    """The app of `day` in `lang`, signed in as the manager, then `steps(pilot, day)`."""
    d, path = day

    async def run_before(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await steps(pilot, d)

    return make_app(path, lang=lang), run_before


async def orders_list(pilot, d) -> None:
    await press(pilot, "f6")


async def order_with_roster(pilot, d) -> None:
    await pilot.app.push_screen(GigOrderScreen(d.orders["packing"]))
    await settle(pilot)
    await highlight(pilot, "roster", d.assignments["李四"])


async def order_form_with_errors(pilot, d) -> None:
    await press(pilot, "f6", "ctrl+n", "tab", *"包装", "tab", "tab", "tab")
    await press(pilot, *"10:00", "tab", *"9:30", "tab", "0", "tab", "tab", *"0.12345", "tab")
    await press(pilot, "tab", *"5", "tab", "tab")


async def dispatch_picker(pilot, d) -> None:
    await pilot.app.push_screen(GigOrderScreen(d.orders["parts"]))
    await settle(pilot)
    await press(pilot, "d")


async def today_board(pilot, d) -> None:
    await press(pilot, "f7")
    await highlight(pilot, "board", d.assignments["李四"])


async def settle_dialog(pilot, d) -> None:
    await today_board(pilot, d)
    await press(pilot, "s")


async def pay_slip_view(pilot, d) -> None:
    await press(pilot, "f7")
    await highlight(pilot, "board", d.assignments["欧阳娜娜"])
    await press(pilot, "l")


async def pieces_with_a_negative(pilot, d) -> None:
    await press(pilot, "f7")
    await highlight(pilot, "board", d.assignments["王小红"])
    await press(pilot, "p", "-", "5", "tab")


async def check_out(pilot, d) -> None:
    await press(pilot, "f7")
    await highlight(pilot, "board", d.assignments["王小红"])
    await press(pilot, "o")


async def cancel_with_refund(pilot, d) -> None:
    await press(pilot, "f6")
    await highlight(pilot, "orders", d.orders["packing"])
    await press(pilot, "c", *"企业取消", "tab", "space")


async def order_status(pilot, d) -> None:
    await pilot.app.push_screen(GigOrderScreen(d.orders["parts"]))
    await settle(pilot)
    await press(pilot, "t")


async def no_show(pilot, d) -> None:
    await pilot.app.push_screen(GigOrderScreen(d.orders["live"]))
    await settle(pilot)
    await highlight(pilot, "roster", d.assignments["张三"])
    await press(pilot, "n")


async def new_employer(pilot, d) -> None:
    await press(pilot, "f6", "ctrl+n", "f2", "tab", "tab", *"0750", "tab")


SCREENS = {
    "orders_list": orders_list,
    "order_with_roster": order_with_roster,
    "order_form_with_errors": order_form_with_errors,
    "dispatch_picker": dispatch_picker,
    "today_board": today_board,
    "settle_dialog": settle_dialog,
    "pay_slip_view": pay_slip_view,
    "pieces_with_a_negative": pieces_with_a_negative,
    "check_out": check_out,
    "cancel_with_refund": cancel_with_refund,
    "order_status": order_status,
    "no_show": no_show,
    "new_employer": new_employer,
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", SCREENS)
def test_gig_screen(snap_compare, day, screen: str, lang: str) -> None:
    app, run_before = shots(day, lang, SCREENS[screen])
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_board_as_it_opens_for_a_clerk(snap_compare, day) -> None:
    """The board as it first opens: the first worker highlighted, their keys in the bar."""
    _, path = day

    async def run_before(pilot) -> None:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await press(pilot, "f7")

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run_before)
