"""Column types and constraints behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from db.migrate import StoreError, open_store
from db.models import (
    AuditLog,
    Closeout,
    Employer,
    GigOrder,
    Payment,
    Service,
    Site,
    Staff,
    SyncedRow,
)
from db.session import reading, writing
from db.types import new_id, new_ids

DAY = date(2026, 11, 26)
AT = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))
T = TypeVar("T", bound=SyncedRow)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        target: str | Path = tmp_path / "desk.sqlite3"
    else:
        target = request.getfixturevalue("pg_head_url")
    engine, _ = open_store(target)
    yield engine
    engine.dispose()


@dataclass(frozen=True)
class Refs:
    staff_id: uuid.UUID
    service_id: uuid.UUID
    employer_id: uuid.UUID


@pytest.fixture
def refs(store: Engine) -> Refs:
    """The reference rows that money and gig rows point at."""
    staff = Staff(site_code="HS01", name="陈主任", role="manager")
    service = Service(
        site_code="HS01", code="S1", name_zh="理疗", name_en="Therapy", line="wellness"
    )
    employer = Employer(site_code="HS01", name="白沙制衣厂")
    with writing(store) as s:
        s.add_all([Site(site_code="HS01", code="HS01", name="白沙社区"), staff, service, employer])
    return Refs(staff.id, service.id, employer.id)


def payment(refs: Refs, **kw: object) -> Payment:
    values: dict[str, object] = {
        "site_code": "HS01",
        "business_date": DAY,
        "received_at": AT,
        "amount_fen": 3000,
        "method": "cash",
        "service_id": refs.service_id,
        "staff_id": refs.staff_id,
    }
    return Payment(**(values | kw))


def gig_order(refs: Refs, rate: object) -> GigOrder:
    return GigOrder(
        site_code="HS01",
        employer_id=refs.employer_id,
        job_type="包装",
        work_date=DAY,
        shift_start=time(8),
        shift_end=time(17),
        headcount=3,
        pay_mode="piece",
        rate_fen=rate,  # type: ignore[arg-type]
    )


def reload(engine: Engine, cls: type[T], row_id: uuid.UUID) -> T:
    """A fresh read from the database, never the identity map."""
    with reading(engine) as s:
        row = s.get(cls, row_id)
    assert row is not None
    return row


def count(engine: Engine, cls: type[SyncedRow]) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(cls)).scalar_one()


# --- identity ---------------------------------------------------------------------------


def test_ids_are_uuid7_and_increase() -> None:
    ids = [new_id() for _ in range(2000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    rows = [AuditLog(site_code="HS01", action="x") for _ in range(50)]
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert {r.id.version for r in rows} == {7}


def test_a_batch_of_ids_is_uuid7_and_sorts_between_the_ids_around_it() -> None:
    before = new_id()
    batches = [new_ids(1000), new_ids(1), new_ids(3)]
    after = new_id()
    ids = [before, *(i for batch in batches for i in batch), after]
    assert {i.version for i in ids} == {7} and {i.variant for i in ids} == {uuid.RFC_4122}
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == 1006
    assert new_ids(0) == []


# --- datetimes --------------------------------------------------------------------------


def test_aware_datetime_round_trips_as_the_same_utc_instant(store: Engine) -> None:
    local = datetime(2026, 11, 26, 10, 30, 15, 123456, tzinfo=BEIJING)
    entry = AuditLog(site_code="HS01", action="sign_in", at=local)
    with writing(store) as s:
        s.add(entry)
    got = reload(store, AuditLog, entry.id)
    assert got.at == local
    assert got.at.tzinfo is UTC
    assert got.at == datetime(2026, 11, 26, 2, 30, 15, 123456, tzinfo=UTC)
    assert got.created_at.tzinfo is UTC

    with store.connect() as conn:
        if store.dialect.name == "sqlite":  # stored as UTC text, so text order is time order
            raw = conn.execute(text("SELECT at FROM audit_log")).scalar_one()
            assert raw == "2026-11-26 02:30:15.123456"
        else:  # a session in another zone still reads the same instant
            conn.exec_driver_sql("SET TIME ZONE 'America/New_York'")
            assert conn.execute(select(AuditLog.at)).scalar_one() == local


def test_naive_datetime_is_rejected(store: Engine) -> None:
    with pytest.raises(StatementError, match="naive datetime"), writing(store) as s:
        s.add(AuditLog(site_code="HS01", action="x", at=datetime(2026, 11, 26, 10, 30)))
    assert count(store, AuditLog) == 0


# --- money and exact rates ----------------------------------------------------------------


def test_money_holds_more_than_32_bits(store: Engine, refs: Refs) -> None:
    big = 2**40 + 7  # fen: about 11 billion yuan
    entry = payment(refs, amount_fen=big)
    refund = payment(refs, amount_fen=-big, reverses_id=entry.id)
    close = Closeout(  # another day: a closed day's entries could not be written after it
        site_code="HS01",
        business_date=DAY - timedelta(days=1),
        hash="0" * 64,
        closed_by=refs.staff_id,
        income_fen=2**33,
        expected_fen={"cash": 2**35},
    )
    with writing(store) as s:
        s.add(entry)
        s.flush()
        s.add_all([refund, close])
    assert reload(store, Payment, entry.id).amount_fen == big
    assert reload(store, Payment, refund.id).amount_fen == -big
    got = reload(store, Closeout, close.id)
    assert (got.income_fen, got.expected_fen) == (2**33, {"cash": 2**35})


def test_rate_decimal_round_trips_exactly(store: Engine, refs: Refs) -> None:
    rates = ["0.3333", "12.50", "0.00001", "150"]
    orders = [gig_order(refs, Decimal(rate)) for rate in rates]
    with writing(store) as s:
        s.add_all(orders)
    got = [reload(store, GigOrder, order.id).rate_fen for order in orders]
    assert all(isinstance(g, Decimal) for g in got)
    assert [str(g) for g in got] == rates  # exact, trailing zeros kept


def test_rate_refuses_a_float(store: Engine, refs: Refs) -> None:
    with pytest.raises(StatementError, match="Decimal required"), writing(store) as s:
        s.add(gig_order(refs, 0.3333))
    assert count(store, GigOrder) == 0


# --- constraints ------------------------------------------------------------------------


def test_payment_method_must_be_known(store: Engine, refs: Refs) -> None:
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(payment(refs, method="bitcoin"))
    assert count(store, Payment) == 0


def test_service_price_cannot_be_negative(store: Engine, refs: Refs) -> None:
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(
            Service(
                site_code="HS01",
                code="S2",
                name_zh="理发",
                name_en="Haircut",
                line="wellness",
                default_price_fen=-1,
            )
        )
    assert count(store, Service) == 1


def test_staff_role_must_be_known(store: Engine) -> None:
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(Staff(site_code="HS01", name="王", role="admin"))
    assert count(store, Staff) == 0


def test_one_closeout_per_site_and_day(store: Engine, refs: Refs) -> None:
    def close(site: str, day: date) -> Closeout:
        return Closeout(site_code=site, business_date=day, hash="0" * 64, closed_by=refs.staff_id)

    with writing(store) as s:
        s.add_all([close("HS01", DAY), close("HS02", DAY), close("HS01", DAY + timedelta(1))])
    # The closed-day trigger refuses a second close-out of a closed day before the unique key
    # does (since revision 0011: a REPLACE by that key would push the first one out).
    with pytest.raises(StoreError) as refused, writing(store) as s:
        s.add(close("HS01", DAY))
    assert refused.value.code == "day_closed"
    assert count(store, Closeout) == 3


def test_foreign_keys_are_enforced(store: Engine, refs: Refs) -> None:
    with pytest.raises(IntegrityError), writing(store) as s:
        s.add(payment(refs, staff_id=uuid.uuid4()))
    assert count(store, Payment) == 0


# --- the SQLite engine ----------------------------------------------------------------------


def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    engine, _ = open_store(tmp_path / "desk.sqlite3")
    try:
        with engine.connect() as first, engine.connect() as second:
            for conn in (first, second):
                names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
                got = {
                    name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                    for name in (*names, "recursive_triggers")
                }
                assert got == {
                    "journal_mode": "wal",
                    "synchronous": 2,
                    "foreign_keys": 1,
                    "busy_timeout": 5000,
                    "recursive_triggers": 1,  # a REPLACE's delete fires delete triggers
                }
    finally:
        engine.dispose()
