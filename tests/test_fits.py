"""Every screen at 80x24, in Chinese and in English: its bars fit and its fields show.

Walks every screen and dialog of the desk and of head office at 80 columns and
- measures what each key bar and status bar would draw (in terminal cells: a CJK character
  is two) against the room it has: a bar that would be cut at the right edge fails here,
  whatever a snapshot shows; so does a key bar that has lost its F1 hint;
- looks at every text box and drop-down on screen: each must stand out from what is
  around it (or have a border) before anything is typed; and at every check box: its tick
  must be visible when ticked and invisible when not.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlalchemy import insert, update
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox

from db.models import SyncReject, SyncState
from screens import background_sync
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.gig_order import GigOrderScreen
from screens.hq.common import HqStatusBar
from tests.conftest import MANAGER_PIN
from tests.gig_screen_data import GigDay, gig_day
from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.tui_support import make_app, settle, sign_in

SIZE = (80, 24)
LANGS = ["zh", "en"]
Steps = Callable[[Pilot, GigDay], Awaitable[None]]


@pytest.fixture(autouse=True)
def _no_sync_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    # The state shown comes from the fixture's sync row, never from a round that runs now.
    monkeypatch.setattr(background_sync, "TICK_S", 3600)


def drawn(bar: Widget) -> str:
    """The bar's whole line as its widget would lay it out, before any cut."""
    return str(bar.render())


MIN_CONTRAST = 0.08  # of perceived brightness (0-1): what a dim monitor still shows


def contrast(a: Color, b: Color) -> float:
    return abs(a.brightness - b.brightness)


def hidden_fields(pilot: Pilot) -> list[str]:
    """The fields on the screen on top that cannot be seen until something is typed."""
    found = []
    for field in pilot.app.screen.query("Input, SelectCurrent"):
        if not field.region.area or field.styles.border_top[0] not in ("", "none", "hidden"):
            continue  # not on screen, or drawn with a border
        base, own = field.background_colors
        if contrast(base, own) < MIN_CONTRAST:
            found.append(f"{field!r} has no visible box ({contrast(base, own):.3f})")
    for box in pilot.app.screen.query(Checkbox):
        style = box.get_component_rich_style("toggle--button")
        assert style.color is not None and style.bgcolor is not None
        ink = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
        if box.region.area and (contrast(*ink) >= MIN_CONTRAST) != box.value:
            found.append(f"{box!r} looks {'un' if box.value else ''}ticked")
    return found


def cuts(pilot: Pilot) -> list[str]:
    """What is cut on the screen on top: a bar, or a form's label, each as 'what: why'."""
    screen = pilot.app.screen
    found = []
    for label in screen.query("Label"):
        text, room = drawn(label), label.content_region.width
        if label.region.area and label.region.height == 1 and cell_len(text) > room:
            found.append(f"label needs {cell_len(text)} of {room}: {text!r}")
    for bar in [*screen.query(KeyBar), *screen.query(StatusBar), *screen.query(HqStatusBar)]:
        text, room = drawn(bar), bar.content_region.width
        if cell_len(text) > room:
            found.append(f"{type(bar).__name__} needs {cell_len(text)} of {room}: {text!r}")
        if isinstance(bar, KeyBar) and "F1" not in text:
            found.append(f"KeyBar has no F1: {text!r}")
    return found


