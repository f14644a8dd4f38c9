"""Dialogs about a whole gig order: move its status on, or cancel it.

Cancelling needs a reason. The order's service fee stays the center's income unless it is
refunded, which, as every refund, needs a manager's PIN (services/gigs.cancel_order).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import t
from screens.common.base import SAVE_OR_CANCEL, DeskModal, save_or_cancel
from screens.common.managers import LoadsManagers, approval, focus_approval
from screens.common.widgets import (
    FieldError,
    KeyBar,
    clear_errors,
    form_row,
    pin_box,
)
from screens.desk.gig_format import order_summary

if TYPE_CHECKING:
    from frontdesk.services.gigs import OrderRow

REASON_MAX = 200


class OrderStatusDialog(DeskModal[bool]):
    """Open ⇄ filled → in progress → done: the moves the order's status allows."""

    CANCELLED = False

    REFUSAL_AT = "status-error"

    AUTO_FOCUS = "#status-choice"
    BINDINGS = SAVE_OR_CANCEL

    def __init__(self, order: OrderRow) -> None:
        super().__init__()
        self.order = order
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("order_status.title"), classes="title")
            yield Static(order_summary(self.order), markup=False)
            now = t(f"gig.order_status.{self.order.status}")
            yield Static(t("order_status.now", status=now), classes="note")
            with RadioSet(id="status-choice"):
                for i, status in enumerate(rules.status_moves(self.order.status)):
                    yield RadioButton(t(f"gig.order_status.{status}"), value=i == 0, name=status)
            yield Static(t("order_status.hint"), classes="note")
            yield FieldError(id="status-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#status-error", FieldError).show("")

    @on(RadioSet.Changed)
    def _chosen(self) -> None:
        self.query_one("#status-error", FieldError).show("")

    def action_submit(self) -> None:
        pressed = self.query_one("#status-choice", RadioSet).pressed_button
        if self.busy or pressed is None or not pressed.name:
            return
        self.busy = True
        self.save(pressed.name)

    def save(self, status: str) -> None:
        from frontdesk.services.gigs import set_order_status

        self.run_service(
            lambda: set_order_status(
                self.desk.engine, self.actor, self.order.id, status, self.host.now()
            ),
            lambda _: self._saved(status),
            group="order-status",
            refused=self.refused_write,
        )

    def _saved(self, status: str) -> None:
        self.notify(t("order_status.done", status=t(f"gig.order_status.{status}")))
        self.dismiss(True)


class CancelOrderDialog(LoadsManagers[bool]):
    """A reason always; refunding the service fee needs a manager and their PIN."""

    CANCELLED = False

    # Where each error of cancel_order shows (its field's, if not named so here); anything
    # else goes under the whole dialog.
    FIELD_AT = {"staff": "manager"}
    REFUSAL_AT = "cancel-error"
    RETYPED = ("pin",)

    AUTO_FOCUS = "#reason"
    BINDINGS = save_or_cancel("submit", "submit")

    def __init__(self, order: OrderRow) -> None:
        super().__init__()
        self.order = order
        self.has_fee = order.service_fee_fen > 0
        self.busy = False  # one submission at a time

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("cancel_order.title"), classes="title")
            yield Static(order_summary(self.order), markup=False)
            yield Static(t("cancel_order.note"), classes="note")
            yield from self._row("reason", Input(id="reason", max_length=REASON_MAX))
            if self.has_fee:
                amount = fmt_fen(self.order.service_fee_fen)
                yield Checkbox(t("cancel_order.refund", amount=amount), id="refund")
                with Vertical(id="approval"):
                    yield from self._row(
                        "manager", Select[str]([], id="manager", prompt=t("form.none"))
                    )
                    pin = pin_box("pin")
                    yield from self._row("pin", pin)
            yield FieldError(id="cancel-error")
        yield KeyBar()

    @staticmethod
    def _row(name: str, field: Input | Select[str]) -> ComposeResult:
        return form_row(name, t(f"cancel_order.{name}"), field)

    def on_mount(self) -> None:
        clear_errors(self)
        if self.has_fee:
            self.query_one("#approval").display = False
            self.load_managers()

    @on(Checkbox.Changed, "#refund")
    def _refund_toggled(self, event: Checkbox.Changed) -> None:
        self.query_one("#approval").display = event.value

    def _refunding(self) -> bool:
        return self.has_fee and self.query_one("#refund", Checkbox).value

    # --- submitting -------------------------------------------------------------------------
    @on(Input.Submitted, "#reason")
    def _reason_entered(self) -> None:
        if not self._refunding():
            self.action_submit()
            return
        focus_approval(self)

    @on(Input.Submitted, "#pin")
    def action_submit(self) -> None:
        if not self.begin_write():
            return
        manager_id, pin = None, ""
        refund = self._refunding()
        if refund:
            manager_id, pin = approval(self)
        self.cancel_order(self.query_one("#reason", Input).value, refund, manager_id, pin)

    def cancel_order(
        self, reason: str, refund: bool, manager_id: uuid.UUID | None, pin: str
    ) -> None:
        from frontdesk.services.gigs import cancel_order

        def call() -> None:
            cancel_order(
                self.desk.engine,
                self.actor,
                self.order.id,
                reason,
                self.host.now(),
                refund_fee=refund,
                manager_id=manager_id,
                pin=pin,
            )

        self.run_service(
            call,
            lambda _: self._cancelled(refund),
            group="cancel-order",
            refused=self.refused_write,
        )

    def _cancelled(self, refunded: bool) -> None:
        self.notify(t("cancel_order.done_refund" if refunded else "cancel_order.done"))
        self.dismiss(True)
