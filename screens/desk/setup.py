"""First run with no database: the steps of `frontdesk init`, in the TUI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.widgets import PIN_CHARS, PIN_LEN, FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.desk import DeskSetup

FIELDS = ("site_code", "site_name", "manager", "pin", "pin_again")


class SetupScreen(DeskScreen[None]):
    AUTO_FOCUS = "#site_code"
    BINDINGS = [Binding("ctrl+s", "create", "submit", id="submit")]
    REFUSAL_AT = "setup-error"

    def compose(self) -> ComposeResult:
        hints = {"site_code": t("setup.site_code_hint"), "pin": t("pins.setup_pin_hint")}
        with VerticalScroll(id="setup-box", classes="box"):
            yield Static(t("setup.title"), classes="title")
            yield Static(t("setup.intro", path=str(self.host.cfg.db)), classes="note")
            for name in FIELDS:
                secret = name.startswith("pin")
                with Horizontal(classes="form-row"):
                    yield Label(t(f"setup.{name}"))
                    yield Input(
                        id=name,
                        password=secret,
                        restrict=PIN_CHARS if secret else None,
                        max_length=PIN_LEN if secret else 80,
                        placeholder=hints.get(name, ""),
                    )
                yield FieldError(id=f"{name}-error", classes="form-error")
            yield Static("", id="setup-error", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        self.call_after_refresh(self.host.first_screen_ready)

    @on(Input.Submitted)
    def _next_or_create(self, event: Input.Submitted) -> None:
        if event.input.id == FIELDS[-1]:
            self.action_create()
        else:
            self.focus_next()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def action_create(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        if self._value("pin") != self._value("pin_again"):
            # Said under the second box, both kept: the first may be the one mistyped.
            self.query_one("#pin_again-error", FieldError).show(t("pin.mismatch"))
            self.query_one("#pin_again", Input).focus()
            return
        from frontdesk.services.desk import DeskSetup

        setup = DeskSetup(*(self._value(n) for n in FIELDS[:4]))
        self.create(setup)

    def create(self, setup: DeskSetup) -> None:
        from frontdesk.services.desk import set_up_desk

        self.run_service(
            lambda: set_up_desk(self.host.cfg.db, setup).dispose(),
            lambda _: self._created(setup.site_code.strip().upper()),
            group="setup",
        )

    def _created(self, site_code: str) -> None:
        from screens.desk.signin import SignInScreen

        self.app.notify(t("setup.done", site=site_code))
        self.app.switch_screen(SignInScreen())
