"""Helpers for Pilot and snapshot tests: a settable clock, app construction, settling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot

from frontdesk import i18n
from frontdesk.config import load
from screens.desk_app import FrontdeskApp
from tests.conftest import FIXED_NOW


@dataclass
class FakeClock:
    now: datetime = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_app(db: Path, lang: str = "zh", clock: FakeClock | None = None, **flags) -> FrontdeskApp:
    i18n.set_language(lang)
    cfg = load({"db": db, "lang": lang, **flags})
    return FrontdeskApp(cfg, clock=clock or FakeClock(), blink=False)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and their results reach the screen."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def sign_in(pilot: Pilot, pin: str, staff_index: int = 0) -> None:
    await settle(pilot)
    staff = pilot.app.screen.query_one("#staff")
    staff.highlighted = staff_index
    pin_box = pilot.app.screen.query_one("#pin")
    pin_box.focus()
    await pilot.press(*pin, "enter")
    await settle(pilot)


def text_of(app, selector: str) -> str:
    """What a Static shows, as plain text (rich tables included)."""
    from io import StringIO

    from rich.console import Console

    content = app.screen.query_one(selector).content
    if isinstance(content, str):
        return content
    out = StringIO()
    Console(file=out, width=200, color_system=None).print(content)
    return out.getvalue()


def screen_text(app) -> str:
    """Everything the terminal shows, as text (the SVG a screenshot would save)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
