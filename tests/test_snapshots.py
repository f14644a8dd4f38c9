"""Snapshot tests of every screen at fixed sizes, in both languages.

Clocks are fixed, cursor blink is off and the data comes from fixtures, so these never flake.
Update deliberately with `pytest tests/test_snapshots.py --snapshot-update` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MANAGER_PIN
from tests.tui_support import make_app, settle, sign_in

SIZES = [(80, 24), (120, 36)]
LANGS = ["zh", "en"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_sign_in(snap_compare, desk_with_income: Path, lang: str, size) -> None:
    app = make_app(desk_with_income, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_home(snap_compare, desk_with_income: Path, lang: str, size) -> None:
    app = make_app(desk_with_income, lang=lang)

    async def signed_in(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)

    assert snap_compare(app, terminal_size=size, run_before=signed_in)


@pytest.mark.parametrize("lang", LANGS)
def test_help(snap_compare, desk_with_income: Path, lang: str) -> None:
    app = make_app(desk_with_income, lang=lang)

    async def open_help(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)


@pytest.mark.parametrize("lang", LANGS)
def test_lock(snap_compare, desk_with_income: Path, lang: str) -> None:
    app = make_app(desk_with_income, lang=lang)

    async def lock(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f9")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=lock)


@pytest.mark.parametrize("lang", LANGS)
def test_setup_with_error(snap_compare, lang: str) -> None:
    # A fixed path that is never created, in a folder every machine has (a missing folder is
    # asked about first: test_first_day): the screen shows it, so it must not vary.
    app = make_app(Path("/frontdesk-never-made.sqlite3"), lang=lang)

    async def bad_code(pilot) -> None:
        await pilot.press("x", "ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=bad_code)


@pytest.mark.parametrize("lang", LANGS)
def test_seeker_list(snap_compare, desk_with_people: Path, lang: str) -> None:
    app = make_app(desk_with_people, lang=lang)

    async def open_list(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_list)


def test_seeker_search_results(snap_compare, desk_with_people: Path) -> None:
    app = make_app(desk_with_people)

    async def search(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2", "s")  # 司徒 (si) and 单 (shan) both start with s
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=search)


@pytest.mark.parametrize("lang", LANGS)
def test_seeker_form_with_errors(snap_compare, desk_with_people: Path, lang: str) -> None:
    app = make_app(desk_with_people, lang=lang)

    async def bad_form(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2", "ctrl+n")
        await settle(pilot)
        await pilot.press(*"王五", "tab", *"440703199902301234", "tab", *"138", "ctrl+s")
        await settle(pilot)
        pilot.app.screen.query_one("#seeker-form").scroll_home(animate=False)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=bad_form)


@pytest.mark.parametrize("lang", LANGS)
def test_seeker_record(snap_compare, desk_with_people: Path, lang: str) -> None:
    app = make_app(desk_with_people, lang=lang)

    async def open_record(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2", *"oyn", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_record)


@pytest.mark.parametrize("lang", LANGS)
def test_quick_log(snap_compare, desk_with_people: Path, lang: str) -> None:
    app = make_app(desk_with_people, lang=lang)

    async def paid_visit(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f3", *"rcbj", "tab", *"oyn")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=paid_visit)


def test_quick_log_errors(snap_compare, desk_with_people: Path) -> None:
    app = make_app(desk_with_people)

    async def bad(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f3", "6")
        await settle(pilot)
        pilot.app.screen.query_one("#amount").value = "45.678"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=bad)


# Dialogs reached by keys from home, each at 80x24 in both languages.
DIALOGS = {
    "import_seekers": ("f2", "f5"),
    "export_seekers": ("f2", "f6"),
    "seeker_status": ("f2", *"oyn", "enter", "s"),
    "reveal_id": ("f2", *"oyn", "enter", "v"),
    "attendees": ("f3", "f6"),
    "report_file": ("f5", "f4"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("dialog", DIALOGS)
def test_dialog(snap_compare, desk_with_people: Path, dialog: str, lang: str) -> None:
    app = make_app(desk_with_people, lang=lang)

    async def open_dialog(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        for key in DIALOGS[dialog]:
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_dialog)
