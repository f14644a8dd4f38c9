"""Print or reprint an earlier document by what is printed on it: a receipt's number or a
day's date (its X or Z report). P on today's log, F7 on the close-out.

The job runs in a worker (frontdesk/printing/jobs.py print_named); a document printed
before comes out marked 重印. An unknown number or a printer fault is said under the box,
and the dialog stays for another try; a print that went out closes it with a notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.widgets import FieldError, KeyBar, clear_errors

if TYPE_CHECKING:
    from frontdesk.printing.jobs import Printed


class ReprintDialog(DeskModal[None]):
    AUTO_FOCUS = "#document"
    REFUSAL_AT = "document-error"  # a printer fault too: the dialog is about this one box
    FIELD_AT = {"printer": None, "receipt": None, "date": None}
    BINDINGS = [
        Binding("enter", "submit", "print", id="print", priority=True),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]
    DEFAULT_CSS = "ReprintDialog { align: center middle; }"

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("reprint.title"), classes="title")
            yield Static(t("reprint.note"), classes="note")
            with Horizontal(classes="form-row"):
                yield Label(t("reprint.document"))
                yield Input(id="document", max_length=40, placeholder=t("reprint.hint"))
            yield FieldError(id="document-error", classes="form-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)

    @on(Input.Submitted)
    def action_submit(self) -> None:
        from frontdesk.printing.jobs import print_named

        if not self.begin_write():
            return
        wanted = self.query_one("#document", Input).value
        self.notify(t("print.printing"), timeout=2)
        self.run_service(
            lambda: print_named(
                self.desk.engine, self.actor, self.host.cfg.printer, wanted, self.host.now()
            ),
            self._printed,
            group="reprint",
            refused=self.refused_write,
        )

    def _printed(self, done: Printed) -> None:
        self.busy = False
        self.app.notify(done.message())
        self.dismiss(None)
