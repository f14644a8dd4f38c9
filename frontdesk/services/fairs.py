"""Job fairs (招聘会): the employers taking part, the postings they bring, and what came of it.

A job fair is an activity session of kind job_fair. Employers take part and bring postings
(issue 17's employers and job postings); a posting brought makes its employer take part.
Referrals made at the fair go through `referrals.refer` with the fair's session (source
"fair"), which checks them here (`check_referral`) in its own transaction: the fair is open,
the posting is one it brought, the person was ticked present at one of its meetings. Per
fair the record shows employers, postings, positions, referrals and the intentions reached
(referrals made there whose outcome reached 达成就业意向 or 上岗, as hq/job_figures counts).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine, and_, func
from sqlmodel import Session, col, select

from db.models import (
    ActivitySession,
    Attendance,
    Employer,
    FairEmployer,
    FairPosting,
    JobPosting,
    Person,
    Referral,
    ReferralEvent,
    SessionMeeting,
)
from db.session import reading, writing
from frontdesk.domain import job_rules
from frontdesk.domain import session_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.employers import list_employers, own_employer
from frontdesk.services.postings import list_postings, own_posting
from frontdesk.services.sessions import audit, own_session


def add_employer(
    engine: Engine, actor: Actor, session_id: uuid.UUID, employer_id: uuid.UUID, now: datetime
) -> None:
    """An employer takes part in the fair (again, if it was removed)."""
    with writing(engine) as s:
        fair = _open_fair(s, actor, session_id)
        employer = own_employer(s, actor.site_code, employer_id)
        if not _take_part(s, actor, fair.id, employer.id):
            raise UserError("fair.employer_twice", field="employer")
        audit(s, actor, "fair_employer_add", fair.id, now, detail=str(employer.id))


def remove_employer(
    engine: Engine, actor: Actor, session_id: uuid.UUID, employer_id: uuid.UUID, now: datetime
) -> None:
    """The employer no longer takes part, and the postings it brought go with it."""
    with writing(engine) as s:
        fair = _open_fair(s, actor, session_id)
        row = _link(s, FairEmployer, fair.id, FairEmployer.employer_id == employer_id)
        if row is None or row.removed:
            raise UserError("fair.employer_not_in", field="employer")
        row.removed = True
        brought = s.exec(
            select(FairPosting)
            .join(JobPosting, col(JobPosting.id) == FairPosting.posting_id)
            .where(FairPosting.session_id == fair.id, JobPosting.employer_id == employer_id)
            .where(col(FairPosting.removed).is_(False))
        ).all()
        for p in brought:
            p.removed = True
        audit(s, actor, "fair_employer_remove", fair.id, now, detail=str(employer_id))


def add_posting(
    engine: Engine, actor: Actor, session_id: uuid.UUID, posting_id: uuid.UUID, now: datetime
) -> None:
    """A posting brought to the fair: open today, and its employer takes part with it."""
    with writing(engine) as s:
        fair = _open_fair(s, actor, session_id)
        posting = own_posting(s, actor.site_code, posting_id)
        today = business_date(now)
        if not job_rules.takes_referrals(posting.status, posting.valid_until, today):
            shown = job_rules.shown_status(posting.status, posting.valid_until, today)
            raise UserError(f"job.posting_closed.{shown}", field="posting")
        row = _link(s, FairPosting, fair.id, FairPosting.posting_id == posting.id)
        if row is not None and not row.removed:
            raise UserError("fair.posting_twice", field="posting")
        if row is None:
            s.add(
                FairPosting(
                    site_code=actor.site_code,
                    session_id=fair.id,
                    posting_id=posting.id,
                    staff_id=actor.staff_id,
                )
            )
        else:
            row.removed = False
        _take_part(s, actor, fair.id, posting.employer_id)
        audit(s, actor, "fair_posting_add", fair.id, now, detail=str(posting.id))


def remove_posting(
    engine: Engine, actor: Actor, session_id: uuid.UUID, posting_id: uuid.UUID, now: datetime
) -> None:
    """The posting is no longer offered at the fair (its referrals made there stay)."""
    with writing(engine) as s:
        fair = _open_fair(s, actor, session_id)
        row = _link(s, FairPosting, fair.id, FairPosting.posting_id == posting_id)
        if row is None or row.removed:
            raise UserError("fair.posting_not_in", field="posting")
        row.removed = True
        audit(s, actor, "fair_posting_remove", fair.id, now, detail=str(posting_id))


def check_referral(
    s: Session, site_code: str, session_id: uuid.UUID, posting_id: uuid.UUID, person_id: uuid.UUID
) -> None:
    """A referral at a fair: an open job fair of the site, a posting it brought, and a
    person ticked present at one of its meetings (referrals.refer calls this)."""
    fair = own_session(s, site_code, session_id)
    if fair.kind != "job_fair":
        raise UserError("fair.not_a_fair", field="session")
    if fair.status not in rules.OPEN_STATUSES:
        raise UserError("activity.closed", field="session")
    row = _link(s, FairPosting, fair.id, FairPosting.posting_id == posting_id)
    if row is None or row.removed:
        raise UserError("fair.posting_not_in", field="posting")
    present = s.exec(
        select(Attendance.id)
        .join(SessionMeeting, col(SessionMeeting.id) == Attendance.meeting_id)
        .where(SessionMeeting.session_id == fair.id, Attendance.person_id == person_id)
        .where(col(Attendance.present).is_(True))
    ).first()
    if present is None:
        raise UserError("fair.not_attendee", field="person")


def _open_fair(s: Session, actor: Actor, session_id: uuid.UUID) -> ActivitySession:
    fair = own_session(s, actor.site_code, session_id)
    if fair.kind != "job_fair":
        raise UserError("fair.not_a_fair", field="session")
    if fair.status not in rules.OPEN_STATUSES:
        raise UserError("activity.closed", field="session")
    return fair


def _link(s: Session, model, session_id: uuid.UUID, which):
    return s.exec(select(model).where(model.session_id == session_id, which)).first()


def _take_part(s: Session, actor: Actor, session_id: uuid.UUID, employer_id: uuid.UUID) -> bool:
    """The employer takes part; False when it already did."""
    row = _link(s, FairEmployer, session_id, FairEmployer.employer_id == employer_id)
    if row is not None and not row.removed:
        return False
    if row is None:
        s.add(
            FairEmployer(
                site_code=actor.site_code,
                session_id=session_id,
                employer_id=employer_id,
                staff_id=actor.staff_id,
            )
        )
    else:
        row.removed = False
    s.flush()
    return True


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FairPostingRow:
    posting_id: uuid.UUID
    title: str
    positions: int
    referrals: int  # made at this fair
    intentions: int  # of those, reached 达成就业意向 (or placed)


@dataclass(frozen=True)
class FairEmployerRow:
    employer_id: uuid.UUID
    name: str
    postings: list[FairPostingRow]


@dataclass(frozen=True)
class FairView:
    """What a fair brought and what came of it."""

    employers: list[FairEmployerRow] = field(default_factory=list)
    referrals: int = 0  # every referral made at the fair, to a posting removed since too
    intentions: int = 0

    @property
    def postings(self) -> int:
        return sum(len(e.postings) for e in self.employers)

    @property
    def positions(self) -> int:
        return sum(p.positions for e in self.employers for p in e.postings)


@dataclass(frozen=True)
class Attendee:
    person_id: uuid.UUID
    name: str
    phone: str  # masked


def fair_view(engine: Engine, site_code: str, session_id: uuid.UUID) -> FairView:
    """The employers taking part by name, each with the postings it brought and the fair's
    referrals to them (referrals at the fair to a posting removed since still count)."""
    with reading(engine) as s:
        fair = own_session(s, site_code, session_id)
        employers = s.exec(
            select(Employer.id, Employer.name)
            .join(FairEmployer, col(FairEmployer.employer_id) == Employer.id)
            .where(FairEmployer.session_id == fair.id, col(FairEmployer.removed).is_(False))
            .order_by(col(Employer.name), col(Employer.id))
        ).all()
        postings = s.exec(
            select(JobPosting)
            .join(FairPosting, col(FairPosting.posting_id) == JobPosting.id)
            .where(FairPosting.session_id == fair.id, col(FairPosting.removed).is_(False))
            .order_by(col(JobPosting.title), col(JobPosting.id))
        ).all()
        made, reached = _referral_counts(s, fair.id)
    by_employer: dict[uuid.UUID, list[FairPostingRow]] = {}
    for p in postings:
        row = FairPostingRow(p.id, p.title, p.positions, made.get(p.id, 0), reached.get(p.id, 0))
        by_employer.setdefault(p.employer_id, []).append(row)
    rows = [FairEmployerRow(i, n, by_employer.get(i, [])) for i, n in employers]
    return FairView(rows, sum(made.values()), sum(reached.values()))


def _referral_counts(
    s: Session, session_id: uuid.UUID
) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    """Posting -> referrals made at the fair, and -> those that reached an intention."""
    at_fair = and_(col(Referral.session_id) == session_id, col(Referral.deleted_at).is_(None))
    made = s.exec(
        select(col(Referral.posting_id), func.count())
        .where(at_fair)
        .group_by(col(Referral.posting_id))
    ).all()
    reached_ids = (
        select(col(ReferralEvent.referral_id))
        .where(col(ReferralEvent.outcome).in_(job_rules.REACHED_INTENTION))
        .distinct()
    )
    reached = s.exec(
        select(col(Referral.posting_id), func.count())
        .where(at_fair, col(Referral.id).in_(reached_ids))
        .group_by(col(Referral.posting_id))
    ).all()
    return dict(made), dict(reached)


def attendees(engine: Engine, site_code: str, session_id: uuid.UUID) -> list[Attendee]:
    """Registered job seekers ticked present at any of the fair's meetings, by name: the
    people a referral at the fair may be for."""
    with reading(engine) as s:
        fair = own_session(s, site_code, session_id)
        rows = s.exec(
            select(Person.id, Person.name, Person.phone_masked)  # the full phone is sealed
            .join(Attendance, col(Attendance.person_id) == Person.id)
            .join(SessionMeeting, col(SessionMeeting.id) == Attendance.meeting_id)
            .where(SessionMeeting.session_id == fair.id, col(Attendance.present).is_(True))
            .distinct()
            .order_by(col(Person.name), col(Person.id))
        ).all()
    return [Attendee(i, name, phone) for i, name, phone in rows]


@dataclass(frozen=True)
class Offer:
    """An employer, or one of its open postings, that could be added to a fair."""

    employer_id: uuid.UUID
    employer: str
    posting_id: uuid.UUID | None  # None: the employer itself
    title: str
    positions: int


def offers(engine: Engine, site_code: str, search: str, today: date, limit: int = 8) -> list[Offer]:
    """Employers found by a name fragment or credit code, each followed by its postings
    open today: what the fair's add dialog lists, at most `limit` lines."""
    found: list[Offer] = []
    for e in list_employers(engine, site_code, search, limit=limit):
        found.append(Offer(e.id, e.name, None, "", 0))
        for p in list_postings(engine, site_code, today, employer_id=e.id, status="open", limit=3):
            found.append(Offer(e.id, e.name, p.id, p.title, p.positions))
        if len(found) >= limit:
            break
    return found[:limit]
