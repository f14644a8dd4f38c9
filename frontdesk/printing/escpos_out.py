"""A document's lines as ESC/POS bytes, and sending them to the configured printer.

python-escpos supplies the devices (USB, network, serial, file; its Dummy in tests) and the
commands for the QR code and the cut. The text is encoded here: the library picks a code
page by itself and sends CJK as GB18030 only for characters in U+4E00–U+9FA5, so a line of
full-width punctuation or ¥ could go out in the wrong table on a Chinese printer (see
../shared/DOMAIN.md, "Receipt printers"). Every line is encoded whole, in the configured
GB18030 or GBK, after ESC @ (reset) and, in Chinese mode, FS & (double-byte mode).

Lines come from the documents' own layout functions at `setup.columns`, the same ones the
screen preview and the saved text file use, so what prints is what was shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frontdesk.errors import UserError
from frontdesk.printing.setup import PrinterSetup

RESET = b"\x1b@"  # ESC @: the printer's defaults, whatever the last job left
CHINESE_ON = b"\x1c&"  # FS &: two bytes a character, GB18030 / GBK
LINE_END = b"\n"
YEN, FULL_YEN = "\u00a5", "\uffe5"  # ¥ and the full-width ￥ (A3 A4 in GB2312, GBK, GB18030)
TIMEOUT_S = 3.0  # a network printer that has not answered by then is not there


class PrintFault(UserError):
    """The printer could not take the document; the document itself is kept."""


def page_bytes(lines: Sequence[str], setup: PrinterSetup, qr: str = "") -> bytes:
    """Exactly what is sent for these lines: reset, mode, text, an optional QR code, cut."""
    from escpos.printer import Dummy

    dummy = Dummy()
    _compose(dummy, lines, setup, qr)
    return bytes(dummy.output)


def _compose(device: Any, lines: Sequence[str], setup: PrinterSetup, qr: str) -> None:
    device._raw(RESET)
    if setup.chinese_mode:
        device._raw(CHINESE_ON)
    for line in lines:
        device._raw(printable(line).encode(setup.encoding, errors="replace") + LINE_END)
    if qr:
        device.qr(qr, native=True, size=6)
    if setup.cut:
        device.cut()
    else:
        device._raw(LINE_END * 4)  # past the tear bar


def printable(line: str) -> str:
    """The line as the printer's font has it. ¥ (U+00A5) is not in GBK and is four bytes in
    GB18030, which a printer with a GBK font prints as two wrong characters: the full-width
    ￥ takes its place, in the padding space before it where there is one (amounts are
    right-aligned after spaces), so the line keeps its width in columns."""
    return line.replace(" " + YEN, FULL_YEN).replace(YEN, FULL_YEN)


def send(setup: PrinterSetup, lines: Sequence[str], qr: str = "") -> None:
    """Print the lines, or raise PrintFault saying why not (nothing else is changed)."""
    if not setup.configured:
        raise PrintFault("printer.not_configured", field="printer")
    data = page_bytes(lines, setup, qr)
    device = _device(setup)
    try:
        device.open()
        device._raw(data)
    except PrintFault:
        raise
    except Exception as exc:  # each device fails in its own way: say where and what
        raise PrintFault(
            "printer.failed", field="printer", where=setup.where(), reason=_reason(exc)
        ) from exc
    finally:
        _close(device)


def _device(setup: PrinterSetup) -> Any:
    from escpos import printer

    try:
        if setup.kind == "network":
            return printer.Network(setup.host, setup.port, timeout=TIMEOUT_S)
        if setup.kind == "usb":
            return printer.Usb(setup.vendor_id, setup.product_id, timeout=int(TIMEOUT_S * 1000))
        if setup.kind == "serial":
            return printer.Serial(setup.device, timeout=TIMEOUT_S)
        return printer.File(setup.device)
    except Exception as exc:  # a missing driver library (pyusb, pyserial) shows here
        raise PrintFault(
            "printer.failed", field="printer", where=setup.where(), reason=_reason(exc)
        ) from exc


def _close(device: Any) -> None:
    try:
        device.close()
    except Exception:  # closing a device that never opened; nothing left to say
        return


def _reason(exc: BaseException) -> str:
    """The first line of what went wrong, without the library's long explanations."""
    text = str(exc).strip().splitlines()
    reason = text[-1] if text else type(exc).__name__
    if reason.count(")") > reason.count("("):  # the library wraps its message in brackets
        reason = reason.rstrip(")")
    return reason[:120]
