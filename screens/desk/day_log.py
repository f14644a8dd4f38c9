"""Today's log: every entry of the business day, newest first, with running totals.

`v` voids the highlighted entry (by a reversal, never a delete), `f` opens the follow-ups,
`r` the receipt of an entry that took money (to print, reprint or save), `p` prints or
reprints an earlier receipt or day report by its number or date.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain.clock import business_date
from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.walkin_format import entry_cells, entry_summary

if TYPE_CHECKING:
    from frontdesk.services.walkins import DayLog, LogLine

COLUMNS = ("time", "service", "visitor", "people", "amount", "method", "state")
RIGHT_ALIGNED = frozenset({"people", "amount"})
# Long service names and void reasons give way first; the note line shows them in full.
FLEXIBLE = ("service", "state")


# --- the screen -----------------------------------------------------------------------------
class DayLogScreen(DeskScreen[None]):
    AUTO_FOCUS = "#entries"
    BINDINGS = [
        Binding("v", "void", "void", id="void"),
        Binding("f", "follow_ups", "follow_ups", id="follow_ups"),
        Binding("r", "receipt", "receipt", id="receipt"),
        Binding("p", "reprint", "reprint", id="reprint"),
        Binding("escape", "back", "back", id="back"),
    ]
    # Own title style, not the shared `.title`: its blank line below costs a row at 80x24.
    DEFAULT_CSS = """
    DayLogScreen #daylog { padding: 0 1; }
    DayLogScreen #daylog-title { text-style: bold; color: $accent; }
    DayLogScreen #entries { height: 1fr; }
    DayLogScreen #daylog-note { height: 1; }
    DayLogScreen #daylog-totals { height: auto; }
    DayLogScreen #totals-line { width: 1fr; }
    DayLogScreen #totals-method { width: 24; margin: 0 0 0 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.daylog: DayLog | None = None  # the log on screen, once loaded
        self.line_order: list[str] = []

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="daylog"):
            today = business_date(self.host.now()).isoformat()
            yield Static(t("daylog.title", date=today), id="daylog-title")
            yield RowTable(id="entries")
            yield Static(t("daylog.loading"), id="daylog-note", classes="note")
            with Horizontal(id="daylog-totals"):
                yield Static("", id="totals-line")
                yield Static("", id="totals-method")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # First showing, back from the follow-ups, back from a void: always today's figures.
        self.load()

    def on_resize(self, _event: events.Resize) -> None:
        if self.daylog is not None:
            self._fill_entries(self.daylog)  # column widths follow the terminal

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.void"), t("palette.void"), self.action_void)
        yield SystemCommand(t("key.follow_ups"), t("palette.follow_ups"), self.action_follow_ups)
        yield SystemCommand(t("key.receipt"), t("palette.receipt"), self.action_receipt)
        yield SystemCommand(t("key.reprint"), t("palette.reprint"), self.action_reprint)

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        self.run_service(self._read, lambda read: self._show(*read), group="day-log")

    def _read(self) -> tuple[DayLog, list[str]]:
        from frontdesk.domain.service_catalogue import SERVICE_LINES
        from frontdesk.services.walkins import day_log

        desk = self.desk
        log = day_log(desk.engine, desk.site_code, business_date(self.host.now()))
        return log, [line for line in SERVICE_LINES if line in log.by_line]

    def _show(self, log: DayLog, line_order: list[str]) -> None:
        self.daylog, self.line_order = log, line_order
        title = t("daylog.title", date=log.day.isoformat())
        self.query_one("#daylog-title", Static).update(title)
        with self.app.batch_update():
            self._fill_entries(log)
            self.query_one("#totals-line", Static).update(line_totals(log, line_order))
            self.query_one("#totals-method", Static).update(method_totals(log))
        self._describe_highlighted()

    def _fill_entries(self, log: DayLog) -> None:
        headers = {key: t(f"daylog.{key}") for key in COLUMNS}
        rows = [(str(line.id), entry_cells(line), _row_style(line)) for line in log.lines]
        table = self.query_one("#entries", DataTable)
        fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE, RIGHT_ALIGNED)

    # --- the highlighted entry ----------------------------------------------------------------
    def highlighted(self) -> LogLine | None:
        key = highlighted_key(self.query_one("#entries", DataTable))
        if key is None or self.daylog is None:
            return None
        wanted = uuid.UUID(key)
        return next((line for line in self.daylog.lines if line.id == wanted), None)

    @on(DataTable.RowHighlighted, "#entries")
    def _describe_highlighted(self) -> None:
        if self.daylog is None:
            return
        line = self.highlighted()
        note = entry_summary(line) if line is not None else t("daylog.empty")
        self.query_one("#daylog-note", Static).update(note)

    # --- keys ---------------------------------------------------------------------------------
    def action_void(self) -> None:
        line = self.highlighted()
        if line is None:
            return
        if not line.is_visit:
            self.notify(t("daylog.not_a_visit"), severity="warning")
            return
        if line.reversal or line.voided:
            # Said here, before any typing; the service refuses these anyway.
            code = "walkin.is_reversal" if line.reversal else "walkin.already_voided"
            self.notify(t(code), severity="warning")
            return
        from screens.desk.void_dialog import VoidDialog

        self.app.push_screen(VoidDialog(line), callback=self._after_void)

    def _after_void(self, voided: bool | None) -> None:
        if voided:
            self.notify(t("daylog.void_done"))
            self.load()

    def action_receipt(self) -> None:
        """R: the highlighted entry's receipt, to view, print or reprint (money taken only)."""
        line = self.highlighted()
        if line is None:
            return
        if line.amount_fen <= 0 or line.reversal:
            self.notify(t("receipt.no_entry"), severity="warning")
            return
        from screens.desk.receipt_view import ReceiptScreen

        self.app.push_screen(ReceiptScreen(line.id))

    def action_reprint(self) -> None:
        """P: an earlier receipt or day report, by its number or date."""
        from screens.desk.reprint_dialog import ReprintDialog

        self.app.push_screen(ReprintDialog())

    def action_follow_ups(self) -> None:
        from screens.desk.follow_ups import FollowUpsScreen

        self.app.push_screen(FollowUpsScreen())

    def action_back(self) -> None:
        self.dismiss()


