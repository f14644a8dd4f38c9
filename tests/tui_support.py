"""Helpers for Pilot and snapshot tests: a settable clock, app construction, settling."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from frontdesk import i18n
from frontdesk.config import load
from screens.desk_app import FrontdeskApp
from tests.conftest import FIXED_NOW

PILOT_PRESS = Pilot.press  # Textual's own, key by key with idle waits


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


PAUSE_AT_MOST_S = 1.0  # Textual's pause waits for an idle process at most this long
QUIET_ROUNDS = 50  # a screen that keeps posting to itself is not quiet: stop looking


async def quiet(pilot: Pilot, workers: float | None = None) -> None:
    """Wait until the app has nothing left to do: every message queued on the app and its
    screens' widgets handled, round after round until a round leaves none, and no worker
    running; or, given `workers` seconds, no longer than that for the workers (as long as
    Textual's pause waited at most): a test may act while one still runs (a print waiting
    for the printer to answer).

    Textual's own `pilot.pause()` waits for a 20 ms window in which the process used no CPU:
    each pause cost 20 ms or more (about two fifths of the Pilot and snapshot tests' time),
    and a window in which a loaded machine did not run the process at all passed for idle
    too. This looks at the work itself instead."""
    app = pilot.app
    deadline = None if workers is None else asyncio.get_running_loop().time() + workers
    for _ in range(QUIET_ROUNDS):
        await _workers_done(app, deadline)
        await pilot._wait_for_screen()  # what each widget had queued is handled
        await asyncio.sleep(0)  # callbacks scheduled on the loop meanwhile run
        if _nothing_to_do(app, deadline):
            break
    app.screen._on_timer_update()  # as pilot.pause ends: the screen shows what changed


async def _workers_done(app, deadline: float | None) -> None:
    if deadline is None:
        await app.workers.wait_for_complete()
        return
    # Looked at, not awaited: a waiter cancelled at the deadline would cancel the worker.
    while _running(app) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.002)


def _running(app) -> bool:
    return any(worker.is_running for worker in app.workers)


def _nothing_to_do(app, deadline: float | None) -> bool:
    if _running(app) and (deadline is None or asyncio.get_running_loop().time() < deadline):
        return False
    nodes = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return not any(node.message_queue_size or node._next_callbacks for node in nodes)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and their results reach the screen.

    Three rounds, though `quiet` loops by itself: with one, 17 head-office screen tests
    failed (2026-12-03), their screens starting work again after a round found none."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await quiet(pilot)


def key_event(key: str) -> events.Key:
    """The event a keyboard sends for a key named as Pilot names it ("a", "enter", "f3")."""
    if len(key) == 1:
        return events.Key(key if key.isalnum() else _character_to_key(key), key)
    return events.Key(key, " " if key == "space" else None)


async def burst(pilot: Pilot, *keys: str) -> None:
    """Hand every key to the app at once, as an old PC's keyboard buffer does, then settle.

    Unlike `pilot.press`, nothing waits between keys: the app alone must keep them in order
    and send each where the one before it moved the focus.
    """
    app = pilot.app
    for key in keys:
        app.post_message(key_event(key))
    await app.typed_ahead()  # type: ignore[attr-defined]
    await settle(pilot)


async def press_as_typed(pilot: Pilot, *keys: str) -> None:
    """`Pilot.press` for the whole suite: keys go in one burst, as a keyboard buffer sends
    them, and the app's type-ahead keeps them in order. Textual's own press idles about
    40 ms after every key, which was a third of the Pilot tests' time."""
    app = pilot.app
    typed_ahead = getattr(app, "typed_ahead", None)
    if typed_ahead is None or any(key.startswith("wait:") for key in keys):
        await PILOT_PRESS(pilot, *keys)
        return
    for key in keys:
        app.post_message(key_event(key))
    await typed_ahead()
    await quiet(pilot, workers=PAUSE_AT_MOST_S)


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
