"""`frontdesk hq`: head office's TUI over the central store.

No PIN sign-in: whoever holds the central store's credentials is head office. Like the
desk's shell, only textual is imported up front; the store is opened in a thread worker
the first time a screen needs it, and a store that cannot be opened is shown, not raised.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from frontdesk.config import Config
from frontdesk.domain.clock import Clock, business_date, system_clock
from frontdesk.i18n import t
from screens.app_keys import SharedKeys
from screens.common import dates
from screens.common.typeahead import TypeAhead

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from screens.hq.common import HqHost

CSS = Path(__file__).resolve().parent / "frontdesk.tcss"


class HqApp(TypeAhead, SharedKeys, App[int]):
    CSS_PATH = str(CSS)
    TITLE = "frontdesk hq"
    BINDINGS = [
        Binding("f1", "help", "help", id="help"),
        Binding("ctrl+q", "quit", "quit", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "palette", id="palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self, cfg: Config, url: str, *, clock: Clock = system_clock, blink: bool = True
    ) -> None:
        super().__init__()
        self.cfg = cfg
        self.url = url
        self.clock = clock
        self.blink = blink  # tests turn cursor blink off so snapshots never flake
        self.title = t("hqui.title")
        self._central: Engine | None = None
        self._opening = threading.Lock()

    def on_mount(self) -> None:
        from screens.hq.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())

    def ensure_central(self) -> Engine:
        """Open the central store once (blocking: call from a thread worker).

        Raises UserError (not a central store) or the store's own error; screens show it.
        """
        with self._opening:
            if self._central is None:
                from frontdesk.sync.admin import open_central

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
        yield from getattr(screen, "palette_commands", lambda: ())()
        yield SystemCommand(t("key.quit"), t("palette.quit"), self.exit)


if TYPE_CHECKING:

    def _screens_take_it_for(app: HqApp) -> HqHost:
        return app  # mypy checks the app is all its screens take it for


def run_hq(cfg: Config, url: str) -> int:
    app = HqApp(cfg, url)
    app.run()
    return app.return_code or 0
