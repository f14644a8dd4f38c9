"""The daily close-out (日结): the day's X report, the counts, over/short, then the Z report.

The screen opens on the oldest earlier day left unclosed, if any (sign-in flags them), else on
today; F3 picks another of those days. The X report of the day sits on top; below it the
opening float (备用金) and the amount counted per payment method, cash typed as a total or
counted by denomination. Over (长款) and short (短款) show per method as each count is typed,
and their totals apart: they are never netted. A difference beyond the site's tolerance
brings up the manager, PIN and note fields. A box left blank is not a zero: every method with
money expected needs its count (0 if there is none). Ctrl+S first shows expected, counted
and over/short per method on one confirmation screen; Enter there closes the day in a
worker; the screen
then shows the Z report, with what the printed one has, and is read-only, as a closed day
never changes. F2 books a late or corrected entry for a closed day as an adjustment today;
F4 shows the 58 mm receipt of the day and saves it to a file (or an .xlsx sheet); F6 prints
it on the receipt printer (a Z report with signature lines; 重印 when printed before); F7
prints or reprints an earlier receipt or day report by its number or date.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain.clock import business_date, local_time
from frontdesk.domain.money import METHODS, fmt_fen, parse_yuan, percent_text, yuan_text
from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.dates import day_label
from screens.common.managers import approval, fill_managers, focus_approval
from screens.common.widgets import (
    PIN_CHARS,
    FieldError,
    KeyBar,
    StatusBar,
    clear_errors,
    pin_box,
)

if TYPE_CHECKING:
    from frontdesk.services.bills import Bill
    from frontdesk.services.closeout import AdjustmentInput, CloseInput, DayReport
    from screens.desk.closeout_bill import BillPicked

# A count above the configured amount ceiling (config `amount_ceiling_yuan`) is refused at
# its box as a typing slip, as every other typed amount is.
FLOAT_CEILING_FEN = 10_000_000  # ¥100,000 of change in the drawer is a typing slip too
HASH_SHOWN = 12  # hex characters of the chained hash: enough to compare with a printout
NOTE_MAX = 500  # the width of closeouts.note
APPROVAL_FIELDS = ("note", "manager", "pin")
# What an amount box accepts: digits, the point, separators and the yuan sign, also as the
# full-width characters a Chinese IME types (parse_yuan normalises them).
MONEY_CHARS = r"[0-9０-９.．,，¥￥]*"
PIECE_CHARS = PIN_CHARS  # digits, ASCII or full-width: int() reads both


# --- formatting, shared by the X and the Z report ----------------------------------------------
def denomination_label(fen: int) -> str:
    if fen >= 100:
        return t("closeout.denom_yuan", yuan=fen // 100)
    return t("closeout.denom_jiao", jiao=fen // 10)


def difference_text(diff: int) -> str:
    if diff > 0:
        return t("closeout.over", amount=fmt_fen(diff))
    if diff < 0:
        return t("closeout.short", amount=fmt_fen(-diff))
    return t("closeout.even")


def difference_class(diff: int) -> str:
    return "over" if diff > 0 else "short" if diff < 0 else "even"


def totals_text(differences: Mapping[str, int]) -> str:
    """Overs and shorts summed apart (长缴短补，不得以长补短), the short as a positive amount."""
    over = sum(v for v in differences.values() if v > 0)
    short = -sum(v for v in differences.values() if v < 0)
    return t("closeout.totals", over=fmt_fen(over), short=fmt_fen(short))


def _name(text: str, style: str = "") -> Text:
    # Partner names run to 17 characters: they give way (with an ellipsis), figures never do.
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def summary_table(report: DayReport, with_float: bool) -> Table:
    """Float, income, partners' shares, community proceeds, rebate, adjustments booked.

    `with_float` is the Z report's version: the float, the walk-ins and the adjustments
    booked later for the day too, as the printed Z report has them.
    """
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
    table.add_column(ratio=1)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    if with_float:
        table.add_row(_name(t("closeout.float")), fmt_fen(report.opening_float_fen), "")
        key = "closeout.walkins_at_close" if report.closed else "closeout.walkins"
        table.add_row(_name(t(key, count=report.walkins)), "", "")
        if report.closed and report.walkins_after_close:
            after = t("closeout.walkins_after", count=report.walkins_after_close)
            table.add_row(_name(after), "", "")
    income = t("closeout.income", entries=report.entries)
    table.add_row(_name(income, "bold"), fmt_fen(report.income_fen), "")
    for late in report.after_close:  # part of the income, said where it came from
        after = t("closeout.after_close", date=late.visit_day.isoformat(), count=late.entries)
        table.add_row(_name(f"  {after}"), fmt_fen(late.amount_fen), "")
    table.add_row(_name(t("closeout.partners")), fmt_fen(report.partner_share_fen), "")
    for line in sorted(report.partners, key=lambda p: p.partner):  # stable order on screen
        detail = t("closeout.partner_income", amount=fmt_fen(line.income_fen))
        table.add_row(_name(f"  {line.partner}"), fmt_fen(line.share_fen), detail)
    table.add_row(_name(t("closeout.proceeds")), fmt_fen(report.community_proceeds_fen), "")
    base = t(f"closeout.base.{report.rebate_base}")
    rebate = t("closeout.rebate", rate=percent_text(report.rebate_rate_bp), base=base)
    table.add_row(_name(rebate), fmt_fen(report.rebate_fen), "")
    booked = report.adjustments_booked
    adjustments = t("closeout.adjustments", count=len(booked))
    table.add_row(_name(adjustments), fmt_fen(report.adjustments_fen), "")
    for a in booked:
        label = t(
            "closeout.adjustment_for",
            date=a.closed_date.isoformat(),
            method=t(f"method.{a.method}"),
            reason=a.reason,
        )
        table.add_row(_name(f"  {label}"), fmt_fen(a.amount_fen), "")
    if with_float:
        _later_rows(table, report)
    return table


def _later_rows(table: Table, report: DayReport) -> None:
    """Adjustments booked after the close for this day: the day stays as locked, these add."""
    later = report.adjustments_later
    title = t("closeout.adjustments_later", count=len(later))
    table.add_row(_name(title), fmt_fen(sum(a.amount_fen for a in later)), "")
    for a in later:
        label = t(
            "closeout.adjustment_on",
            date=a.booked_date.isoformat(),
            method=t(f"method.{a.method}"),
            reason=a.reason,
        )
        table.add_row(_name(f"  {label}"), fmt_fen(a.amount_fen), "")


def methods_table(report: DayReport) -> Table:
    """The Z report's per-method lines: income, expected, counted, over or short."""
    table = Table(box=None, expand=True, padding=(0, 1, 0, 0), header_style="bold")
    table.add_column(_name(t("closeout.method")), ratio=1)
    for key in ("col_income", "expected", "counted"):
        table.add_column(t(f"closeout.{key}"), justify="right", no_wrap=True)
    table.add_column(t("closeout.difference"), no_wrap=True)
    counted = report.counted_fen or {}
    differences = report.over_short_fen or {}
    for m in METHODS:
        diff = differences.get(m, 0)
        style = {"over": "yellow", "short": "red", "even": ""}[difference_class(diff)]
        table.add_row(
            _name(t(f"method.{m}")),
            fmt_fen(report.income_by_method.get(m, 0)),
            fmt_fen(report.expected_fen.get(m, 0)),
            fmt_fen(counted.get(m, 0)),
            Text(difference_text(diff), style=style),
        )
    return table


