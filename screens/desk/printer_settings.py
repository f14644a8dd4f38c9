"""The receipt printer's settings (Ctrl+O from home): kind and connection, paper, code,
Chinese mode and cut, written into the config file's `[printer]` table.

F6 prints the test page with what the boxes say now, saved or not, so a setting can be
tried before it is kept; Ctrl+S checks and saves (each refusal under its box) and the desk
prints with the new settings at once. The printing runs in a worker (screens/common/printing.py).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.printing import print_in_worker
from screens.common.widgets import FieldError, KeyBar, StatusBar, clear_errors

if TYPE_CHECKING:
    from frontdesk.printing.setup import PrinterSetup

KINDS = ("none", "usb", "network", "serial", "file")
ENV = "FRONTDESK_PRINTER"
BOXES = ("host", "port", "device", "vendor_id", "product_id")


class PrinterSettingsScreen(DeskScreen[None]):
    AUTO_FOCUS = "#kind"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "save", id="save"),
        Binding("f6", "test_print", "test_print", id="test_print"),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    PrinterSettingsScreen #psettings { padding: 0 1; height: 1fr; }
    PrinterSettingsScreen .form-row Select.wide-select { width: 30; }
    PrinterSettingsScreen .form-row Input.hex { width: 10; }
    PrinterSettingsScreen Checkbox { width: auto; height: 1; border: none; padding: 0 2 0 0; }
    PrinterSettingsScreen #psettings-note { margin: 1 0 0 0; }
    """
    FIELD_AT: ClassVar = {"width_mm": "kind", "encoding": "kind", "printer": "kind"}
    REFUSAL_AT: ClassVar = "kind-error"

    def compose(self) -> ComposeResult:
        setup = self.host.cfg.printer
        yield StatusBar(id="status")
        with Vertical(id="psettings"):
            yield Static(t("psettings.title"), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("psettings.kind"))
                kinds = [(t(f"psettings.kind.{k}"), k) for k in KINDS]
                yield Select(
                    kinds, id="kind", value=setup.kind, allow_blank=False, classes="wide-select"
                )
            yield FieldError(id="kind-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("psettings.host"))
                yield Input(setup.host, id="host", max_length=200)
                yield Label(t("psettings.port"), classes="inline")
                yield Input(
                    str(setup.port), id="port", restrict=r"[0-9]*", max_length=5, classes="short"
                )
            yield FieldError(id="host-error", classes="form-error")
            yield FieldError(id="port-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("psettings.device"))
                yield Input(
                    setup.device,
                    id="device",
                    max_length=300,
                    placeholder=t("psettings.device_hint"),
                )
            yield FieldError(id="device-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("psettings.usb"))
                yield Input(
                    _hex(setup.vendor_id),
                    id="vendor_id",
                    restrict=r"[0-9a-fA-F]*",
                    max_length=4,
                    placeholder=t("psettings.hex_hint"),
                    classes="hex",
                )
                yield Label(t("psettings.product"), classes="inline")
                yield Input(
                    _hex(setup.product_id),
                    id="product_id",
                    restrict=r"[0-9a-fA-F]*",
                    max_length=4,
                    placeholder=t("psettings.hex_hint"),
                    classes="hex",
                )
            yield FieldError(id="vendor_id-error", classes="form-error")
            yield FieldError(id="product_id-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("psettings.width"))
                widths = [(t(f"psettings.width.{mm}"), mm) for mm in (58, 80)]
                yield Select(
                    widths,
                    id="width_mm",
                    value=setup.width_mm,
                    allow_blank=False,
                    classes="wide-select",
                )
                yield Label(t("psettings.encoding"), classes="inline")
                codes = [(code.upper(), code) for code in ("gb18030", "gbk")]
                yield Select(
                    codes,
                    id="encoding",
                    value=setup.encoding,
                    allow_blank=False,
                    classes="short-select",
                )
            with Horizontal(classes="form-row"):
                yield Checkbox(t("psettings.chinese_mode"), setup.chinese_mode, id="chinese_mode")
                yield Checkbox(t("psettings.cut"), setup.cut, id="cut")
            yield Static(self._where(), id="psettings-note", classes="note", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)

    def _where(self) -> str:
        from frontdesk.config import config_path

        lines = [t("psettings.file", path=str(config_path()))]
        if os.environ.get(ENV):
            lines.append(t("psettings.env", value=os.environ[ENV]))
        return "\n".join(lines)

    # --- the boxes as a setup ----------------------------------------------------------------
    def form(self) -> dict[str, object]:
        values: dict[str, object] = {b: self.query_one(f"#{b}", Input).value for b in BOXES}
        values["kind"] = self.query_one("#kind", Select).value
        values["width_mm"] = self.query_one("#width_mm", Select).value
        values["encoding"] = self.query_one("#encoding", Select).value
        values["chinese_mode"] = self.query_one("#chinese_mode", Checkbox).value
        values["cut"] = self.query_one("#cut", Checkbox).value
        return values

    def checked(self) -> PrinterSetup | None:
        """The boxes as a setup, or None with each refusal shown under its box."""
        from frontdesk.printing.settings_file import form_setup

        clear_errors(self)
        try:
            return form_setup(self.form())
        except Exception as exc:  # a UserError naming its box
            self.show_refusal(exc)
            return None

    # --- keys ----------------------------------------------------------------------------------
    def action_test_print(self) -> None:
        """F6: the test page with the settings as they stand on the screen."""
        from frontdesk.printing.jobs import print_test_page

        setup = self.checked()
        if setup is not None:
            print_in_worker(self, lambda _engine, _actor, _setup, now: print_test_page(setup, now))

    def action_save(self) -> None:
        from frontdesk.config import config_path
        from frontdesk.printing.settings_file import save_printer

        setup = self.checked()
        if setup is None or self.busy:
            return
        self.busy = True
        path = config_path()
        self.run_service(
            lambda: save_printer(path, setup),
            lambda _: self._saved(setup, str(path)),
            group="printer-save",
            refused=self.refused_write,
        )

    def _saved(self, setup: PrinterSetup, path: str) -> None:
        """The desk prints with the new settings now; FRONTDESK_PRINTER still names the
        connection when it is set, as it will at the next start."""
        from dataclasses import replace

        from frontdesk.printing.setup import with_connection

        self.busy = False
        override = os.environ.get(ENV)
        effective = with_connection(setup, override) if override else setup
        self.host.cfg = replace(self.host.cfg, printer=effective)
        self.remember_typing()
        self.notify(t("psettings.saved", path=path))

    def action_back(self) -> None:
        self.action_cancel()  # asks first when something typed is not saved


def _hex(value: int) -> str:
    return f"{value:04x}" if value else ""
