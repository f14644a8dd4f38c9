"""F5 on the close-out screen: a payment platform's bill against the day's entries.

The file's path is typed (a bare name is looked for in the documents folder, which the box
starts with); Enter reads it and matches it (services/closeout_bills.preview). The result
says what matched, the entries with no bill line, the bill lines with no entry, and lists
the likely slips at the till: a cash entry near the time of an unmatched bill line of the
same amount. F2 puts the highlighted one's method right (an audited correction of an open
day's entry, `correct_method`) and matches again; Ctrl+S takes the bill for the close;
Esc leaves without it.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.money import fmt_fen
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from screens.common.base import DeskModal
from screens.common.dates import day_label
from screens.common.save_paths import documents_dir, save_target
from screens.common.widgets import FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.domain.reconcile import Entry, Reconciliation, Timed
    from frontdesk.services.bills import Bill

LISTED = 3  # unmatched entries or lines named by time on one line; the rest are counted


@dataclass(frozen=True)
class BillPicked:
    """What the dialog leaves with: the bill to close with (None: none), and whether an
    entry's method was corrected (the day's figures changed)."""

    bill: Bill | None
    corrected: bool


def _when(at: datetime) -> str:
    return at.strftime("%H:%M")


def _times(items: list[Entry] | list[Timed]) -> str:
    shown = [f"{_when(i.at)} {fmt_fen(i.amount_fen)}" for i in items[:LISTED]]
    more = t("bill_screen.more", count=len(items) - LISTED) if len(items) > LISTED else ""
    return ("，" if language() == "zh" else ", ").join(shown) + more


def result_text(bill: Bill, found: Reconciliation, day: date) -> Text:
    """The matching, line by line, as the dialog shows it."""
    method = t(f"method.{bill.method}")
    lines = [
        Text(t("bill_screen.read", layout=t(f"bills.layout.{bill.layout}"), method=method)),
        Text(t("bill_screen.day_lines", count=len(bill.on(day)), amount=fmt_fen(found.bill_fen))),
    ]
    matched = sum(e.amount_fen for e, _ in found.matched)
    lines.append(Text(t("bill_screen.matched", count=len(found.matched), amount=fmt_fen(matched))))
    for key, items in (
        ("bill_screen.no_bill_line", found.unmatched_entries),
        ("bill_screen.no_entry", found.unmatched_lines),
    ):
        if items:
            total = fmt_fen(sum(i.amount_fen for i in items))
            said = t(key, count=len(items), amount=total, times=_times(items))
            lines.append(Text(said, style="yellow"))
    if found.balanced:
        lines.append(Text(t("bill_screen.balanced"), style="green"))
    if found.keyed_as_cash:
        said = t("bill_screen.slips", count=len(found.keyed_as_cash), method=method)
        lines.append(Text(said, style="red"))
    return Text("\n").join(lines)


def slip_label(entry: Entry, line: Timed) -> str:
    return t(
        "bill_screen.slip",
        entry=_when(entry.at),
        amount=fmt_fen(entry.amount_fen),
        line=_when(line.at),
    )


class BillDialog(DeskModal[BillPicked]):
    AUTO_FOCUS = "#bill-file"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "use", "use_bill", id="use_bill"),
        Binding("f2", "correct", "correct_method", id="correct_method"),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]
    FIELD_AT: ClassVar = {"bill": "bill-file", "method": "slips", "day": "slips"}
    REFUSAL_AT = "bill-refusal"
    DEFAULT_CSS = """
    BillDialog #bill-box { width: 100%; max-width: 110; height: auto; max-height: 100%; }
    BillDialog .co-row { height: 1; }
    BillDialog .co-row Label { width: 8; }
    BillDialog #bill-file { height: 1; border: none; padding: 0 1; width: 1fr; background: $boost; }
    BillDialog #bill-result { height: auto; margin: 1 0 0 0; }
    BillDialog #slips { height: auto; max-height: 6; border: none; }
    BillDialog FieldError { margin: 0 0 0 8; }
    """

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day
        self.bill: Bill | None = None
        self.found: Reconciliation | None = None
        self.corrected = False

    def compose(self) -> ComposeResult:
        with Vertical(id="bill-box", classes="box"):
            yield Static(t("bill_screen.title", date=day_label(self.day)), classes="title")
            with Horizontal(classes="co-row"):
                yield Label(t("bill_screen.file"))
                yield Input(str(documents_dir()) + os.sep, id="bill-file")
            yield FieldError(id="bill-file-error")
            yield Static(t("bill_screen.hint"), id="bill-result", classes="note")
            yield OptionList(id="slips")
            yield FieldError(id="slips-error")
            yield FieldError(id="bill-refusal")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#slips").display = False
        for error in self.query(FieldError):
            error.show("")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use":
            return self.bill is not None and not self.busy
        if action == "correct":
            return bool(self.found and self.found.keyed_as_cash) and not self.busy
        return True

    # --- reading and matching ------------------------------------------------------------
    @on(Input.Submitted, "#bill-file")
    def _read(self, event: Input.Submitted) -> None:
        event.stop()
        path = save_target(event.value)
        if path is None or self.busy:
            return
        self.busy = True
        for error in self.query(FieldError):
            error.show("")
        self.run_service(
            lambda: self._match(path),
            self._matched,
            group="bill-read",
            refused=self.refused_write,
        )

    def _match(self, path) -> tuple[Bill, Reconciliation]:
        from frontdesk.services.bills import read_bill

        bill = read_bill(path)
        return bill, self._preview(bill)

    def _preview(self, bill: Bill) -> Reconciliation:
        from frontdesk.services.closeout_bills import preview

        desk = self.desk
        return preview(desk.engine, desk.site_code, self.day, bill, self.host.cfg.bill_rules)

    def _matched(self, read: tuple[Bill, Reconciliation]) -> None:
        self.busy = False
        self.bill, self.found = read
        self.query_one("#bill-result", Static).update(result_text(*read, self.day))
        self.query_one("#bill-result").set_class(False, "note")
        slips = self.query_one("#slips", OptionList)
        slips.clear_options()
        for entry, line in self.found.keyed_as_cash:
            slips.add_option(Option(slip_label(entry, line), id=entry.ref))
        slips.display = bool(self.found.keyed_as_cash)
        if self.found.keyed_as_cash:
            slips.highlighted = 0
            slips.focus()
        self.refresh_bindings()

    # --- the keys ---------------------------------------------------------------------------
    def action_correct(self) -> None:
        """F2: the highlighted cash entry was paid by the bill's method; matched again."""
        from frontdesk.services.closeout_bills import correct_method

        slips = self.query_one("#slips", OptionList)
        if self.busy or self.bill is None or slips.highlighted is None:
            return
        ref = slips.get_option_at_index(slips.highlighted).id
        if ref is None:
            return
        bill, self.busy = self.bill, True

        def call() -> tuple[Bill, Reconciliation]:
            desk = self.desk
            correct_method(desk.engine, self.actor, uuid.UUID(ref), bill.method, self.host.now())
            return bill, self._preview(bill)

        self.run_service(call, self._corrected, group="bill-correct", refused=self.refused_write)

    def _corrected(self, read: tuple[Bill, Reconciliation]) -> None:
        self.corrected = True
        self.notify(t("bill_screen.corrected", method=t(f"method.{read[0].method}")))
        self._matched(read)

    def action_use(self) -> None:
        if self.bill is None:
            self.show_refusal(UserError("bill_screen.read_first", field="bill"))
        elif not self.busy:
            self.dismiss(BillPicked(self.bill, self.corrected))

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(BillPicked(None, self.corrected))