async def keys(pilot: Pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def highlight(pilot: Pilot, table_id: str, key: object) -> None:
    table = pilot.app.screen.query_one(f"#{table_id}")
    table.move_cursor(row=table.get_row_index(str(key)))
    await settle(pilot)


async def order(pilot: Pilot, d: GigDay, name: str, *pressed: str) -> None:
    await pilot.app.push_screen(GigOrderScreen(d.orders[name]))
    await settle(pilot)
    await keys(pilot, *pressed)


async def board(pilot: Pilot, d: GigDay, worker: str, *pressed: str) -> None:
    await keys(pilot, "f7")
    await highlight(pilot, "board", d.assignments[worker])
    await keys(pilot, *pressed)


def pressing(*pressed: str) -> Steps:
    async def steps(pilot: Pilot, d: GigDay) -> None:
        await keys(pilot, *pressed)

    return steps


# From the home screen, signed in as the manager: every desk screen and dialog, and the
# screen it must reach (so a walk that goes astray fails instead of measuring home twice).
DESK: dict[str, tuple[Steps, str]] = {
    "home": (pressing(), "HomeScreen"),
    "seekers": (pressing("f2"), "SeekerListScreen"),
    "seeker_form": (pressing("f2", "ctrl+n"), "SeekerFormScreen"),
    "import": (pressing("f2", "f5"), "ImportSeekersScreen"),
    "export": (pressing("f2", "f6"), "ExportSeekersScreen"),
    "record": (pressing("f2", *"oy", "enter"), "SeekerRecordScreen"),
    "status_dialog": (pressing("f2", *"oy", "enter", "s"), "StatusDialog"),
    "reveal_dialog": (pressing("f2", *"oy", "enter", "v"), "RevealDialog"),
    "quick_log": (pressing("f3"), "QuickLogScreen"),
    "attendees": (pressing("f3", "f6"), "AttendeesDialog"),
    "day_log": (pressing("f4"), "DayLogScreen"),
    "follow_ups": (pressing("f4", "f"), "FollowUpsScreen"),
    "closeout": (pressing("f5"), "CloseoutScreen"),
    "adjustment": (pressing("f5", "f2"), "AdjustmentDialog"),
    "report_file": (pressing("f5", "f4"), "ReportFileDialog"),
    "orders": (pressing("f6"), "GigOrdersScreen"),
    "order_form": (pressing("f6", "ctrl+n"), "GigOrderFormScreen"),
    "employer": (pressing("f6", "ctrl+n", "f2"), "EmployerDialog"),
    "cancel_order": (lambda p, d: _cancel(p, d), "CancelOrderDialog"),
    "order": (lambda p, d: order(p, d, "packing"), "GigOrderScreen"),
    "dispatch": (lambda p, d: order(p, d, "parts", "d"), "DispatchPickerScreen"),
    "order_status": (lambda p, d: order(p, d, "parts", "t"), "OrderStatusDialog"),
    "no_show": (lambda p, d: _no_show(p, d), "ConfirmDialog"),
    "board": (lambda p, d: board(p, d, "李四"), "GigBoardScreen"),
    "settle": (lambda p, d: board(p, d, "李四", "s"), "SettleDialog"),
    "pay_slip": (lambda p, d: board(p, d, "欧阳娜娜", "l"), "PaySlipScreen"),
    "pieces": (lambda p, d: board(p, d, "王小红", "p"), "PiecesDialog"),
    "check_out": (lambda p, d: board(p, d, "王小红", "o"), "CheckOutDialog"),
    "sessions": (pressing("f12"), "SessionListScreen"),
    "session_form": (pressing("f12", "ctrl+n"), "SessionFormScreen"),
    "postings": (pressing("ctrl+e"), "PostingsScreen"),
    "posting_form": (pressing("ctrl+e", "ctrl+n"), "PostingFormScreen"),
    "employers": (pressing("ctrl+e", "f2"), "EmployersScreen"),
    "employer_edit": (pressing("ctrl+e", "f2", "enter"), "EmployerDialog"),
    "sync": (pressing("f8"), "SyncScreen"),
    "printer_settings": (pressing("ctrl+o"), "PrinterSettingsScreen"),
    "lock": (pressing("f9"), "LockScreen"),
}


async def _cancel(pilot: Pilot, d: GigDay) -> None:
    await keys(pilot, "f6")
    await highlight(pilot, "orders", d.orders["packing"])
    await keys(pilot, "c")


async def _no_show(pilot: Pilot, d: GigDay) -> None:
    await order(pilot, d, "live")
    await highlight(pilot, "roster", d.assignments["张三"])
    await keys(pilot, "n")


async def back_to(pilot: Pilot, screen: str) -> None:
    while type(pilot.app.screen).__name__ != screen:
        pilot.app.pop_screen()
        await settle(pilot)


@pytest.fixture
def busy_desk(desk) -> tuple[GigDay, Path]:
    """A day of gigs, and sync set up with the longest state the status bar shows: online,
    rows waiting, rows the central store refused, and the time of the last success."""
    engine, path = desk
    day = gig_day(engine)
    at = datetime(2026, 11, 26, 2, 15, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(update(SyncState).values(online=True, last_success_at=at, last_attempt_at=at))
        conn.execute(insert(SyncReject), [reject(i, at) for i in (1, 2)])
    return day, path


def reject(seq: int, at: datetime) -> dict[str, object]:
    return {
        "id": seq,
        "seq": seq,
        "table_name": "people",
        "row_id": uuid.UUID(int=seq),
        "row_version": 1,
        "reason": "conflict",
        "at": at,
    }


@pytest.mark.parametrize("lang", LANGS)
async def test_every_desk_screen_fits_and_shows_its_fields(busy_desk, lang: str) -> None:
    d, path = busy_desk
    app = make_app(path, lang=lang, central_url=str(path.parent / "central.sqlite3"))
    found: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found["sign_in"] = cuts(pilot) + hidden_fields(pilot)
        await sign_in(pilot, MANAGER_PIN)
        assert "1" in drawn(app.screen.query_one(StatusBar))  # the pending count is shown
        for name, (steps, reached) in DESK.items():
            await steps(pilot, d)
            assert type(app.screen).__name__ == reached, name
            found[name] = cuts(pilot) + hidden_fields(pilot)
            await back_to(pilot, "HomeScreen")
    assert not {name: why for name, why in found.items() if why}


async def staff_row(pilot: Pilot, *pressed: str) -> None:
    await keys(pilot, "f2", "2")
    table = pilot.app.screen.query_one("#ref-staff")
    names = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
    table.move_cursor(row=names.index("李文员"))
    await keys(pilot, *pressed)


async def community(pilot: Pilot, code: str = "HS01") -> None:
    table = pilot.app.screen.query_one("#sites")
    table.move_cursor(row=table.get_row_index(code))
    await keys(pilot, "enter")


HqSteps = Callable[[Pilot], Awaitable[None]]


def hq_pressing(*pressed: str) -> HqSteps:
    async def steps(pilot: Pilot) -> None:
        await keys(pilot, *pressed)

    return steps


# From the dashboard: every head-office screen and dialog, and the screen it must reach.
HQ: dict[str, tuple[HqSteps, str]] = {
    "dashboard": (hq_pressing(), "DashboardScreen"),
    "community": (community, "SiteScreen"),
    "communities": (hq_pressing("f2", "1"), "ReferenceScreen"),
    "site_form": (hq_pressing("f2", "1", "enter"), "SiteForm"),
    "staff": (hq_pressing("f2", "2"), "ReferenceScreen"),
    "staff_form": (lambda p: staff_row(p, "n"), "StaffForm"),
    "pin_form": (lambda p: staff_row(p, "p"), "PinForm"),
    "code_shown": (lambda p: staff_row(p, "p", "enter"), "CodeShown"),
    "services": (hq_pressing("f2", "3"), "ReferenceScreen"),
    "price_form": (hq_pressing("f2", "3", "enter"), "PriceForm"),
    "service_form": (hq_pressing("f2", "3", "e"), "ServiceForm"),
    "partners": (hq_pressing("f2", "4"), "ReferenceScreen"),
    "partner_form": (hq_pressing("f2", "4", "n"), "PartnerForm"),
    "share_form": (hq_pressing("f2", "4", "enter"), "ShareForm"),
    "month": (hq_pressing("f3"), "MonthReportScreen"),
    "month_detail": (hq_pressing("f3", "tab", "tab", "enter"), "MonthDetailScreen"),
}


@pytest.fixture(scope="module")
def hq_template() -> Path:
    return central_template()


@pytest.mark.parametrize("lang", LANGS)
async def test_every_head_office_screen_fits_and_shows_its_fields(
    hq_template: Path, tmp_path: Path, lang: str
) -> None:
    app = make_hq_app(copy_central(hq_template, tmp_path / "store"), lang)
    found: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name, (steps, reached) in HQ.items():
            await steps(pilot)
            assert type(app.screen).__name__ == reached, name
            found[name] = cuts(pilot) + hidden_fields(pilot)
            await back_to(pilot, "DashboardScreen")
    assert not {name: why for name, why in found.items() if why}


@pytest.mark.parametrize("lang", LANGS)
async def test_the_setup_of_a_new_desk_fits_and_shows_its_fields(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path / "new-desk.sqlite3", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupScreen"
        assert app.screen.query(KeyBar)  # it has a key bar to measure
        assert not cuts(pilot) + hidden_fields(pilot)