def _row_style(line: LogLine) -> str:
    # A voided entry stays in the log, dimmed; its reversal below says why. Money that is
    # not this day's (booked in a later one) is dimmed too: the totals leave it out.
    return "dim" if line.voided or line.booked_on is not None else ""


def line_totals(log: DayLog, line_order: Sequence[str]) -> Table:
    """Visits, people and income per service line; voids have netted out already."""
    table = _totals_table(t("daylog.totals_line"), extra_columns=2)
    for line in line_order:
        visits, people, fen = log.by_line[line]
        table.add_row(
            _name(t(f"line.{line}")), t("daylog.visits", visits=visits, people=people), fmt_fen(fen)
        )
    if log.adjustments_fen:  # booked today for closed days: not any line's own income
        table.add_row(_name(t("daylog.adjustments")), "", fmt_fen(log.adjustments_fen))
    if not line_order and not log.adjustments_fen:
        table.add_row(_name(t("daylog.empty")), "", "")
    visits, people = (sum(v[i] for v in log.by_line.values()) for i in range(2))
    income = sum(v[2] for v in log.by_line.values()) + log.adjustments_fen
    table.add_row(
        _name(t("daylog.total")),
        t("daylog.visits", visits=visits, people=people),
        fmt_fen(income),  # the same total as by method: every entry booked today
        style="bold",
    )
    return table


def method_totals(log: DayLog) -> Table:
    """Income per payment method (each kept apart for the close-out) and the day's total."""
    table = _totals_table(t("daylog.totals_method"), extra_columns=1)
    for method, fen in log.by_method.items():
        table.add_row(_name(t(f"method.{method}")), fmt_fen(fen))
    table.add_row(_name(t("daylog.total")), fmt_fen(log.income_fen), style="bold")
    return table


def _totals_table(title: str, extra_columns: int) -> Table:
    # No box: every line of the 80x24 screen goes to figures. The name column may wrap as
    # far as Rich is concerned, so it is the one that gives way when space is short; its
    # cells never wrap (see _name), and the figures always show in full.
    table = Table(box=None, expand=True, padding=(0, 1, 0, 0), header_style="bold")
    table.add_column(_name(title))
    for _ in range(extra_columns):
        table.add_column("", justify="right", no_wrap=True)
    return table


def _name(text: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis")
