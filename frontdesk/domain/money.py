"""Money is integer fen everywhere; this formats it for people without ever using float."""

from __future__ import annotations


def fmt_fen(fen: int, symbol: str = "¥") -> str:
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"
