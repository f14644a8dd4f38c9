"""Money is integer fen everywhere; this formats it for people without ever using float."""

from __future__ import annotations

from decimal import Decimal

from db.vocabulary import PAYMENT_METHODS as METHODS  # noqa: F401  (the money's home names it)


def fmt_fen(fen: int, symbol: str = "¥") -> str:
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"


def decimal_places(value: Decimal) -> int:
    """Digits after the point as written ('1.50': 2, '1E+2': -2); 0 for NaN and infinity,
    which callers refuse before asking."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0
