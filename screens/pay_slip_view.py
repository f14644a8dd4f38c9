"""A settled worker's pay slip (工资条) on screen, and saved to a file.

The text is the service's (services/pay_slip.py) at 48 columns, the width of an 80 mm
receipt printer; the file is the same text, or one XLSX sheet when the name ends in .xlsx.
As every export here, a file is never overwritten.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.seeker_io import typed_path
from screens.widgets import FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.pay_slip import PaySlip

SLIP_SHOWN = 48  # columns: the 80 mm printer's width, and the text file's


class PaySlipScreen(ModalScreen[None]):
    AUTO_FOCUS = "#slip-scroll"
    BINDINGS = [
        Binding("e", "export", "export", id="export"),
        Binding("ctrl+s", "save_file", "save_file", id="save_file"),
        Binding("escape", "close", "close", id="close"),
    ]
    DEFAULT_CSS = """
    PaySlipScreen #slip-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(self, assignment_id: uuid.UUID, name: str) -> None:
        super().__init__()
        self.assignment_id, self.name_shown = assignment_id, name
        self.slip: PaySlip | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="slip-box", classes="box"):
            yield Static(t("slip_view.title", name=self.name_shown), classes="title")
            with VerticalScroll(id="slip-scroll"):
                yield Static(t("settle.loading"), id="slip-text", markup=False)
            with Horizontal(classes="form-row"):
                yield Label(t("slip_view.file"))
                yield Input(id="slip-file", max_length=500, placeholder=t("slip_view.file_hint"))
            yield FieldError(id="slip-file-error", classes="form-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#slip-file", Input).cursor_blink = self.app.blink
        self.query_one("#slip-file-error", FieldError).show("")
        self.load()

    @work(thread=True, exclusive=True, group="pay-slip")
    def load(self) -> None:
        from frontdesk.services.pay_slip import pay_slip, slip_text

        desk = self.app.ensure_desk()
        try:
            slip = pay_slip(desk.engine, desk.site_code, self.assignment_id)
            text = slip_text(slip, SLIP_SHOWN)
        except Exception as exc:
            text, slip = describe(exc), None
        if get_current_worker().is_cancelled:
            return  # closed meanwhile
        if slip is None:
            self.app.call_from_thread(self._failed, text)
        else:
            self.app.call_from_thread(self._loaded, slip, text)

    def _loaded(self, slip: PaySlip, text: str) -> None:
        self.slip = slip
        self.query_one("#slip-text", Static).update(text)

    def _failed(self, message: str) -> None:
        self.query_one("#slip-text", Static).update(message)

    # --- saving to a file -------------------------------------------------------------------
    def action_export(self) -> None:
        self.query_one("#slip-file", Input).focus()

    @on(Input.Submitted, "#slip-file")
    def action_save_file(self) -> None:
        if self.busy or self.slip is None:
            return
        error = self.query_one("#slip-file-error", FieldError)
        target = typed_path(self.query_one("#slip-file", Input).value)
        if target is None:
            error.show(t("seeker_io.path_required"))
            self.query_one("#slip-file", Input).focus()
            return
        error.show("")
        self.busy = True
        self.save(self.slip, target)

    @work(thread=True, exclusive=True, group="pay-slip-save")
    def save(self, slip: PaySlip, target: Path) -> None:
        from frontdesk.services.pay_slip import write_slip_text, write_slip_xlsx

        try:
            if target.suffix.lower() == ".xlsx":
                write_slip_xlsx(slip, target)
            else:
                write_slip_text(slip, target, SLIP_SHOWN)
        except Exception as exc:
            self.app.call_from_thread(self._not_saved, describe(exc))
            return
        self.app.call_from_thread(self._saved, target)

    def _saved(self, target: Path) -> None:
        self.busy = False
        self.query_one("#slip-file", Input).value = ""
        self.notify(t("slip_view.saved", path=escape(str(target))))

    def _not_saved(self, message: str) -> None:
        self.busy = False
        # A path may hold [brackets]: shown as typed, never read as markup.
        self.query_one("#slip-file-error", FieldError).show(escape(message))
        self.query_one("#slip-file", Input).focus()

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)
