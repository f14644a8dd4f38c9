"""TEXTUAL_LOG set in the environment writes no log file: Textual's would record the
field values typed (a PIN at sign-in, an ID number in a search)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import constants

from screens.desk.seekers import SeekerListScreen
from tests.conftest import MANAGER_PIN
from tests.hq_accounts_support import EDITOR_NAME, HQ_PIN
from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.test_hq_signin import sign_in as hq_sign_in
from tests.test_seeker_screens import ID, registered
from tests.tui_support import make_app, press_as_typed, settle, sign_in


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TEXTUAL_LOG as a user would set it before starting the program: Textual reads it
    into its constant when first imported (this process imported it already)."""
    path = tmp_path / "textual.log"
    monkeypatch.setenv("TEXTUAL_LOG", str(path))
    monkeypatch.setattr(constants, "LOG_FILE", str(path))
    return path


def files_holding(root: Path, *values: str) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            found += [f"{path.name}: {v}" for v in values if v.encode() in raw]
    return found


async def test_the_desk_writes_no_log_of_a_pin_or_an_id_number(desk, log: Path) -> None:
    engine, path = desk
    registered(engine)
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        app.screen.query_one("#search").focus()
        await press_as_typed(pilot, *ID)
        await settle(pilot)
    assert not log.exists()
    assert files_holding(log.parent, MANAGER_PIN, ID) == []


async def test_head_office_writes_no_log_of_a_pin(tmp_path: Path, log: Path) -> None:
    central = copy_central(central_template(), tmp_path / "store")
    app = make_hq_app(central, signed_in=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await hq_sign_in(pilot, EDITOR_NAME, HQ_PIN)
        assert app.actor is not None
    assert not log.exists()
    assert files_holding(tmp_path, HQ_PIN) == []
