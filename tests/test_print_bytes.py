"""Issue 20 item 6: the exact bytes a receipt and a Z report go out as, on python-escpos's
Dummy printer, at both paper widths, Chinese mode on and off, in GB18030 and in GBK."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from rich.cells import cell_len

from frontdesk import i18n
from frontdesk.printing.escpos_out import page_bytes
from frontdesk.printing.setup import PrinterSetup
from frontdesk.services.receipts import ReceiptView, receipt_text
from tests.test_printer import z_report_lines

RESET, CHINESE_ON = b"\x1b@", b"\x1c&"  # ESC @, FS &
CUT = b"\x1bd\x06\x1dV\x00"  # ESC d 6 (feed past the cutter), GS V 0 (full cut)
NO_CUT = b"\n" * 4

RECEIPT = ReceiptView(
    id=uuid.UUID(int=1),
    site_code="HS01",
    series=1,
    number=42,
    payment_id=uuid.UUID(int=2),
    site_name="白沙社区党群服务中心",
    service_zh="家政保洁（两小时）",
    service_en="Housekeeping (2 h)",
    amount_fen=12850,
    method="wechat",
    received_at=datetime(2026, 11, 26, 2, 30, tzinfo=UTC),
    staff_name="李文员",
    issued_at=datetime(2026, 11, 26, 2, 31, tzinfo=UTC),
)

# As the paper shows them: ¥ already as the full-width ￥ in the padding before it.
PRINTED = {
    32: [
        "================================",
        "      白沙社区党群服务中心",
        "             收  据",
        "--------------------------------",
        "收据号             HS01-1-000042",
        "时间            2026-11-26 10:30",
        "服务项目      家政保洁（两小时）",
        "支付方式                微信支付",
        "经办人                    李文员",
        "--------------------------------",
        "金额                    ￥128.50",
        "--------------------------------",
        "请妥善保管本收据，谢谢！",
        "================================",
    ],
    48: [
        "================================================",
        "              白沙社区党群服务中心",
        "                     收  据",
        "------------------------------------------------",
        "收据号                             HS01-1-000042",
        "时间                            2026-11-26 10:30",
        "服务项目                      家政保洁（两小时）",
        "支付方式                                微信支付",
        "经办人                                    李文员",
        "------------------------------------------------",
        "金额                                    ￥128.50",
        "------------------------------------------------",
        "请妥善保管本收据，谢谢！",
        "================================================",
    ],
}


@pytest.mark.parametrize("width_mm", [58, 80])
@pytest.mark.parametrize("chinese_mode", [True, False])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
@pytest.mark.parametrize("cut", [True, False])
def test_a_receipt_goes_out_as_exactly_these_bytes(
    width_mm: int, chinese_mode: bool, encoding: str, cut: bool
) -> None:
    i18n.set_language("zh")
    setup = PrinterSetup(width_mm=width_mm, chinese_mode=chinese_mode, encoding=encoding, cut=cut)
    lines = receipt_text(RECEIPT, setup.columns).splitlines()
    text = b"".join(line.encode(encoding) + b"\n" for line in PRINTED[setup.columns])
    expected = RESET + (CHINESE_ON if chinese_mode else b"") + text + (CUT if cut else NO_CUT)
    assert page_bytes(lines, setup) == expected
    assert all(cell_len(line) <= setup.columns for line in PRINTED[setup.columns])


def test_the_amount_line_byte_by_byte() -> None:
    """金额 (BD F0 B6 EE), the padding, ￥ (A3 A4) and the digits: two bytes a column."""
    i18n.set_language("zh")
    data = page_bytes(receipt_text(RECEIPT, 32).splitlines(), PrinterSetup())
    line = b"\xbd\xf0\xb6\xee" + b" " * 20 + b"\xa3\xa4" + b"128.50\n"
    assert line in data and len(line) - 1 == 32  # a full line of the paper, in bytes too


@pytest.mark.parametrize("width_mm", [58, 80])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_a_z_report_prints_its_signature_lines_and_no_four_byte_yen(
    desk, width_mm: int, encoding: str
) -> None:
    setup = PrinterSetup(width_mm=width_mm, encoding=encoding)
    lines = z_report_lines(desk, setup.columns)
    data = page_bytes(lines, setup)
    for label in ("收银员签字", "负责人签字"):
        rule = b"_" * (setup.columns - cell_len(label))
        assert label.encode(encoding) + rule + b"\n" in data
    assert b"\xa3\xa4" in data  # ￥
    assert "¥".encode("gb18030") not in data and b"?" not in data  # nothing lost in GBK


def test_an_english_receipt_has_the_same_columns() -> None:
    i18n.set_language("en")
    lines = receipt_text(RECEIPT, 32).splitlines()
    assert "Housekeeping (2 h)" in lines[6] and lines[6].startswith("Service")
    assert max(cell_len(line) for line in lines) == 32
