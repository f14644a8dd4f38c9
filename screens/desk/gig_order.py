"""One gig order: its details on top, its roster below, and the keys to work both.

D opens the dispatch picker, T moves the order's status on (open ⇄ filled → in progress →
done), C cancels it. On a worker's row the attendance keys of screens/desk/attendance.py apply,
and X takes a dispatch back before the worker checked in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.table import Table
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.money import fmt_fen
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.tables import RowTable
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.attendance import AttendanceScreen, gated
from screens.desk.gig_format import ROSTER_COLUMNS, own_short_name, pay_text, shift_text

if TYPE_CHECKING:
    from frontdesk.services.attendance import BoardRow
    from frontdesk.services.gigs import OrderRow


def order_details(o: OrderRow, weekday: str) -> Table:
    """The order's fields, two to a line."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    people = t("gigs.people", holding=o.holding, headcount=o.headcount)
    fee = fmt_fen(o.service_fee_fen) if o.service_fee_fen else t("gigs.no_fee")
    table.add_row(
        t("order.date"),
        f"{o.work_date.isoformat()} {weekday}",
        t("order.shift"),
        shift_text(o.shift_start, o.shift_end),
    )
    table.add_row(t("order.employer"), o.employer, t("order.place"), o.place)
    table.add_row(
        t("order.pay"), pay_text(o.pay_mode, o.rate_fen, o.unit), t("order.people"), people
    )
    table.add_row(t("order.status"), t(f"gig.order_status.{o.status}"), t("order.fee"), fee)
    return table


class GigOrderScreen(AttendanceScreen):
    AUTO_FOCUS = "#roster"
    TABLE_ID = "roster"
    COLUMNS = ROSTER_COLUMNS
    FLEXIBLE = ("phone",)
    BINDINGS = [
        *gated("d", "dispatch"),
        *gated("t", "order_status"),
        *gated("c", "cancel_order"),
        *gated("i", "check_in"),
        *gated("o", "check_out"),
        *gated("h", "hours"),
        *gated("p", "pieces"),
        *gated("n", "no_show"),
        *gated("s", "settle"),
        *gated("l", "pay_slip"),
        *gated("x", "unassign"),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    GigOrderScreen #gig-order { padding: 0 1; }
    GigOrderScreen #order-title { text-style: bold; color: $accent; }
    GigOrderScreen #order-details { height: auto; }
    GigOrderScreen #roster { height: 1fr; }
    GigOrderScreen #roster-note { height: 2; }
    """

    def __init__(self, order_id: uuid.UUID) -> None:
        super().__init__()
        self.order_id = order_id
        self.order: OrderRow | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="gig-order"):
            yield Static(t("order.loading"), id="order-title")
            yield Static("", id="order-details")
            yield RowTable(id="roster")
            yield Static("", id="roster-note", classes="note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()  # first showing, back from the picker or a dialog

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.order is not None and self.order.status in rules.OPEN_ORDER:
            yield SystemCommand(t("key.dispatch"), t("palette.dispatch"), self.action_dispatch)

    def empty_note(self) -> str:
        return t("order.no_roster")

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        self.run_service(self._read, lambda read: self._loaded(*read), group="gig-order")

    def _read(self) -> tuple[OrderRow, list[BoardRow]]:
        from frontdesk.services.attendance import roster
        from frontdesk.services.gigs import get_order

        desk = self.desk
        order = get_order(desk.engine, desk.site_code, self.order_id)
        return order, roster(desk.engine, desk.site_code, self.order_id)

    def _loaded(self, order: OrderRow, rows: list[BoardRow]) -> None:
        self.order = order
        title = t("order.title", employer=own_short_name(order.employer), job=order.job_type)
        self.query_one("#order-title", Static).update(title)
        weekday = t(f"weekday.{order.work_date.weekday()}")
        self.query_one("#order-details", Static).update(order_details(order, weekday))
        with self.app.batch_update():
            self.show_rows(rows)

    # --- order keys -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.order.status if self.order is not None else None
        if action == "dispatch":
            return status in rules.OPEN_ORDER
        if action == "order_status":
            return bool(status and rules.status_moves(status))
        if action == "cancel_order":
            return status is not None and "cancelled" in rules.ORDER_NEXT[status]
        return super().check_action(action, parameters)

    def action_refuse(self, action: str) -> None:
        if action not in ("dispatch", "order_status", "cancel_order"):
            super().action_refuse(action)
            return
        if self.order is None:
            return
        status = t(f"gig.order_status.{self.order.status}")
        if action == "dispatch":
            self.notify(t("gig.order_closed"), severity="warning")
        elif action == "order_status":
            self.notify(t("order.no_moves", status=status), severity="warning")
        else:
            try:
                rules.check_transition(self.order.status, "cancelled")
            except UserError as exc:
                self.notify(exc.message(), severity="warning")

    def action_dispatch(self) -> None:
        from screens.desk.dispatch_picker import DispatchPickerScreen

        if self.order is not None:
            self.app.push_screen(DispatchPickerScreen(self.order))

    def action_order_status(self) -> None:
        from screens.desk.gig_order_dialogs import OrderStatusDialog

        if self.order is not None:
            self.app.push_screen(OrderStatusDialog(self.order))

    def action_cancel_order(self) -> None:
        from screens.desk.gig_order_dialogs import CancelOrderDialog

        if self.order is not None:
            self.app.push_screen(CancelOrderDialog(self.order))

    def action_back(self) -> None:
        if not self.busy:  # a write on its way reports back here
            self.dismiss()
