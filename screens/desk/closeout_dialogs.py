"""Dialogs of the close-out screen: an adjustment for a closed day, the day, the report file.

- AdjustmentDialog (F2): a late or corrected entry for a closed day (调整), booked today and
  linked to that day, so both days' reports show it; a closed day itself never changes.
- ConfirmClose (Ctrl+S): the last look before a day is locked: expected, counted and
  over/short per method; Enter closes the day, Esc goes back to the counts.
- DayPicker (F3): an earlier day left unclosed, or today.
- ReportFileDialog (F4): the day's X or Z report as the 58 mm receipt, saved to a file
  (`.xlsx` for a sheet, any other name for the receipt text); never overwriting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.forms import FormErrors
from frontdesk.domain.money import METHODS, fmt_fen, parse_signed_yuan
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from screens.common.base import SAVE_OR_CANCEL, DeskModal
from screens.common.dates import day_label
from screens.common.document_view import SAVE_CLOSE, DocumentScreen
from screens.common.printing import PRINT_KEY
from screens.common.widgets import FieldError, KeyBar, clear_errors

if TYPE_CHECKING:
    from frontdesk.services.closeout import AdjustmentInput, DayReport
    from frontdesk.services.service_lines import ServiceItem
    from screens.common.printing import Job

REASON_MAX = 200  # the width of payments.reason
# What the amount box accepts: a sign for a correction, then what a money box accepts.
SIGNED_MONEY_CHARS = r"[-－−]?[0-9０-９.．,，¥￥]*"
FIELDS = ("day", "service", "amount", "method", "reason")


def method_of(key: str) -> str:
    """The payment method a number key 1-5 stands for (the quick log's keys)."""
    return METHODS[int(key) - 1] if key else ""


# --- an adjustment for a closed day ----------------------------------------------------------
class AdjustmentDialog(DeskModal["AdjustmentInput | None"]):
    """Dismisses with what was booked, or None when nothing was."""

    # Where refusals of add_adjustment show, if not at the field of their name; anything
    # else goes under the whole form. ("day" is today's own day, closed: that is not the
    # day typed in the form.)
    FIELD_AT = {"closed_date": "day", "day": None}
    REFUSAL_AT = "adjust-error"

    AUTO_FOCUS = "#day"
    BINDINGS = SAVE_OR_CANCEL

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.booked = today  # the day it is booked in: today, or after its close the next
        self.services: list[ServiceItem] = []
        self.service: ServiceItem | None = None
        self.busy = False  # one booking at a time: never the same adjustment twice

    def compose(self) -> ComposeResult:
        with Vertical(id="adjust-box", classes="box dialog"):
            yield Static(t("adjust.title"), classes="title")
            yield Static(self._booked_note(), id="adjust-booked", classes="note")
            with Horizontal(classes="form-row"):
                yield Label(t("adjust.day"))
                yield Input(id="day", max_length=10, placeholder="YYYY-MM-DD", classes="mid")
            yield FieldError(id="day-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("quick.service"))
                yield Input(id="service", max_length=20, classes="mid")
                yield Static(t("quick.service_hint"), id="service-chosen", classes="note pick")
            yield FieldError(id="service-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("quick.amount"))
                yield Input(id="amount", restrict=SIGNED_MONEY_CHARS, max_length=13, classes="mid")
                yield Static(t("adjust.amount_hint"), classes="note pick")
            yield FieldError(id="amount-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("quick.method"))
                yield Input(id="method", restrict=r"[1-5]?", max_length=1, classes="mid")
                yield Static(t("quick.method_hint"), id="method-name", classes="note pick")
            yield FieldError(id="method-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("adjust.reason"))
                yield Input(id="reason", max_length=REASON_MAX)
            yield FieldError(id="reason-error", classes="form-error")
            yield FieldError(id="adjust-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)
        self.load()

    def load(self) -> None:
        self.run_service(self._read, lambda read: self._loaded(*read), group="adjust-load")

    def _booked_note(self) -> str:
        return t("adjust.booked_today", date=day_label(self.booked))

    def _read(self) -> tuple[date | None, list[ServiceItem], date]:
        from frontdesk.services.closeout import day_closed, last_closed_day
        from frontdesk.services.service_lines import active_services

        desk = self.desk
        last = last_closed_day(desk.engine, desk.site_code)
        closed = day_closed(desk.engine, desk.site_code, self.today)
        booked = self.today if closed is None else closed.books_into
        return last, [s for s in active_services(desk.engine) if s.paid], booked

    def _loaded(self, last: date | None, services: list[ServiceItem], booked: date) -> None:
        self.services, self.booked = services, booked
        self.query_one("#adjust-booked", Static).update(self._booked_note())
        box = self.query_one("#day", Input)
        if last is not None and not box.value:
            box.value = last.isoformat()  # the usual case: the day just closed
            self.filled_in(box)  # Esc leaves without asking: nothing was typed
        self._match(self.query_one("#service", Input).value)

    # --- what is typed -------------------------------------------------------------------
    @on(Input.Changed, "#service")
    def _service_typed(self, event: Input.Changed) -> None:
        self._match(event.value)

    def _match(self, typed: str) -> None:
        from frontdesk.services.service_lines import match

        found = match(self.services, typed) if typed.strip() else []
        self.service = found[0] if found else None
        if self.service is not None:
            item = self.service
            label = f"{item.code} {item.name(language())} · {fmt_fen(item.price_fen)}"
        else:
            label = t("quick.no_service") if typed.strip() else t("quick.service_hint")
        self.query_one("#service-chosen", Static).update(label)

    @on(Input.Changed, "#method")
    def _method_typed(self, event: Input.Changed) -> None:
        method = method_of(event.value)
        label = t(f"method.{method}") if method else t("quick.method_hint")
        self.query_one("#method-name", Static).update(label)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if event.input.id == "reason":
            self.action_submit()
        else:
            self.focus_next()

    # --- saving --------------------------------------------------------------------------
    def _form(self) -> tuple[AdjustmentInput | None, list[UserError]]:
        """The form parsed exactly; every field that is not right, each with its error."""
        from frontdesk.services.closeout import AdjustmentInput

        errors: list[UserError] = []
        day: date | None = None
        try:
            day = date.fromisoformat(self.query_one("#day", Input).value.strip())
        except ValueError:
            errors.append(UserError("adjust.bad_day", field="day"))
        if self.service is None:
            errors.append(UserError("walkin.unknown_service", field="service"))
        amount = None
        try:
            ceiling = self.host.cfg.amount_ceiling_fen
            amount = parse_signed_yuan(self.query_one("#amount", Input).value, "amount", ceiling)
            if not amount:
                errors.append(UserError("closeout.adjust_zero", field="amount"))
        except UserError as exc:
            errors.append(exc)
        method = method_of(self.query_one("#method", Input).value)
        if not method:
            errors.append(UserError("adjust.method_required", field="method"))
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            errors.append(UserError("closeout.adjust_reason", field="reason"))
        if errors or day is None or self.service is None or not amount:
            return None, errors
        return AdjustmentInput(day, self.service.id, amount, method, reason), []

    def action_submit(self) -> None:
        if self.busy:
            return
        clear_errors(self)
        raw, errors = self._form()
        if raw is None:
            self.show_refusal(FormErrors(errors))
            return
        self.busy = True
        self.save(raw)

    def _saved(self, raw: AdjustmentInput, booked: date) -> None:
        self.booked = booked  # as the ledger booked it
        self.dismiss(raw)

    def save(self, raw: AdjustmentInput) -> None:
        from frontdesk.services.closeout import add_adjustment

        self.run_service(
            lambda: add_adjustment(self.desk.engine, self.actor, raw, self.host.now()),
            lambda payment: self._saved(raw, payment.business_date),
            group="adjust-save",
            refused=self.refused_write,  # every refusal is said in the form, which stays open
        )


# --- the last look before closing ------------------------------------------------------------
class ConfirmClose(DeskModal[bool]):
    """Dismisses with True to close the day as shown, False to go back to the counts."""

    BINDINGS = [
        Binding("enter", "confirm", "close_day", id="close_day", priority=True),
        Binding("ctrl+s", "confirm", "close_day", id="close_day_again", show=False),
        Binding("escape", "cancel", "back", id="back"),
    ]

    def __init__(self, day: date, table: RenderableType, approval: str) -> None:
        super().__init__()
        self.day, self.table, self.approval = day, table, approval

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="box"):
            yield Static(t("closeout.confirm_title", date=day_label(self.day)), classes="title")
            yield Static(self.table, id="confirm-table")
            if self.approval:
                yield Static(self.approval, id="confirm-approval", classes="short")
            yield Static(t("closeout.confirm_hint"), classes="note")
        yield KeyBar()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


# --- which day ----------------------------------------------------------------------------------
class DayPicker(DeskModal["date | None"]):
    """An earlier day not yet closed, or today; Enter takes the highlighted one."""

    AUTO_FOCUS = "#days"
    BINDINGS = [
        Binding("enter", "pick", "submit", id="submit", priority=True),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]

    def __init__(self, unclosed: list[date], today: date, current: date) -> None:
        super().__init__()
        self.days = sorted(set(unclosed) | {today})
        self.today, self.current = today, current

    def compose(self) -> ComposeResult:
        with Vertical(id="day-box", classes="box"):
            yield Static(t("closeout.pick_title"), classes="title")
            options = []
            for day in self.days:
                state = t("closeout.pick_today" if day == self.today else "closeout.pick_unclosed")
                mark = " ◀" if day == self.current else ""
                options.append(Option(f"{day_label(day)}  {state}{mark}", id=day.isoformat()))
            yield OptionList(*options, id="days")
        yield KeyBar()

    def on_mount(self) -> None:
        box = self.query_one("#days", OptionList)
        others = [i for i, day in enumerate(self.days) if day != self.current]
        box.highlighted = others[0] if others else 0

    def action_pick(self) -> None:
        box = self.query_one("#days", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        self.dismiss(date.fromisoformat(option.id) if option and option.id else None)

    @on(OptionList.OptionSelected)
    def _clicked(self) -> None:
        self.action_pick()

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the report to a file -----------------------------------------------------------------------
class ReportFileDialog(DocumentScreen):
    """The day's report as the 58 mm receipt prints it, and saved to a file."""

    AUTO_FOCUS = "#report-file"
    BINDINGS: ClassVar = [PRINT_KEY, *SAVE_CLOSE]
    BOX_ID, SCROLL_ID, TEXT_ID, FILE_ID = "report-box", "receipt-scroll", "receipt", "report-file"
    LOADING_KEY, SAVED_KEY = "closeout.loading", "closeout.file_saved"
    FILE_LABEL_KEY, FILE_HINT_KEY = "closeout.file", "closeout.file_hint"

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day

    def heading(self) -> str:
        return t("closeout.file_title", date=day_label(self.day))

    def read(self) -> tuple[DayReport, str]:
        from frontdesk.services.closeout import day_report
        from frontdesk.services.day_report import receipt_text

        desk = self.desk
        report = day_report(desk.engine, desk.site_code, self.day)
        return report, receipt_text(report)

    def write(self, document: DayReport, target: Path) -> None:
        from frontdesk.services.day_report import receipt_text, write_text, write_xlsx

        if target.suffix.lower() == ".xlsx":
            write_xlsx(document, target)
        else:
            write_text(receipt_text(document), target)

    def file_name(self, document: DayReport) -> str:
        return t("save.report_name", date=self.day.isoformat())

    def print_job(self) -> Job:
        from frontdesk.printing.jobs import print_day_report

        day = self.day
        return lambda engine, actor, setup, now: print_day_report(engine, actor, setup, day, now)
