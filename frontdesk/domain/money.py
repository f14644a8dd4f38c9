"""Money is integer fen everywhere; this formats it for people without ever using float."""

from __future__ import annotations

from db.vocabulary import PAYMENT_METHODS as METHODS  # noqa: F401  (the money's home names it)


def fmt_fen(fen: int, symbol: str = "¥") -> str:
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"
