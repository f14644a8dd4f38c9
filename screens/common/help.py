"""F1: every key that works on the screen underneath, with its name."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from frontdesk.i18n import t
from screens.common.keys import binding_label, key_display


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "close", id="close"),
        Binding("f1", "dismiss", "close", show=False),
    ]

    def __init__(self, bindings: Mapping[str, ActiveBinding]) -> None:
        super().__init__()
        self._rows = self._collect(bindings)

    @staticmethod
    def _collect(bindings: Mapping[str, ActiveBinding]) -> list[tuple[str, str, str]]:
        rows = []
        for active in bindings.values():
            label = binding_label(active.binding)
            if label is None:
                continue
            scope = t("help.global") if active.node is active.node.app else t("help.screen")
            rows.append((key_display(active.binding), label, scope))
        return rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="box"):
            yield Static(t("help.title"), classes="title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(t("help.footer"), classes="note")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("help.key"), t("help.action"), t("help.where"))
        table.add_rows(self._rows)
        table.focus()
