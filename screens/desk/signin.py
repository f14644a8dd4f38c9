"""Sign-in: choose a staff member, type the PIN. The staff list loads after first paint."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.clock import business_date
from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from screens.common.widgets import PIN_CHARS, FieldError, KeyBar, StatusBar

UNCLOSED_SHOWN = 3  # dates named at sign-in; the count covers the rest


class SignInScreen(Screen[None]):
    AUTO_FOCUS = "#pin"
    BINDINGS = [Binding("enter", "sign_in", "sign_in", id="sign_in", show=True)]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="signin-box", classes="box"):
            yield Static(t("app.title"), id="signin-title", classes="title")
            yield Label(t("signin.staff"))
            yield OptionList(Option(t("signin.loading_staff"), disabled=True), id="staff")
            yield Label(t("signin.pin"))
            yield Input(
                id="pin",
                password=True,
                restrict=PIN_CHARS,
                max_length=8,
                placeholder=t("signin.pin_placeholder"),
            )
            yield FieldError(id="pin-error")
            yield Static("", id="signin-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pin", Input).cursor_blink = self.app.blink
        self.query_one("#pin-error", FieldError).show("")
        # The database (and SQLAlchemy's import) waits until the screen has been painted.
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        if not self.app.first_screen_ready(loading=True):
            self.load_staff()

    @work(thread=True, exclusive=True, group="signin")
    def load_staff(self) -> None:
        from frontdesk.services.auth import active_staff
        from frontdesk.services.closeout import unclosed_days

        try:
            desk = self.app.ensure_desk()
            staff = active_staff(desk.engine)
            # Flagged before anyone signs in, so yesterday's missing close-out is seen first.
            unclosed = unclosed_days(desk.engine, desk.site_code, business_date(self.app.now()))
        except Exception as exc:
            self.app.call_from_thread(self._failed, describe(exc))
            return
        options = [(s.id, f"{s.name}  {t('role.' + s.role)}") for s in staff]
        self.app.call_from_thread(self._show_staff, options, desk.demo, unclosed)

    def _show_staff(
        self, options: list[tuple[object, str]], demo: bool, unclosed: list[date]
    ) -> None:
        box = self.query_one("#staff", OptionList)
        box.clear_options()
        if not options:
            box.add_option(Option(t("signin.no_staff"), disabled=True))
        for staff_id, label in options:
            box.add_option(Option(label, id=str(staff_id)))
        box.highlighted = 0 if options else None
        self.query_one(StatusBar).refresh_status()
        self.query_one("#signin-note", Static).update(_note(demo, unclosed))
        self.app.first_screen_usable()

    def _failed(self, message: str) -> None:
        self.query_one("#staff", OptionList).clear_options()
        self.query_one("#pin-error", FieldError).show(message)
        self.query_one("#pin", Input).disabled = True
        self.app.first_screen_usable(ok=False)

    @on(Input.Submitted, "#pin")
    def action_sign_in(self) -> None:
        box = self.query_one("#staff", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        if option is None or option.id is None:
            self.query_one("#pin-error", FieldError).show(t("signin.choose_first"))
            box.focus()
            return
        self.check_pin(option.id, self.query_one("#pin", Input).value)

    @on(OptionList.OptionSelected, "#staff")
    def _staff_chosen(self) -> None:
        self.query_one("#pin", Input).focus()

    @work(thread=True, exclusive=True, group="signin")
    def check_pin(self, staff_id: str, pin: str) -> None:
        import uuid

        from frontdesk.services.auth import sign_in

        try:
            who = sign_in(self.app.ensure_desk().engine, uuid.UUID(staff_id), pin, self.app.now())
        except UserError as exc:
            self.app.call_from_thread(self._rejected, exc.message())
            return
        self.app.call_from_thread(self.app.signed_in, who)

    def _rejected(self, message: str) -> None:
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
        self.query_one("#pin-error", FieldError).show(message)


def _note(demo: bool, unclosed: list[date]) -> Text:
    """The demo hint and, in bold, the days left unclosed (the oldest named first)."""
    lines = [Text(t("signin.demo_hint"))] if demo else []
    if unclosed:
        shown = " ".join(day.isoformat() for day in unclosed[:UNCLOSED_SHOWN])
        more = " …" if len(unclosed) > UNCLOSED_SHOWN else ""
        lines.append(Text(t("signin.unclosed", count=len(unclosed)), style="bold"))
        lines.append(Text(t("signin.unclosed_dates", dates=shown + more), style="bold"))
    return Text("\n").join(lines)
