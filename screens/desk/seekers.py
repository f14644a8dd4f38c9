"""The job-seeker list: one search box, a page of results as you type, Enter opens."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.domain import idcard
from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import RowTable, highlighted_key
from screens.common.widgets import KeyBar, StatusBar

if TYPE_CHECKING:
    from frontdesk.services.search import PersonRow

PAGE = 20
COLUMNS = ("name", "gender", "age", "id", "phone", "status", "registered")


class SeekerListScreen(DeskScreen[None]):
    AUTO_FOCUS = "#search"
    BINDINGS = [
        Binding("enter", "open", "open", id="open", priority=True),
        Binding("ctrl+n", "new", "new_seeker", id="new_seeker"),
        Binding("down", "cursor(1)", "results", id="results", show=False),
        Binding("up", "cursor(-1)", "results", show=False),
        # Priority: the search box would otherwise take PgUp/PgDn for itself.
        Binding("pagedown", "page(1)", "next_page", id="next_page", priority=True),
        Binding("pageup", "page(-1)", "prev_page", id="prev_page", priority=True),
        Binding("f5", "import", "import", id="import"),
        Binding("f6", "export", "export", id="export"),
        Binding("escape", "back", "back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.shown_query: str | None = None  # the query whose results are on screen

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="seekers"):
            yield Static(t("seekers.title"), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("seekers.search"))
                yield Input(id="search", placeholder=t("seekers.search_hint"))
            yield RowTable(id="people")
            yield Static("", id="seekers-page", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#people", DataTable)
        for column in COLUMNS:
            table.add_column(t(f"seekers.col_{column}"), key=column)
        self.run_search()

    def on_screen_resume(self) -> None:
        if self.shown_query is not None:  # back from a record: show any change made there
            self.run_search()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_seeker"), t("palette.new_seeker"), self.action_new)

    # --- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        self.page = 0
        self.run_search()

    def run_search(self) -> None:
        self.search(self.query_one("#search", Input).value, self.page)

    def search(self, query: str, page: int) -> None:
        from frontdesk.services.search import search

        self.run_service(
            lambda: search(
                self.desk.engine, self.desk.site_code, query, offset=page * PAGE, limit=PAGE
            ),
            lambda rows: self._show(query, page, rows),
            group="seeker-search",
        )

    def _show(self, query: str, page: int, rows: list[PersonRow]) -> None:
        if query != self.query_one("#search", Input).value:
            return  # a newer keystroke's search is on its way
        today = business_date(self.host.now())
        table = self.query_one("#people", DataTable)
        with self.app.batch_update():
            table.clear()
            for r in rows:
                table.add_row(
                    r.name,
                    t(f"gender.{r.gender}"),
                    str(idcard.age_on(r.birth_date, today)),
                    r.id_masked,
                    r.phone_masked,
                    t(f"status.{r.status}"),
                    r.registered_on.isoformat(),
                    key=str(r.id),
                )
        self.shown_query = query
        note = t("seekers.page", page=page + 1) if rows or page else t("seekers.none")
        self.query_one("#seekers-page", Static).update(note)

    # --- keys -----------------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        table = self.query_one("#people", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_page(self, step: int) -> None:
        table = self.query_one("#people", DataTable)
        if (step > 0 and table.row_count < PAGE) or (step < 0 and self.page == 0):
            return
        self.page += step
        self.run_search()

    def action_open(self) -> None:
        key = highlighted_key(self.query_one("#people", DataTable))
        if key is not None:
            self.open_record(uuid.UUID(key))

    def open_record(self, person_id: uuid.UUID) -> None:
        from screens.desk.seeker_record import SeekerRecordScreen

        self.app.push_screen(SeekerRecordScreen(person_id))

    def action_new(self) -> None:
        from screens.desk.seeker_form import SeekerFormScreen

        self.app.push_screen(SeekerFormScreen(), callback=self._after_form)

    def _after_form(self, person_id: uuid.UUID | None) -> None:
        if person_id is not None:
            self.open_record(person_id)

    def action_import(self) -> None:
        from screens.desk.seeker_io import ImportSeekersScreen

        self.app.push_screen(ImportSeekersScreen(), callback=lambda _: self.run_search())

    def action_export(self) -> None:
        from screens.desk.seeker_io import ExportSeekersScreen

        self.app.push_screen(ExportSeekersScreen())

    def action_back(self) -> None:
        self.dismiss()
