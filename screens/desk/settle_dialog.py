"""Settle one worker's wage (结算): the exact worked-out line, warnings, method, reference.

The quote comes from the service (settlement.quote): the wage is worked out exactly and
rounded once, and labour-law findings (below the minimum wage, over the part-time hours)
are shown as warnings that never block a payment. Ctrl+S (or Enter in the reference) pays;
a second payment, from this desk or another, is refused by the service and said here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from frontdesk.domain.money import METHODS, fmt_fen
from frontdesk.i18n import t
from screens.common.base import DeskModal, save_or_cancel
from screens.common.widgets import FieldError, KeyBar, clear_errors
from screens.desk.gig_format import hours_words, pay_text, shift_text

if TYPE_CHECKING:
    from frontdesk.services.attendance import BoardRow
    from frontdesk.services.settlement import WageQuote

REFERENCE_MAX = 80  # the width of gig_assignments.pay_reference


def method_of(key: str) -> str:
    """The payment method a number key 1-5 stands for (the quick log's keys)."""
    return METHODS[int(key) - 1] if key else ""


def quote_table(q: WageQuote) -> Table:
    """Pay mode and rate, hours and pieces, how the wage was worked out, the wage."""
    from frontdesk.services.pay_slip import formula

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(t("slip.pay_mode"), pay_text(q.pay_mode, q.rate_fen, q.unit))
    table.add_row(t("slip.hours"), hours_words(q.minutes))
    if q.pay_mode == "piece":
        table.add_row(t("slip.accepted"), str(q.pieces_accepted))
    table.add_row(t("slip.formula"), formula(q))
    table.add_row(t("slip.rounding_label"), Text(t("slip.rounding"), style="dim"))
    table.add_row(t("slip.wage"), Text(fmt_fen(q.wage_fen), style="bold"))
    return table


class SettleDialog(DeskModal["int | None"]):
    """Dismisses with the wage paid in fen, or None when nothing was paid."""

    AUTO_FOCUS = "#method"
    BINDINGS = save_or_cancel("submit", "settle_now")
    DEFAULT_CSS = """
    SettleDialog #quote { height: auto; margin: 1 0 0 0; }
    SettleDialog #warnings { color: $warning; height: auto; }
    SettleDialog #method-name { width: 1fr; }
    """

    REFUSAL_AT = "settle-error"

    def __init__(self, row: BoardRow) -> None:
        super().__init__()
        self.row = row
        self.quote: WageQuote | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        r = self.row
        with Vertical(id="settle-box", classes="box dialog"):
            yield Static(t("settle.title", name=r.name), classes="title")
            order = f"{r.employer} {r.job_type} {r.work_date.isoformat()} "
            yield Static(order + shift_text(r.shift_start, r.shift_end), markup=False)
            yield Static(t("settle.loading"), id="quote")
            yield Static("", id="warnings", markup=False)
            with Horizontal(id="method-row", classes="form-row"):
                yield Label(t("quick.method"))
                yield Input(id="method", restrict=r"[1-5]?", max_length=1, classes="short")
                yield Static(t("quick.method_hint"), id="method-name", classes="note")
            yield FieldError(id="method-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("settle.reference"))
                yield Input(
                    id="reference", max_length=REFERENCE_MAX, placeholder=t("settle.reference_hint")
                )
            yield FieldError(id="reference-error", classes="form-error")
            yield FieldError(id="settle-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)
        self.query_one("#warnings", Static).display = False
        self.load()

    # --- the quote --------------------------------------------------------------------------
    def load(self) -> None:
        from frontdesk.services.settlement import quote

        self.run_service(
            lambda: quote(
                self.desk.engine, self.desk.site_code, self.row.assignment_id, self.host.now()
            ),
            self._quoted,
            group="settle-quote",
            refused=self.refused_write,
        )

    def _quoted(self, q: WageQuote) -> None:
        self.quote = q
        self.query_one("#quote", Static).update(quote_table(q))
        warnings = self.query_one("#warnings", Static)
        warnings.update("\n".join(f"! {n.message()}" for n in q.notices))
        warnings.display = bool(q.notices)

    # --- typing -----------------------------------------------------------------------------
    @on(Input.Changed, "#method")
    def _method_typed(self, event: Input.Changed) -> None:
        method = method_of(event.value)
        label = t(f"method.{method}") if method else t("quick.method_hint")
        self.query_one("#method-name", Static).update(label)
        if method:
            self.query_one("#method-error", FieldError).show("")

    @on(Input.Blurred, "#reference")
    def _reference_left(self) -> None:
        self._check_reference()

    def _check_reference(self) -> bool:
        method = method_of(self.query_one("#method", Input).value)
        reference = self.query_one("#reference", Input).value.strip()
        error = self.query_one("#reference-error", FieldError)
        if method and method != "cash" and not reference:
            error.show(t("gig.reference_required"))
            return False
        error.show("")
        return True

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if event.input.id == "method" and event.value:
            self.query_one("#reference", Input).focus()
            return
        self.action_submit()

    # --- paying -----------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.quote is None or not self.begin_write():
            return
        method = method_of(self.query_one("#method", Input).value)
        reference = self.query_one("#reference", Input).value
        self.settle(method, reference)

    def settle(self, method: str, reference: str) -> None:
        from frontdesk.services.settlement import settle

        self.run_service(
            lambda: settle(
                self.desk.engine,
                self.actor,
                self.row.assignment_id,
                method,
                reference,
                self.host.now(),
            ),
            lambda done: self._settled(done.quote.wage_fen),
            group="settle",
            refused=self.refused_write,
        )

    def _settled(self, wage_fen: int) -> None:
        self.notify(t("settle.done", name=self.row.name, amount=fmt_fen(wage_fen)))
        self.dismiss(wage_fen)
