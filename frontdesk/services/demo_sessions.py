"""The demo's group activities, made through the session services as the desk makes them:
classes on Tuesday and Thursday afternoons (people enrolled and ticked, walk-ups, people
counted), a Saturday event counted at the door, a job fair every other Friday (employers
bringing their open postings, attendees, referrals made there and what came of them) and
two skills courses (one finished with its completion stamped, one running into next week).

A random stream of its own, so the rest of the demo is the same with or without it.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from db.models import Person, Service, Staff
from db.session import reading
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.domain.session_rules import MeetingInput, SessionInput
from frontdesk.errors import UserError
from frontdesk.services import (
    enrolment,
    fairs,
    postings,
    referrals,
    session_attendance,
    sessions,
)
from frontdesk.services.acting import Actor
from frontdesk.services.demo_jobs import outcomes

CEILING_FEN = 2_000_000
CLASS_TITLES = ("插花公益课堂", "智能手机课堂", "防诈骗讲座", "中医养生讲座", "书法课堂")
EVENT_TITLES = ("周末义剪", "亲子手工活动", "社区电影夜", "健康义诊")


def activities(engine: Engine, rng: random.Random, site: str, days: list[date]) -> dict:
    """Sessions over the desk days (the last is today); returns how many of each were made."""
    with reading(engine) as s:
        staff = [x.id for x in s.exec(select(Staff).where(Staff.site_code == site))]
        people = s.exec(
            select(Person).where(Person.site_code == site).order_by(col(Person.id))
        ).all()
        codes = {svc.code: svc.id for svc in s.exec(select(Service))}
    ctx = _Demo(engine, rng, site, staff, list(people), codes, days[-1])
    for day in days:
        if day.weekday() in (1, 3):
            ctx.lesson(day)
        elif day.weekday() == 5:
            ctx.event(day)
        elif day.weekday() == 4 and day.isocalendar().week % 2 == 0:
            ctx.fair(day)
    ctx.course(days[0] + timedelta(days=7), done=True)
    ctx.course(days[-1] - timedelta(days=3), done=False)
    return {
        "sessions": ctx.made,
        "fair_referrals": ctx.fair_referrals,
        "placements": ctx.placements,
    }


class _Demo:
    def __init__(
        self,
        engine: Engine,
        rng: random.Random,
        site: str,
        staff: list[uuid.UUID],
        people: list[Person],
        codes: dict[str, uuid.UUID],
        today: date,
    ) -> None:
        self.engine, self.rng, self.site, self.staff = engine, rng, site, staff
        self.people, self.codes, self.today = people, codes, today
        self.made = 0
        self.fair_referrals = 0
        self.placements = 0

    def actor(self) -> Actor:
        return Actor(self.site, self.rng.choice(self.staff))

    def known(self, day: date, n: int) -> list[uuid.UUID]:
        pool = [p.id for p in self.people if p.registered_on <= day and p.status == "active"]
        return self.rng.sample(pool, min(n, len(pool)))

    def plan(self, kind: str, code: str, title: str, meetings: list[tuple[date, str, str]], **kw):
        actor = self.actor()
        first, last = meetings[0][0], meetings[-1][0]
        raw = SessionInput(
            kind=kind,
            title=title,
            service_id=self.codes[code],
            starts_on=first,
            ends_on=last,
            place=kw.get("place", "二楼活动室"),
            runner=kw.get("runner", "白沙社区"),
            capacity=kw.get("capacity", ""),
            completion_hours=kw.get("hours", ""),
            meetings=[MeetingInput(d, a, b) for d, a, b in meetings],
        )
        made = sessions.create_session(
            self.engine, actor, raw, _at(first - timedelta(days=7), 9), CEILING_FEN
        )
        self.made += 1
        return made, sessions.list_meetings(self.engine, self.site, made.id)

    def finish(self, session_id: uuid.UUID, last: date) -> None:
        if last < self.today:
            sessions.set_status(self.engine, self.actor(), session_id, "done", _at(last, 18))

    def lesson(self, day: date) -> None:
        title = self.rng.choice(CLASS_TITLES)
        code = "GY03" if "中医" in title or "手机" in title else "GY01"
        made, (meeting,) = self.plan("class", code, title, [(day, "15:00", "16:30")], capacity="30")
        actor = self.actor()
        signed_up = self.known(day, self.rng.randint(4, 10))
        for person in signed_up:
            enrolment.enrol(
                self.engine, actor, made.id, _at(day - timedelta(days=2), 10), person_id=person
            )
        at = _at(day, 15, 5)
        session_attendance.tick_all(self.engine, actor, meeting.id, at)
        rows = session_attendance.roster(self.engine, self.site, meeting.id)
        for row in rows[: self.rng.randint(0, 2)]:  # a few did not come after all
            assert row.enrolment_id is not None
            session_attendance.set_present(
                self.engine, actor, meeting.id, row.enrolment_id, False, at
            )
        others = [p for p in self.known(day, 3) if p not in signed_up]
        for person in others[: self.rng.randint(0, 2)]:
            session_attendance.add_walk_up(self.engine, actor, meeting.id, at, person_id=person)
        heads = str(self.rng.randint(3, 15))
        session_attendance.set_headcount(self.engine, actor, meeting.id, heads, at)
        self.finish(made.id, day)

    def event(self, day: date) -> None:
        title = self.rng.choice(EVENT_TITLES)
        code = "GY04" if "亲子" in title else "GY02"
        made, (meeting,) = self.plan("event", code, title, [(day, "09:30", "11:30")])
        actor, at = self.actor(), _at(day, 9, 40)
        for person in self.known(day, self.rng.randint(2, 5)):
            session_attendance.add_walk_up(self.engine, actor, meeting.id, at, person_id=person)
        heads = str(self.rng.randint(10, 40))
        session_attendance.set_headcount(self.engine, actor, meeting.id, heads, at)
        self.finish(made.id, day)

    def fair(self, day: date) -> None:
        if day > self.today:
            return
        made, (meeting,) = self.plan(
            "job_fair",
            "LG06",
            f"{day.month}月就业招聘会",
            [(day, "09:00", "12:00")],
            place="社区广场",
        )
        actor, at = self.actor(), _at(day, 9, 10)
        offered = [
            p
            for p in postings.list_postings(self.engine, self.site, day, status="open", limit=40)
            if p.valid_from <= day
        ]
        brought = self.rng.sample(offered, min(len(offered), self.rng.randint(3, 6)))
        for posting in brought:  # every one is open today: none is refused
            fairs.add_posting(self.engine, actor, made.id, posting.id, _at(day, 8, 30))
        there = self.known(day, self.rng.randint(6, 12))
        for person in there:
            session_attendance.add_walk_up(self.engine, actor, meeting.id, at, person_id=person)
        heads = str(self.rng.randint(30, 90))
        session_attendance.set_headcount(self.engine, actor, meeting.id, heads, at)
        for person in there:
            if not brought or self.rng.random() < 0.4:
                continue
            posting = self.rng.choice(brought)
            when = _at(day, 10, self.rng.randint(0, 110))
            try:
                ref = referrals.refer(
                    self.engine, actor, posting.id, person, when, session_id=made.id
                )
            except UserError:  # referred to it before, or its places are taken
                continue
            self.fair_referrals += 1
            self.placements += outcomes(self.engine, self.rng, actor, ref.id, day, self.today)
        self.finish(made.id, day)

    def course(self, first: date, done: bool) -> None:
        """Six afternoons over two weeks (Monday, Wednesday, Friday), 12 hours to complete
        of the 15; free, as the plan's subsidised courses are."""
        monday = first - timedelta(days=first.weekday())
        days = [monday + timedelta(days=w * 7 + d) for w in (0, 1) for d in (0, 2, 4)]
        code, title = self.rng.choice((("JN01", "家政服务员培训"), ("JN05", "电子商务培训")))
        made, meetings = self.plan(
            "course",
            code,
            f"{title}（{monday.month}月班）",
            [(d, "14:00", "16:30") for d in days],
            capacity="12",
            hours="12",
            place="二楼培训室",
            runner="启航职业培训学校",
        )
        actor = self.actor()
        for person in self.known(monday, 14):  # two beyond the places wait
            enrolment.enrol(
                self.engine, actor, made.id, _at(monday - timedelta(days=3), 9), person_id=person
            )
        for meeting in meetings:
            if meeting.meeting_date > self.today:
                break
            at = _at(meeting.meeting_date, 14, 5)
            session_attendance.tick_all(self.engine, actor, meeting.id, at)
            rows = session_attendance.roster(self.engine, self.site, meeting.id)
            absent = self.rng.sample(rows, min(len(rows), self.rng.randint(0, 3)))
            for row in absent:
                assert row.enrolment_id is not None
                session_attendance.set_present(
                    self.engine, actor, meeting.id, row.enrolment_id, False, at
                )
        if done:
            self.finish(made.id, days[-1])


def _at(day: date, hour: int, minutes: int = 0) -> datetime:
    """A local time on `day`, as the UTC instant the services take."""
    local = datetime.combine(day, time(hour), LOCAL_TZ) + timedelta(minutes=minutes)
    return local.astimezone(UTC)
