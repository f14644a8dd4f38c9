"""Small dialogs of the job-seeker screens: status, audited reveal, duplicate found."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, Static

from frontdesk.domain.registration import STATUSES
from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.managers import LoadsManagers
from screens.common.widgets import PIN_CHARS, PIN_LEN, FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.seekers import Revealed, SeekerView  # noqa: F401  (Revealed: a base)


class StatusDialog(DeskModal[str | None]):
    """Set active / employed / cancelled; cancelling needs a reason."""

    REFUSAL_AT = "reason-error"  # the one line of the dialog

    AUTO_FOCUS = "#status-choice"
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="save"),
        Binding("escape", "cancel", "cancel", id="cancel"),  # asks first if a reason is typed
    ]

    def __init__(self, person: SeekerView) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("status.title", name=self.person.name), classes="title")
            with RadioSet(id="status-choice"):
                for status in STATUSES:
                    yield RadioButton(
                        t(f"status.{status}"), value=status == self.person.status, name=status
                    )
            with Horizontal(classes="form-row"):
                yield Label(t("status.reason"))
                yield Input(self.person.status_reason, id="reason", max_length=200)
            yield FieldError(id="reason-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#reason-error", FieldError).show("")

    @on(Input.Submitted, "#reason")
    def action_save(self) -> None:
        pressed = self.query_one("#status-choice", RadioSet).pressed_button
        status = pressed.name if pressed is not None and pressed.name else self.person.status
        self.save(status, self.query_one("#reason", Input).value)

    def save(self, status: str, reason: str) -> None:
        from frontdesk.services import seekers

        self.run_service(
            lambda: seekers.set_status(
                self.desk.engine, self.actor, self.person.id, status, reason, self.host.now()
            ),
            lambda _: self.dismiss(status),
            group="status",
        )


class RevealDialog(LoadsManagers["Revealed | None"]):
    """A manager confirms with a PIN; the full numbers come back and the reveal is audited."""

    REFUSAL_AT = "reveal-error"  # the one line of the dialog

    AUTO_FOCUS = "#reveal-pin"
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel", id="cancel")]

    def __init__(self, person: SeekerView) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("reveal.title"), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("reveal.manager"))
                yield Select([], id="manager", prompt=t("form.none"))
            with Horizontal(classes="form-row"):
                yield Label(t("reveal.pin"))
                yield Input(id="reveal-pin", password=True, restrict=PIN_CHARS, max_length=PIN_LEN)
            yield FieldError(id="reveal-error")
            yield Static(t("reveal.note"), classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#reveal-error", FieldError).show("")
        self.load_managers()

    def _managers(self, options: list[tuple[str, str]]) -> None:
        """Unlike the other dialogs, a manager is always preselected: the signed-in one,
        else the first (a reveal is asked for at once, by whoever stands at the desk)."""
        select = self.query_one("#manager", Select)
        select.set_options(options)
        me = self.host.staff
        mine = [v for _, v in options if me and v == str(me.staff_id)]
        if mine or options:
            select.value = mine[0] if mine else options[0][1]

    @on(Input.Submitted, "#reveal-pin")
    def _submit(self) -> None:
        manager = self.query_one("#manager", Select).value
        if manager is Select.NULL:
            self.query_one("#reveal-error", FieldError).show(t("reveal.manager_only"))
            return
        self.reveal(uuid.UUID(str(manager)), self.query_one("#reveal-pin", Input).value)

    def reveal(self, manager_id: uuid.UUID, pin: str) -> None:
        from frontdesk.services import seekers

        self.run_service(
            lambda: seekers.reveal(
                self.desk.engine, self.actor, self.person.id, manager_id, pin, self.host.now()
            ),
            self.dismiss,
            group="reveal",
            refused=self._refused,
        )

    def _refused(self, exc: Exception) -> None:
        self.query_one("#reveal-pin", Input).value = ""  # a wrong PIN is typed again
        self.show_refusal(exc)


class DuplicateDialog(DeskModal[bool]):
    """The ID number is registered already: Enter opens that record, Escape goes back."""

    BINDINGS = [
        Binding("enter", "dismiss(True)", "open", id="open"),
        Binding("escape", "dismiss(False)", "back", id="back"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("dup.title"), classes="title")
            yield Static(self.message)
            yield Static(t("dup.open"), classes="note")
        yield KeyBar()
