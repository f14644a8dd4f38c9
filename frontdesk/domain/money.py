"""Money's one home: integer fen, read from and written as yuan, shares in basis points.

Every amount in the product is an int of fen; this module alone turns typed yuan into fen,
fen into text, and basis points into percentages, always exactly (Decimal or integer
arithmetic, never float).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from db.vocabulary import PAYMENT_METHODS as METHODS
from frontdesk.domain.forms import nfkc
from frontdesk.errors import UserError

# What people write on paper or type for a payment method: codes, Chinese and English names.
METHOD_NAMES = {
    "现金": "cash", "微信": "wechat", "微信支付": "wechat", "支付宝": "alipay",
    "银联": "unionpay", "银联卡": "unionpay", "刷卡": "unionpay", "数字人民币": "ecny",
    "e-cny": "ecny", "ecny": "ecny", "wechat pay": "wechat",
}  # fmt: skip
PLAIN_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)  # yuan as people write it
MAX_PAY_FEN = 10_000_000  # 100,000 yuan: the default ceiling of a typed amount without a setting


def ceiling_of(ceiling_yuan: int) -> int:
    """The configured amount ceiling (whole yuan) in fen."""
    return ceiling_yuan * 100


def decimal_places(value: Decimal) -> int:
    """Digits after the point as written ('1.50': 2, '1E+2': -2); 0 for NaN and infinity,
    which callers refuse before asking."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


# --- reading ----------------------------------------------------------------------------------


def parse_yuan(raw: object, field_name: str, ceiling_fen: int = MAX_PAY_FEN) -> int | None:
    """Yuan with at most two decimals to integer fen, exactly; blank is None."""
    text = nfkc(raw).replace(",", "").removeprefix("¥")
    if not text:
        return None
    if not PLAIN_DECIMAL.fullmatch(text):  # not 1e2, 1_000, NaN: what Decimal also reads
        raise UserError("money.format", field=field_name)
    amount = Decimal(text)
    if decimal_places(amount) > 2:
        raise UserError("money.format", field=field_name)
    if amount < 0:
        raise UserError("money.negative", field=field_name)
    fen = int(amount * 100)
    if fen > ceiling_fen:
        raise UserError("money.too_large", field=field_name)
    return fen


# Cash is taken in whole jiao (角): fen coins are out of use, no drawer can give fen change,
# and the count goes down to the 1-jiao coin (services/closeout.DENOMINATIONS_FEN).
CASH_STEP_FEN = 10


def check_cash_jiao(fen: int, method: str, field: str = "amount") -> None:
    """A cash amount with odd fen is refused at its field (mobile payments keep their fen)."""
    if method == "cash" and fen % CASH_STEP_FEN:
        raise UserError("money.cash_jiao", field=field, amount=fmt_fen(fen))


MINUS = "-－−"  # ASCII, full-width (a Chinese IME) and the typographic minus


def parse_signed_yuan(raw: str, field: str, ceiling_fen: int = MAX_PAY_FEN) -> int | None:
    """Yuan to fen exactly (`parse_yuan`); a leading minus makes it a correction."""
    text = raw.strip()
    negative = text[:1] in MINUS if text else False
    fen = parse_yuan(text[1:] if negative else text, field, ceiling_fen)
    if fen is None:
        return None
    return -fen if negative else fen


def parse_percent(raw: str, field: str) -> int | None:
    """'20', '20%' or '12.5' percent as basis points, exactly; blank is None."""
    text = nfkc(raw).removesuffix("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UserError("hq.bad_percent", field=field) from None
    if not value.is_finite() or decimal_places(value) > 2:
        raise UserError("hq.bad_percent", field=field)
    if value < 0 or value > 100:
        raise UserError("hq.bad_percent", field=field)
    return int(value * 100)


def clean_method(raw: object, field: str = "method") -> str:
    """A payment method's code from its code or a name people write; blank is ""."""
    text = nfkc(raw).lower()
    if not text:
        return ""
    method = text if text in METHODS else METHOD_NAMES.get(text, "")
    if not method:
        raise UserError("walkin.unknown_method", field=field)
    return method


# --- writing ----------------------------------------------------------------------------------


def fmt_fen(fen: int, symbol: str = "¥") -> str:
    """For people: '¥1,234.50', '-¥45.00'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{symbol}{whole:,}.{cents:02d}"


def yuan_text(fen: int) -> str:
    """As a person types it and a spreadsheet reads it back: '1234.50', '-45.00'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def yuan(fen: int) -> Decimal:
    """Exact yuan for a spreadsheet cell: a shift of the decimal point, no division."""
    return Decimal(fen).scaleb(-2)


def percent_text(bp: int) -> str:
    """Basis points as a percentage, exactly: 2000 -> '20%', 1250 -> '12.5%'."""
    whole, rest = divmod(bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"


# --- arithmetic -------------------------------------------------------------------------------


def split(amount_fen: int, rate_bp: int) -> int:
    """amount × rate, rounded once, half up (away from zero), to the fen.

    In integers, exactly as Decimal's ROUND_HALF_UP would (tests/test_closeout.py compares
    the two), several times faster: head office verifies a year of every site's days.
    """
    exact = amount_fen * rate_bp
    whole, rest = divmod(abs(exact), 10000)
    whole += 2 * rest >= 10000
    return whole if exact >= 0 else -whole
