"""Group activity sessions (issue 18): plan one with its meetings, move its status, list them.

A session's category is a catalogue service of the line its kind belongs to (a course of
the skills line, a class or event of the classes line, a job fair of the gig market), so a
fee taken for it is that service's income, split with the service's partner as any other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from db.models import ActivitySession, Attendance, Enrolment, Service, SessionMeeting
from db.session import reading, writing
from frontdesk.domain import session_rules as rules
from frontdesk.domain.forms import Collector, nfkc
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act

PAGE = 20


def create_session(
    engine: Engine, actor: Actor, raw: rules.SessionInput, now: datetime, ceiling_fen: int
) -> ActivitySession:
    """Validate and save a session and its meetings: one commit, or nothing."""
    form = Collector()
    clean = form.form(rules.validate_session, raw, ceiling_fen)
    with reading(engine) as s:
        form.first(_category, s, raw.service_id, clean.kind if clean else nfkc(raw.kind))
    form.raise_any()
    assert clean is not None
    with writing(engine) as s:
        service = _category(s, raw.service_id, clean.kind)
        session = ActivitySession(
            site_code=actor.site_code,
            kind=clean.kind,
            title=clean.title,
            service_id=service.id,
            starts_on=clean.starts_on,
            ends_on=clean.ends_on,
            place=clean.place,
            runner=clean.runner,
            capacity=clean.capacity,
            fee_fen=clean.fee_fen,
            completion_min=clean.completion_min,
            notes=clean.notes,
        )
        s.add(session)
        s.flush()
        s.add_all(_meeting(actor, session.id, m) for m in clean.meetings)
        audit(s, actor, "session_create", session.id, now)
    return session


def add_meeting(
    engine: Engine, actor: Actor, session_id: uuid.UUID, raw: rules.MeetingInput, now: datetime
) -> SessionMeeting:
    """One more meeting of a session, within its dates (a course meets several times)."""
    clean = rules.clean_meeting(raw, 0)
    with writing(engine) as s:
        session = own_session(s, actor.site_code, session_id)
        if session.status not in rules.OPEN_STATUSES:
            raise UserError("activity.closed", field="meeting_0")
        if not session.starts_on <= clean.meeting_date <= session.ends_on:
            raise UserError(
                "activity.meeting_outside",
                field="meeting_0",
                start=session.starts_on,
                end=session.ends_on,
            )
        meeting = _meeting(actor, session.id, clean)
        s.add(meeting)
        audit(s, actor, "session_meeting_add", session.id, now)
    return meeting


def _meeting(actor: Actor, session_id: uuid.UUID, m: rules.CleanMeeting) -> SessionMeeting:
    return SessionMeeting(
        site_code=actor.site_code,
        session_id=session_id,
        meeting_date=m.meeting_date,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
    )


def set_status(
    engine: Engine, actor: Actor, session_id: uuid.UUID, status: str, now: datetime
) -> ActivitySession:
    """planned → running → done, or cancelled. Finishing a course stamps who completed it."""
    with writing(engine) as s:
        session = own_session(s, actor.site_code, session_id)
        rules.check_transition(session.status, status)
        session.status = status
        if status == "done" and session.kind == "course":
            stamp_completion(s, session)
        audit(s, actor, "session_status", session.id, now, detail=status)
    return session


def stamp_completion(s: Session, session: ActivitySession) -> None:
    """Each enrolled person's completion by attended minutes against the threshold."""
    attended = attended_minutes(s, session.id)
    threshold = threshold_min(s, session)
    for e in s.exec(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.status == "enrolled")
    ):
        e.completed = rules.completed(attended.get(e.id, 0), threshold)


def threshold_min(s: Session, session: ActivitySession) -> int:
    """The course's own threshold, or else every meeting's minutes (all of it)."""
    if session.completion_min:
        return session.completion_min
    return sum(rules.meeting_minutes(m.starts_at, m.ends_at) for m in meetings_of(s, session.id))


