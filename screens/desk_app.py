"""The Textual App shell: sign-in, idle lock, home, help, status bar.

Only textual is imported up front. SQLModel/SQLAlchemy and the services load in a thread
worker after the first screen is painted, so the desk is usable at once on an old PC.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from frontdesk.config import Config
from frontdesk.domain.clock import Clock, business_date, system_clock
from frontdesk.i18n import t
from screens.app_keys import APP_KEYS, SharedKeys
from screens.background_sync import BackgroundSync
from screens.common import dates
from screens.common.host import Desk
from screens.common.idle_lock import IdleLock
from screens.common.log_file import keep_no_log_file
from screens.common.typeahead import TypeAhead
from screens.runtime import few_malloc_arenas

if TYPE_CHECKING:
    from frontdesk.services.auth import SignedIn
    from screens.common.host import DeskHost

CSS = Path(__file__).resolve().parent / "frontdesk.tcss"
# Set by bench/startup.py: leave as soon as the first interactive screen is painted (any
# value), or with "usable" once it can be used (the sign-in screen's staff list is filled).
EXIT_ON_READY = "FRONTDESK_EXIT_ON_READY"
EXIT_WHEN_USABLE = "usable"


class FrontdeskApp(IdleLock, TypeAhead, SharedKeys, App[int]):
    CSS_PATH = str(CSS)
    TITLE = "frontdesk"
    BINDINGS = APP_KEYS

    def __init__(self, cfg: Config, *, clock: Clock = system_clock, blink: bool = True) -> None:
        keep_no_log_file()  # before Textual logs anything: field values would go to it
        few_malloc_arenas()  # before the app starts any thread (screens/runtime.py)
        super().__init__()
        self.cfg = cfg
        self.clock = clock
        self.blink = blink  # tests turn cursor blink off so snapshots never flake
        self.desk: Desk | None = None
        self.staff: SignedIn | None = None
        self.locked = False
        self.title = t("app.title")
        self.sync = BackgroundSync(self)
        self._opening = threading.Lock()

    # --- start-up ----------------------------------------------------------------------
    def on_mount(self) -> None:
        from screens.desk.setup import SetupScreen
        from screens.desk.signin import SignInScreen

        first = SignInScreen() if self.cfg.db.exists() else SetupScreen()
        self.push_screen(first)
        self.start_idle_lock()
        self.sync.start()

    def first_screen_ready(self, *, loading: bool = False) -> bool:
        """Called by the first interactive screen once painted; True when the app is leaving.

        `loading`: the screen still has to fill itself in before it can be used (it then
        calls `first_screen_usable`), so FRONTDESK_EXIT_ON_READY=usable does not leave yet.
        """
        mode = os.environ.get(EXIT_ON_READY)
        if mode and not (loading and mode == EXIT_WHEN_USABLE):
            self.exit(0)
            return True
        return False

    def first_screen_usable(self, *, ok: bool = True) -> None:
        """The first screen has filled itself in (`ok`) or said why it cannot (not `ok`)."""
        if os.environ.get(EXIT_ON_READY) == EXIT_WHEN_USABLE:
            self.exit(0 if ok else 1, return_code=0 if ok else 1)

    def ensure_desk(self) -> Desk:
        """Open the database once (blocking: call from a thread worker). The sign-in screen's
        background open and a PIN typed fast may both ask: one opens, the other waits."""
        with self._opening:
            return self._open_desk()

    def _open_desk(self) -> Desk:
        if self.desk is None:
            from frontdesk.services.desk import open_desk_for
            from screens.runtime import give_back_large_blocks, settle_after_startup

            give_back_large_blocks()  # before the sign-in's scrypt (screens/runtime.py)
            opened = open_desk_for(self.cfg.db, self.cfg.site)
            info = opened.info
            self.desk = Desk(opened.engine, info.site_code, opened.site_name, info.demo)
            self.sync.load()
            settle_after_startup()
            if opened.backup is not None:
                self.call_from_thread(
                    self.notify, t("store.upgraded", path=str(opened.backup)), timeout=30
                )
        return self.desk

    def open_desk_in_background(self) -> None:
        """Load the ORM and open the database while the clerk types (the app's own worker,
        so keys typed meanwhile are not held). A failure here is met again, and shown, by
        the first service call that needs the desk."""
        if self.desk is None and self.return_code is None:  # not when leaving at once
            self.run_worker(self._open_quietly, thread=True, group="desk-open")

    def _open_quietly(self) -> None:
        try:
            self.ensure_desk()
        except Exception:
            return
        self.call_from_thread(self.refresh_sync_views)  # the status bar names the site

    def on_unmount(self) -> None:
        self.sync.close()
        if self.desk is not None:
            self.desk.engine.dispose()

    # --- session -----------------------------------------------------------------------
    def signed_in(self, staff: SignedIn) -> None:
        from screens.desk.home import HomeScreen

        self.staff = staff
        self.begin_session(HomeScreen())

    def action_sign_out(self) -> None:
        from screens.desk.signin import SignInScreen

        self.staff = None
        self.end_session(SignInScreen())

    def someone_signed_in(self) -> bool:
        return self.staff is not None

    def forget_keys(self) -> None:
        if self.desk is not None:
            from frontdesk.services.auth import leave

            leave(self.desk.engine)

    def lock_screen(self) -> Screen[Any]:
        from screens.common.lock import LockScreen

        return LockScreen()

    # --- keys and commands ---------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Our own, translated list: Textual's defaults are English and would bypass the lock.
        yield SystemCommand(t("key.help"), t("palette.help"), self.action_help)
        if self.staff is not None:
            if not self.locked:
                yield SystemCommand(t("key.lock"), t("palette.lock"), self.action_lock)
                yield from self.screen_commands(screen)
            yield SystemCommand(t("key.sign_out"), t("palette.sign_out"), self.action_sign_out)
        yield SystemCommand(t("key.quit"), t("palette.quit"), self.exit)

    def refresh_sync_views(self) -> None:
        """A sync round started or ended: the status bar and an open sync screen redraw."""
        from screens.common.widgets import StatusBar

        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.refresh_status()
        getattr(self.screen, "sync_updated", lambda: None)()

    # --- shared look-ups -----------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def business_day_label(self) -> str:
        day = business_date(self.clock())
        return dates.day_label(day)


if TYPE_CHECKING:

    def _screens_take_it_for(app: FrontdeskApp) -> DeskHost:
        return app  # mypy checks the app is all its screens take it for
