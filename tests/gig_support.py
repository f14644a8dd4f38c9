"""Building gig test data through the real services: staff, people, employers, orders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import count

from sqlalchemy import Engine, text
from sqlmodel import select

from db.models import Staff
from db.session import reading
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.domain.gig_rules import OrderInput
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.services.acting import Actor
from frontdesk.services.employers import EmployerInput, add_employer
from frontdesk.services.gigs import create_order
from frontdesk.services.seekers import register
from tests.conftest import FIXED_NOW

TODAY = date(2026, 11, 26)  # FIXED_NOW's business day, a Thursday
CEILING_FEN = 2_000_000
_sequence = count(1)


@dataclass(frozen=True)
class Desk:
    engine: Engine
    manager: Actor
    clerk: Actor
    employer_id: uuid.UUID


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    """A local Jiangmen time on `day`, as the aware UTC instant services take."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(UTC)


def gig_desk(engine: Engine, employer: str = "恒达五金制品厂") -> Desk:
    with reading(engine) as s:
        staff = {st.role: st.id for st in s.exec(select(Staff))}
    manager, clerk = Actor("HS01", staff["manager"]), Actor("HS01", staff["clerk"])
    made = add_employer(engine, manager, EmployerInput(name=employer), FIXED_NOW)
    return Desk(engine, manager, clerk, made.id)


def person(
    desk: Desk,
    name: str = "张三",
    jobs: tuple[str, ...] = ("包装",),
    skills: str = "",
    availability: str = "",
) -> uuid.UUID:
    """A registered, active job seeker; each call makes a new ID number and phone."""
    n = next(_sequence)
    raw = SeekerInput(
        name=name,
        id_number=make_id("440703", date(1985, 1, 1 + n % 28), n % 1000),
        phone=f"139{n:08d}",
        skills=skills,
        desired_jobs=[(job, "", "") for job in jobs],
        availability=availability,
        consent=True,
    )
    return register(desk.engine, desk.clerk, raw, FIXED_NOW).id


def order(desk: Desk, **fields: object) -> uuid.UUID:
    """An order for today 09:00–12:00, 3 people, piece rate 0.355 yuan a 件, unless told."""
    raw = OrderInput(
        employer_id=desk.employer_id,
        job_type="包装",
        place="白沙社区小社微工厂",
        work_date=TODAY,
        shift_start="09:00",
        shift_end="12:00",
        headcount="3",
        pay_mode="piece",
        rate="0.355",
        unit="件",
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return create_order(desk.engine, desk.clerk, raw, FIXED_NOW, CEILING_FEN).id


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table that a refused action must leave alone (outbox included)."""
    tables = ("gig_orders", "gig_assignments", "payments", "audit_log", "outbox", "people")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def versions(engine: Engine, table: str) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, row_version FROM {table}")).all()
    return {str(i): v for i, v in rows}
