"""The dispatch picker (派工): who to send to an order, best first, and why.

With the search box empty the list is the service's ranking (desired job, skill,
availability, reliability), a page at a time. Typing finds a particular registered person
by name, pinyin initials or the last digits of a phone (the job-seeker search), with the
same reasons. Enter sends the highlighted person; what the service refuses (the order is
full, the person is booked elsewhere at that time, already on it) is said under the list.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar, StatusBar
from screens.desk.gig_format import (
    CANDIDATE_COLUMNS,
    candidate_cells,
    candidate_reasons,
    shift_text,
)

if TYPE_CHECKING:
    from frontdesk.services.dispatch import Candidate
    from frontdesk.services.gigs import OrderRow

PAGE = 20
FLEXIBLE = ("fit",)


class DispatchPickerScreen(DeskScreen[None]):
    AUTO_FOCUS = "#find"
    BINDINGS = [
        Binding("enter", "assign", "assign", id="assign", priority=True),
        Binding("down", "cursor(1)", "results", id="results", show=False),
        Binding("up", "cursor(-1)", "results", show=False),
        # Priority: the search box would take them for itself (and do nothing with them).
        Binding(
            "pagedown", "page(1)", "next_page", id="next_page", key_display="PgDn", priority=True
        ),
        Binding(
            "pageup", "page(-1)", "prev_page", id="prev_page", key_display="PgUp", priority=True
        ),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    DispatchPickerScreen #picker { padding: 0 1; }
    DispatchPickerScreen #picker-title { text-style: bold; color: $accent; }
    DispatchPickerScreen #candidates { height: 1fr; }
    DispatchPickerScreen #picker-note { height: 2; }
    """

    REFUSAL_AT = "picker-error"  # what the service refuses is said under the list

    def __init__(self, order: OrderRow) -> None:
        super().__init__()
        self.order = order
        self.page = 0
        self.candidates: dict[str, Candidate] = {}
        self.shown: list[Candidate] | None = None
        self.shown_query: str | None = None
        self.busy = False  # one assignment at a time

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="picker"):
            yield Static(self._title(), id="picker-title")
            with Horizontal(classes="form-row"):
                yield Label(t("picker.find"))
                yield Input(id="find", placeholder=t("picker.find_hint"))
            yield RowTable(id="candidates")
            yield Static(t("daylog.loading"), id="picker-note", classes="note")
            yield FieldError(id="picker-error")
        yield KeyBar()

    def _title(self) -> str:
        o = self.order
        return t(
            "picker.title",
            job=o.job_type,
            date=o.work_date.isoformat(),
            shift=shift_text(o.shift_start, o.shift_end),
            holding=o.holding,
            headcount=o.headcount,
            page=self.page + 1,
        )

    def on_mount(self) -> None:
        self.query_one("#picker-error", FieldError).show("")
        self.run_search()

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    # --- finding --------------------------------------------------------------------------
    @on(Input.Changed, "#find")
    def _typed(self) -> None:
        self.page = 0
        self.query_one("#picker-error", FieldError).show("")
        self.run_search()

    def run_search(self) -> None:
        self.find(self.query_one("#find", Input).value, self.page)

    def find(self, query: str, page: int) -> None:
        # A newer search cancels this one; its result is then dropped.
        self.run_service(
            lambda: self._candidates(query, page),
            lambda found: self._show(query, page, *found),
            group="picker-find",
        )

    def _candidates(self, query: str, page: int) -> tuple[OrderRow, list[Candidate]]:
        from frontdesk.services.dispatch import assess, rank_candidates
        from frontdesk.services.gigs import get_order
        from frontdesk.services.search import search

        desk = self.desk
        engine, site, order_id = desk.engine, desk.site_code, self.order.id
        order = get_order(engine, site, order_id)  # places taken change as people go
        if query.strip():
            found = search(engine, site, query, offset=page * PAGE, limit=PAGE)
            return order, assess(engine, site, order_id, [r.id for r in found])
        return order, rank_candidates(engine, site, order_id, page * PAGE, PAGE)

    def _show(self, query: str, page: int, order: OrderRow, people: list[Candidate]) -> None:
        if query != self.query_one("#find", Input).value:
            return  # a newer keystroke's search is on its way
        self.order, self.page, self.shown_query = order, page, query
        self.shown = people
        self.candidates = {str(c.person_id): c for c in people}
        self.query_one("#picker-title", Static).update(self._title())
        with self.app.batch_update():
            self._fill()
        self._describe()

    def _fill(self) -> None:
        if self.shown is None:
            return
        headers = {key: t(f"picker.col_{key}") for key in CANDIDATE_COLUMNS}
        rows = [(str(c.person_id), candidate_cells(c), "") for c in self.shown]
        table = self.query_one("#candidates", DataTable)
        fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE)

    # --- the highlighted person -----------------------------------------------------------
    def highlighted(self) -> Candidate | None:
        key = highlighted_key(self.query_one("#candidates", DataTable))
        return self.candidates.get(key) if key else None

    @on(DataTable.RowHighlighted, "#candidates")
    def _describe(self) -> None:
        if self.shown is None:
            return
        c = self.highlighted()
        if c is not None:
            note = candidate_reasons(c, self.order.job_type)
        elif self.shown_query:
            note = t("picker.none_found")
        else:
            note = t("picker.none_ranked") if self.page == 0 else t("picker.no_more")
        self.query_one("#picker-note", Static).update(note)

    # --- keys -----------------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        table = self.query_one("#candidates", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_page(self, step: int) -> None:
        table = self.query_one("#candidates", DataTable)
        if (step > 0 and table.row_count < PAGE) or (step < 0 and self.page == 0):
            return
        self.page += step
        self.run_search()

    def action_assign(self) -> None:
        if self.shown_query != self.query_one("#find", Input).value:
            return  # the list is still the last keystroke's: never send someone not asked for
        c = self.highlighted()
        if c is None or self.busy:
            return
        self.busy = True
        self.query_one("#picker-error", FieldError).show("")
        self.assign(c.person_id, c.name)

    def assign(self, person_id: uuid.UUID, name: str) -> None:
        from frontdesk.services.dispatch import assign

        self.run_service(
            lambda: assign(self.desk.engine, self.actor, self.order.id, person_id, self.host.now()),
            lambda _: self._assigned(name),
            group="picker-assign",
            refused=self.refused_write,  # full, double-booked, already on it: nothing written
        )

    def _assigned(self, name: str) -> None:
        self.busy = False
        self.notify(t("picker.assigned", name=name))
        self.run_search()  # they leave the ranking; the places taken go up

    def action_back(self) -> None:
        if not self.busy:  # a write on its way reports back here
            self.dismiss()
