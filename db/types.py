"""Column types and default factories shared by every table."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import uuid6
from sqlalchemy.types import DateTime, String, TypeDecorator


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7: ids made offline at 26 desks never clash and sort by creation."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)


def new_ids(count: int) -> list[uuid.UUID]:
    """`count` new ids as new_id makes them, for a batch of rows, with one draw of random
    bytes: new_id's millisecond (which also orders every id made after these), then 74
    random bits each, sorted, so the batch's ids still sort by creation."""
    if count <= 0:
        return []
    stamp = uuid6.uuid7().int >> 80
    data = os.urandom(10 * count)
    tails = sorted(int.from_bytes(data[i : i + 10]) >> 6 for i in range(0, 10 * count, 10))
    # version 7 above rand_a's 12 bits, variant 0b10 above rand_b's 62 bits
    head = (stamp << 80) | (7 << 76)
    low = (1 << 62) - 1
    return [uuid.UUID(int=head | (t >> 62) << 64 | 2 << 62 | (t & low)) for t in tails]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes: naive UTC text on SQLite, timestamptz on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals (piece rates below one fen) kept as text: SQLite has no exact NUMERIC."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"Decimal required, got {type(value).__name__}")
        return format(value, "f")

    def process_result_value(self, value: str | None, dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


# Reference rows a desk may make before head office's copy reaches it (its site, the default
# catalogue) get the same id everywhere, so the central version replaces the local one.
REFERENCE_NAMESPACE = uuid.UUID("5f0c2d4e-8a43-4c1e-9b7a-3d2f6e1a9c55")


def reference_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{key}")