def z_report(report: DayReport) -> Group:
    """Everything the close locked, and what the printed Z report adds: walk-ins, the
    rounding rule and the adjustments booked for this day after it was closed."""
    parts: list[RenderableType] = [summary_table(report, with_float=True), methods_table(report)]
    parts.append(Text(totals_text(report.over_short_fen or {}), style="bold"))
    if report.cash_count:
        pieces = sorted(((int(d), n) for d, n in report.cash_count.items() if n), reverse=True)
        shown = "  ".join(f"{denomination_label(d)}×{n}" for d, n in pieces)
        parts.append(Text(t("closeout.counted_by", pieces=shown)))
    if report.note:
        parts.append(Text(t("closeout.note_shown", note=report.note)))
    parts.append(reconciled_text(report))
    parts.append(Text(t(f"day_report.rounding.{report.rounding}")))
    when = local_time(report.closed_at).strftime("%Y-%m-%d %H:%M") if report.closed_at else ""
    stamp = [t("closeout.closed_at"), when, "·", t("closeout.hash"), report.hash[:HASH_SHOWN]]
    parts.append(Text(" ".join(stamp)))
    parts.append(Text(t("closeout.day_closed", date=report.day.isoformat()), style="dim"))
    return Group(*parts)


def reconciled_text(report: DayReport) -> Text:
    """Each mobile method against its bill as the close kept it; no bill: not reconciled."""
    from frontdesk.services.closeout_bills import MOBILE

    lines = [Text(t("closeout.reconciliation"), style="bold")]
    for m in MOBILE:
        found, method = report.reconciled.get(m), t(f"method.{m}")
        if found is None:
            lines.append(Text(t("closeout.not_reconciled", method=method), style="dim"))
            continue
        said = t(
            "closeout.reconciled",
            method=method,
            bill=fmt_fen(found.bill_fen),
            matched=found.matched,
            entries=found.unmatched_entries,
            lines=found.unmatched_bill_lines,
        )
        lines.append(Text(said, style="" if found.balanced else "yellow"))
    return Text("\n").join(lines)


