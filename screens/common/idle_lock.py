"""The idle lock both apps share (the desk and head office): any key or click counts as
activity; after `idle_lock_minutes` (config) without any, or on F9, a full lock screen
covers everything until the signed-in person types the PIN again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App
    from textual.screen import Screen

    from frontdesk.config import Config
    from frontdesk.domain.clock import Clock

    _App = App[Any]  # what the mixin is mixed into, for the type checker
else:
    _App = object


class IdleLock(_App):
    """Mixed into an App before `App` itself; the app says who is signed in and which
    screen locks it."""

    IDLE_CHECK_S = 5.0  # how often the idle lock looks at the clock (tests set it smaller)
    clock: Clock
    cfg: Config
    last_activity: datetime
    locked: bool = False

    def start_idle_lock(self) -> None:
        self.touch()
        self.set_interval(self.IDLE_CHECK_S, self.lock_if_idle, name="idle-lock")

    def begin_session(self, home: Screen[Any]) -> None:
        """Someone signed in: unlocked, active from now, on `home`."""
        self.locked = False
        self.touch()
        self.switch_screen(home)

    def end_session(self, signin: Screen[Any]) -> None:
        """Signed out: what the sign-in unlocked is dropped, every screen over the base one
        closed, and `signin` shown."""
        self.locked = False
        self.forget_keys()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(signin)

    def someone_signed_in(self) -> bool:
        raise NotImplementedError  # each app knows its own session

    def lock_screen(self) -> Screen[Any]:
        raise NotImplementedError  # each app checks the PIN against its own accounts

    def action_lock(self) -> None:
        if not self.someone_signed_in() or self.locked:
            return
        self.locked = True
        self.forget_keys()
        self.push_screen(self.lock_screen(), callback=self._unlocked)

    def forget_keys(self) -> None:
        """Locking drops what the sign-in unlocked (the desk's personal-data key)."""

    def _unlocked(self, _result: Any) -> None:
        self.locked = False
        self.touch()

    def touch(self) -> None:
        self.last_activity = self.clock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.touch()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        idle = (self.clock() - self.last_activity).total_seconds()
        if self.someone_signed_in() and idle >= self.cfg.idle_lock_minutes * 60:
            self.action_lock()
