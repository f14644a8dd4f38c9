"""`frontdesk hq`: head office's TUI over the central store.

It opens on the sign-in (an account's name and PIN, frontdesk/hq/accounts.py); every
write passes the signed-in person to the service, which checks the account's role. The
idle lock (F9, or `idle_lock_minutes` without a key) is the desk's. Like the desk's shell,
only textual is imported up front; the store is opened in a thread worker the first time a
screen needs it, and a store that cannot be opened is shown, not raised.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from frontdesk.config import Config
from frontdesk.domain.clock import Clock, business_date, system_clock
from frontdesk.i18n import t
from screens.app_keys import APP_KEYS, SharedKeys
from screens.common import dates
from screens.common.idle_lock import IdleLock
from screens.common.log_file import keep_no_log_file
from screens.common.typeahead import TypeAhead
from screens.runtime import few_malloc_arenas

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from frontdesk.hq.accounts import HqActor
    from screens.hq.common import HqHost

CSS = Path(__file__).resolve().parent / "frontdesk.tcss"


class HqApp(IdleLock, TypeAhead, SharedKeys, App[int]):
    CSS_PATH = str(CSS)
    TITLE = "frontdesk hq"
    BINDINGS = APP_KEYS

    def __init__(
        self, cfg: Config, url: str, *, clock: Clock = system_clock, blink: bool = True
    ) -> None:
        keep_no_log_file()  # before Textual logs anything: field values would go to it
        few_malloc_arenas()  # before the app starts any thread (screens/runtime.py)
        super().__init__()
        self.cfg = cfg
        self.url = url
        self.clock = clock
        self.blink = blink  # tests turn cursor blink off so snapshots never flake
        self.title = t("hqui.title")
        self._central: Engine | None = None
        self.actor: HqActor | None = None
        self._opening = threading.Lock()

    def on_mount(self) -> None:
        from screens.hq.signin import HqSignInScreen

        self.push_screen(HqSignInScreen())
        self.start_idle_lock()

    # --- session -------------------------------------------------------------------------
    def signed_in(self, actor: HqActor) -> None:
        from screens.hq.dashboard import DashboardScreen

        self.actor = actor
        self.begin_session(DashboardScreen())

    def action_sign_out(self) -> None:
        from screens.hq.signin import HqSignInScreen

        self.actor = None
        self.end_session(HqSignInScreen())  # head office holds no key to forget

    def someone_signed_in(self) -> bool:
        return self.actor is not None

    def lock_screen(self) -> Screen[Any]:
        from screens.hq.lock import HqLockScreen

        return HqLockScreen()

    def ensure_central(self) -> Engine:
        """Open the central store once (blocking: call from a thread worker).

        Raises UserError (not a central store) or the store's own error; screens show it.
        """
        with self._opening:
            if self._central is None:
                from frontdesk.sync.admin import open_central
                from screens.runtime import give_back_large_blocks

                give_back_large_blocks()  # before the sign-in's scrypt (screens/runtime.py)
                self._central = open_central(self.url)
            return self._central

    def on_unmount(self) -> None:
        if self._central is not None:
            self._central.dispose()

    # --- shared look-ups ---------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return business_date(self.clock())

    def day_label(self) -> str:
        day = self.today()
        return dates.day_label(day)

    # --- keys and commands -------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Our own, translated list (Textual's defaults are English).
        yield SystemCommand(t("key.help"), t("palette.help"), self.action_help)
        if self.actor is not None:
            if not self.locked:
                yield SystemCommand(t("key.lock"), t("hq_account.palette_lock"), self.action_lock)
                yield from self.screen_commands(screen)
            yield SystemCommand(
                t("key.sign_out"), t("hq_account.palette_sign_out"), self.action_sign_out
            )
        yield SystemCommand(t("key.quit"), t("palette.quit"), self.exit)


if TYPE_CHECKING:

    def _screens_take_it_for(app: HqApp) -> HqHost:
        return app  # mypy checks the app is all its screens take it for
