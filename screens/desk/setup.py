"""First run with no database: the steps of `frontdesk init`, in the TUI."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from screens.common.widgets import PIN_CHARS, PIN_LEN, FieldError, KeyBar

FIELDS = ("site_code", "site_name", "manager", "pin", "pin_again")


class SetupScreen(Screen[None]):
    AUTO_FOCUS = "#site_code"
    BINDINGS = [Binding("ctrl+s", "create", "submit", id="submit")]

    def compose(self) -> ComposeResult:
        hints = {"site_code": t("setup.site_code_hint"), "pin": t("pins.setup_pin_hint")}
        with VerticalScroll(id="setup-box", classes="box"):
            yield Static(t("setup.title"), classes="title")
            yield Static(t("setup.intro", path=str(self.app.cfg.db)), classes="note")
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
        for field in self.query(Input):
            field.cursor_blink = self.app.blink
        for error in self.query(FieldError):
            error.show("")
        self.call_after_refresh(self.app.first_screen_ready)

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
            self._field_error("pin_again", t("pin.mismatch"))
            return
        from frontdesk.services.desk import DeskSetup

        setup = DeskSetup(*(self._value(n) for n in FIELDS[:4]))
        self.create(setup)

    @work(thread=True, exclusive=True, group="setup")
    def create(self, setup) -> None:
        from frontdesk.services.desk import set_up_desk

        try:
            set_up_desk(self.app.cfg.db, setup).dispose()
        except UserError as exc:
            self.app.call_from_thread(self._field_error, exc.field or "", exc.message())
            return
        except Exception as exc:
            self.app.call_from_thread(self._field_error, "", describe(exc))
            return
        self.app.call_from_thread(self._created, setup.site_code.strip().upper())

    def _field_error(self, field: str, message: str) -> None:
        if field in FIELDS:
            self.query_one(f"#{field}-error", FieldError).show(message)
            self.query_one(f"#{field}", Input).focus()
        else:
            self.query_one("#setup-error", Static).update(message)

    def _created(self, site_code: str) -> None:
        from screens.desk.signin import SignInScreen

        self.app.notify(t("setup.done", site=site_code))
        self.app.switch_screen(SignInScreen())
