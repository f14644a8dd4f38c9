"""F1: every key that works on the screen underneath, with its name; ↑ ↓ PgUp PgDn Home End
move through the list."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from frontdesk.i18n import t
from screens.common.keys import key_display, working_keys
from screens.common.tables import RowTable


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "close", id="close")]  # F1 closes it too

    def __init__(self, underneath: Screen) -> None:
        super().__init__()
        self._rows = [
            (key_display(binding), name, t("help.global" if everywhere else "help.screen"))
            for binding, name, everywhere in working_keys(underneath)
        ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="box"):
            yield Static(t("help.title"), classes="title")
            yield RowTable(id="help-keys")
            yield Static(t("help.footer"), classes="note")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.add_columns(t("help.key"), t("help.action"), t("help.where"))
        table.add_rows(self._rows)
        table.focus()
