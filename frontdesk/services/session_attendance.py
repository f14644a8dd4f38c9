"""Attendance per meeting (签到), head counts, and a course's completion list (结业).

Ticking keeps one row per person and meeting (un-ticking sets it absent: rows are never
deleted). A walk-up is a named person who did not enrol; people counted without names (an
event's head count) are the meeting's `headcount`. Visits (人次) are both together.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import ActivitySession, Attendance, Enrolment, Person, Resident, SessionMeeting
from db.session import reading, writing
from frontdesk.domain import session_rules as rules
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.enrolment import ResidentInput, contact, who
from frontdesk.services.sessions import (
    MeetingView,
    attended_minutes,
    audit,
    list_meetings,
    own_session,
    threshold_min,
)


def tick_all(engine: Engine, actor: Actor, meeting_id: uuid.UUID, now: datetime) -> int:
    """Everyone enrolled present at the meeting, for its full length; returns how many."""
    with writing(engine) as s:
        meeting, session = _open_meeting(s, actor, meeting_id)
        enrolled = s.exec(
            select(Enrolment).where(
                Enrolment.session_id == session.id, Enrolment.status == "enrolled"
            )
        ).all()
        for e in enrolled:
            _mark(s, actor, meeting, e.person_id, e.resident_id, e.id, True)
        audit(s, actor, "session_tick_all", session.id, now, detail=str(meeting.id))
    return len(enrolled)


def set_present(
    engine: Engine,
    actor: Actor,
    meeting_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    present: bool,
    now: datetime,
) -> None:
    """Tick (or un-tick) one enrolled person at one meeting."""
    with writing(engine) as s:
        meeting, session = _open_meeting(s, actor, meeting_id)
        e = s.get(Enrolment, enrolment_id)
        if e is None or e.session_id != session.id or e.status != "enrolled":
            raise UserError("activity.enrolment_not_found", field="enrolment")
        _mark(s, actor, meeting, e.person_id, e.resident_id, e.id, present)
        audit(s, actor, "session_tick", session.id, now, detail=f"{e.id}={present}")


def add_walk_up(
    engine: Engine,
    actor: Actor,
    meeting_id: uuid.UUID,
    now: datetime,
    *,
    person_id: uuid.UUID | None = None,
    resident: ResidentInput | None = None,
) -> Attendance:
    """A named person at the meeting who did not enrol (anyone enrolled is ticked instead)."""
    with writing(engine) as s:
        meeting, session = _open_meeting(s, actor, meeting_id)
        person, res = who(s, actor, person_id, resident)
        enrolment = s.exec(
            select(Enrolment.id).where(
                Enrolment.session_id == session.id,
                Enrolment.status == "enrolled",
                Enrolment.person_id == person if person else Enrolment.resident_id == res,
            )
        ).first()
        row = _mark(s, actor, meeting, person, res, enrolment, True)
        audit(s, actor, "session_walk_up", session.id, now, detail=str(meeting.id))
    return row


def set_headcount(
    engine: Engine, actor: Actor, meeting_id: uuid.UUID, raw: object, now: datetime
) -> int:
    """People counted at the meeting without names (an event's or fair's head count)."""
    n = rules.clean_headcount(raw)
    with writing(engine) as s:
        meeting, session = _open_meeting(s, actor, meeting_id)
        meeting.headcount = n
        audit(s, actor, "session_headcount", session.id, now, detail=f"{meeting.id}={n}")
    return n


def _mark(
    s: Session,
    actor: Actor,
    meeting: SessionMeeting,
    person: uuid.UUID | None,
    res: uuid.UUID | None,
    enrolment: uuid.UUID | None,
    present: bool,
) -> Attendance:
    by = Attendance.person_id == person if person else Attendance.resident_id == res
    row = s.exec(select(Attendance).where(Attendance.meeting_id == meeting.id, by)).first()
    minutes = rules.meeting_minutes(meeting.starts_at, meeting.ends_at) if present else 0
    if row is None:
        row = Attendance(
            site_code=actor.site_code,
            meeting_id=meeting.id,
            enrolment_id=enrolment,
            person_id=person,
            resident_id=res,
        )
        s.add(row)
    elif row.present == present and row.enrolment_id == enrolment:
        return row  # as it was: no new version to sync
    row.present, row.minutes, row.enrolment_id = present, minutes, enrolment
    s.flush()
    return row


def _open_meeting(
    s: Session, actor: Actor, meeting_id: uuid.UUID
) -> tuple[SessionMeeting, ActivitySession]:
    """A meeting of an open session of this site; taking attendance starts a planned one."""
    meeting = s.get(SessionMeeting, meeting_id)
    if meeting is None or meeting.site_code != actor.site_code:
        raise UserError("activity.meeting_not_found")
    session = own_session(s, actor.site_code, meeting.session_id)
    if session.status not in rules.OPEN_STATUSES:
        raise UserError("activity.closed", field="attendance")
    if session.status == "planned":
        session.status = "running"
    return meeting, session


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """A person on a meeting's attendance list, the phone masked."""

    key: str  # the row's key: its enrolment, or the walk-up's person or resident
    enrolment_id: uuid.UUID | None  # None: a walk-up
    name: str
    phone: str
    present: bool
    minutes: int


