"""Head office's sign-in: an account's name and its PIN (frontdesk/hq/accounts.py).

The TUI opens here; nothing of the store is shown before a right PIN. The central store
is opened while the name is typed, so a store that cannot be opened is said at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.widgets import SIGN_IN_LEN, FieldError, KeyBar, pin_box
from screens.hq.common import HqScreen, HqStatusBar

if TYPE_CHECKING:
    from frontdesk.hq.accounts import HqActor


class HqSignInScreen(HqScreen[None]):
    AUTO_FOCUS = "#hq-name"
    BINDINGS = [Binding("enter", "sign_in", "sign_in", id="sign_in", show=True)]

    def compose(self) -> ComposeResult:
        yield HqStatusBar(id="hq-status")
        with Vertical(id="signin-box", classes="box"):
            yield Static(t("hq_account.signin_title"), id="signin-title", classes="title")
            yield Label(t("hq_account.name"))
            yield Input(id="hq-name", max_length=40, placeholder=t("hq_account.name_placeholder"))
            yield FieldError(id="name-error")
            yield Label(t("signin.pin"))
            yield pin_box("pin", SIGN_IN_LEN, placeholder=t("signin.pin_placeholder"))
            yield FieldError(id="pin-error")
            yield Static(t("hq_account.signin_note"), id="signin-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        for box in ("#name-error", "#pin-error"):
            self.query_one(box, FieldError).show("")
        self.run_service(
            self.host.ensure_central,
            lambda _engine: None,
            group="hq-open",
            refused=lambda exc: self._store_failed(describe(exc)),
        )

    def _store_failed(self, message: str) -> None:
        self.query_one("#pin-error", FieldError).show(t("hqui.store_failed", reason=message))

    @on(Input.Submitted, "#hq-name")
    def _name_typed(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def action_sign_in(self) -> None:
        name = self.query_one("#hq-name", Input).value
        if not name.strip():
            self._rejected("name", t("hq_account.name_first"))
            return
        pin = self.query_one("#pin", Input).value
        self.run_service(
            lambda: self._sign_in(name, pin),
            self._signed_in,
            group="signin",
            refused=lambda exc: self._rejected(getattr(exc, "field", "pin"), describe(exc)),
        )

    def _sign_in(self, name: str, pin: str) -> HqActor:
        from frontdesk.hq.district_keys import sign_in_keeping_slots

        return sign_in_keeping_slots(self.host.ensure_central(), name, pin, self.host.now())

    def _signed_in(self, actor: HqActor) -> None:
        self.host.signed_in(actor)

    def _rejected(self, field: str | None, message: str) -> None:
        name_wrong = field == "name"
        self.query_one("#name-error", FieldError).show(message if name_wrong else "")
        self.query_one("#pin-error", FieldError).show("" if name_wrong else message)
        pin = self.query_one("#pin", Input)
        pin.value = ""
        (self.query_one("#hq-name", Input) if name_wrong else pin).focus()
