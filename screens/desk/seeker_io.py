"""Import job seekers from a spreadsheet, and export them (masked unless a manager confirms)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, ProgressBar, Static

from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.save_paths import save_target, suggested_name, typed_path
from screens.common.widgets import PIN_CHARS, PIN_LEN, FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.seeker_io import ImportResult

_CSS = """
ImportSeekersScreen, ExportSeekersScreen {
    align: center middle;
}
.io-box {
    border: round $primary;
    padding: 0 2;
    width: 78;
    height: auto;
    max-height: 100%;
}
.io-check {
    border: none;
    height: 1;
    padding: 0;
    margin: 1 0 0 0;
}
#import-progress-bar {
    margin: 1 0 0 0;
}
#import-report {
    height: 7;
    margin: 1 0 0 0;
    border: round $primary-darken-1;
}
"""


def progress_line(done: int, total: int | None, seconds: float) -> str:
    """Rows read, the rate, and the time left at that rate (when the file says its size)."""
    rate = done / seconds if seconds > 0 else 0.0
    if total is None or total < done:
        return t("seeker_io.progress_open", done=done, rate=round(rate))
    left = round((total - done) / rate) if rate > 0 else None
    remaining = t("seeker_io.progress_left", seconds=left) if left is not None else ""
    return t("seeker_io.progress", done=done, total=total, rate=round(rate), left=remaining)


class ImportSeekersScreen(DeskModal[int | None]):
    """Returns how many people were imported, or None when nothing was.

    While an import runs, a progress bar shows the rows read, the rate and the time left;
    Esc cancels it (the service stops at its next batch and writes nothing).
    """

    FIELD_AT = {"file": "import-file", "output": "rejects-file"}
    REFUSAL_AT = "import-report-text"

    DEFAULT_CSS = _CSS
    AUTO_FOCUS = "#import-file"
    BINDINGS = [
        Binding("ctrl+s", "run", "submit", id="submit"),
        Binding("escape", "cancel_import", "cancel", id="cancel"),
        Binding("escape", "close", "close", id="close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.imported: int | None = None
        self._busy = False
        self.cancel = threading.Event()
        self.started = 0.0

    @property
    def busy(self) -> bool:
        return self._busy

    @busy.setter
    def busy(self, value: bool) -> None:
        self._busy = value
        self.refresh_bindings()  # Esc is "cancel" while it runs, "close" otherwise

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_import":
            return self.busy
        if action in ("close", "run"):
            return not self.busy
        return True

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box", classes="io-box"):
            yield Static(t("seeker_io.import_title"), classes="title")
            yield Static(t("seeker_io.import_intro"), classes="note")
            with Horizontal(classes="form-row"):
                yield Label(t("seeker_io.file"))
                yield Input(id="import-file", max_length=500)
            yield FieldError(id="import-file-error", classes="form-error")
            yield Checkbox(t("seeker_io.skip_invalid"), id="skip-invalid", classes="io-check")
            with Horizontal(classes="form-row"):
                yield Label(t("seeker_io.rejects"))
                yield Input(id="rejects-file", max_length=500)
            yield FieldError(id="rejects-file-error", classes="form-error")
            yield ProgressBar(id="import-progress-bar", show_eta=False)
            with VerticalScroll(id="import-report"):
                yield Static("", id="import-report-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._clear()
        self.query_one("#import-progress-bar").display = False

    def _clear(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        if self.busy:
            return
        self._clear()
        source = typed_path(self.query_one("#import-file", Input).value)
        skip = self.query_one("#skip-invalid", Checkbox).value
        rejects = save_target(self.query_one("#rejects-file", Input).value) if skip else None
        if source is None:
            self.show_refusal(UserError("seeker_io.path_required", field="file"))
        elif skip and rejects is None:  # skipped rows must land somewhere to be fixed
            self.show_refusal(UserError("seeker_io.rejects_required", field="output"))
        else:
            self.busy = True
            self.cancel.clear()
            self.started = time.monotonic()
            self._report([t("seeker_io.importing")])
            self.run_import(source, skip, rejects)

    def run_import(self, source: Path, skip: bool, rejects: Path | None) -> None:
        from frontdesk.services.seeker_io import import_seekers

        self.run_service(
            lambda: import_seekers(
                self.desk.engine,
                self.actor,
                source,
                self.host.now(),
                skip_invalid=skip,
                rejects=rejects,
                progress=self._told,
            ),
            self._imported,
            group="seeker-import",
            refused=self._failed,
        )

    def _told(self, done: int, total: int | None) -> None:
        """The service's progress, in its worker thread: a cancel stops it here."""
        from frontdesk.services.spreadsheets import ImportCancelled

        if self.cancel.is_set():
            raise ImportCancelled()
        self.from_worker(self.show_progress, done, total, time.monotonic() - self.started)

    def show_progress(self, done: int, total: int | None, seconds: float) -> None:
        bar = self.query_one("#import-progress-bar", ProgressBar)
        bar.display = True
        bar.update(total=total if total is not None and total >= done else None, progress=done)
        self._report([progress_line(done, total, seconds), t("seeker_io.esc_cancels")])

    def action_cancel_import(self) -> None:
        """Esc while it runs: the import stops at its next batch and rolls back."""
        if self.busy:
            self.cancel.set()
            self._report([t("seeker_io.cancelling")])

    def _imported(self, result: ImportResult) -> None:
        if result.imported:
            self.imported = (self.imported or 0) + result.imported
        counts = {"count": result.imported, "rejected": result.rejected}
        if result.rejects is not None:
            summary = t("seeker_io.imported_with_rejects", path=str(result.rejects), **counts)
        elif result.rejected:
            summary = t("seeker_io.imported_skipped", **counts)
        else:
            summary = t("seeker_io.imported", count=result.imported)
        from frontdesk.services.spreadsheets import problem_lines

        self._finished([*problem_lines(result.problems), summary])
        self.app.notify(summary)

    def _finished(self, lines: list[str]) -> None:
        self.busy = False
        self.query_one("#import-progress-bar").display = False
        self._report(lines)

    def _failed(self, exc: Exception) -> None:
        from frontdesk.services.spreadsheets import ImportRejected

        self.busy = False
        self.query_one("#import-progress-bar").display = False
        if isinstance(exc, ImportRejected):  # nothing imported: the report says why
            self._report(exc.report())
            return
        self._report([])
        self.show_refusal(exc)

    def _report(self, lines: list[str]) -> None:
        self.query_one("#import-report-text", Static).update("\n".join(lines))

    def action_close(self) -> None:
        if not self.busy:  # the import finishes (all or nothing) before the dialog goes
            self.dismiss(self.imported)