@dataclass(frozen=True)
class MeetingSheet:
    """A meeting's register: the session's title and kind, the meeting, its people."""

    session_id: uuid.UUID
    title: str
    kind: str
    status: str
    meeting: MeetingView
    rows: list[RosterRow]


def meeting_sheet(engine: Engine, site_code: str, meeting_id: uuid.UUID) -> MeetingSheet:
    with reading(engine) as s:
        meeting = s.get(SessionMeeting, meeting_id)
        if meeting is None or meeting.site_code != site_code:
            raise UserError("activity.meeting_not_found")
        session = own_session(s, site_code, meeting.session_id)
    views = {m.id: m for m in list_meetings(engine, site_code, session.id)}
    rows = roster(engine, site_code, meeting_id)
    return MeetingSheet(
        session.id, session.title, session.kind, session.status, views[meeting_id], rows
    )


def roster(engine: Engine, site_code: str, meeting_id: uuid.UUID) -> list[RosterRow]:
    """Everyone enrolled, ticked or not, in enrolment order; then the walk-ups."""
    with reading(engine) as s:
        meeting = s.get(SessionMeeting, meeting_id)
        if meeting is None or meeting.site_code != site_code:
            raise UserError("activity.meeting_not_found")
        marks = {
            (a.person_id or a.resident_id): a
            for a in s.exec(select(Attendance).where(Attendance.meeting_id == meeting_id))
        }
        enrolled = s.exec(
            select(Enrolment, Person, Resident)
            .outerjoin(Person, col(Person.id) == Enrolment.person_id)
            .outerjoin(Resident, col(Resident.id) == Enrolment.resident_id)
            .where(Enrolment.session_id == meeting.session_id, Enrolment.status == "enrolled")
            .order_by(col(Enrolment.queue_no))
        ).all()
        rows = []
        for e, person, res in enrolled:
            mark = marks.pop(e.person_id or e.resident_id, None)
            rows.append(_roster_row(str(e.id), e.id, person, res, mark))
        for key, mark in marks.items():
            rows.append(_roster_row(str(key), None, s.get(Person, key), s.get(Resident, key), mark))
    return rows


def _roster_row(
    key: str,
    enrolment_id: uuid.UUID | None,
    person: Person | None,
    res: Resident | None,
    mark: Attendance | None,
) -> RosterRow:
    name, phone = contact(person, res)
    present = mark is not None and mark.present
    return RosterRow(key, enrolment_id, name, phone, present, mark.minutes if mark else 0)


@dataclass(frozen=True)
class CompletionRow:
    name: str  # masked
    phone: str  # masked
    attended_min: int
    completed: bool


@dataclass(frozen=True)
class CompletionList:
    title: str
    threshold_min: int
    final: bool  # the course is done: completion is stamped, no longer a preview
    rows: list[CompletionRow]

    @property
    def completed(self) -> int:
        return sum(r.completed for r in self.rows)


def completion_list(engine: Engine, site_code: str, session_id: uuid.UUID) -> CompletionList:
    """Each enrolled person's attended minutes against the threshold (结业名单)."""
    with reading(engine) as s:
        session = own_session(s, site_code, session_id)
        if session.kind != "course":
            raise UserError("activity.not_course", field="session")
        attended = attended_minutes(s, session.id)
        threshold = threshold_min(s, session)
        rows = s.exec(
            select(Enrolment, Person, Resident)
            .outerjoin(Person, col(Person.id) == Enrolment.person_id)
            .outerjoin(Resident, col(Resident.id) == Enrolment.resident_id)
            .where(Enrolment.session_id == session.id, Enrolment.status == "enrolled")
            .order_by(col(Enrolment.queue_no))
        ).all()
    final = session.status == "done"
    found = []
    for e, person, res in rows:
        name, phone = contact(person, res, mask=True)
        minutes = attended.get(e.id, 0)
        done = e.completed if final else rules.completed(minutes, threshold)
        found.append(CompletionRow(name, phone, minutes, done))
    return CompletionList(session.title, threshold, final, found)
