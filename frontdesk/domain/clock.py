"""Time at the desk: stored instants are UTC, the business day is the district's local date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def business_date(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def local_time(now: datetime) -> datetime:
    return now.astimezone(LOCAL_TZ)
