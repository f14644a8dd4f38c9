"""Keys a clerk can learn from the screen: the quick log's number keys are on it, F1 lists
every key that works where it was pressed (and none that does not), the help list moves
with the arrows, Home and End, and Home and End go to the first and last row of a table."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from frontdesk.i18n import language, t
from frontdesk.services.service_lines import walkin_services
from screens.common.help import HelpScreen
from screens.desk.gig_order import GigOrderScreen
from screens.desk.seeker_form import SeekerFormScreen
from tests.conftest import MANAGER_PIN
from tests.gig_screen_data import gig_day
from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.tui_support import make_app, settle, sign_in, text_of


def help_rows(pilot: Pilot) -> dict[str, str]:
    """What F1 lists: key as shown -> its name."""
    assert isinstance(pilot.app.screen, HelpScreen)
    table = pilot.app.screen.query_one("#help-keys")
    return {
        str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)
    }


async def keys(pilot: Pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_quick_log_shows_the_services_on_its_number_keys(desk, lang: str) -> None:
    engine, path = desk
    on_keys = {s.quick_key: s.name(lang) for s in walkin_services(engine) if s.quick_key}
    assert len(on_keys) >= 5  # the catalogue a desk starts with puts services on the keys
    app = make_app(path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await keys(pilot, "f3")
        shown = text_of(app, "#quick-keys")
        assert language() == lang and t("quick.keys") in shown
        for key, name in on_keys.items():
            assert any(f" {key}  {name} " in f"{line} " for line in shown.splitlines()), key
        region = app.screen.query_one("#quick-keys").region
        assert region.height and region.bottom <= 23  # on screen, above the key bar


async def test_f1_on_a_list_names_its_paging_and_moving_keys(desk) -> None:
    _, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await keys(pilot, "f2", "f1")
        rows = help_rows(pilot)
        assert rows["PgUp"] == t("key.prev_page") and rows["PgDn"] == t("key.next_page")
        assert "Home" not in rows  # in the search box Home is the box's own, not a list key
        assert {"F1", "Ctrl+Q", "Ctrl+P", "Esc", "Ctrl+N"} <= rows.keys()


async def test_f1_over_a_dialog_lists_its_keys_and_none_that_do_not_work_there(desk) -> None:
    _, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await keys(pilot, "f2", "ctrl+n")
        assert isinstance(app.screen, SeekerFormScreen)
        await keys(pilot, "f1")  # F1 works over a dialog too
        rows = help_rows(pilot)
        assert rows["Ctrl+S"] == t("key.save") and rows["Esc"] == t("key.cancel")
        assert rows["F1"] == t("key.help") and rows["Ctrl+Q"] == t("key.quit")
        # The list's keys and the palette do not reach through a dialog: not offered.
        assert not {"Ctrl+N", "F5", "Ctrl+P"} & rows.keys()
        assert rows["PgDn"] == t("key.page_down")  # the form itself scrolls
        await keys(pilot, "f1")  # and F1 closes the help again
        assert isinstance(app.screen, SeekerFormScreen)


async def test_f1_leaves_out_the_keys_of_other_tabs(tmp_path: Path) -> None:
    app = make_hq_app(copy_central(central_template(), tmp_path / "store"), "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "f2", "1", "f1")  # the communities tab: no adding, no PIN reset
        rows = help_rows(pilot)
        assert rows["Enter"] == t("key.edit")
        assert not {"N", "P", "D", "E"} & rows.keys()


async def test_the_help_list_moves_with_arrows_home_and_end(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 16)) as pilot:  # low enough that the list must scroll
        await sign_in(pilot, MANAGER_PIN)
        await keys(pilot, "f1")
        table = app.screen.query_one("#help-keys")
        assert table.row_count > table.scrollable_content_region.height  # it has to scroll
        await keys(pilot, "end")
        assert table.cursor_row == table.row_count - 1 and table.scroll_y == table.max_scroll_y
        await keys(pilot, "up")
        assert table.cursor_row == table.row_count - 2
        await keys(pilot, "home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await keys(pilot, "down")
        assert table.cursor_row == 1


async def test_home_and_end_go_to_the_first_and_last_row_of_a_table(desk) -> None:
    engine, path = desk
    gig_day(engine)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await keys(pilot, "f6")
        table = app.screen.query_one("#orders")
        assert app.focused is table and table.row_count > 2
        await keys(pilot, "end")
        assert table.cursor_row == table.row_count - 1
        await keys(pilot, "home")
        assert table.cursor_row == 0


async def test_a_key_the_bar_has_no_room_for_is_in_the_palette(desk) -> None:
    from textual.command import CommandPalette

    from screens.common.widgets import KeyBar
    from screens.desk.gig_orders import GigOrdersScreen

    engine, path = desk
    d = gig_day(engine)
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await keys(pilot, "f6")
        orders = app.screen
        await app.push_screen(GigOrderScreen(d.orders["packing"]))
        await settle(pilot)
        roster = app.screen.query_one("#roster")
        roster.move_cursor(row=roster.get_row_index(str(d.assignments["李四"])))
        await settle(pilot)  # a worker's keys join the bar: Esc no longer fits
        assert t("key.back") not in str(app.screen.query_one(KeyBar).render())  # no room
        await keys(pilot, "ctrl+p")
        assert CommandPalette.is_open(app)
        await keys(pilot, *t("key.back"))
        await keys(pilot, "enter")
        assert app.screen is orders and isinstance(orders, GigOrdersScreen)
