"""Gig orders (F6): the site's orders by work date and shift, filtered, a page at a time.

The status filter starts on the orders still being worked; a date shows that day only.
Ctrl+N takes a new order, Enter opens one with its roster, C cancels the highlighted one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.org_names import shared_prefix
from frontdesk.i18n import t
from screens.common.paged_list import BACK_KEY, OPEN_KEY, PAGE_KEYS, PagedListScreen
from screens.common.paged_list import day_of as day_of  # the lists' date filter, named here too
from screens.desk.gig_format import ACTIVE, ORDER_COLUMNS, order_cells, order_summary

if TYPE_CHECKING:
    from frontdesk.services.gigs import OrderRow

# The status filter: orders still being worked, everything, or one status.
FILTERS = ("active", "all", "open", "filled", "in_progress", "done", "cancelled")


def statuses_of(choice: str) -> tuple[str, ...]:
    if choice == "active":
        return ACTIVE
    return () if choice == "all" else (choice,)


class GigOrdersScreen(PagedListScreen["OrderRow"]):
    AUTO_FOCUS = "#orders"
    LIST = "orders"
    BOX = "gig-orders"
    RIGHT = ("people",)
    FLEXIBLE = ("job", "employer")  # the job type keeps its width before the employer
    BINDINGS = [
        OPEN_KEY,
        Binding("ctrl+n", "new", "new_order", id="new_order"),
        Binding("c", "cancel_order", "cancel_order", id="cancel_order"),
        *PAGE_KEYS,
        BACK_KEY,
    ]
    DEFAULT_CSS = "GigOrdersScreen .list-filter Select { width: 18; }"

    def filters(self) -> ComposeResult:
        yield Label(t("orders.filter_status"))
        yield Select(
            [(t(f"orders.filter.{f}"), f) for f in FILTERS],
            id="status-filter",
            value="active",
            allow_blank=False,
        )
        yield Label(t("orders.filter_date"), classes="inline")
        yield Input(id="date-filter", max_length=10, restrict=r"[0-9-]*", placeholder="YYYY-MM-DD")
        yield Static(t("orders.filter_hint"), classes="note")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_order"), t("palette.new_order"), self.action_new)

    # --- the list ---------------------------------------------------------------------------
    def title_text(self, page: int) -> str:
        return t("orders.title", page=page + 1)

    def page_reader(self, offset: int, limit: int) -> Callable[[], list[OrderRow]] | None:
        from frontdesk.services.gigs import list_orders

        good, day = self.typed_day()
        if not good:
            return None
        statuses = statuses_of(self.chosen("status-filter"))
        return lambda: list_orders(
            self.desk.engine,
            self.desk.site_code,
            statuses=statuses,
            date_from=day,
            date_to=day,
            offset=offset,
            limit=limit,
        )

    def headers(self) -> Mapping[str, str]:
        return {key: t(f"orders.col_{key}") for key in ORDER_COLUMNS}

    def cells(self, rows: list[OrderRow]) -> Iterable[tuple[str, Mapping[str, str], str]]:
        prefix = shared_prefix(o.employer for o in rows)
        for o in rows:
            yield str(o.id), order_cells(o, prefix), "dim" if o.status == "cancelled" else ""

    def summary(self, row: OrderRow) -> str:
        return order_summary(row)

    def empty_note(self, first_page: bool) -> str:
        return t("orders.none") if first_page else t("orders.no_more")

    def open_row(self, row: OrderRow) -> None:
        self.open_order(row.id)

    # --- keys -------------------------------------------------------------------------------
    def open_order(self, order_id: uuid.UUID) -> None:
        from screens.desk.gig_order import GigOrderScreen

        self.app.push_screen(GigOrderScreen(order_id))

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
