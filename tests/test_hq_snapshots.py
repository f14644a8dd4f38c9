"""Snapshots of `frontdesk hq`: the dashboard, one community and the reference data.

Fixed clock (2026-11-21 15:00 in Jiangmen, the day after sync_support.DAY_ONE), fixed sync
marks, no cursor blink; data from tests/hq_screen_support.py. Update deliberately with
`pytest tests/test_hq_snapshots.py --snapshot-update` and look at every SVG.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.tui_support import settle

SMALL, LARGE = (80, 24), (120, 36)


@pytest.fixture(scope="module")
def template() -> Path:
    return central_template()


@pytest.fixture
def central(template: Path, tmp_path: Path) -> Path:
    return copy_central(template, tmp_path / "store")


async def loaded(pilot) -> None:
    await settle(pilot)


def open_site(code: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#sites")
        table.move_cursor(row=table.get_row_index(code))
        await pilot.press("enter")
        await settle(pilot)

    return run_before


def open_reference(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f2", *keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_community(snap_compare, central: Path, lang: str) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_site("HS01"))


def test_community_with_an_unverified_close_out(snap_compare, central: Path) -> None:
    app = make_hq_app(central, "en")
    assert snap_compare(app, terminal_size=LARGE, run_before=open_site("XL04"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reference_communities(snap_compare, central: Path, lang: str) -> None:
    app = make_hq_app(central, lang)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_reference())


def test_reference_catalogue(snap_compare, central: Path) -> None:
    app = make_hq_app(central, "en")
    assert snap_compare(app, terminal_size=LARGE, run_before=open_reference("3"))


def test_dashboard_with_close_outs_changed_centrally(snap_compare, central: Path) -> None:
    """HS01's closed 11-10 no longer bears out its close-out; BJ02's 11-05 was altered."""
    from tests.test_hq_screens import tamper_central

    tamper_central(central)
    app = make_hq_app(central, "en")

    async def run_before(pilot) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#sites")
        table.move_cursor(row=table.get_row_index("HS01"))
        await settle(pilot)

    assert snap_compare(app, terminal_size=LARGE, run_before=run_before)


def test_community_with_an_altered_close_out(snap_compare, central: Path) -> None:
    from tests.test_hq_screens import tamper_central

    tamper_central(central)
    app = make_hq_app(central, "en")
    assert snap_compare(app, terminal_size=LARGE, run_before=open_site("BJ02"))


# Every other head-office screen and dialog, by keys from the dashboard, at 80x24 in both
# languages (the staff tab and its dialogs are in tests/test_pin_screens.py).
SCREENS = {
    "services_tab": ("f2", "3"),
    "partners_tab": ("f2", "4"),
    "site_form": ("f2", "1", "enter"),
    "price_form": ("f2", "3", "enter"),
    "service_form": ("f2", "3", "e"),
    "partner_form": ("f2", "4", "n"),
    "share_form": ("f2", "4", "enter"),
    "month_report": ("f3",),
    "month_detail": ("f3", "tab", "tab", "down", "enter"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, central: Path, screen: str, lang: str) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(make_hq_app(central, lang), terminal_size=SMALL, run_before=run_before)
