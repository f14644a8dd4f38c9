"""Snapshots of head office's sign-in at 80x24 and 120x36, in Chinese and English (fixed
clock and store: tests/hq_screen_support.py). Update deliberately with
`pytest tests/test_hq_signin_snapshots.py --snapshot-update` and look at every SVG."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.tui_support import settle

SMALL, LARGE = (80, 24), (120, 36)


@pytest.fixture(scope="module")
def template() -> Path:
    return central_template()


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hq_sign_in(snap_compare, template: Path, tmp_path: Path, lang: str, size) -> None:
    app = make_hq_app(copy_central(template, tmp_path / "store"), lang, signed_in=False)
    assert snap_compare(app, terminal_size=size, run_before=settle)
