"""The monthly report of every community: a table that fits 80 columns (each community's
name held still at the left, the essential figures beside it), every figure of one community
by Enter, and the whole report exported as XLSX."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.save_paths import save_target
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar
from screens.hq.common import HqScreen, HqStatusBar
from screens.hq.month_detail import MonthDetailScreen, figure_text

if TYPE_CHECKING:
    from frontdesk.hq.monthly import MonthReport, SiteMonth

# The figures the table shows (SiteMonth attribute -> header); the rest are one Enter away.
ESSENTIAL = {
    "income_fen": "hq.col_income",
    "community_proceeds_fen": "hqui.month_proceeds",
    "walkins": "hq.col_walkins",
    "seekers_registered": "hq.col_registered",
    "wages_fen": "hq.col_wages",
}
TOTAL = "total"  # the row key of the total line


def default_file(month: str) -> str:
    return t("hqui.month_file", month=month)


class MonthReportScreen(HqScreen[None]):
    AUTO_FOCUS = "#month"
    BINDINGS = [
        Binding("enter", "detail", "hq_month_detail", id="hq_month_detail", priority=True),
        Binding("ctrl+s", "export", "export", id="export"),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    MonthReportScreen #month-view { padding: 0 1; }
    MonthReportScreen #month-title { text-style: bold; color: $accent; height: 1; }
    MonthReportScreen .hq-row { height: 1; margin: 1 0 0 0; }
    MonthReportScreen .hq-row Label { width: auto; margin: 0 1 0 0; }
    MonthReportScreen .hq-row Label.gap { margin: 0 1 0 2; }
    MonthReportScreen .hq-row Input {
        height: 1; border: none; padding: 0 1; background: $boost;
    }
    MonthReportScreen .hq-row Input:focus { background: $primary 30%; }
    MonthReportScreen #month { width: 11; }
    MonthReportScreen #month-file { width: 1fr; }
    MonthReportScreen #month-status { height: auto; }
    MonthReportScreen #month-table { height: 1fr; margin: 1 0 0 0; }
    """

    FIELD_AT = {"output": "month-file"}

    def __init__(self) -> None:
        super().__init__()
        self.report: MonthReport | None = None
        self.busy = False
        self.suggested = ""  # the file name last proposed; replaced only while untouched

    def compose(self) -> ComposeResult:
        month = self.host.today().strftime("%Y-%m")
        yield HqStatusBar(id="status")
        with Vertical(id="month-view"):
            yield Static(t("hqui.month_title"), id="month-title")
            with Horizontal(classes="hq-row"):
                yield Label(t("hqui.month_field"))
                yield Input(month, id="month", max_length=7)
                yield Label(t("hqui.month_file_field"), classes="gap")
                self.suggested = default_file(month)
                yield Input(self.suggested, id="month-file", max_length=500)
            yield FieldError(id="month-error")
            yield FieldError(id="month-file-error")
            yield Static(t("hqui.month_hint"), id="month-status", classes="note")
            yield RowTable(id="month-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self._clear()
        self.action_show()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.export"), t("hqui.palette_export"), self.action_export)
        yield SystemCommand(t("key.back"), t("hqui.palette_back"), self.action_back)

    def _clear(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    # --- showing ------------------------------------------------------------------------------
    @on(Input.Submitted, "#month")
    def action_show(self) -> None:
        if self.busy:
            return
        self._clear()
        self.busy = True
        self._status(t("hqui.month_loading"))
        self.run_report(self.query_one("#month", Input).value, None)

    @on(Input.Submitted, "#month-file")
    def action_export(self) -> None:
        if self.busy:
            return
        self._clear()
        # A bare name (as suggested) goes in the documents folder, the message says where.
        target = save_target(self.query_one("#month-file", Input).value)
        if target is None:
            self.show_refusal(UserError("hqui.path_required", field="output"))
            return
        if target.suffix.lower() != ".xlsx":
            self.show_refusal(UserError("hqui.xlsx_only", field="output"))
            return
        self.busy = True
        self._status(t("hqui.month_exporting"))
        self.run_report(self.query_one("#month", Input).value, target)

    def run_report(self, typed: str, target: Path | None) -> None:
        def call() -> MonthReport:
            from frontdesk.hq.month_output import write_month_xlsx
            from frontdesk.hq.monthly import month_report, parse_month

            report = month_report(self.host.ensure_central(), parse_month(typed))
            if target is not None:
                write_month_xlsx(report, target)
            return report

        self.run_service(
            call,
            lambda report: self._shown(report, target),
            group="hq-month",
            refused=self._failed,
        )

    def _shown(self, report: MonthReport, target: Path | None) -> None:
        self.busy = False
        self.report = report
        self.query_one(HqStatusBar).show_loaded(self.host.now())
        self._fill(report)
        file_box = self.query_one("#month-file", Input)
        if file_box.value == self.suggested:  # follows the month until the user types a name
            self.suggested = file_box.value = default_file(report.month)
        if target is None:
            self._status(t("hqui.month_shown", month=report.month))
            return
        done = t("hq.written", month=report.month, path=str(target))
        self._status(done)
        self.app.notify(done)

    # --- the table and one community's figures ------------------------------------------------
    def _fill(self, report: MonthReport) -> None:
        headers = {"site": t("hq.col_site")} | {a: t(key) for a, key in ESSENTIAL.items()}
        rows = [(r.site, self._cells(r, f"{r.site} {r.name}"), "") for r in report.sites]
        rows.append((TOTAL, self._cells(report.total, t("hq.total")), "bold"))
        table = self.query_one("#month-table", RowTable)
        room = self.size.width - CHROME - 2  # the view's padding
        fill_table(table, headers, rows, room, ["site"], set(ESSENTIAL))
        table.fixed_columns = 1  # the name stays put if a narrow window scrolls the figures

    @staticmethod
    def _cells(row: SiteMonth, label: str) -> dict[str, str]:
        return {"site": label} | {a: figure_text(row, a) for a in ESSENTIAL}

    def on_resize(self) -> None:
        if self.report is not None:
            self._fill(self.report)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "detail":  # Enter on the table; in a field, Enter is the field's own
            return self.report is not None and self.focused is self.query_one("#month-table")
        return True

    def action_detail(self) -> None:
        key = highlighted_key(self.query_one("#month-table", RowTable))
        if self.report is None or key is None:
            return
        rows = {r.site: r for r in self.report.sites}
        self.app.push_screen(MonthDetailScreen(self.report.month, rows.get(key, self.report.total)))

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self._status("")
        self.show_refusal(exc)

    def say_refusal(self, name: str | None, message: str) -> None:
        if name is not None:
            super().say_refusal(name, message)
            return
        self._status(message)  # the status line says it, as an error
        self.query_one("#month-status", Static).set_classes("error")

    def _status(self, message: str) -> None:
        status = self.query_one("#month-status", Static)
        status.set_classes("note")
        status.update(Text(message))

    def action_back(self) -> None:
        self.dismiss()
