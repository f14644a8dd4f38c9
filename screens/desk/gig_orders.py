"""Gig orders (F6): the site's orders by work date and shift, filtered, a page at a time.

The status filter starts on the orders still being worked; a date shows that day only.
Ctrl+N takes a new order, Enter opens one with its roster, C cancels the highlighted one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.org_names import shared_prefix
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar, StatusBar
from screens.desk.gig_format import ACTIVE, ORDER_COLUMNS, order_cells, order_summary

if TYPE_CHECKING:
    from frontdesk.services.gigs import OrderRow

PAGE = 20
RIGHT = ("people",)
FLEXIBLE = ("job", "employer")  # the job type keeps its width before the employer
# The status filter: orders still being worked, everything, or one status.
FILTERS = ("active", "all", "open", "filled", "in_progress", "done", "cancelled")


def statuses_of(choice: str) -> tuple[str, ...]:
    if choice == "active":
        return ACTIVE
    return () if choice == "all" else (choice,)


def day_of(text: str) -> date | None:
    """The date filter: empty for every date, else one day (YYYY-MM-DD)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(t("gig.date_format")) from None


class GigOrdersScreen(DeskScreen[None]):
    AUTO_FOCUS = "#orders"
    BINDINGS = [
        Binding("enter", "open", "open", id="open", priority=True),
        Binding("ctrl+n", "new", "new_order", id="new_order"),
        Binding("c", "cancel_order", "cancel_order", id="cancel_order"),
        # Priority: pages of orders, not the table's own scrolling within one.
        Binding(
            "pagedown", "page(1)", "next_page", id="next_page", key_display="PgDn", priority=True
        ),
        Binding(
            "pageup", "page(-1)", "prev_page", id="prev_page", key_display="PgUp", priority=True
        ),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    GigOrdersScreen #gig-orders { padding: 0 1; }
    GigOrdersScreen #orders-title { text-style: bold; color: $accent; }
    GigOrdersScreen #orders-filter { height: 1; }
    GigOrdersScreen #orders-filter Label { width: auto; margin: 0 1 0 0; }
    GigOrdersScreen #orders-filter Label.inline { margin: 0 1 0 2; }
    GigOrdersScreen #orders-filter Select { width: 18; height: 1; }
    GigOrdersScreen #orders-filter SelectCurrent {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    GigOrdersScreen #orders-filter Input {
        width: 14; height: 1; border: none; padding: 0 1; background: $boost;
    }
    GigOrdersScreen #orders-filter Input:focus { background: $primary 30%; }
    GigOrdersScreen #orders { height: 1fr; }
    GigOrdersScreen #orders-note { height: 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.orders: dict[str, OrderRow] = {}
        self.shown: list[OrderRow] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="gig-orders"):
            yield Static(t("orders.title", page=1), id="orders-title")
            with Horizontal(id="orders-filter"):
                yield Label(t("orders.filter_status"))
                yield Select(
                    [(t(f"orders.filter.{f}"), f) for f in FILTERS],
                    id="status-filter",
                    value="active",
                    allow_blank=False,
                )
                yield Label(t("orders.filter_date"), classes="inline")
                yield Input(
                    id="date-filter", max_length=10, restrict=r"[0-9-]*", placeholder="YYYY-MM-DD"
                )
                yield Static(t("orders.filter_hint"), classes="note")
            yield FieldError(id="date-filter-error")
            yield RowTable(id="orders")
            yield Static(t("daylog.loading"), id="orders-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#date-filter-error", FieldError).show("")

    def on_screen_resume(self) -> None:
        self.load()  # first showing, back from an order or the form: as it is now

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_order"), t("palette.new_order"), self.action_new)

    # --- filtering and loading ------------------------------------------------------------
    @on(Select.Changed, "#status-filter")
    def _status_chosen(self) -> None:
        self.page = 0
        self.load()

    @on(Input.Changed, "#date-filter")
    def _date_typed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value and len(value) < 10:
            return  # not a whole date yet
        self.page = 0
        self.load()

    def _filters(self) -> tuple[tuple[str, ...], date | None] | None:
        error = self.query_one("#date-filter-error", FieldError)
        try:
            day = day_of(self.query_one("#date-filter", Input).value)
        except ValueError as exc:
            error.show(str(exc))
            return None
        error.show("")
        return statuses_of(str(self.query_one("#status-filter", Select).value)), day

    def load(self) -> None:
        filters = self._filters()
        if filters is not None:
            self.fetch(*filters, self.page)

    def fetch(self, statuses: tuple[str, ...], day: date | None, page: int) -> None:
        from frontdesk.services.gigs import list_orders

        self.run_service(
            lambda: list_orders(
                self.desk.engine,
                self.desk.site_code,
                statuses=statuses,
                date_from=day,
                date_to=day,
                offset=page * PAGE,
                limit=PAGE,
            ),
            lambda rows: self._show(page, rows),
            group="gig-orders",
        )

    def _show(self, page: int, rows: list[OrderRow]) -> None:
        self.page, self.shown = page, rows
        self.orders = {str(o.id): o for o in rows}
        self.query_one("#orders-title", Static).update(t("orders.title", page=page + 1))
        with self.app.batch_update():
            self._fill()
        self._describe()

    def _fill(self) -> None:
        if self.shown is None:
            return
        headers = {key: t(f"orders.col_{key}") for key in ORDER_COLUMNS}
        prefix = shared_prefix(o.employer for o in self.shown)
        rows = [
            (str(o.id), order_cells(o, prefix), "dim" if o.status == "cancelled" else "")
            for o in self.shown
        ]
        table = self.query_one("#orders", DataTable)
        fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE, RIGHT)

    # --- the highlighted order ------------------------------------------------------------
    def highlighted(self) -> OrderRow | None:
        key = highlighted_key(self.query_one("#orders", DataTable))
        return self.orders.get(key) if key else None

    @on(DataTable.RowHighlighted, "#orders")
    def _describe(self) -> None:
        if self.shown is None:
            return
        o = self.highlighted()
        if o is not None:
            note = order_summary(o)
        else:
            note = t("orders.none") if self.page == 0 else t("orders.no_more")
        self.query_one("#orders-note", Static).update(note)

    # --- keys -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            # Enter on the status filter opens its list of choices, as anywhere else.
            return getattr(self.focused, "id", None) in ("orders", "date-filter")
        return True

    def action_open(self) -> None:
        table = self.query_one("#orders", DataTable)
        if self.focused is not table:
            table.focus()  # Enter in the date filter: on to the list
            return
        o = self.highlighted()
        if o is not None:
            self.open_order(o.id)

    def open_order(self, order_id: uuid.UUID) -> None:
        from screens.desk.gig_order import GigOrderScreen

        self.app.push_screen(GigOrderScreen(order_id))

    def action_page(self, step: int) -> None:
        table = self.query_one("#orders", DataTable)
        if (step > 0 and table.row_count < PAGE) or (step < 0 and self.page == 0):
            return
        self.page += step
        self.load()

    def action_new(self) -> None:
        from screens.desk.gig_order_form import GigOrderFormScreen

        self.app.push_screen(GigOrderFormScreen(), callback=self._after_form)

    def _after_form(self, order_id: uuid.UUID | None) -> None:
        if order_id is not None:
            self.open_order(order_id)

    def action_cancel_order(self) -> None:
        from screens.desk.gig_order_dialogs import CancelOrderDialog

        o = self.highlighted()
        if o is None:
            return
        if "cancelled" not in rules.ORDER_NEXT[o.status]:
            self.notify(t("gig.order_closed"), severity="warning")
            return
        self.app.push_screen(CancelOrderDialog(o))

    def action_back(self) -> None:
        self.dismiss()
