"""What a spreadsheet cell holds, as the text a person sees: one home for the sheet readers
(sheet_files) and the fast XLSX reader (xlsx_rows), which each give an import these texts."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

EXACT_DIGITS = 10**15  # Excel keeps 15 significant digits: a longer number lost its tail


class LossyNumber(str):
    """Digits of a numeric cell too long for Excel to have kept exactly (an 18-digit ID)."""


class Uncalculated(str):
    """A formula cell saved without its value (written by a program, never opened in Excel):
    its text is empty, but the row is not blank."""


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 13800138000, not 13800138000.0 or 1.38e10."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        shown = Decimal(repr(value))  # the shortest decimal that is this float, as Excel shows
        if not value.is_integer():
            return format(shown, "f")
        digits = str(int(shown))
        return LossyNumber(digits) if abs(value) >= EXACT_DIGITS else digits
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
