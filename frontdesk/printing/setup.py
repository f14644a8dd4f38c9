"""The printer's settings: the config file's `[printer]` table, then FRONTDESK_PRINTER.

    [printer]
    kind = "network"        # none (default), usb, network, serial, file
    host = "192.168.1.50"
    port = 9100
    width_mm = 58           # 58 (32 columns) or 80 (48 columns)
    encoding = "gb18030"    # or gbk
    chinese_mode = true     # send FS & (Chinese double-byte mode) before the text
    cut = true

FRONTDESK_PRINTER names where the printer is (`network:HOST:PORT`, `usb:VID:PID`,
`serial:DEVICE`, `file:PATH` or `none`) and overrides the table's connection, keeping its
paper width, encoding and switches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from db.errors import Refusal

KINDS = ("none", "usb", "network", "serial", "file")
COLUMNS = {58: 32, 80: 48}  # half-width columns a line holds on that paper
ENCODINGS = ("gb18030", "gbk")
DEFAULT_PORT = 9100


class PrinterSettingError(Refusal):
    """A printer setting that cannot be used; said like the other settings' errors."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, None, **params)


@dataclass(frozen=True)
class PrinterSetup:
    kind: str = "none"
    host: str = ""
    port: int = DEFAULT_PORT
    device: str = ""  # a serial device, or a file or device path
    vendor_id: int = 0
    product_id: int = 0
    width_mm: int = 58
    encoding: str = "gb18030"
    chinese_mode: bool = True
    cut: bool = True

    @property
    def columns(self) -> int:
        return COLUMNS[self.width_mm]

    @property
    def configured(self) -> bool:
        return self.kind != "none"

    def where(self) -> str:
        """Where it prints, as FRONTDESK_PRINTER would say it (for messages)."""
        return {
            "none": "none",
            "usb": f"usb:{self.vendor_id:04x}:{self.product_id:04x}",
            "network": f"network:{self.host}:{self.port}",
            "serial": f"serial:{self.device}",
            "file": f"file:{self.device}",
        }[self.kind]


def printer_setup(table: Mapping[str, object] | None, env_value: str | None) -> PrinterSetup:
    setup = from_table(table or {})
    if env_value:
        setup = with_connection(setup, env_value)
    return setup


def from_table(table: Mapping[str, object]) -> PrinterSetup:
    known = set(PrinterSetup.__dataclass_fields__)
    for name in table:
        if name not in known:
            raise PrinterSettingError("printer.unknown_setting", key=f"printer.{name}")
    values = {name: _value(name, raw) for name, raw in table.items()}
    setup = PrinterSetup(**values)  # type: ignore[arg-type]
    _check(setup)
    return setup


def _value(name: str, raw: object) -> object:
    if name in ("chinese_mode", "cut"):
        if not isinstance(raw, bool):
            raise PrinterSettingError("printer.bad_switch", key=f"printer.{name}", value=raw)
        return raw
    if name in ("port", "width_mm"):
        return _number(name, raw, 10)
    if name in ("vendor_id", "product_id"):
        return _number(name, raw, 16)  # USB ids are written in hex, as lsusb shows them
    return str(raw).strip().lower() if name in ("kind", "encoding") else str(raw).strip()


def _number(name: str, raw: object, base: int) -> int:
    try:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw), base)
    except ValueError:
        raise PrinterSettingError("printer.bad_value", key=f"printer.{name}", value=raw) from None


def _check(setup: PrinterSetup) -> None:
    if setup.kind not in KINDS:
        raise PrinterSettingError("printer.bad_kind", value=setup.kind, kinds=", ".join(KINDS))
    if setup.width_mm not in COLUMNS:
        raise PrinterSettingError("printer.bad_width", value=setup.width_mm)
    if setup.encoding not in ENCODINGS:
        raise PrinterSettingError("printer.bad_encoding", value=setup.encoding)
    if not 0 < setup.port < 65536:
        raise PrinterSettingError("printer.bad_value", key="printer.port", value=setup.port)
    needs = {"network": setup.host, "serial": setup.device, "file": setup.device}
    if setup.kind in needs and not needs[setup.kind]:
        raise PrinterSettingError("printer.incomplete", kind=setup.kind)
    if setup.kind == "usb" and not (setup.vendor_id and setup.product_id):
        raise PrinterSettingError("printer.incomplete", kind=setup.kind)


def with_connection(setup: PrinterSetup, text: str) -> PrinterSetup:
    """FRONTDESK_PRINTER's connection over the table's (width, encoding, switches kept)."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.lower()
    setup = replace(setup, host="", port=DEFAULT_PORT, device="", vendor_id=0, product_id=0)
    try:
        if kind == "none" and not rest:
            found = replace(setup, kind="none")
        elif kind == "network":
            host, _, port = rest.rpartition(":") if rest.count(":") else (rest, "", "")
            found = replace(
                setup, kind=kind, host=host or rest, port=int(port) if port else DEFAULT_PORT
            )
        elif kind == "usb":
            vendor, product = rest.split(":")
            found = replace(
                setup, kind=kind, vendor_id=int(vendor, 16), product_id=int(product, 16)
            )
        elif kind in ("serial", "file") and rest:
            found = replace(setup, kind=kind, device=rest)
        else:
            raise ValueError(text)
    except ValueError:
        raise PrinterSettingError("printer.bad_env", value=text) from None
    _check(found)
    return found
