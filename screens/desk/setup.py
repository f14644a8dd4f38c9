"""First run with no database: the steps of `frontdesk init`, in the TUI.

When the database's folder does not exist (a configured path on a drive not mounted, a
typing slip), the path comes first, with the cursor in it: the person changes it, or
creates the folder with F2, before filling in the rest; nothing is created until Ctrl+S.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
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
PATH = "db_path"  # the path's box, shown only while its folder is missing


class SetupScreen(DeskScreen[None]):
    AUTO_FOCUS = "#site_code"
    BINDINGS = [
        Binding("ctrl+s", "create", "submit", id="submit"),
        Binding("f2", "make_folder", "make_folder", id="make_folder"),
    ]
    REFUSAL_AT = "setup-error"

    def __init__(self) -> None:
        super().__init__()
        self.asks_path = not self.host_db().parent.is_dir()

    def host_db(self) -> Path:
        return self.host.cfg.db

    def compose(self) -> ComposeResult:
        hints = {"site_code": t("setup.site_code_hint"), "pin": t("pins.setup_pin_hint")}
        with VerticalScroll(id="setup-box", classes="box"):
            yield Static(t("setup.title"), classes="title")
            if self.asks_path:
                with Horizontal(classes="form-row"):
                    yield Label(t("setup.db_path"))
                    yield Input(str(self.host_db()), id=PATH)
                yield FieldError(id=f"{PATH}-error", classes="form-error")
            else:
                yield Static(t("setup.intro", path=str(self.host_db())), classes="note")
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
        if self.asks_path:
            self._path_ready()  # says so, and takes the cursor from AUTO_FOCUS
        self.call_after_refresh(self.host.first_screen_ready)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "make_folder" and not self.asks_path:
            return False  # no path asked for: the key is not offered
        return super().check_action(action, parameters)

    # --- the database's path -------------------------------------------------------------
    def db_path(self) -> Path | None:
        """The path the database will be made at; None (said at the box) when it is empty."""
        if not self.asks_path:
            return self.host_db()
        typed = self._value(PATH).strip()
        return Path(typed).expanduser() if typed else None

    def _path_ready(self) -> bool:
        """The path's folder exists: True. Else the offer to change it or make the folder is
        shown under the path and the cursor goes there."""
        error = self.query_one(f"#{PATH}-error", FieldError)
        path = self.db_path()
        if path is None:
            message = t("setup.path_empty")
        elif not path.parent.is_dir():
            message = t("setup.folder_missing", folder=str(path.parent))
        else:
            error.show("")
            return True
        error.show(message)
        self.query_one(f"#{PATH}", Input).focus()
        return False

    def action_make_folder(self) -> None:
        path = self.db_path()
        if path is None:
            self._path_ready()
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            message = t("setup.folder_failed", folder=str(path.parent), reason=exc.strerror)
            self.query_one(f"#{PATH}-error", FieldError).show(message)
            return
        self.query_one(f"#{PATH}-error", FieldError).show(
            t("setup.folder_made", folder=str(path.parent))
        )
        self.query_one(f"#{FIELDS[0]}", Input).focus()

    # --- the form ----------------------------------------------------------------------------
    @on(Input.Submitted)
    def _next_or_create(self, event: Input.Submitted) -> None:
        if event.input.id == PATH:
            if self._path_ready():
                self.focus_next()
        elif event.input.id == FIELDS[-1]:
            self.action_create()
        else:
            self.focus_next()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def action_create(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        if self.asks_path and not self._path_ready():
            return
        if self._value("pin") != self._value("pin_again"):
            # Said under the second box, both kept: the first may be the one mistyped.
            self.query_one("#pin_again-error", FieldError).show(t("pin.mismatch"))
            self.query_one("#pin_again", Input).focus()
            return
        from frontdesk.services.desk import DeskSetup

        path = self.db_path()
        assert path is not None  # _path_ready said so
        setup = DeskSetup(*(self._value(n) for n in FIELDS[:4]))
        self.create(path, setup)

    def create(self, path: Path, setup: DeskSetup) -> None:
        from frontdesk.services.desk import set_up_desk

        self.run_service(
            lambda: set_up_desk(path, setup).dispose(),
            lambda _: self._created(path, setup.site_code.strip().upper()),
            group="setup",
        )

    def _created(self, path: Path, site_code: str) -> None:
        from screens.desk.signin import SignInScreen

        if path == self.host_db():
            self.app.notify(t("setup.done", site=site_code))
        else:  # this run opens it; the next needs to be told where it is
            self.host.cfg = replace(self.host.cfg, db=path)
            message = t("setup.done_elsewhere", site=site_code, path=str(path))
            self.app.notify(message, timeout=30)
        self.app.switch_screen(SignInScreen())