def confirm_table(report: DayReport, float_fen: int, counted: Mapping[str, int]) -> Group:
    """The confirmation before closing: expected, counted and over/short per method (a
    method with nothing expected and nothing counted is left out), and the totals apart."""
    from frontdesk.services.closeout import complete_counts, live_count

    expected, _ = live_count(report, float_fen, counted)
    full = complete_counts(expected, counted, sys.maxsize)  # checked already
    _, differences = live_count(report, float_fen, full)
    table = Table(box=None, padding=(0, 1), show_header=True, header_style="bold")
    table.add_column(t("closeout.method"))
    for key in ("expected", "counted"):
        table.add_column(t(f"closeout.{key}"), justify="right")
    table.add_column(t("closeout.difference"))
    for m in METHODS:
        if not expected[m] and m not in counted:
            continue
        diff = differences[m]
        style = {"over": "yellow", "short": "red", "even": "green"}[difference_class(diff)]
        table.add_row(
            t(f"method.{m}"),
            fmt_fen(expected[m]),
            fmt_fen(full[m]),
            Text(difference_text(diff), style=style),
        )
    return Group(table, Text(""), Text(totals_text(differences), style="bold"))


def error_target(field: str | None) -> tuple[str, str | None]:
    """The error line and the widget to focus for a UserError's field."""
    if field in METHODS:
        return f"{field}-error", f"count-{field}"
    if field in ("float", "note", "pin"):
        return f"{field}-error", field
    if field in ("manager", "staff"):
        return "manager-error", "manager"
    return "closeout-error", None


