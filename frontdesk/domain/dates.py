"""Dates as people write them on paper and in office spreadsheets, read one way everywhere.

2026-11-03, 2026/11/3, 2026.11.3 and 2026年11月3日 are the same day; a year and month alone
(1990-05, 1990年5月) is what a 出生年月 column holds. A recorded day before EARLIEST_DAY is
a typing slip (0001-01-01, 1900-01-01), not a day the desk was open.
"""

from __future__ import annotations

import re
from datetime import date

from frontdesk.domain.forms import nfkc
from frontdesk.errors import UserError

EARLIEST_DAY = date(2000, 1, 1)  # before any desk ran: a recorded day earlier is a mistake

_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "2026-11-03 00:00:00" from a system
_DAY = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME
    + r"|(?P<cy>\d{4})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号]?" + _TIME
)  # fmt: skip
_MONTH = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})|(?P<cy>\d{4})\s*年\s*(?P<cm>\d{1,2})\s*月?"
)


def parse_day(raw: object, field: str) -> date | None:
    """A written date; blank is None; anything else is a refusal at `field`."""
    text = nfkc(raw)
    if not text:
        return None
    found = _DAY.fullmatch(text)
    try:
        if found is None:
            raise ValueError(text)
        year, month, day = (found["y"] or found["cy"], found["m"] or found["cm"],
                            found["d"] or found["cd"])  # fmt: skip
        return date(int(year), int(month), int(day))
    except ValueError:
        raise UserError("seeker_io.bad_date", field=field) from None


def parse_year_month(raw: object, field: str) -> tuple[int, int] | None:
    """A year and month (1990-05, 1990/5, 1990年5月), or a full date's year and month."""
    text = nfkc(raw)
    if not text:
        return None
    found = _MONTH.fullmatch(text)
    if found is None:
        day = parse_day(text, field)
        return None if day is None else (day.year, day.month)
    year, month = int(found["y"] or found["cy"]), int(found["m"] or found["cm"])
    if not 1 <= month <= 12:
        raise UserError("seeker_io.bad_date", field=field)
    return year, month


def check_recorded(day: date, field: str) -> date:
    """A day something happened at the desk: not before EARLIEST_DAY."""
    if day < EARLIEST_DAY:
        raise UserError("dates.too_early", field=field, earliest=EARLIEST_DAY.isoformat())
    return day
