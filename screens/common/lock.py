"""The lock screen: the signed-in staff member types the PIN again to carry on."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.widgets import PIN_CHARS, SIGN_IN_LEN, FieldError, KeyBar


class LockScreen(ModalScreen[bool]):
    AUTO_FOCUS = "#lock-pin"
    BINDINGS = [
        Binding("enter", "unlock", "unlock", id="unlock"),
        Binding("f10", "app.sign_out", "sign_out", id="sign_out"),
    ]

    def compose(self) -> ComposeResult:
        staff = self.app.staff
        with Vertical(id="lock-box", classes="box"):
            yield Static(t("lock.title"), classes="title")
            yield Static(t("lock.body", name=staff.name if staff else ""))
            yield Input(id="lock-pin", password=True, restrict=PIN_CHARS, max_length=SIGN_IN_LEN)
            yield FieldError(id="lock-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#lock-pin", Input).cursor_blink = self.app.blink
        self.query_one("#lock-error", FieldError).show("")

    @on(Input.Submitted, "#lock-pin")
    def action_unlock(self) -> None:
        self.check_pin(self.query_one("#lock-pin", Input).value)

    @work(thread=True, exclusive=True, group="lock")
    def check_pin(self, pin: str) -> None:
        from frontdesk.services.auth import NewPinNeeded, sign_in

        app = self.app
        try:
            sign_in(app.ensure_desk().engine, app.staff.staff_id, pin, app.now())
        except NewPinNeeded as code:  # head office reset the PIN while the desk was in use
            app.call_from_thread(self._choose_pin, code.name, pin)
            return
        except UserError as exc:
            app.call_from_thread(self._rejected, exc.message())
            return
        app.call_from_thread(self.dismiss, True)

    def _choose_pin(self, name: str, code: str) -> None:
        from screens.desk.new_pin import NewPinScreen

        self.query_one("#lock-pin", Input).value = ""
        screen = NewPinScreen(self.app.staff.staff_id, name, code)
        self.app.push_screen(screen, callback=self._pin_chosen)

    def _pin_chosen(self, who) -> None:
        if who is not None:
            self.app.notify(t("pins.new_pin_done", name=who.name))
            self.dismiss(True)

    def _rejected(self, message: str) -> None:
        pin = self.query_one("#lock-pin", Input)
        pin.value = ""
        self.query_one("#lock-error", FieldError).show(message)
