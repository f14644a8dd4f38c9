"""Sign-in: choose a staff member, type the PIN. The staff list loads after first paint.

Someone whose PIN head office reset types the one-time code instead: the new-PIN form
opens at once (screens/desk/new_pin.py), so keys typed straight after the code go into it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.clock import business_date
from frontdesk.domain.pin_rules import is_code
from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.widgets import SIGN_IN_LEN, FieldError, KeyBar, StatusBar, pin_box

if TYPE_CHECKING:
    from frontdesk.services.auth import SignedIn
    from frontdesk.sign_in_list import SignInList

UNCLOSED_SHOWN = 3  # dates named at sign-in; the count covers the rest
DemoPins = list[tuple[str, str]]  # (name, PIN) in the list's order; none unless a demo desk


class SignInScreen(DeskScreen[None]):
    AUTO_FOCUS = "#pin"
    BINDINGS = [
        Binding("enter", "sign_in", "sign_in", id="sign_in", show=True),
        # From the PIN box (the list has its own): the name is chosen without leaving the PIN.
        Binding("down", "staff(1)", show=False),
        Binding("up", "staff(-1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Staff id -> (name, how they sign in here: "pin", "code" or "none").
        self.how: dict[str, tuple[str, str]] = {}
        self.demo_pins: DemoPins = []
        self.unclosed: list[date] = []

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="signin-box", classes="box"):
            yield Static(t("app.title"), id="signin-title", classes="title")
            yield Label(t("signin.staff"))
            yield OptionList(Option(t("signin.loading_staff"), disabled=True), id="staff")
            yield Label(t("signin.pin"))
            yield pin_box("pin", SIGN_IN_LEN, placeholder=t("signin.pin_placeholder"))
            yield FieldError(id="pin-error").hidden()
            yield Static("", id="signin-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        # The database (and SQLAlchemy's import) waits until the screen has been painted.
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        if not self.host.first_screen_ready(loading=True):
            self.load_staff()

    def load_staff(self) -> None:
        self.run_service(
            self._read_staff,
            self._show_staff,
            group="signin",
            refused=lambda exc: self._failed(describe(exc)),
        )

    def _read_staff(self) -> SignInList:
        from frontdesk.sign_in_list import read_sign_in_list

        cfg = self.host.cfg
        today = business_date(self.host.now())
        return read_sign_in_list(cfg.db, cfg.site, today, self.host.ensure_desk)

    def _show_staff(self, found: SignInList) -> None:
        self.how = {str(s.id): (s.name, s.pin) for s in found.staff}
        self.demo_pins, self.unclosed = found.demo_pins, found.unclosed
        box = self.query_one("#staff", OptionList)
        box.clear_options()
        if not found.staff:
            box.add_option(Option(t("signin.no_staff"), disabled=True))
        for s in found.staff:
            box.add_option(Option(f"{s.name}  {t('role.' + s.role)}", id=str(s.id)))
        box.highlighted = 0 if found.staff else None
        self.query_one(StatusBar).refresh_status()
        self._show_note()
        self.host.first_screen_usable()
        # SQLAlchemy, the models and the services load while the PIN is typed.
        self.host.open_desk_in_background()

    @on(OptionList.OptionHighlighted, "#staff")
    def _show_note(self) -> None:
        """The demo hint, days left unclosed and, for the highlighted name, a one-time code
        waiting or no PIN at this desk."""
        box = self.query_one("#staff", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        name, how = self.how.get(option.id if option and option.id else "", ("", "pin"))
        hint = t(f"pins.signin_{how}", name=name) if how != "pin" else ""
        self.query_one("#signin-note", Static).update(_note(self.demo_pins, self.unclosed, hint))

    def _failed(self, message: str) -> None:
        self.query_one("#staff", OptionList).clear_options()
        self.query_one("#pin-error", FieldError).show(message)
        self.query_one("#pin", Input).disabled = True
        self.host.first_screen_usable(ok=False)

    @on(Input.Submitted, "#pin")
    def action_sign_in(self) -> None:
        box = self.query_one("#staff", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        if option is None or option.id is None:
            self.query_one("#pin-error", FieldError).show(t("signin.choose_first"))
            box.focus()
            return
        pin = self.query_one("#pin", Input).value
        name, how = self.how.get(option.id, ("", "pin"))
        if how == "code" and is_code(pin):
            # The code is checked with the new PIN: the form opens before the next key.
            self._choose_pin(uuid.UUID(option.id), name, pin)
            return
        self.check_pin(option.id, pin)

    def action_staff(self, step: int) -> None:
        box = self.query_one("#staff", OptionList)
        if box.option_count:
            box.highlighted = max(0, min(box.option_count - 1, (box.highlighted or 0) + step))

    @on(OptionList.OptionSelected, "#staff")
    def _staff_chosen(self) -> None:
        self.query_one("#pin", Input).focus()

    def check_pin(self, staff_id: str, pin: str) -> None:
        from frontdesk.services.auth import sign_in

        self.run_service(
            lambda: sign_in(self.desk.engine, uuid.UUID(staff_id), pin, self.host.now()),
            self.host.signed_in,
            group="signin",
            refused=lambda exc: self._refused(exc, pin),
        )

    def _refused(self, exc: Exception, pin: str) -> None:
        from frontdesk.services.auth import NewPinNeeded

        if isinstance(exc, NewPinNeeded):  # a reset that arrived since the list was read
            self._choose_pin(exc.staff_id, exc.name, pin)
        else:
            self._rejected(describe(exc))

    def _choose_pin(self, staff_id: uuid.UUID, name: str, code: str) -> None:
        from screens.desk.new_pin import NewPinScreen

        self.query_one("#pin", Input).value = ""
        self.query_one("#pin-error", FieldError).show("")
        self.app.push_screen(NewPinScreen(staff_id, name, code), callback=self._pin_chosen)

    def _pin_chosen(self, who: SignedIn | None) -> None:
        if who is None:  # left without a new PIN: the code still works next time
            self.query_one("#pin", Input).focus()
            return
        self.app.notify(t("pins.new_pin_done", name=who.name))
        self.host.signed_in(who)

    def _rejected(self, message: str) -> None:
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
        self.query_one("#pin-error", FieldError).show(message)


def _note(demo_pins: DemoPins, unclosed: list[date], hint: str = "") -> Text:
    """The highlighted name's PIN hint, the demo PINs and, in bold, the days left unclosed
    (the oldest named first)."""
    lines = [Text(hint)] if hint else []
    if demo_pins:
        pins = "  ".join(f"{name} {pin}" for name, pin in demo_pins)
        lines.append(Text(t("signin.demo_hint", pins=pins)))
    if unclosed:
        shown = " ".join(day.isoformat() for day in unclosed[:UNCLOSED_SHOWN])
        more = " …" if len(unclosed) > UNCLOSED_SHOWN else ""
        lines.append(Text(t("signin.unclosed", count=len(unclosed)), style="bold"))
        lines.append(Text(t("signin.unclosed_dates", dates=shown + more), style="bold"))
    return Text("\n").join(lines)
