"""Snapshots of head office's person search and reveal (screens/hq/people.py).

Fixed clock and data (tests/hq_people_support.py), no cursor blink. Update deliberately with
`pytest tests/test_hq_people_snapshots.py --snapshot-update` and look at every SVG.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hq_accounts_support import EDITOR_NAME, HQ_PIN
from tests.hq_people_support import KEEPER, people_template
from tests.hq_screen_support import copy_central, make_hq_app
from tests.tui_support import burst, settle

SMALL, LARGE = (80, 24), (120, 36)


@pytest.fixture(scope="module")
def template() -> Path:
    return people_template()


@pytest.fixture
def central(template: Path, tmp_path: Path) -> Path:
    return copy_central(template, tmp_path / "store")


def typed(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await burst(pilot, *keys)

    return run_before


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_district_masked(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang, account=KEEPER)
    assert snap_compare(app, terminal_size=size, run_before=typed("f4"))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_revealed(snap_compare, central: Path, lang: str, size) -> None:
    app = make_hq_app(central, lang, account=KEEPER)
    keys = ("f4", "s", "t", "f7", *HQ_PIN, "enter")
    assert snap_compare(app, terminal_size=size, run_before=typed(*keys))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_editor_refused_at_the_pin(snap_compare, central: Path, lang: str) -> None:
    app = make_hq_app(central, lang, account=EDITOR_NAME)
    keys = ("f4", "z", "x", "m", "f7", *HQ_PIN, "enter")
    assert snap_compare(app, terminal_size=SMALL, run_before=typed(*keys))