class ExportSeekersScreen(DeskModal[None]):
    """Masked by default; a signed-in manager who re-types the PIN gets full values."""

    FIELD_AT = {"output": "export-file", "pin": "export-pin", "manager": "export-pin"}
    REFUSAL_AT = "export-status"
    RETYPED = ("export-pin",)

    DEFAULT_CSS = _CSS
    AUTO_FOCUS = "#export-file"
    BINDINGS = [
        Binding("ctrl+s", "run", "submit", id="submit"),
        Binding("escape", "close", "close", id="close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    @property
    def manager(self) -> bool:
        staff = self.host.staff
        return staff is not None and staff.role == "manager"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="io-box"):
            yield Static(t("seeker_io.export_title"), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("seeker_io.file"))
                yield Input(id="export-file", max_length=500)
            yield FieldError(id="export-file-error", classes="form-error")
            if self.manager:
                yield Static(t("seeker_io.export_pin_note"), classes="note")
                with Horizontal(classes="form-row"):
                    yield Label(t("seeker_io.pin"))
                    yield Input(
                        id="export-pin", password=True, restrict=PIN_CHARS, max_length=PIN_LEN
                    )
                yield FieldError(id="export-pin-error", classes="form-error")
            else:
                yield Static(t("seeker_io.export_masked_note"), classes="note")
            yield Static("", id="export-status", classes="error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._clear()
        # A free name in the documents folder, ready for Enter; selected, so typing replaces it.
        from frontdesk.domain.clock import business_date

        name = t("save.seekers_name", date=business_date(self.host.now()).isoformat())
        box = self.query_one("#export-file", Input)
        box.value = suggested_name(name)
        box.select_all()

    def _clear(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        self.query_one("#export-status", Static).update("")

    @on(Input.Submitted, "#export-file")
    def _file_entered(self) -> None:
        if self.manager:
            self.query_one("#export-pin", Input).focus()
        else:
            self.action_run()

    @on(Input.Submitted, "#export-pin")
    def action_run(self) -> None:
        if self.busy:
            return
        self._clear()
        target = save_target(self.query_one("#export-file", Input).value)
        pin = self.query_one("#export-pin", Input).value if self.manager else ""
        if target is None:
            self.show_refusal(UserError("seeker_io.path_required", field="output"))
            return
        self.busy = True
        self.query_one("#export-status", Static).update(t("seeker_io.exporting"))
        self.run_export(target, pin)

    def run_export(self, target: Path, pin: str) -> None:
        def call() -> str:
            from frontdesk.services.acting import confirm_manager
            from frontdesk.services.seeker_io import export_seekers

            desk, actor, now = self.desk, self.actor, self.host.now()
            reveal = None
            if pin:  # checked before anything is written; a wrong PIN is audited
                reveal = confirm_manager(desk.engine, desk.site_code, actor.staff_id, pin, now)
            count = export_seekers(
                desk.engine, desk.site_code, target, reveal_by=reveal, actor=actor, now=now
            )
            done = "seeker_io.exported_unmasked" if reveal else "seeker_io.exported"
            return t(done, count=count, path=str(target))

        self.run_service(call, self._exported, group="seeker-export", refused=self._failed)

    def _exported(self, message: str) -> None:
        self.busy = False
        self.app.notify(message)
        self.dismiss(None)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.query_one("#export-status", Static).update("")
        self.show_refusal(exc)

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)
