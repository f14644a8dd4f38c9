"""The four bills a community desk really gets, described by their header row.

Each layout names the columns that identify it and turns one row of its table into a bill
line (or nothing, for a row that is not money taken or given back at the desk: an expense
on a personal account, a closed trade). Column names are compared after NFKC, so 订单金额（元）
and 订单金额(元) are one name. Layout facts: ../shared/DOMAIN.md, "Payment platforms' bills".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from frontdesk.domain.forms import nfkc
from frontdesk.domain.money import PLAIN_DECIMAL


@dataclass(frozen=True)
class BillLine:
    """One transaction of a bill: what the payer paid (negative: given back)."""

    at: datetime  # the platform's time, Beijing time as printed on the bill
    amount_fen: int
    trade_no: str  # the platform's number for it
    order_no: str = ""  # the merchant's order number, where the bill has one
    fee_fen: int = 0  # the platform's service fee on it (merchant bills)
    item: str = ""  # 商品名称 / 商品说明


class BadCell(ValueError):
    """A cell of a known bill that cannot be read: its column and text."""

    def __init__(self, column: str, value: str) -> None:
        super().__init__(column, value)
        self.column, self.value = column, value


Row = Mapping[str, str]  # one table row by (NFKC) column name


@dataclass(frozen=True)
class Layout:
    name: str  # wechat_merchant, alipay_merchant, wechat_personal, alipay_personal
    method: str  # the payment method of its lines
    identify: frozenset[str]  # all present in the header row: this layout
    line: Callable[[Row], BillLine | None]
    # Columns naming the merchant a row was taken for, most specific first (a service
    # provider's bill has its own 商户号 and the community's 特约商户号).
    account_columns: tuple[str, ...] = ()


def account_of(layout: Layout, row: Row) -> str:
    """The merchant a row names: the first of the layout's account columns with a value."""
    for name in layout.account_columns:
        value = cell(row, name)
        if value and value != "0":
            return value
    return ""


# A preamble line naming the account: #账号：[2088…] (Alipay merchant), 微信昵称：[…] (WeChat
# personal), 支付宝账户：138****5678 (Alipay personal); the brackets come and go.
ACCOUNT_LINE = re.compile(r"^#?\s*(?:账号|支付宝账户|账户|微信昵称)\s*[:：]\s*\[?([^\]\s]+)")


def account_in_preamble(cells: list[str]) -> str:
    for value in cells:
        found = ACCOUNT_LINE.match(nfkc(value).strip())
        if found:
            return found.group(1)
    return ""


@lru_cache(maxsize=512)
def key(label: str) -> str:
    """A header cell as compared: NFKC, no spaces, tabs, backticks or byte-order mark."""
    return "".join(nfkc(label).split()).strip("`\ufeff\"'")


def clean(value: str) -> str:
    """A cell without the bills' padding: WeChat's leading backtick, Alipay's trailing tab."""
    return value.strip().lstrip("`").strip()


def cell(row: Row, *names: str) -> str:
    """The first of the named columns the row has, `clean`."""
    for name in names:
        value = row.get(key(name))
        if value is not None:
            return clean(value)
    return ""


def fen(row: Row, *names: str) -> int:
    """A money column as integer fen, through Decimal: ¥1.00, `1.00, 1,234.50, -10.00."""
    raw = cell(row, *names)
    text = raw.replace(",", "").lstrip("¥￥").strip()
    if not text:
        return 0
    if not PLAIN_DECIMAL.fullmatch(text):  # 1e2, NaN, 四十: not how a bill writes money
        raise BadCell(names[0], raw)
    cents = Decimal(text) * 100
    if cents != cents.to_integral_value():
        raise BadCell(names[0], raw)
    return int(cents)


TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")


def when(row: Row, *names: str) -> datetime:
    raw = cell(row, *names)
    try:
        return datetime.fromisoformat(raw)  # the common case, ten times faster than strptime
    except ValueError:
        pass
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    raise BadCell(names[0], raw)


# --- WeChat Pay merchant trade bill (交易账单) ------------------------------------------------


