"""A desk's group activities with fixed names, phones and times, for the session screens'
Pilot and snapshot tests: a class today with four enrolled, a paid course (full, one
waiting, its first meeting ticked), a job fair and an event to come."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import select

from db.models import Person, Staff
from db.session import reading
from frontdesk.domain.session_rules import MeetingInput, SessionInput
from frontdesk.services import enrolment, session_attendance, sessions
from frontdesk.services.acting import Actor
from frontdesk.services.enrolment import ResidentInput
from tests.activity_support import course_input, service_id
from tests.conftest import FIXED_NOW
from tests.gig_support import CEILING_FEN


@dataclass(frozen=True)
class ActivityDay:
    engine: Engine
    clerk: Actor
    lesson: uuid.UUID
    lesson_meeting: uuid.UUID
    course: uuid.UUID
    people: list[uuid.UUID]


def one_day(engine: Engine, kind: str, code: str, title: str, day: str, hours=("14:00", "16:00")):
    return SessionInput(
        kind=kind,
        title=title,
        service_id=service_id(engine, code),
        starts_on=day,
        place="二楼活动室",
        runner="白沙社区",
        capacity="20" if kind == "class" else "",
        meetings=[MeetingInput(day, *hours)],
    )


def activity_day(engine: Engine) -> ActivityDay:
    with reading(engine) as s:
        clerk = Actor("HS01", s.exec(select(Staff.id).where(Staff.role == "clerk")).one())
        people = list(s.exec(select(Person.id).order_by(Person.id)))
    make = sessions.create_session
    lesson = make(
        engine,
        clerk,
        one_day(engine, "class", "GY01", "插花公益课堂", "2026-11-26"),
        FIXED_NOW,
        CEILING_FEN,
    )
    for person in people[:4]:
        enrolment.enrol(engine, clerk, lesson.id, FIXED_NOW, person_id=person)
    course = make(engine, clerk, course_input(engine), FIXED_NOW, CEILING_FEN)
    enrolment.enrol(engine, clerk, course.id, FIXED_NOW, person_id=people[4], method="cash")
    enrolment.enrol(
        engine,
        clerk,
        course.id,
        FIXED_NOW,
        resident=ResidentInput("黄阿姨", "13700001234"),
        method="wechat",
    )
    enrolment.enrol(engine, clerk, course.id, FIXED_NOW, person_id=people[5])
    first = sessions.list_meetings(engine, "HS01", course.id)[0].id
    session_attendance.tick_all(engine, clerk, first, FIXED_NOW)
    make(
        engine,
        clerk,
        one_day(engine, "job_fair", "LG06", "冬季专场招聘会", "2026-11-28", ("09:00", "12:00")),
        FIXED_NOW,
        CEILING_FEN,
    )
    make(
        engine,
        clerk,
        one_day(engine, "event", "GY02", "冬至包饺子", "2026-12-21", ("09:30", "11:30")),
        FIXED_NOW,
        CEILING_FEN,
    )
    meeting = sessions.list_meetings(engine, "HS01", lesson.id)[0].id
    return ActivityDay(engine, clerk, lesson.id, meeting, course.id, people)


@dataclass(frozen=True)
class FairDay:
    fair: uuid.UUID
    meeting: uuid.UUID
    packer: uuid.UUID  # a posting brought to the fair
    people: list[uuid.UUID]


def fair_day(engine: Engine) -> FairDay:
    """A job fair today with two employers and three postings, three attendees ticked, three
    referrals made there (one reached an intention), and a third employer not taking part."""
    from frontdesk.services import employers, fairs, postings, referrals
    from frontdesk.services.employers import EmployerInput
    from tests.activity_support import fair, posting_input

    with reading(engine) as s:
        clerk = Actor("HS01", s.exec(select(Staff.id).where(Staff.role == "clerk")).one())
        people = list(s.exec(select(Person.id).order_by(Person.id)))
    made = fair(engine, clerk, title="冬季招聘会（白沙站）")
    firm, home, shop = (
        employers.add_employer(engine, clerk, EmployerInput(name=name), FIXED_NOW).id
        for name in ("恒达五金制品厂", "蓬江家政服务公司", "白沙电商")
    )

    def post(employer: uuid.UUID, title: str, job: str, n: str) -> uuid.UUID:
        raw = posting_input(title=title, job_type=job, positions=n)
        return postings.add_posting(engine, clerk, employer, raw, FIXED_NOW).id

    packer, checker = post(firm, "包装工", "包装", "2"), post(firm, "质检员", "质检", "1")
    cleaner = post(home, "保洁员", "保洁", "3")
    post(shop, "直播助理", "直播", "2")
    for posting in (packer, checker, cleaner):
        fairs.add_posting(engine, clerk, made.id, posting, FIXED_NOW)
    for person in people[:3]:
        session_attendance.add_walk_up(engine, clerk, made.meetings[0], FIXED_NOW, person_id=person)
    sent = [
        referrals.refer(engine, clerk, posting, person, FIXED_NOW, session_id=made.id)
        for posting, person in ((packer, people[0]), (packer, people[1]), (cleaner, people[2]))
    ]
    referrals.record_outcome(engine, clerk, sent[0].id, "intention", FIXED_NOW)
    return FairDay(made.id, made.meetings[0], packer, people)
