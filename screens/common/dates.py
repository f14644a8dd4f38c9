"""A business day as every screen names it: the date and its weekday."""

from __future__ import annotations

from datetime import date

from frontdesk.i18n import t


def day_label(day: date) -> str:
    return f"{day.isoformat()} {t(f'weekday.{day.weekday()}')}"


def short_day_label(day: date) -> str:
    """The same day without its year, for a status bar that has little room."""
    return f"{day:%m-%d} {t(f'weekday.{day.weekday()}')}"
