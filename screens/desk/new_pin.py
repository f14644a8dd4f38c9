"""Choosing a new PIN with head office's one-time code, right after typing the code at
sign-in (or at the lock screen).

The screen opens as soon as a 16-digit code is entered for someone whose PIN head office
reset, before the code is checked: the keys typed next go into the new PIN, however fast
they come. The code is checked once, together with the new PIN (`auth.choose_pin`, which
counts a wrong code towards the wrong-PIN lock); a wrong one is said under the code, which
can be typed again here.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import DeskModal, save_or_cancel
from screens.common.widgets import (
    SIGN_IN_LEN,
    FieldError,
    KeyBar,
    clear_errors,
    form_row,
    pin_box,
)

if TYPE_CHECKING:
    from frontdesk.services.auth import SignedIn

FIELDS = ("code", "new_pin", "new_pin_again")


class NewPinScreen(DeskModal["SignedIn | None"]):
    """Dismissed with the signed-in staff member once the new PIN is kept, else None."""

    # Where refusals of choose_pin show, if not at the field of their name; anything else
    # goes under the whole form.
    FIELD_AT = {"pin": "new_pin"}
    REFUSAL_AT = "new-pin-error"
    RETYPED = ("code",)  # the new PINs are typed again whatever the refusal

    AUTO_FOCUS = "#new_pin"
    BINDINGS = save_or_cancel("save", "choose_pin")
    DEFAULT_CSS = """
    NewPinScreen { align: center middle; }
    NewPinScreen #new-pin-box { width: 72; }
    """

    def __init__(self, staff_id: uuid.UUID, name: str, code: str) -> None:
        super().__init__()
        self.staff_id, self.staff_name, self.code = staff_id, name, code
        self.busy = False
        self.chosen: SignedIn | None = None  # the signed-in result, kept until the worker ends

    def compose(self) -> ComposeResult:
        with Vertical(id="new-pin-box", classes="box dialog"):
            yield Static(t("pins.new_title", name=self.staff_name), classes="title")
            yield Static(t("pins.new_body"), classes="note")
            code = pin_box("code", SIGN_IN_LEN, value=self.code)
            yield from form_row("code", t("pins.code_label"), code)
            hint = t("pins.new_pin_hint")
            for name, label in (
                ("new_pin", "pins.new_pin"),
                ("new_pin_again", "pins.new_pin_again"),
            ):
                box = pin_box(name, placeholder=hint)
                yield from form_row(name, t(label), box)
            yield FieldError(id="new-pin-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)

    @on(Input.Submitted, "#code")
    def _code_entered(self) -> None:
        self.query_one("#new_pin", Input).focus()

    @on(Input.Submitted, "#new_pin")
    def _pin_entered(self) -> None:
        self.query_one("#new_pin_again", Input).focus()

    @on(Input.Submitted, "#new_pin_again")
    def action_save(self) -> None:
        if self.busy:
            return
        clear_errors(self)
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        if values["new_pin"] != values["new_pin_again"]:
            self._again(UserError("pin.mismatch", field="new_pin_again"))
            return
        self.busy = True
        self.choose(values["code"], values["new_pin"])

    def choose(self, code: str, pin: str) -> None:
        from frontdesk.services.auth import choose_pin

        self.run_service(
            lambda: choose_pin(self.desk.engine, self.staff_id, code, pin, self.host.now()),
            self._keep,
            group="new-pin",
            refused=self._again,
        )

    def _keep(self, who: SignedIn) -> None:
        self.chosen = who

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Dismissed once the worker has finished, never while it is still winding up: a
        # screen that closes cancels its running workers, and a test settling on them
        # (or anything waiting on the worker) would see a cancelled one.
        done = event.worker.group == "new-pin" and event.state == WorkerState.SUCCESS
        if done and self.chosen is not None:
            self.dismiss(self.chosen)

    def _again(self, exc: Exception) -> None:
        """A refusal: the PINs are typed again from scratch, the cursor at the field named
        (the first PIN box when it is one of the two)."""
        self.busy = False
        for name in ("new_pin", "new_pin_again"):
            self.query_one(f"#{name}", Input).value = ""
        field = self.show_refusal(exc, focus=False)
        self.query_one("#code" if field == "code" else "#new_pin", Input).focus()
