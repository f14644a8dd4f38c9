"""The TUI's background sync: a round every configured interval, in a thread worker.

Typing never waits on it: the round runs off the event loop and its desk transactions are
short. A failed round waits longer each time (jittered back-off); "sync now" skips the wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from frontdesk.config import Config

if TYPE_CHECKING:
    from frontdesk.sync.runner import Central
    from frontdesk.sync.status import SyncStatus

TICK_S = 5


class SyncHost(Protocol):
    """What the sync needs of the desk's App (which owns it): no import of the shell."""

    cfg: Config
    desk: Any  # the open desk (its engine), or None before sign-in

    def set_interval(self, interval: float, callback: Callable[[], Any], *, name: str) -> Any: ...
    def run_worker(
        self, work: Callable[[], Any], *, group: str, exit_on_error: bool, thread: bool
    ) -> Any: ...
    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...
    def refresh_sync_views(self) -> None: ...


class BackgroundSync:
    def __init__(self, app: SyncHost) -> None:
        self.app = app
        self.status: SyncStatus | None = None
        self.running = False
        self._central: Central | None = None
        self._due = 0.0  # monotonic time of the next round

    @property
    def configured(self) -> bool:
        return bool(self.app.cfg.central_url)

    def start(self) -> None:
        if self.configured:
            self.app.set_interval(TICK_S, self._tick, name="sync")

    def _tick(self) -> None:
        if time.monotonic() >= self._due:
            self.now()

    def now(self) -> None:
        """Start a round unless one is running or the desk is not open yet."""
        if self.running or self.app.desk is None or not self.configured:
            return
        self.running = True
        self.app.run_worker(self._round, thread=True, group="sync", exit_on_error=False)
        self.app.refresh_sync_views()

    def _round(self) -> None:
        from frontdesk.sync.runner import Central, backoff_s, sync_once
        from frontdesk.sync.status import read_status

        engine = self.app.desk.engine
        ok = True
        try:
            if self._central is None:
                self._central = Central(self.app.cfg.central_url)
            sync_once(engine, self._central)
        except Exception:  # recorded at the desk by sync_once; shown on the sync screen
            ok = False
            if self._central is not None:
                self._central.dispose()
        status = read_status(engine)
        interval = max(5, self.app.cfg.sync_interval_s)
        delay = interval if ok else backoff_s(status.failures, interval)
        self.app.call_from_thread(self._done, status, delay)

    def _done(self, status: SyncStatus, delay: float) -> None:
        self.running = False
        self.status = status
        self._due = time.monotonic() + delay
        self.app.refresh_sync_views()

    def load(self) -> None:
        """Read the last known state once the desk is open (blocking: from a worker)."""
        if self.configured and self.app.desk is not None:
            from frontdesk.sync.status import read_status

            self.status = read_status(self.app.desk.engine)

    def close(self) -> None:
        if self._central is not None:
            self._central.dispose()
