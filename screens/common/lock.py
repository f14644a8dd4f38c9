"""The lock screen: the signed-in staff member types the PIN again to carry on.

Head office's lock (screens/hq/lock.py) is this screen checking a head-office account.

A locked desk shows nothing: the lock is a full, opaque screen (not a dialog over the one
below), notices are cleared, and every screen under it that shows a revealed ID number or
phone drops the reveal (`forget_revealed`), so it is masked again after unlocking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.widgets import SIGN_IN_LEN, FieldError, KeyBar, pin_box

if TYPE_CHECKING:
    from frontdesk.services.auth import SignedIn


class LockScreen(DeskScreen[bool]):
    AUTO_FOCUS = "#lock-pin"
    TITLE_KEY = "lock.title"
    BINDINGS = [
        Binding("enter", "unlock", "unlock", id="unlock"),
        Binding("f10", "app.sign_out", "sign_out", id="sign_out"),
    ]

    def person_name(self) -> str:
        staff = self.host.staff
        return staff.name if staff else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box", classes="box"):
            yield Static(t(self.TITLE_KEY), classes="title")
            yield Static(t("lock.body", name=self.person_name()))
            yield pin_box("lock-pin", SIGN_IN_LEN)
            yield FieldError(id="lock-error").hidden()
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.clear_notifications()  # a notice may name a person or an amount
        for screen in self.app.screen_stack:
            forget = getattr(screen, "forget_revealed", None)
            if forget is not None:
                forget()

    @on(Input.Submitted, "#lock-pin")
    def action_unlock(self) -> None:
        self.check_pin(self.query_one("#lock-pin", Input).value)

    def check_pin(self, pin: str) -> None:
        from frontdesk.services.auth import sign_in

        staff = self.host.staff
        if staff is None:
            return
        self.run_service(
            lambda: sign_in(self.desk.engine, staff.staff_id, pin, self.host.now()),
            lambda _who: self.dismiss(True),
            group="lock",
            refused=lambda exc: self._refused(exc, pin),
        )

    def _refused(self, exc: Exception, pin: str) -> None:
        from frontdesk.services.auth import NewPinNeeded

        if isinstance(exc, NewPinNeeded):  # head office reset the PIN while the desk was in use
            self._choose_pin(exc.name, pin)
        else:
            self._rejected(describe(exc))

    def _choose_pin(self, name: str, code: str) -> None:
        from screens.desk.new_pin import NewPinScreen

        staff = self.host.staff
        if staff is None:
            return
        self.query_one("#lock-pin", Input).value = ""
        screen = NewPinScreen(staff.staff_id, name, code)
        self.app.push_screen(screen, callback=self._pin_chosen)

    def _pin_chosen(self, who: SignedIn | None) -> None:
        if who is not None:
            self.app.notify(t("pins.new_pin_done", name=who.name))
            self.dismiss(True)

    def _rejected(self, message: str) -> None:
        pin = self.query_one("#lock-pin", Input)
        pin.value = ""
        self.query_one("#lock-error", FieldError).show(message)
