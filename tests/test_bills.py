"""Reading the platforms' bills by their header, and refusing what is not one, in words."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from frontdesk import i18n
from frontdesk.errors import UserError
from frontdesk.services.bills import read_bill
from tests.bill_files import (
    alipay_detail_text,
    alipay_merchant_zip,
    alipay_personal_csv,
    wechat_merchant,
    wechat_personal_xlsx,
)

DAY = date(2026, 11, 26)


def summary(bill) -> list[tuple[str, int]]:
    return [(line.at.strftime("%H:%M:%S"), line.amount_fen) for line in bill.lines]


def refusal(path: Path, lang: str = "zh") -> str:
    i18n.set_language(lang)
    with pytest.raises(UserError) as caught:
        read_bill(path)
    assert caught.value.field == "bill"
    return caught.value.message()


@pytest.mark.parametrize("old", [False, True], ids=["应结订单金额", "总金额"])
def test_a_wechat_merchant_bill_with_a_refund_and_its_summary(tmp_path: Path, old: bool) -> None:
    txns = [
        ("2026-11-26 10:31:05", "68.00", "SUCCESS"),
        ("2026-11-26 11:02:40", "135.00", "SUCCESS"),
        ("2026-11-26 11:05:00", "20.00", "REVOKED"),  # taken back before it settled
        ("2026-11-26 15:20:00", "68.00", "REFUND"),
    ]
    bill = read_bill(wechat_merchant(tmp_path / "wx.csv", txns, old=old))
    assert (bill.layout, bill.method, bill.skipped) == ("wechat_merchant", "wechat", 1)
    assert summary(bill) == [("10:31:05", 6800), ("11:02:40", 13500), ("15:20:00", -6800)]
    first = bill.lines[0]
    assert (first.trade_no, first.order_no, first.fee_fen) == (
        "4200000001202611260001",
        "FD20261126001",
        41,
    )
    assert bill.lines[2].trade_no.startswith("5030")  # the refund's own number
    assert bill.days() == {DAY} and len(bill.digest) == 64


def test_a_wechat_bill_without_a_byte_order_mark_reads_the_same(tmp_path: Path) -> None:
    txns = [("2026-11-26 10:31:05", "68.00", "SUCCESS")]
    with_bom = read_bill(wechat_merchant(tmp_path / "a.csv", txns))
    without = read_bill(wechat_merchant(tmp_path / "b.csv", txns, bom=False))
    assert with_bom.lines == without.lines and with_bom.digest != without.digest


def test_an_alipay_merchant_zip_with_the_summary_first(tmp_path: Path) -> None:
    txns = [
        ("2026-11-26 09:58:12", "135.00", "交易"),
        ("2026-11-26 10:40:00", "45.00", "交易"),
        ("2026-11-26 16:00:00", "45.00", "退款"),
    ]
    bill = read_bill(alipay_merchant_zip(tmp_path / "alipay.zip", txns))
    assert (bill.layout, bill.method, bill.skipped) == ("alipay_merchant", "alipay", 0)
    assert summary(bill) == [("09:58:12", 13500), ("10:40:00", 4500), ("16:00:00", -4500)]
    assert (bill.lines[0].trade_no, bill.lines[0].fee_fen) == ("20261126220014000001", 81)


def test_the_alipay_detail_csv_alone_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "业务明细.csv"
    path.write_bytes(alipay_detail_text([("2026-11-26 09:58:12", "135.00", "交易")]).encode("gbk"))
    bill = read_bill(path)
    assert bill.layout == "alipay_merchant" and summary(bill) == [("09:58:12", 13500)]
    assert bill.lines[0].item == "日常保洁"  # GBK read as GBK, not as UTF-8


def test_a_wechat_personal_bill_whose_header_moved_down(tmp_path: Path) -> None:
    txns = [
        ("2026-11-26 10:05:00", "68.00", "二维码收款"),
        ("2026-11-26 12:00:00", "20.00", "商户消费"),  # the holder's own lunch: not the desk's
        ("2026-11-26 14:30:00", "45.00", "二维码收款"),
        ("2026-11-26 17:00:00", "45.00", "二维码收款-退款"),
    ]
    bill = read_bill(wechat_personal_xlsx(tmp_path / "微信支付账单明细.xlsx", txns))
    assert (bill.layout, bill.method, bill.skipped) == ("wechat_personal", "wechat", 1)
    assert summary(bill) == [("10:05:00", 6800), ("14:30:00", 4500), ("17:00:00", -4500)]


def test_an_alipay_personal_bill_in_gbk_with_trailing_tabs(tmp_path: Path) -> None:
    txns = [
        ("2026-11-26 14:02:11", "45.00", "收入"),
        ("2026-11-26 15:00:00", "12.00", "支出"),
        ("2026-11-26 16:10:00", "45.00", "退款"),
    ]
    bill = read_bill(alipay_personal_csv(tmp_path / "alipay_record.csv", txns))
    assert (bill.layout, bill.method, bill.skipped) == ("alipay_personal", "alipay", 1)
    assert summary(bill) == [("14:02:11", 4500), ("16:10:00", -4500)]
    assert bill.lines[0].trade_no == "2026112622001000001"  # the tab gone


def test_lines_of_a_day(tmp_path: Path) -> None:
    txns = [
        ("2026-11-25 23:59:00", "10.00", "SUCCESS"),
        ("2026-11-26 00:01:00", "20.00", "SUCCESS"),
    ]
    bill = read_bill(wechat_merchant(tmp_path / "wx.csv", txns))
    assert bill.days() == {DAY, date(2026, 11, 25)}
    assert [line.at for line in bill.on(DAY)] == [datetime(2026, 11, 26, 0, 1)]


# --- what is not a bill -------------------------------------------------------------------------


def test_a_roster_is_not_a_bill_and_the_message_says_what_is(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("姓名,身份证号,手机号\n张三,440703198803090024,13800138000\n", encoding="utf-8")
    message = refusal(path)
    assert "不是能识别的账单" in message and "微信支付商户交易账单" in message
    assert "not a bill we know" in refusal(path, "en")


@pytest.mark.parametrize("content", [b"", b" \r\n"], ids=["empty", "blank"])
def test_an_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "wx.csv"
    path.write_bytes(content)
    assert "没有内容" in refusal(path)


def test_a_bill_with_a_header_and_no_lines(tmp_path: Path) -> None:
    path = wechat_merchant(tmp_path / "wx.csv", [])
    assert "没有一笔交易" in refusal(path)


def test_a_truncated_zip(tmp_path: Path) -> None:
    whole = alipay_merchant_zip(tmp_path / "a.zip", [("2026-11-26 09:58:12", "135.00", "交易")])
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "已损坏或不完整" in refusal(cut)


def test_a_zip_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "不是能识别的账单" in refusal(path)


def test_a_file_in_neither_utf8_nor_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "wx.csv"
    path.write_bytes("交易时间,微信订单号,交易状态\n".encode("utf-16-le") + b"\xff\xfe\x00\xd8")
    assert "不是 UTF-8、GBK 或 GB18030" in refusal(path)


def test_a_missing_file(tmp_path: Path) -> None:
    assert "不存在" in refusal(tmp_path / "nowhere.csv")


@pytest.mark.parametrize("amount", ["1e2", "12.345", "四十", "NaN"])
def test_an_amount_not_written_as_money_names_its_row_and_column(
    tmp_path: Path, amount: str
) -> None:
    txns = [("2026-11-26 10:31:05", "68.00", "SUCCESS"), ("2026-11-26 10:40:00", amount, "SUCCESS")]
    message = refusal(wechat_merchant(tmp_path / "wx.csv", txns))
    assert "第 3 行【应结订单金额】" in message and amount in message


def test_a_time_that_is_not_one(tmp_path: Path) -> None:
    txns = [("26/11/2026", "68.00", "SUCCESS")]
    assert "【交易时间】" in refusal(wechat_merchant(tmp_path / "wx.csv", txns))


def test_a_cell_over_128_kib_is_read_not_a_crash(tmp_path: Path) -> None:
    path = wechat_merchant(tmp_path / "wx.csv", [("2026-11-26 10:31:05", "68.00", "SUCCESS")])
    text = path.read_text(encoding="utf-8-sig").replace("中医理疗", "理" * 70_000)
    path.write_text(text, encoding="utf-8")
    (line,) = read_bill(path).lines
    assert line.amount_fen == 6800 and len(line.item) == 70_000


def test_each_bill_names_the_account_it_belongs_to(tmp_path: Path) -> None:
    """The merchant number or account name each layout carries: a bill of another merchant
    or of someone's own account can be told from the desk's (issue 19 item 7)."""
    day = [("2026-11-26 10:31:05", "68.00", "SUCCESS")]
    assert read_bill(wechat_merchant(tmp_path / "a.csv", day)).accounts == {"1900012345"}
    provider = wechat_merchant(
        tmp_path / "b.csv", day, merchant="1230000109", sub_merchant="1900099999"
    )
    assert read_bill(provider).accounts == {"1900099999"}  # the community, not its provider
    ali = [("2026-11-26 10:31:05", "68.00", "交易")]
    assert read_bill(alipay_merchant_zip(tmp_path / "c.zip", ali)).accounts == {
        "20881234567890120156"
    }
    personal = [("2026-11-26 10:31:05", "68.00", "二维码收款")]
    wx = read_bill(wechat_personal_xlsx(tmp_path / "d.xlsx", personal))
    assert wx.accounts == {"白沙社区服务站"}
    taken = [("2026-11-26 10:31:05", "68.00", "收入")]
    assert read_bill(alipay_personal_csv(tmp_path / "e.csv", taken)).accounts == {"138****5678"}