# --- the screen --------------------------------------------------------------------------------
class CloseoutScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "close_day", "close_day", id="close_day"),
        # F-keys: letters would be typed into the count boxes of an open day.
        Binding("f2", "adjust", "adjust", id="adjust"),
        Binding("f3", "pick_day", "pick_day", id="pick_day"),
        Binding("f4", "save_report", "save_report", id="save_report"),
        Binding("f5", "import_bill", "import_bill", id="import_bill"),
        Binding("escape", "back", "back", id="back"),
        # After Esc: where the key bar has no room, these go to F1 and the palette first.
        Binding("f6", "print", "print", id="print"),
        Binding("f7", "reprint", "reprint", id="reprint"),
    ]
    # Own row styles: the shared `.form-row` adds a blank line above each row, which the
    # 80x24 screen cannot spare, and the app's stylesheet outranks a screen's DEFAULT_CSS.
    DEFAULT_CSS = """
    CloseoutScreen #closeout { padding: 0 1; scrollbar-size-vertical: 1; }
    CloseoutScreen #closeout-title { text-style: bold; color: $accent; }
    CloseoutScreen #closeout-days { color: $warning; }
    CloseoutScreen #report, CloseoutScreen #count-form, CloseoutScreen #approval {
        height: auto;
    }
    #closeout .co-row { height: 1; }
    #closeout .co-row Label { width: 14; }
    #closeout .co-row .money { width: 12; text-align: right; }
    #closeout .co-row .diff { width: 1fr; margin: 0 0 0 2; }
    #closeout .co-row Input {
        height: 1; border: none; padding: 0 1; background: $boost; width: 14; margin: 0 0 0 2;
    }
    #closeout .co-row Input:focus { background: $primary 30%; }
    #closeout .co-row Input.wide { width: 1fr; margin: 0; }
    #closeout .co-row Input.pieces { width: 7; margin: 0 1 0 0; }
    #closeout .co-row Label.denomination { width: 6; text-align: right; margin: 0 1 0 0; }
    #closeout .co-row Label.inline { width: auto; margin: 0 1 0 2; }
    #closeout .co-row Select { width: 24; height: 1; }
    #closeout .co-row SelectCurrent { border: none; height: 1; padding: 0 1; background: $boost; }
    #closeout .co-row Select > SelectOverlay { width: 1fr; }
    #closeout .head { text-style: bold; }
    #closeout .over { color: $warning; }
    #closeout .short { color: $error; }
    #closeout .even { color: $success; }
    #closeout FieldError { margin: 0 0 0 14; }
    #closeout #closeout-error { margin: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.report: DayReport | None = None  # the day's figures, once loaded
        self.today: date | None = None  # the business date when last loaded
        self.unclosed: list[date] = []  # earlier days left unclosed, oldest first
        self.saved_float = 0  # the float as stored; the field may differ until Enter
        self.busy = False  # one close at a time: a day is closed once
        self.approval_key: tuple[tuple[str, int], ...] | None = None  # differences last checked
        self.managers: dict[str, str] = {}  # id -> name, of those who may approve
        self.bills: dict[str, Bill] = {}  # method -> the bill the close reconciles it with

    @property
    def closed(self) -> bool:
        return self.report is not None and self.report.closed

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with VerticalScroll(id="closeout"):
            yield Static(self._title(closed=False), id="closeout-title")
            yield Static("", id="closeout-days")
            yield Static(t("closeout.loading"), id="report")
            yield Static("", id="bills", classes="note")
            with Vertical(id="count-form"):
                yield from self._float_row()
                yield from self._method_rows()
                yield from self._denomination_rows()
                yield Static("", id="totals", classes="head")
                yield from self._approval_rows()
            yield FieldError(id="closeout-error")
        yield KeyBar()

    @property
    def day(self) -> date | None:
        return self.report.day if self.report is not None else None

    def _title(self, closed: bool) -> str:
        key = "closeout.title_z" if closed else "closeout.title_x"
        label = day_label(self.day) if self.day else self.host.business_day_label()
        return t(key, date=label)

    def _days_note(self) -> str:
        """Earlier days still to close, shown on every day until they are closed."""
        if not self.unclosed:
            return ""
        dates = " ".join(d.isoformat() for d in self.unclosed[:3])
        more = " …" if len(self.unclosed) > 3 else ""
        return t("closeout.unclosed", count=len(self.unclosed), dates=dates + more)

    def day_choices(self) -> list[date]:
        """The days F3 offers: earlier days left unclosed, and today."""
        if self.today is None:
            return []
        return sorted(set(self.unclosed) | {self.today})

    def _float_row(self) -> ComposeResult:
        with Horizontal(classes="co-row"):
            yield Label(t("closeout.float"))
            yield Static("", classes="money")  # under income and expected: the float
            yield Static("", classes="money")  # is typed in the counted column
            yield Input(id="float", restrict=MONEY_CHARS, max_length=12)
            yield Static(t("closeout.float_hint"), classes="diff note")
        yield FieldError(id="float-error")

    def _method_rows(self) -> ComposeResult:
        with Horizontal(classes="co-row head"):
            yield Label(t("closeout.method"))
            yield Static(t("closeout.col_income"), classes="money")
            yield Static(t("closeout.expected"), classes="money")
            yield Static(t("closeout.counted"), classes="money")
            yield Static(t("closeout.difference"), classes="diff")
        for m in METHODS:
            with Horizontal(classes="co-row"):
                yield Label(t(f"method.{m}"))
                yield Static("", id=f"income-{m}", classes="money")
                yield Static("", id=f"expected-{m}", classes="money")
                yield Input(id=f"count-{m}", restrict=MONEY_CHARS, max_length=12)
                yield Static("", id=f"diff-{m}", classes="diff")
            yield FieldError(id=f"{m}-error")

    def _denomination_rows(self) -> ComposeResult:
        from frontdesk.services.closeout import DENOMINATIONS_FEN

        half = len(DENOMINATIONS_FEN) // 2
        for i, group in enumerate((DENOMINATIONS_FEN[:half], DENOMINATIONS_FEN[half:])):
            with Horizontal(classes="co-row"):
                yield Label(t("closeout.cash_count") if i == 0 else "")
                for fen in group:
                    yield Label(denomination_label(fen), classes="denomination")
                    yield Input(
                        id=f"pieces-{fen}", restrict=PIECE_CHARS, max_length=5, classes="pieces"
                    )
        yield Static("", id="count-total", classes="note")

    def _approval_rows(self) -> ComposeResult:
        with Vertical(id="approval"):
            yield Static(t("closeout.approval"), classes="short")
            with Horizontal(classes="co-row"):
                yield Label(t("closeout.note"))
                yield Input(id="note", max_length=NOTE_MAX, classes="wide")
            yield FieldError(id="note-error")
            with Horizontal(classes="co-row"):
                yield Label(t("closeout.manager"))
                yield Select[str]([], id="manager", prompt=t("form.none"))
                yield Label(t("closeout.pin"), classes="inline")
                yield pin_box("pin", classes="wide")
            yield FieldError(id="manager-error")
            yield FieldError(id="pin-error")

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        # Nothing to type into until today's figures are known (the day may be closed).
        for hidden in ("#count-form", "#approval", "#count-total", "#closeout-days", "#bills"):
            self.query_one(hidden).display = False
        self.load()

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.report is None:
            return
        if not self.closed:
            yield SystemCommand(t("key.close_day"), t("palette.close_day"), self.action_close_day)
        yield SystemCommand(t("key.adjust"), t("palette.adjust"), self.action_adjust)
        if not self.closed:
            yield SystemCommand(
                t("key.import_bill"), t("palette.import_bill"), self.action_import_bill
            )
        if self._can_pick():
            yield SystemCommand(t("key.pick_day"), t("palette.pick_day"), self.action_pick_day)
        yield SystemCommand(t("key.save_report"), t("palette.save_report"), self.action_save_report)
        yield SystemCommand(t("key.print"), t("palette.print"), self.action_print)
        yield SystemCommand(t("key.reprint"), t("palette.reprint"), self.action_reprint)

    def _can_pick(self) -> bool:
        return any(d != self.day for d in self.day_choices())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("close_day", "import_bill"):
            return self.report is not None and not self.closed  # gone once read-only
        if action in ("adjust", "save_report", "print"):
            return self.report is not None and not self.busy
        if action == "pick_day":
            return self.report is not None and not self.busy and self._can_pick()
        return True

    # --- loading ---------------------------------------------------------------------------
    def load(self, day: date | None = None) -> None:
        """The figures of `day`; by default of the oldest earlier day left unclosed, else
        of today, so a day flagged at sign-in is the first one closed."""
        self.run_service(
            lambda: self._read(day),
            lambda read: self._loaded(*read),
            group="closeout-load",
            refused=self._refused,
        )

    def _read(self, day: date | None) -> tuple[DayReport, list[tuple[str, str]], date, list[date]]:
        from frontdesk.services.auth import active_staff
        from frontdesk.services.closeout import day_report, unclosed_days

        desk = self.desk
        today = business_date(self.host.now())
        unclosed = unclosed_days(desk.engine, desk.site_code, today)
        if day is None:
            day = unclosed[0] if unclosed else today
        report = day_report(desk.engine, desk.site_code, day)
        staff = active_staff(desk.engine)
        managers = [(s.name, str(s.id)) for s in staff if s.role == "manager"]
        return report, managers, today, unclosed

    def _loaded(
        self,
        report: DayReport,
        managers: list[tuple[str, str]],
        today: date | None = None,
        unclosed: list[date] | None = None,
    ) -> None:
        if self.day != report.day:
            self._clear_form()  # another day: nothing typed for the last one carries over
        self.report = report
        if today is not None:
            self.today, self.unclosed = today, list(unclosed or [])
        self._show_days_note()
        self.query_one("#closeout-title", Static).update(self._title(closed=report.closed))
        self.refresh_bindings()
        if report.closed:
            self._show_z(report)
            return
        self.query_one("#report", Static).update(summary_table(report, with_float=False))
        for m in METHODS:
            income = fmt_fen(report.income_by_method.get(m, 0))
            self.query_one(f"#income-{m}", Static).update(income)
        self.saved_float = report.opening_float_fen
        self.query_one("#float", Input).value = yuan_text(self.saved_float)
        self.managers = {staff_id: name for name, staff_id in managers}
        fill_managers(self.query_one("#manager", Select), managers, self.host.staff)
        self.query_one("#count-form").display = True
        self.query_one("#count-cash", Input).focus()
        self._recount()

    def _show_days_note(self) -> None:
        note = self._days_note()
        box = self.query_one("#closeout-days", Static)
        box.update(note)
        box.display = bool(note)

    def _clear_form(self) -> None:
        """Empty every box and hide the approval, as when the screen was first opened."""
        for box in self.query(Input):
            box.value = ""
        clear_errors(self)
        self.approval_key = None
        self.bills = {}  # a bill is of one day
        for hidden in ("#approval", "#count-total", "#bills"):
            self.query_one(hidden).display = False
        self.query_one("#report", Static).update(t("closeout.loading"))

    def _show_z(self, report: DayReport) -> None:
        self.query_one("#count-form").display = False
        self.query_one("#bills").display = False  # the Z report says what the close kept
        self.query_one("#closeout-title", Static).update(self._title(closed=True))
        self.query_one("#report", Static).update(z_report(report))
        self.set_focus(None)  # nothing left to type into; Escape still goes back
        self.query_one("#closeout").scroll_home(animate=False)

    # --- counting, live ---------------------------------------------------------------------
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name.startswith("pieces-"):
            self._fill_cash_from_pieces()
        elif name == "count-cash":
            self._drop_stale_pieces()
        if name not in APPROVAL_FIELDS:
            self._recount()

    def _pieces(self) -> dict[int, int]:
        """Denomination in fen -> pieces, for the boxes that hold a number."""
        counts = {}
        for box in self.query("Input.pieces").results(Input):
            if box.value:
                counts[int((box.id or "").removeprefix("pieces-"))] = int(box.value)
        return counts

    def _fill_cash_from_pieces(self) -> None:
        pieces = self._pieces()
        note = self.query_one("#count-total", Static)
        note.display = bool(pieces)
        if not pieces:
            return  # the boxes were emptied: a typed total stays as it is
        total = sum(d * n for d, n in pieces.items())
        self.query_one("#count-cash", Input).value = yuan_text(total)
        note.update(t("closeout.count_total", amount=fmt_fen(total)))

    def _drop_stale_pieces(self) -> None:
        # A cash total typed over the counted one wins: the boxes must not disagree with it.
        # Compared with the fields' current values, not the event's, as events trail typing.
        pieces = self._pieces()
        if not pieces:
            return
        total = sum(d * n for d, n in pieces.items())
        if self.query_one("#count-cash", Input).value != yuan_text(total):
            for box in self.query("Input.pieces").results(Input):
                box.value = ""

    @property
    def ceiling_fen(self) -> int:
        return self.host.cfg.amount_ceiling_fen

    def _typed(self, name: str, ceiling: int, blank: int | None = 0) -> int | None:
        """A money field's fen (`blank` when empty), or None when it is not an amount (said
        below it)."""
        box = self.query_one(f"#{name}", Input)
        error_id = f"{name.removeprefix('count-')}-error"
        try:
            fen = parse_yuan(box.value, name, ceiling)
        except UserError as exc:
            self.query_one(f"#{error_id}", FieldError).show(exc.message())
            return None
        self.query_one(f"#{error_id}", FieldError).show("")
        return blank if fen is None else fen

    def _count(self, method: str, limit: int) -> int | None:
        """A method's count as typed (None: blank, or refused below its box in the words the
        close would use)."""
        fen = self._typed(f"count-{method}", sys.maxsize, None)
        if fen is not None and fen > limit:
            message = t("closeout.count_too_large", ceiling=fmt_fen(limit))
            self.query_one(f"#{method}-error", FieldError).show(message)
            return None
        return fen

    def _recount(self) -> None:
        """Expected, over and short per method from what is typed now; then the tolerance."""
        if self.report is None or self.closed:
            return
        from frontdesk.services.closeout import count_ceiling, live_count

        float_fen = self._typed("float", FLOAT_CEILING_FEN)
        float_now = self.saved_float if float_fen is None else float_fen
        before, _ = live_count(self.report, float_now, {})
        # A blank box is not counted (and is no difference yet); a bad amount says so below it.
        counts = {m: self._count(m, count_ceiling(before[m], self.ceiling_fen)) for m in METHODS}
        counted = {m: fen for m, fen in counts.items() if fen is not None}
        expected, differences = live_count(self.report, float_now, counted)
        for m in METHODS:
            self.query_one(f"#expected-{m}", Static).update(fmt_fen(expected[m]))
            blank = not self.query_one(f"#count-{m}", Input).value.strip()
            self._show_difference(m, differences.get(m), blank and bool(expected[m]))
        self.query_one("#totals", Static).update(totals_text(differences))
        self._ask_approval(differences)

    def _show_difference(self, method: str, diff: int | None, missing: bool = False) -> None:
        box = self.query_one(f"#diff-{method}", Static)
        if missing:  # money is expected and nothing typed: a count is still owed
            box.update(t("closeout.not_counted"))
            box.set_classes("diff short")
            return
        box.update("" if diff is None else difference_text(diff))
        box.set_classes("diff" if diff is None else f"diff {difference_class(diff)}")

    def _ask_approval(self, differences: dict[str, int]) -> None:
        key = tuple(sorted(differences.items()))
        if key != self.approval_key:
            self.approval_key = key
            self.check_approval(differences, key)

    def check_approval(self, differences: dict[str, int], key: tuple[tuple[str, int], ...]) -> None:
        from frontdesk.services.closeout import needs_approval

        self.run_service(
            lambda: needs_approval(self.desk.engine, self.desk.site_code, differences),
            lambda needed: self._approval_needed(needed, key),
            group="closeout-approval",
            # Only a hint: the close checks the tolerance again and says what it needs.
            refused=lambda _exc: None,
        )

    def _approval_needed(self, needed: bool, key: tuple[tuple[str, int], ...]) -> None:
        if key == self.approval_key and not self.closed:  # a later count supersedes this one
            self.query_one("#approval").display = needed

    # --- the opening float --------------------------------------------------------------------
    def _float_entered(self) -> None:
        fen = self._typed("float", FLOAT_CEILING_FEN)
        if fen is None:
            return
        if fen != self.saved_float and self.report is not None and not self.closed:
            self.save_float(self.report.day, fen)
        self.query_one("#count-cash", Input).focus()

    def save_float(self, day: date, fen: int) -> None:
        from frontdesk.services.closeout import open_day

        self.run_service(
            lambda: open_day(self.desk.engine, self.actor, day, fen, self.host.now()),
            lambda _: self._float_saved(fen),
            group="closeout-float",
            refused=self._refused,  # e.g. the day was closed at another desk meanwhile
        )

    def _float_saved(self, fen: int) -> None:
        self.saved_float = fen
        self.notify(t("closeout.float_saved", amount=fmt_fen(fen)))

    # --- moving between fields -------------------------------------------------------------------
    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        """Enter saves the float, moves on from a count, and closes from the PIN box."""
        name = event.input.id or ""
        if name == "float":
            self._float_entered()
        elif name == "pin":
            self.action_close_day()
        elif name == "note":
            focus_approval(self)
        else:
            self.focus_next()  # a close is never one Enter away: Ctrl+S says so

    # --- closing -------------------------------------------------------------------------------
    def action_close_day(self) -> None:
        """Ctrl+S: check the form, then show the confirmation; Enter there closes."""
        if self.busy or self.report is None or self.closed:
            return
        clear_errors(self)
        try:
            raw, float_fen = self._close_input(self.report.day)
        except UserError as exc:
            self._refused(exc)
            return
        from screens.desk.closeout_dialogs import ConfirmClose

        self.busy = True  # until the confirmation is answered: one close at a time
        table = confirm_table(self.report, float_fen, raw.counted_fen)
        self.app.push_screen(
            ConfirmClose(raw.day, table, self._approval_line(raw)),
            callback=lambda yes: self._confirmed(bool(yes), raw, float_fen),
        )

    def _approval_line(self, raw: CloseInput) -> str:
        if raw.manager_id is None:
            return ""
        name = self.managers.get(str(raw.manager_id), "")
        return t("closeout.confirm_approval", manager=name, note=raw.note.strip())

    def _confirmed(self, yes: bool, raw: CloseInput, float_fen: int) -> None:
        if not yes:
            self.busy = False
            self.query_one("#count-cash", Input).focus()
            return
        self.close(raw, None if float_fen == self.saved_float else float_fen)

    def _close_input(self, day: date) -> tuple[CloseInput, int]:
        """What the form says, parsed exactly; a bad amount or a blank count where money is
        expected raises at its field (every field at once), as the close itself would."""
        from frontdesk.domain.forms import Collector
        from frontdesk.services.closeout import CloseInput, complete_counts, live_count

        found = Collector()
        float_fen = found.check(
            parse_yuan, self.query_one("#float", Input).value, "float", FLOAT_CEILING_FEN
        )
        assert self.report is not None
        expected, _ = live_count(self.report, float_fen or 0, {})
        typed = {
            m: found.check(parse_yuan, self.query_one(f"#count-{m}", Input).value, m, sys.maxsize)
            for m in METHODS
        }
        found.raise_any()
        counted = {m: fen for m, fen in typed.items() if fen is not None}  # blanks left out
        # A blank where money is expected, or a count beyond the ceiling: said at its box.
        complete_counts(expected, counted, self.ceiling_fen)
        pieces = self._pieces()
        # The pieces go with the close only when they are what the cash total says.
        agree = pieces and sum(d * n for d, n in pieces.items()) == counted.get("cash")
        bills = tuple(self.bills.values())
        raw = CloseInput(day, counted, cash_count=pieces if agree else None, bills=bills)
        if self.query_one("#approval").display:
            raw.manager_id, raw.pin = approval(self)
            raw.note = self.query_one("#note", Input).value
            # Asked for before the confirmation, as the close would (the PIN it checks).
            if raw.manager_id is None:
                found.add("closeout.needs_manager", "manager")
            if not raw.note.strip():
                found.add("closeout.needs_note", "note")
            found.raise_any()
        return raw, float_fen or 0

    def close(self, raw: CloseInput, float_fen: int | None) -> None:
        def call() -> DayReport:
            from frontdesk.services.closeout import close_day, open_day

            engine, actor = self.desk.engine, self.actor
            if float_fen is not None:  # typed but not yet saved: the close counts on it
                open_day(engine, actor, raw.day, float_fen, self.host.now())
            rules = self.host.cfg.bill_rules
            return close_day(engine, actor, raw, self.host.now(), self.ceiling_fen, rules)

        # Every refusal is shown; the screen stays usable.
        self.run_service(call, self._day_closed, group="closeout-close", refused=self._refused)

    def _day_closed(self, report: DayReport) -> None:
        self.busy = False
        self.report = report
        self.unclosed = [d for d in self.unclosed if d != report.day]
        self._show_days_note()
        self.refresh_bindings()
        self._show_z(report)
        self.notify(t("closeout.done", date=report.day.isoformat()))

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self.show_refusal(exc)
        if getattr(exc, "code", "") == "closeout.already":
            self.load(self.day)  # closed elsewhere meanwhile: show what was locked

    def show_refusal(self, exc: BaseException, focus: bool = True) -> str | None:
        # Here a count's error line and its box have ids of their own (error_target); every
        # error of a FormErrors shows at its own box, the cursor goes to the first.
        from frontdesk.domain.forms import FormErrors

        errors: list[BaseException] = list(exc.errors) if isinstance(exc, FormErrors) else [exc]
        first: str | None = None
        for error in errors:
            error_id, focus_id = error_target(getattr(error, "field", None))
            if focus_id in APPROVAL_FIELDS or error_id == "manager-error":
                self.query_one("#approval").display = True  # the service asks for what is hidden
            self.query_one(f"#{error_id}", FieldError).show(describe(error))
            if focus_id == "pin":
                self.query_one("#pin", Input).value = ""  # a wrong PIN is typed again from scratch
            first = first or focus_id
        if focus and first is not None:
            self.query_one(f"#{first}").focus()
        return first

    # --- the other keys ---------------------------------------------------------------------------
    def action_adjust(self) -> None:
        """F2: a late or corrected entry for a closed day, booked today."""
        from screens.desk.closeout_dialogs import AdjustmentDialog

        if self.busy or self.report is None:
            return
        today = business_date(self.host.now())
        dialog = AdjustmentDialog(today)
        self.app.push_screen(dialog, callback=lambda raw: self._adjusted(raw, dialog.booked))

    def _adjusted(self, raw: AdjustmentInput | None, booked: date) -> None:
        if raw is None:
            return
        amount = fmt_fen(raw.amount_fen)
        closed = raw.closed_date.isoformat()
        self.notify(t("closeout.adjusted", date=closed, amount=amount, booked=booked.isoformat()))
        self.load(self.day)  # today's X report books it; the closed day's Z report lists it

    def action_import_bill(self) -> None:
        """F5: a payment platform's bill of the day, matched to its entries."""
        from screens.desk.closeout_bill import BillDialog

        if self.busy or self.report is None or self.closed:
            return
        self.app.push_screen(BillDialog(self.report.day), callback=self._bill_picked)

    def _bill_picked(self, picked: BillPicked | None) -> None:
        if picked is None:
            return
        if picked.bill is not None:
            self.bills[picked.bill.method] = picked.bill
            self._show_bills()
        if picked.corrected:
            self.load(self.day)  # an entry's method changed: the X report moves with it

    def _show_bills(self) -> None:
        names = [t(f"method.{m}") for m in self.bills]
        line = self.query_one("#bills", Static)
        line.update(t("closeout.bills", list="、".join(names)))
        line.display = bool(self.bills)

    def action_pick_day(self) -> None:
        """F3: an earlier day left unclosed, or today."""
        from screens.desk.closeout_dialogs import DayPicker

        if self.busy or self.report is None or self.today is None:
            return
        picker = DayPicker(self.unclosed, self.today, self.report.day)
        self.app.push_screen(picker, callback=self._day_picked)

    def _day_picked(self, day: date | None) -> None:
        if day is not None and day != self.day:
            self.load(day)

    def action_save_report(self) -> None:
        """F4: the day's report as the 58 mm receipt, saved to a file."""
        from screens.desk.closeout_dialogs import ReportFileDialog

        if self.report is not None:
            self.app.push_screen(ReportFileDialog(self.report.day))

    def action_print(self) -> None:
        """F6: the day's report on the receipt printer, in a worker: a closed day's Z report
        with the clerk's and the manager's signature lines (重印 after its first print)."""
        from frontdesk.printing.jobs import print_day_report
        from screens.common.printing import print_in_worker

        if self.report is None:
            return
        day = self.report.day
        print_in_worker(
            self,
            lambda engine, actor, setup, now: print_day_report(engine, actor, setup, day, now),
        )

    def action_reprint(self) -> None:
        """F7: an earlier receipt or day report (a past day's Z report), by number or date."""
        from screens.desk.reprint_dialog import ReprintDialog

        if not self.busy:
            self.app.push_screen(ReprintDialog())

    def action_back(self) -> None:
        # Not while closing: leaving would hide whether the day was closed.
        if not self.busy:
            self.dismiss()
