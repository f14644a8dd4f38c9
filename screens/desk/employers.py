"""Employers (用工主体): the site's employers by name, found by a name fragment or a credit
code, a page at a time. Enter edits the highlighted one, Ctrl+N adds one. (Its postings:
the postings list's employer filter; reached from there by F2, so no key back to it.)"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Input, Label, Static

from frontdesk.i18n import t
from screens.common.paged_list import BACK_KEY, OPEN_KEY, PAGE_KEYS, PagedListScreen
from screens.desk.job_format import EMPLOYER_COLUMNS, employer_cells, employer_summary

if TYPE_CHECKING:
    from frontdesk.services.employers import EmployerView


class EmployersScreen(PagedListScreen["EmployerView"]):
    AUTO_FOCUS = "#employers"
    LIST = "employers"
    BOX = "employer-list"
    FLEXIBLE = ("name", "contact")
    TEXT_FILTERS = ("find",)
    BINDINGS = [
        OPEN_KEY,
        Binding("ctrl+n", "new", "new_employer", id="new_employer"),
        *PAGE_KEYS,
        BACK_KEY,
    ]
    DEFAULT_CSS = "EmployersScreen .list-filter Input#find { width: 24; }"

    def filters(self) -> ComposeResult:
        yield Label(t("employers.find"))
        yield Input(id="find", max_length=40, placeholder=t("employers.find_hint"))
        yield Static(t("employers.filter_hint"), classes="note")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_employer"), t("employer.title"), self.action_new)

    @on(Input.Changed, "#find")
    def _typed(self) -> None:
        self.reload()

    # --- the list ---------------------------------------------------------------------------
    def title_text(self, page: int) -> str:
        return t("employers.title", page=page + 1)

    def page_reader(self, offset: int, limit: int) -> Callable[[], list[EmployerView]] | None:
        from frontdesk.services.employers import list_employers

        text = self.query_one("#find", Input).value
        return lambda: list_employers(
            self.desk.engine, self.desk.site_code, text, limit=limit, offset=offset
        )

    def headers(self) -> Mapping[str, str]:
        return {key: t(f"employers.col_{key}") for key in EMPLOYER_COLUMNS}

    def cells(self, rows: list[EmployerView]) -> Iterable[tuple[str, Mapping[str, str], str]]:
        for e in rows:
            yield str(e.id), employer_cells(e), ""

    def summary(self, row: EmployerView) -> str:
        return employer_summary(row)

    def empty_note(self, first_page: bool) -> str:
        return t("employers.none") if first_page else t("employers.no_more")

    def open_row(self, row: EmployerView) -> None:
        from screens.desk.employer_dialog import EmployerDialog

        self.app.push_screen(EmployerDialog(row), callback=self._saved)

    # --- keys -------------------------------------------------------------------------------
    def action_new(self) -> None:
        from screens.desk.employer_dialog import EmployerDialog

        self.app.push_screen(EmployerDialog(), callback=self._saved)

    def _saved(self, employer_id: uuid.UUID | None) -> None:
        if employer_id is not None:
            self.notify(t("employers.saved"))
