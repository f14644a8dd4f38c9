"""Void one entry of today's log: a reason always; for a paid entry, a manager's PIN too."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.managers import LoadsManagers
from screens.common.widgets import (
    PIN_CHARS,
    PIN_LEN,
    FieldError,
    KeyBar,
    clear_errors,
    show_refusal,
)
from screens.desk.walkin_format import entry_summary

if TYPE_CHECKING:
    from frontdesk.services.walkins import LogLine

REASON_MAX = 200  # the width of walkins.void_reason and payments.reason
# Where each error of void_walkin is shown; anything else goes under the whole form.
ERROR_AT = {"reason": "reason", "manager": "manager", "staff": "manager", "pin": "pin"}


class VoidDialog(LoadsManagers, ModalScreen[bool]):
    AUTO_FOCUS = "#reason"
    BINDINGS = [
        Binding("ctrl+s", "submit", "submit", id="submit"),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]
    DEFAULT_CSS = "VoidDialog { align: center middle; }"

    def __init__(self, line: LogLine) -> None:
        super().__init__()
        self.line = line
        self.paid = line.amount_fen != 0  # a paid entry has an income entry to reverse
        self.busy = False  # one submission at a time: never two reversals of one entry

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("void.title"), classes="title")
            yield Static(entry_summary(self.line), id="void-entry")
            if self.paid:
                yield Static(t("void.paid_note"), classes="note")
            yield from self._row(
                "reason", t("void.reason"), Input(id="reason", max_length=REASON_MAX)
            )
            if self.paid:
                manager = Select[str]([], id="manager", prompt=t("form.none"))
                yield from self._row("manager", t("void.manager"), manager)
                pin = Input(id="pin", password=True, restrict=PIN_CHARS, max_length=PIN_LEN)
                yield from self._row("pin", t("void.pin"), pin)
            yield FieldError(id="void-error")
        yield KeyBar()

    @staticmethod
    def _row(name: str, label: str, field: Input | Select[str]) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label)
            yield field
        yield FieldError(id=f"{name}-error", classes="form-error")

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = self.app.blink
        clear_errors(self)
        if self.paid:
            self.load_managers()

    # --- submitting -----------------------------------------------------------------------------
    @on(Input.Submitted, "#reason")
    def _reason_entered(self) -> None:
        if not self.paid:
            self.action_submit()
            return
        # Straight to the PIN when a manager is already chosen: the usual case.
        chosen = self.query_one("#manager", Select).value is not Select.NULL
        self.query_one("#pin" if chosen else "#manager").focus()

    @on(Input.Submitted, "#pin")
    def action_submit(self) -> None:
        if self.busy:
            return
        manager_id, pin = None, ""
        if self.paid:
            value = self.query_one("#manager", Select).value
            manager_id = None if value is Select.NULL else uuid.UUID(str(value))
            pin = self.query_one("#pin", Input).value
        self.busy = True
        clear_errors(self)
        self.void(self.query_one("#reason", Input).value, manager_id, pin)

    @work(thread=True, exclusive=True, group="void")
    def void(self, reason: str, manager_id: uuid.UUID | None, pin: str) -> None:
        from frontdesk.errors import StoreError
        from frontdesk.services.acting import Actor
        from frontdesk.services.walkins import void_walkin

        app = self.app
        desk = app.ensure_desk()
        actor = Actor(desk.site_code, app.staff.staff_id)
        try:
            void_walkin(desk.engine, actor, self.line.id, reason, app.now(), manager_id, pin)
        except (UserError, StoreError) as exc:  # StoreError: the store itself refused
            app.call_from_thread(self._refused, exc)
            return
        app.call_from_thread(self.dismiss, True)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        show_refusal(self, exc, ERROR_AT, "void")

    def action_cancel(self) -> None:
        # Not while a void is being written: the dialog would close on a void that happened.
        if not self.busy:
            self.dismiss(False)
