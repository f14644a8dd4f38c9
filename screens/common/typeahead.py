"""Type-ahead: keys typed in a burst land where the clerk meant them.

An old PC's keyboard buffer hands Textual several keys at once. Textual forwards each key
to the widget focused *when the key is read*, but what a key does to focus (Enter moving to
the next field, F3 opening a screen, a save clearing the form) happens later, in messages
handled by other widgets. So `500 Enter 161` typed at once used to land as "500161" in one
box. Here every key from the keyboard waits until everything the previous key set off has
run: its messages (on every widget and screen), a screen it opened mounting and taking
focus, and the short thread workers running for a screen (a save, a PIN check, the list a
screen loads as it opens). Only then is the next key handed on, to whatever has focus by
then. Keys typed while the sign-in screen reads its staff list wait for the list.

Nothing is dropped: a key that waited longer than `TYPEAHEAD_WAIT_S` (a stuck worker) is
handed on anyway. Keys bubbling back up to the app, mouse events and everything else pass
straight through.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.worker import Worker

    _App = App[Any]  # what the mixin is mixed into, for the type checker
else:
    _App = object

TYPEAHEAD_WAIT_S = 10.0  # longest a key waits for the one before it (a slow save, a PIN hash)
# Long work a key may interrupt (Esc cancels an import): keys never wait for these groups.
NOT_WAITED = frozenset({"seeker-import", "seeker-export", "hq-dashboard"})


class TypeAhead(_App):
    """Mixed into an App before `App` itself: hands keyboard keys on one settled key at a time."""

    _held: deque[events.Key]
    _drain_task: asyncio.Task[None] | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._hold(event)
            return
        await super().on_event(event)

    async def typed_ahead(self) -> None:
        """Wait until every key typed so far has been handed on and settled (for tests)."""
        while _busy(self) or (self._drain_task is not None and not self._drain_task.done()):
            await asyncio.sleep(0.005)

    def _hold(self, key: events.Key) -> None:
        if not hasattr(self, "_held"):
            self._held = deque()
        self._held.append(key)
        if self._drain_task is None or self._drain_task.done():
            self._drain_task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._held:
            key = self._held.popleft()
            try:
                await self._settle()  # what the key before it (or a screen opening) set off
                await super().on_event(key)
            except Exception as error:  # the app's own error handling, as for any handler
                self._handle_exception(error)
                return

    async def _settle(self) -> None:
        """Wait until what the last key set off has run (bounded by TYPEAHEAD_WAIT_S)."""
        deadline = monotonic() + TYPEAHEAD_WAIT_S
        while monotonic() < deadline:
            await asyncio.sleep(0)
            if any(_busy(pump) for pump in self._pumps()):
                continue
            if not any(_waited_for(self, worker) for worker in self.workers):
                return
            await asyncio.sleep(0.002)  # a thread is working: poll gently

    def _pumps(self) -> list[MessagePump]:
        """The app and every widget of every screen on the stack (a new one included)."""
        pumps: list[MessagePump] = [self]
        for screen in self.screen_stack:
            pumps.append(screen)
            pumps.extend(screen.walk_children(with_self=False))
        return pumps


def _busy(pump: MessagePump) -> bool:
    """Messages or callbacks still waiting for, or being handled by, this widget (or it is
    still mounting). A screen's after-refresh callbacks count: one may start its first load.

    Textual has no public "settled" test. A pump is idle when its queue is empty and its one
    task is parked on the queue's ready event, so that is what is asked.
    """
    if pump._closed or pump._closing:
        return False
    if not pump._is_mounted:  # composing or mounting: no focus yet
        return pump.is_attached
    if pump._next_callbacks or getattr(pump, "_callbacks", None):  # call_next, after refresh
        return True
    queue: Any = pump._message_queue
    return not queue.empty() or not queue.ready_event._waiters


def _waited_for(app: _App, worker: Worker[Any]) -> bool:
    """Keys wait for a screen's short thread workers, not for the app's background sync."""
    if worker.node is app or worker.group in NOT_WAITED or not worker._thread_worker:
        return False
    return not worker.is_finished