def _wechat_merchant(row: Row) -> BillLine | None:
    status = cell(row, "交易状态").upper()
    if status == "SUCCESS":
        amount = fen(row, "应结订单金额", "总金额")
        trade_no = cell(row, "微信订单号")
    elif status == "REFUND":
        amount = -abs(fen(row, "退款金额"))
        trade_no = cell(row, "微信退款单号") or cell(row, "微信订单号")
    else:
        return None  # REVOKED: the payment was taken back before it settled
    return BillLine(
        at=when(row, "交易时间"),
        amount_fen=amount,
        trade_no=trade_no,
        order_no=cell(row, "商户订单号"),
        fee_fen=fen(row, "手续费"),
        item=cell(row, "商品名称"),
    )


# --- Alipay merchant bill (业务明细) -------------------------------------------------------------


def _alipay_merchant(row: Row) -> BillLine | None:
    kind = cell(row, "业务类型")
    if kind not in ("交易", "退款"):
        return None
    amount = abs(fen(row, "订单金额（元）"))
    return BillLine(
        at=when(row, "完成时间", "创建时间"),
        amount_fen=amount if kind == "交易" else -amount,
        trade_no=cell(row, "支付宝交易号"),
        order_no=cell(row, "商户订单号"),
        fee_fen=abs(fen(row, "服务费（元）")),
        item=cell(row, "商品名称"),
    )


# --- personal accounts (a personal payment code at a small center) ----------------------------


def _wechat_personal(row: Row) -> BillLine | None:
    kind, flow = cell(row, "交易类型"), cell(row, "收/支")
    if flow == "收入" and "退款" not in kind:
        amount = fen(row, "金额(元)")
    elif flow == "支出" and "退款" in kind:
        amount = -abs(fen(row, "金额(元)"))
    else:
        return None  # the account holder's own spending, transfers out
    return BillLine(
        at=when(row, "交易时间"),
        amount_fen=amount,
        trade_no=cell(row, "交易单号"),
        order_no=cell(row, "商户单号"),
        item=cell(row, "商品"),
    )


def _alipay_personal(row: Row) -> BillLine | None:
    flow, status = cell(row, "收/支"), cell(row, "交易状态")
    if "退款" in status:
        amount = -abs(fen(row, "金额", "金额（元）"))
    elif flow == "收入" and status in ("交易成功", "已收入", "成功"):
        amount = fen(row, "金额", "金额（元）")
    else:
        return None  # spending, closed trades, moves between one's own accounts
    return BillLine(
        at=when(row, "交易时间", "付款时间", "交易创建时间"),
        amount_fen=amount,
        trade_no=cell(row, "交易订单号", "交易号"),
        order_no=cell(row, "商家订单号"),
        item=cell(row, "商品说明", "商品名称"),
    )


def _names(*labels: str) -> frozenset[str]:
    return frozenset(key(label) for label in labels)


WECHAT_MERCHANT = _names("交易时间", "微信订单号", "交易状态")
ALIPAY_MERCHANT = _names("支付宝交易号", "业务类型", "订单金额（元）")
WECHAT_PERSONAL = _names("交易时间", "交易类型", "收/支", "金额(元)")
ALIPAY_PERSONAL = _names("交易时间", "收/支", "金额", "交易订单号")
ALIPAY_PERSONAL_OLD = _names("交易创建时间", "收/支", "金额（元）", "交易号")  # before 2023

SUB_MERCHANT_FIRST = ("特约商户号", "商户号")

LAYOUTS = (
    Layout(
        "wechat_merchant", "wechat", WECHAT_MERCHANT, _wechat_merchant, ("特约商户号", "商户号")
    ),
    Layout("alipay_merchant", "alipay", ALIPAY_MERCHANT, _alipay_merchant),
    Layout("wechat_personal", "wechat", WECHAT_PERSONAL, _wechat_personal),
    Layout("alipay_personal", "alipay", ALIPAY_PERSONAL, _alipay_personal),
    Layout("alipay_personal", "alipay", ALIPAY_PERSONAL_OLD, _alipay_personal),
)


def layout_of(header: list[str]) -> Layout | None:
    """The layout whose identifying columns this row holds, if any."""
    names = {key(label) for label in header}
    return next((layout for layout in LAYOUTS if layout.identify <= names), None)
