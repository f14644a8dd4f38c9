"""The test page `frontdesk printer test` prints: CJK text, a column ruler and a QR code."""

from __future__ import annotations

from datetime import datetime

from frontdesk.i18n import t
from frontdesk.printing.setup import PrinterSetup
from frontdesk.services.printout import center, pair, wrap

QR_TEXT = "frontdesk printer test"


def sample_lines(setup: PrinterSetup, now: datetime) -> list[str]:
    width = setup.columns
    switch = t("printer.on") if setup.chinese_mode else t("printer.off")
    lines = [center(t("printer.test_title"), width), center(now.strftime("%Y-%m-%d %H:%M"), width)]
    lines += ["-" * width]
    lines += wrap(t("printer.test_paper", mm=setup.width_mm, columns=width), width)
    lines += wrap(t("printer.test_code", encoding=setup.encoding.upper(), mode=switch), width)
    lines += ["-" * width, ruler(width)]
    lines += wrap(t("printer.test_cjk"), width)
    lines += [pair(t("printer.test_amount"), "¥1,234.50", width)]
    lines += wrap("，。；：“”（）【】￥", width)  # full-width punctuation alone on a line
    lines += ["-" * width, center(t("printer.test_qr"), width)]
    return lines


def ruler(width: int) -> str:
    """1234567890123… to the last column: a line cut short shows where."""
    return "".join(str(i % 10) for i in range(1, width + 1))
