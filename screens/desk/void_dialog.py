"""Void one entry of today's log: a reason always; for a paid entry, a manager's PIN too."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from frontdesk.i18n import t
from screens.common.base import save_or_cancel
from screens.common.managers import LoadsManagers, approval, focus_approval
from screens.common.widgets import (
    FieldError,
    KeyBar,
    clear_errors,
    form_row,
    pin_box,
)
from screens.desk.walkin_format import entry_summary

if TYPE_CHECKING:
    from frontdesk.services.walkins import LogLine

REASON_MAX = 200  # the width of walkins.void_reason and payments.reason


class VoidDialog(LoadsManagers[bool]):
    CANCELLED = False
    AUTO_FOCUS = "#reason"
    # Where each error of void_walkin shows (its field's, if not named so here); anything
    # else goes under the whole form.
    FIELD_AT = {"staff": "manager"}
    REFUSAL_AT = "void-error"
    RETYPED = ("pin",)
    BINDINGS = save_or_cancel("submit", "submit")
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
            yield from form_row(
                "reason", t("void.reason"), Input(id="reason", max_length=REASON_MAX)
            )
            if self.paid:
                manager = Select[str]([], id="manager", prompt=t("form.none"))
                yield from form_row("manager", t("void.manager"), manager)
                pin = pin_box("pin")
                yield from form_row("pin", t("void.pin"), pin)
            yield FieldError(id="void-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)
        if self.paid:
            self.load_managers()

    # --- submitting -----------------------------------------------------------------------------
    @on(Input.Submitted, "#reason")
    def _reason_entered(self) -> None:
        if not self.paid:
            self.action_submit()
            return
        focus_approval(self)

    @on(Input.Submitted, "#pin")
    def action_submit(self) -> None:
        if not self.begin_write():
            return
        manager_id, pin = None, ""
        if self.paid:
            manager_id, pin = approval(self)
        self.void(self.query_one("#reason", Input).value, manager_id, pin)

    def void(self, reason: str, manager_id: uuid.UUID | None, pin: str) -> None:
        from frontdesk.services.walkins import void_walkin

        self.run_service(
            lambda: void_walkin(
                self.desk.engine, self.actor, self.line.id, reason, self.host.now(), manager_id, pin
            ),
            lambda _: self.dismiss(True),
            group="void",
            refused=self.refused_write,
        )