def attended_minutes(s: Session, session_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Enrolment id -> minutes present over all of the session's meetings."""
    rows = s.exec(
        select(col(Attendance.enrolment_id), func.sum(Attendance.minutes))
        .join(SessionMeeting, col(SessionMeeting.id) == Attendance.meeting_id)
        .where(
            SessionMeeting.session_id == session_id,
            col(Attendance.present).is_(True),
            col(Attendance.enrolment_id).is_not(None),
        )
        .group_by(col(Attendance.enrolment_id))
    ).all()
    return {eid: int(n or 0) for eid, n in rows if eid is not None}


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    id: uuid.UUID
    meeting_date: date
    starts_at: time
    ends_at: time
    present: int  # named people ticked present
    headcount: int  # counted without names

    @property
    def visits(self) -> int:
        return self.present + self.headcount

    @property
    def minutes(self) -> int:
        return rules.meeting_minutes(self.starts_at, self.ends_at)


@dataclass(frozen=True)
class SessionRow:
    """One line of the session list."""

    id: uuid.UUID
    kind: str
    title: str
    category_zh: str
    category_en: str
    starts_on: date
    ends_on: date
    place: str
    runner: str
    capacity: int | None
    fee_fen: int
    status: str
    completion_min: int
    enrolled: int
    waiting: int
    visits: int  # 人次 over all meetings


@dataclass(frozen=True)
class Category:
    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str


def categories(engine: Engine, kind: str) -> list[Category]:
    """The catalogue services a session of `kind` may have as its category, by code."""
    with reading(engine) as s:
        rows = s.exec(
            select(Service)
            .where(col(Service.active), col(Service.deleted_at).is_(None))
            .order_by(col(Service.code))
        ).all()
    return [
        Category(r.id, r.code, r.name_zh, r.name_en)
        for r in rows
        if rules.category_fits(kind, r.code, r.line)
    ]


def list_sessions(
    engine: Engine,
    site_code: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    kind: str = "",
    offset: int = 0,
    limit: int = PAGE,
) -> list[SessionRow]:
    """Sessions overlapping the dates, by start date, of one kind or all."""
    stmt = (
        select(ActivitySession, Service)
        .join(Service, col(Service.id) == ActivitySession.service_id)
        .where(ActivitySession.site_code == site_code, col(ActivitySession.deleted_at).is_(None))
    )
    if date_from is not None:
        stmt = stmt.where(ActivitySession.ends_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ActivitySession.starts_on <= date_to)
    if kind:
        stmt = stmt.where(ActivitySession.kind == kind)
    stmt = stmt.order_by(col(ActivitySession.starts_on), col(ActivitySession.id))
    with reading(engine) as s:
        rows = s.exec(stmt.offset(offset).limit(limit)).all()
        ids = [session.id for session, _ in rows]
        counts = _enrolment_counts(s, ids)
        visits = _visits(s, ids)
    return [
        _row(session, svc, counts.get(session.id, {}), visits.get(session.id, 0))
        for session, svc in rows
    ]


def get_session(engine: Engine, site_code: str, session_id: uuid.UUID) -> SessionRow:
    with reading(engine) as s:
        session = own_session(s, site_code, session_id)
        svc = s.get(Service, session.service_id)
        assert svc is not None  # a foreign key
        counts = _enrolment_counts(s, [session.id]).get(session.id, {})
        visits = _visits(s, [session.id]).get(session.id, 0)
    return _row(session, svc, counts, visits)


def list_meetings(engine: Engine, site_code: str, session_id: uuid.UUID) -> list[MeetingView]:
    with reading(engine) as s:
        own_session(s, site_code, session_id)
        present = dict(
            s.exec(
                select(col(Attendance.meeting_id), func.count())
                .join(SessionMeeting, col(SessionMeeting.id) == Attendance.meeting_id)
                .where(SessionMeeting.session_id == session_id, col(Attendance.present).is_(True))
                .group_by(col(Attendance.meeting_id))
            ).all()
        )
        meetings = meetings_of(s, session_id)
    return [
        MeetingView(m.id, m.meeting_date, m.starts_at, m.ends_at, present.get(m.id, 0), m.headcount)
        for m in meetings
    ]


def meeting_on(engine: Engine, site_code: str, session_id: uuid.UUID, day: date) -> uuid.UUID:
    """The meeting attendance is taken for on `day`: that day's, else the next one, else the
    last one held (a late register)."""
    with reading(engine) as s:
        own_session(s, site_code, session_id)
        meetings = meetings_of(s, session_id)
    if not meetings:
        raise UserError("activity.no_meetings")
    later = [m for m in meetings if m.meeting_date >= day]
    return (later[0] if later else meetings[-1]).id


def _row(session: ActivitySession, svc: Service, counts: dict[str, int], visits: int) -> SessionRow:
    return SessionRow(
        session.id,
        session.kind,
        session.title,
        svc.name_zh,
        svc.name_en,
        session.starts_on,
        session.ends_on,
        session.place,
        session.runner,
        session.capacity,
        session.fee_fen,
        session.status,
        session.completion_min,
        counts.get("enrolled", 0),
        counts.get("waiting", 0),
        visits,
    )


def _enrolment_counts(s: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    found: dict[uuid.UUID, dict[str, int]] = {}
    for sid, status, n in s.exec(
        select(col(Enrolment.session_id), col(Enrolment.status), func.count())
        .where(col(Enrolment.session_id).in_(ids))
        .group_by(col(Enrolment.session_id), col(Enrolment.status))
    ).all():
        found.setdefault(sid, {})[status] = n
    return found


def _visits(s: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """People present (named) plus people counted (unnamed), over every meeting."""
    named = s.exec(
        select(col(SessionMeeting.session_id), func.count())
        .join(Attendance, col(Attendance.meeting_id) == SessionMeeting.id)
        .where(col(SessionMeeting.session_id).in_(ids), col(Attendance.present).is_(True))
        .group_by(col(SessionMeeting.session_id))
    ).all()
    counted = s.exec(
        select(col(SessionMeeting.session_id), func.sum(SessionMeeting.headcount))
        .where(col(SessionMeeting.session_id).in_(ids))
        .group_by(col(SessionMeeting.session_id))
    ).all()
    total: dict[uuid.UUID, int] = {}
    for sid, n in [*named, *counted]:
        total[sid] = total.get(sid, 0) + int(n or 0)
    return total


# --- shared with enrolment and attendance --------------------------------------------------


def own_session(s: Session, site_code: str, session_id: uuid.UUID) -> ActivitySession:
    session = s.get(ActivitySession, session_id)
    if session is None or session.site_code != site_code or session.deleted_at is not None:
        raise UserError("activity.not_found")
    return session


def meetings_of(s: Session, session_id: uuid.UUID) -> list[SessionMeeting]:
    return list(
        s.exec(
            select(SessionMeeting)
            .where(SessionMeeting.session_id == session_id)
            .order_by(col(SessionMeeting.meeting_date), col(SessionMeeting.starts_at))
        )
    )


def audit(
    s: Session, actor: Actor, action: str, session_id: uuid.UUID, now: datetime, detail: str = ""
) -> None:
    record_act(s, actor, action, "activity_sessions", session_id, now, detail)


def _category(s: Session, service_id: object, kind: str) -> Service:
    service = s.get(Service, service_id) if isinstance(service_id, uuid.UUID) else None
    if service is None or not service.active or service.deleted_at is not None:
        raise UserError("activity.category", field="service")
    if kind in rules.KIND_LINES and not rules.category_fits(kind, service.code, service.line):
        raise UserError("activity.category", field="service")
    return service
