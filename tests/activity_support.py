"""Building group-activity test data through the real services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import select

from db.models import Service
from db.session import reading
from frontdesk.domain.job_rules import PostingInput
from frontdesk.domain.session_rules import MeetingInput, SessionInput
from frontdesk.services.acting import Actor
from frontdesk.services.sessions import create_session, list_meetings
from tests.conftest import FIXED_NOW
from tests.gig_support import CEILING_FEN, Desk


def service_id(engine: Engine, code: str) -> uuid.UUID:
    with reading(engine) as s:
        return s.exec(select(Service.id).where(Service.code == code)).one()


def course_input(engine: Engine, **fields: object) -> SessionInput:
    """A paid e-commerce course (JN06, 300 yuan, the school's) of three 2-hour meetings."""
    raw = SessionInput(
        kind="course",
        title="直播营销培训第3期",
        service_id=service_id(engine, "JN06"),
        starts_on="2026-11-26",
        ends_on="2026-11-28",
        place="二楼培训室",
        runner="启航职业培训学校",
        capacity="2",
        fee="300",
        completion_hours="4",
        meetings=[MeetingInput(f"2026-11-{day}", "14:00", "16:00") for day in (26, 27, 28)],
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


@dataclass(frozen=True)
class Course:
    id: uuid.UUID
    meetings: list[uuid.UUID]


def course(desk: Desk, actor: Actor | None = None, **fields: object) -> Course:
    made = create_session(
        desk.engine,
        actor or desk.clerk,
        course_input(desk.engine, **fields),
        FIXED_NOW,
        CEILING_FEN,
    )
    meetings = list_meetings(desk.engine, "HS01", made.id)
    return Course(made.id, [m.id for m in meetings])


def fair_input(engine: Engine, **fields: object) -> SessionInput:
    """A free job fair (LG06) on 2026-11-26, 09:00–12:00 in the courtyard."""
    raw = SessionInput(
        kind="job_fair",
        title="冬季招聘会",
        service_id=service_id(engine, "LG06"),
        starts_on="2026-11-26",
        ends_on="2026-11-26",
        place="社区广场",
        meetings=[MeetingInput("2026-11-26", "09:00", "12:00")],
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


def fair(engine: Engine, actor: Actor, **fields: object) -> Course:
    made = create_session(engine, actor, fair_input(engine, **fields), FIXED_NOW, CEILING_FEN)
    meetings = list_meetings(engine, actor.site_code, made.id)
    return Course(made.id, [m.id for m in meetings])


def posting_input(**fields: object) -> PostingInput:
    """Two packers at 4,000–5,000 yuan a month, open from 2026-11-20 to the year's end."""
    raw = PostingInput(
        title="包装工",
        job_type="包装",
        positions="2",
        pay_min="4000",
        pay_max="5000",
        pay_unit="月",
        valid_from="2026-11-20",
        valid_until="2026-12-31",
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw
