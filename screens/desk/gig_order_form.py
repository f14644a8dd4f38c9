"""A new gig order: employer, job, place, date and shift, head count, pay, fee, notes.

Each field is checked by the same rule the service applies (frontdesk/domain/gig_rules.py) as the
user leaves it, and all of them again on save, each error at its field. F2 adds an employer
without leaving the form. Enter (or Ctrl+S) saves, Escape leaves without saving.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.money import METHODS, parse_yuan
from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.widgets import FieldError, KeyBar, field_errors, form_row
from screens.desk.employer_choice import add_employer, load_employers

# Input fields in the order they are laid out (and Tab goes).
TEXTS = (
    "job_type",
    "place",
    "work_date",
    "shift_start",
    "shift_end",
    "headcount",
    "rate",
    "unit",
    "service_fee",
    "fee_method",
    "notes",
)
# Fields sharing a line with another: their errors, stacked under it, name them.
NAMED = ("shift_start", "shift_end", "pay_mode", "unit")
MONEY_CHARS = r"[0-9０-９.．,，¥￥]*"


class GigOrderFormScreen(DeskModal["uuid.UUID | None"]):
    """Dismisses with the new order's id, or None when cancelled."""

    FIELD_AT = {"method": "fee_method"}  # service errors whose field is not a widget of its own
    REFUSAL_AT = "form-summary"

    AUTO_FOCUS = "#employer"
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="save"),
        Binding("f2", "new_employer", "new_employer", id="new_employer"),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]
    DEFAULT_CSS = """
    GigOrderFormScreen #fee_method-name { width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.ceiling_fen = 0

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        today = business_date(self.host.now()).isoformat()
        with VerticalScroll(id="order-form", classes="box"):
            yield Static(t("order_form.title"), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("order_form.employer"))
                yield Select[str]([], id="employer", prompt=t("order_form.employer_none"))
            yield FieldError(id="employer-error", classes="form-error")
            yield from self._row("job_type", 40, placeholder=t("order_form.job_hint"))
            yield from self._row("place", 120)
            with Horizontal(classes="form-row"):
                yield Label(t("order_form.work_date"))
                yield Input(today, id="work_date", max_length=10, classes="mid")
                yield Label(t("order_form.shift_start"), classes="inline")
                yield Input(id="shift_start", max_length=5, placeholder="09:00", classes="short")
                yield Label(t("order_form.shift_end"), classes="inline")
                yield Input(id="shift_end", max_length=5, placeholder="12:00", classes="short")
            yield from field_errors("work_date", "shift_start", "shift_end")
            with Horizontal(classes="form-row"):
                yield Label(t("order_form.headcount"))
                yield Input(id="headcount", restrict=r"[0-9]*", max_length=3, classes="short")
                yield Label(t("order_form.pay_mode"), classes="inline")
                yield Select(
                    [(t(f"gig.pay_mode.{m}"), m) for m in rules.RATE_DECIMALS],
                    id="pay_mode",
                    value="piece",
                    allow_blank=False,
                    classes="short-select",
                )
            yield from field_errors("headcount", "pay_mode")
            with Horizontal(classes="form-row"):
                yield Label(t("order_form.rate"))
                yield Input(id="rate", restrict=MONEY_CHARS, max_length=12, classes="mid")
                yield Label(t("order_form.unit"), classes="inline")
                yield Input(id="unit", max_length=20, placeholder=t("order_form.unit_hint"))
            yield from field_errors("rate", "unit")
            yield from self._row("service_fee", 12, restrict=MONEY_CHARS, classes="mid")
            with Horizontal(classes="form-row"):
                yield Label(t("order_form.fee_method"))
                yield Input(id="fee_method", restrict=r"[1-5]?", max_length=1, classes="short")
                yield Static(t("quick.method_hint"), id="fee_method-name", classes="note")
            yield from field_errors("fee_method")
            yield from self._row("notes", 500)
            yield Static("", id="form-summary", classes="error")
        yield KeyBar()

    def _row(self, name: str, limit: int, **options: Any) -> ComposeResult:
        return form_row(name, t(f"order_form.{name}"), Input(id=name, max_length=limit, **options))

    def on_mount(self) -> None:
        self.ceiling_fen = self.host.cfg.amount_ceiling_fen
        for error in self.query(FieldError):
            error.show("")
        self._mode_changed()
        self.load_employers(None)

    # --- employers --------------------------------------------------------------------------
    def load_employers(self, chosen: uuid.UUID | None) -> None:
        load_employers(self, chosen, "order-form-employers")

    def action_new_employer(self) -> None:
        add_employer(self, "order-form-employers")

    # --- checking a field as it is left -----------------------------------------------------
    def _mode(self) -> str:
        return str(self.query_one("#pay_mode", Select).value)

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _rule(self, name: str) -> Callable[[str], object] | None:
        today = business_date(self.host.now())
        mode, ceiling = self._mode(), self.ceiling_fen
        rules_by_field: dict[str, Callable[[str], object]] = {
            "job_type": lambda v: rules.clean_text(v, 40, "job_type", True),
            "place": lambda v: rules.clean_text(v, 120, "place", True),
            "work_date": lambda v: rules.clean_work_date(v, today),
            "shift_start": lambda v: rules.clean_time(v, "shift_start"),
            "shift_end": self._check_shift_end,
            "headcount": rules.clean_headcount,
            "rate": lambda v: rules.clean_rate(v, mode, ceiling),
            "unit": lambda v: rules.clean_unit(v, mode),
            "service_fee": lambda v: parse_yuan(v, "service_fee", ceiling),
            "fee_method": self._check_fee_method,
            "notes": lambda v: rules.clean_text(v, 500, "notes", False),
        }
        return rules_by_field.get(name)

    def _check_shift_end(self, value: str) -> None:
        end = rules.clean_time(value, "shift_end")
        try:
            start = rules.clean_time(self._value("shift_start"), "shift_start")
        except UserError:
            return  # said at the start's own field
        if start >= end:
            raise UserError("gig.shift_order", field="shift_end")

    def _check_fee_method(self, value: str) -> None:
        try:
            fee = parse_yuan(self._value("service_fee"), "service_fee", self.ceiling_fen)
        except UserError:
            return  # said at the fee's own field
        if fee and not value:
            raise UserError("walkin.method_required", field="fee_method")

    def _check(self, name: str) -> bool:
        rule = self._rule(name)
        if rule is None:
            return True
        error = self.query_one(f"#{name}-error", FieldError)
        try:
            rule(self._value(name))
        except UserError as exc:
            error.show(self._message(name, exc))
            return False
        error.show("")
        return True

    @staticmethod
    def _message(name: str, exc: BaseException) -> str:
        message = describe(exc)
        if name in NAMED:
            return t("order_form.at_field", field=t(f"order_form.{name}"), message=message)
        return message

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        self._check(name)
        if name == "shift_start" and self._value("shift_end"):
            self._check("shift_end")  # the end is checked against the start
        if name == "service_fee" and self._value("fee_method"):
            self._check("fee_method")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name == "fee_method":
            method = METHODS[int(event.value) - 1] if event.value else ""
            label = t(f"method.{method}") if method else t("quick.method_hint")
            self.query_one("#fee_method-name", Static).update(label)
        # While typing, an error already shown goes as soon as the value is right.
        if name in TEXTS and self.query_one(f"#{name}-error", FieldError).display:
            self._check(name)

    @on(Select.Changed, "#pay_mode")
    def _mode_changed(self) -> None:
        hint = "order_form.rate_hint_piece" if self._mode() == "piece" else "order_form.rate_hint"
        self.query_one("#rate", Input).placeholder = t(hint)
        for name in ("rate", "unit"):  # the mode decides their rules
            if self._value(name) or self.query_one(f"#{name}-error", FieldError).display:
                self._check(name)

    @on(Select.Changed, "#employer")
    def _employer_chosen(self) -> None:
        if self.query_one("#employer", Select).value is not Select.NULL:
            self.query_one("#employer-error", FieldError).show("")

    # --- saving -----------------------------------------------------------------------------
    def _input(self) -> rules.OrderInput:
        employer = self.query_one("#employer", Select).value
        key = self._value("fee_method")
        return rules.OrderInput(
            employer_id=None if employer is Select.NULL else uuid.UUID(str(employer)),
            job_type=self._value("job_type"),
            place=self._value("place"),
            work_date=self._value("work_date"),
            shift_start=self._value("shift_start"),
            shift_end=self._value("shift_end"),
            headcount=self._value("headcount"),
            pay_mode=self._mode(),
            rate=self._value("rate"),
            unit=self._value("unit"),
            service_fee=self._value("service_fee"),
            fee_method=METHODS[int(key) - 1] if key else "",
            notes=self._value("notes"),
        )

    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self.begin_write():
            return
        self.query_one("#form-summary", Static).update("")
        self.save(self._input())

    def save(self, raw: rules.OrderInput) -> None:
        from frontdesk.services.gigs import create_order

        self.run_service(
            lambda: create_order(
                self.desk.engine, self.actor, raw, self.host.now(), self.ceiling_fen
            ),
            lambda order: self._saved(order.id),
            group="order-form-save",
            refused=self._refused,
        )

    def _saved(self, order_id: uuid.UUID) -> None:
        self.notify(t("order_form.saved"))
        self.dismiss(order_id)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        if self.show_refusal(exc) is not None:  # at their fields: the summary counts them
            count = len(getattr(exc, "errors", [exc]))
            self.query_one("#form-summary", Static).update(t("form.fix_errors", count=count))

    def say_refusal(self, name: str | None, message: str) -> None:
        if name in NAMED:  # on a shared line: the error names its field
            message = t("order_form.at_field", field=t(f"order_form.{name}"), message=message)
        super().say_refusal(name, message)
