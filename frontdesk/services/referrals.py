"""Referrals (推荐): a job seeker sent to a posting, and every step of its outcome.

referred → interviewed → intention reached (达成就业意向) → placed (上岗), or not hired /
withdrew; each step is a `referral_events` row, timed and signed by the acting staff, in
the same transaction as the referral's own change. One open referral per seeker per
posting is a partial unique index. A placement sets the seeker employed, names the
employer and the date, and fills the posting when every position is taken.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import Employer, JobPosting, Person, Referral, ReferralEvent, Staff
from db.session import reading, writing
from frontdesk.domain import job_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.gig_rules import clean_text
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.fairs import check_referral
from frontdesk.services.postings import own_posting


def refer(
    engine: Engine,
    actor: Actor,
    posting_id: uuid.UUID,
    person_id: uuid.UUID,
    now: datetime,
    *,
    follow_up_on: date | str | None = None,
    source: str = "desk",
    notes: str = "",
    session_id: uuid.UUID | None = None,
) -> Referral:
    """Send a seeker to an open posting; refused for a closed posting or a second open
    referral (checked here for the words, and by the index whatever path writes). With
    `session_id` it is made at that job fair (source "fair"), to a posting the fair brought,
    for a person present there (services/fairs.check_referral)."""
    today = business_date(now)
    follow_up = rules.clean_follow_up(follow_up_on, today)
    source = "fair" if session_id is not None else rules.clean_source(source)
    notes = clean_text(notes, 500, "notes", False)
    with writing(engine) as s:
        posting = own_posting(s, actor.site_code, posting_id)
        if not rules.takes_referrals(posting.status, posting.valid_until, today):
            shown = rules.shown_status(posting.status, posting.valid_until, today)
            raise UserError(f"job.posting_closed.{shown}", field="posting")
        person = s.get(Person, person_id)
        if person is None or person.site_code != actor.site_code or person.deleted_at:
            raise UserError("seeker.not_found", field="person")
        if person.status != "active":
            raise UserError("gig.person_not_active", field="person")
        if session_id is not None:
            check_referral(s, actor.site_code, session_id, posting.id, person.id)
        if _open_referral(s, posting.id, person.id) is not None:
            raise UserError("job.already_referred", field="person")
        row = Referral(
            site_code=actor.site_code,
            posting_id=posting.id,
            person_id=person.id,
            staff_id=actor.staff_id,
            referred_on=today,
            follow_up_on=follow_up,
            outcome="referred",
            outcome_at=now,
            source=source,
            notes=notes,
            session_id=session_id,
        )
        s.add(row)
        try:
            s.flush()
        except IntegrityError as exc:  # another desk thread referred them meanwhile
            raise UserError("job.already_referred", field="person") from exc
        _event(s, actor, row, now, "")
        _audit(s, actor, "referral_add", row.id, now)
    return row


def record_outcome(
    engine: Engine,
    actor: Actor,
    referral_id: uuid.UUID,
    outcome: str,
    now: datetime,
    *,
    note: str = "",
    follow_up_on: date | str | None = None,
) -> Referral:
    """Move a referral on one step (or straight to its end), timed and by whom."""
    note = clean_text(note, 200, "note", False)
    today = business_date(now)
    with writing(engine) as s:
        row = own_referral(s, actor.site_code, referral_id)
        rules.check_outcome(row.outcome, outcome)
        if outcome in rules.OPEN_OUTCOMES:
            row.follow_up_on = rules.clean_follow_up(follow_up_on, today)
        else:
            row.follow_up_on = None
        if outcome == "placed":
            _place(s, actor, row, today, now)
        row.outcome, row.outcome_at = outcome, now
        _event(s, actor, row, now, note)
        _audit(s, actor, "referral_outcome", row.id, now, detail=outcome)
    return row


def _place(s: Session, actor: Actor, row: Referral, today: date, now: datetime) -> None:
    posting = own_posting(s, actor.site_code, row.posting_id)
    placed = _placed(s, posting.id)
    if placed >= posting.positions:
        raise UserError("job.posting_full", field="outcome", positions=posting.positions)
    person = s.get(Person, row.person_id)
    employer = s.get(Employer, posting.employer_id)
    assert person is not None and employer is not None  # foreign keys
    row.placed_on = today
    person.status = "employed"
    person.status_reason = f"{employer.name} {today.isoformat()}"[:200]
    # As a status set at the desk: the month's "employed" figure counts it.
    record_act(s, actor, "seeker_status", "people", person.id, now, "employed")
    if placed + 1 >= posting.positions and posting.status == "open":
        posting.status = "filled"


def _placed(s: Session, posting_id: uuid.UUID) -> int:
    return s.exec(
        select(func.count())
        .select_from(Referral)
        .where(Referral.posting_id == posting_id, Referral.outcome == "placed")
    ).one()


def _open_referral(s: Session, posting_id: uuid.UUID, person_id: uuid.UUID) -> Referral | None:
    return s.exec(
        select(Referral).where(
            Referral.posting_id == posting_id,
            Referral.person_id == person_id,
            col(Referral.outcome).not_in(rules.CLOSED_OUTCOMES),
        )
    ).first()


def _event(s: Session, actor: Actor, row: Referral, now: datetime, note: str) -> None:
    s.add(
        ReferralEvent(
            site_code=actor.site_code,
            referral_id=row.id,
            outcome=row.outcome,
            at=now,
            staff_id=actor.staff_id,
            note=note,
        )
    )


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    """One referral as a posting's record or a seeker's record lists it."""

    id: uuid.UUID
    posting_id: uuid.UUID
    person_id: uuid.UUID
    person: str
    phone: str  # masked
    title: str
    employer: str
    referred_on: date
    follow_up_on: date | None
    outcome: str
    outcome_at: datetime
    placed_on: date | None
    staff: str


@dataclass(frozen=True)
class Step:
    outcome: str
    at: datetime
    staff: str
    note: str


def of_posting(engine: Engine, site_code: str, posting_id: uuid.UUID) -> list[ReferralRow]:
    return _rows(engine, site_code, Referral.posting_id == posting_id)


def of_person(engine: Engine, site_code: str, person_id: uuid.UUID) -> list[ReferralRow]:
    return _rows(engine, site_code, Referral.person_id == person_id)


def due(engine: Engine, site_code: str, today: date, limit: int = 200) -> list[ReferralRow]:
    """Open referrals whose follow-up day has come, the oldest first."""
    return _rows(
        engine,
        site_code,
        col(Referral.follow_up_on) <= today,
        col(Referral.outcome).in_(rules.OPEN_OUTCOMES),
        newest_first=False,
        limit=limit,
    )


def history(engine: Engine, site_code: str, referral_id: uuid.UUID) -> list[Step]:
    """Every step of a referral, in order, with who recorded it."""
    with reading(engine) as s:
        own_referral(s, site_code, referral_id)
        rows = s.exec(
            select(ReferralEvent, Staff.name)
            .join(Staff, col(Staff.id) == ReferralEvent.staff_id)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(col(ReferralEvent.at), col(ReferralEvent.id))
        ).all()
    return [Step(e.outcome, e.at, name, e.note) for e, name in rows]


def _rows(
    engine: Engine, site_code: str, *where, newest_first: bool = True, limit: int = 200
) -> list[ReferralRow]:
    order = col(Referral.id).desc() if newest_first else col(Referral.follow_up_on)
    stmt = (  # six columns: more than sqlmodel's select is typed for
        sa_select(
            Referral,
            col(Person.name),
            col(Person.phone_masked),
            col(JobPosting.title),
            col(Employer.name),
            col(Staff.name),
        )
        .join(Person, col(Person.id) == Referral.person_id)
        .join(JobPosting, col(JobPosting.id) == Referral.posting_id)
        .join(Employer, col(Employer.id) == JobPosting.employer_id)
        .join(Staff, col(Staff.id) == Referral.staff_id)
        .where(col(Referral.site_code) == site_code, col(Referral.deleted_at).is_(None), *where)
        .order_by(order, col(Referral.id))
        .limit(limit)
    )
    with reading(engine) as s:
        found = s.execute(stmt).all()
    return [
        ReferralRow(
            r.id,
            r.posting_id,
            r.person_id,
            person,
            phone,  # stored masked
            title,
            employer,
            r.referred_on,
            r.follow_up_on,
            r.outcome,
            r.outcome_at,
            r.placed_on,
            staff,
        )
        for r, person, phone, title, employer, staff in found
    ]


def own_referral(s: Session, site_code: str, referral_id: uuid.UUID) -> Referral:
    row = s.get(Referral, referral_id)
    if row is None or row.site_code != site_code or row.deleted_at is not None:
        raise UserError("job.referral_not_found")
    return row


def _audit(
    s: Session, actor: Actor, action: str, referral_id: uuid.UUID, now: datetime, detail: str = ""
) -> None:
    record_act(s, actor, action, "referrals", referral_id, now, detail)
