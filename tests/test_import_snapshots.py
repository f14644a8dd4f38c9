"""Snapshots of the seeker import dialog while an import runs: the progress bar, rows read,
rate and time left, and Esc as "cancel" in the key bar; at 80x24 and 120x36, both languages.

Fixed clock, no cursor blink, the figures given to the dialog directly (no worker runs):
update deliberately with `pytest tests/test_import_snapshots.py --snapshot-update` and look
at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CLERK_PIN
from tests.tui_support import make_app, settle, sign_in

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_in_progress(snap_compare, desk, lang: str, size) -> None:
    from screens.desk.seeker_io import ImportSeekersScreen

    _, path = desk

    async def importing(pilot) -> None:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        pilot.app.push_screen(ImportSeekersScreen())
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#import-file").value = str(Path("D:/登记表/求职登记2026.xlsx"))
        screen.busy = True  # as while its worker runs
        screen.show_progress(36_000, 100_000, 4.5)
        await pilot.pause()

    assert snap_compare(make_app(path, lang=lang), terminal_size=size, run_before=importing)
