"""Dispatch (派工): rank registered job seekers for an order, assign them, cancel assignments.

The ranking (`ranked_people`) is the product's one: job referral ranks a posting's
candidates with it too (services/matching.py).

Ranking reads `person_jobs` (db/job_keys.py): one covering-index range per order's job type,
scored in SQL and cut to a page, so it stays fast with 100,000 people on file. People
already holding a place on the order, or on an overlapping shift that day, are left out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, Select, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from db.job_keys import availability_mask, job_key, shift_mask
from db.models import GigAssignment, GigOrder, Person, PersonJob
from db.session import reading, writing
from frontdesk.domain import gig_rules as rules
from frontdesk.domain import job_rules
from frontdesk.domain.idcard import age_on
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.gigs import own_order, refresh_fill

PAGE = 20


@dataclass(frozen=True)
class Candidate:
    """One line of the dispatch picker, with the reasons for its place."""

    person_id: uuid.UUID
    name: str
    gender: str
    age: int  # on the work date
    phone_masked: str
    availability: str
    desired: bool  # wishes for this job type
    skilled: bool  # has it as a skill
    fit: str  # availability for the shift: full / unknown / partial / none
    reliability: int  # 100 less a penalty per past no-show
    no_shows: int
    score: int  # gig_rules.match_score, plus the pay's points for a posting
    pay: str = ""  # for a posting: job_rules.pay_class of the pay wished for


def rank_candidates(
    engine: Engine, site_code: str, order_id: uuid.UUID, offset: int = 0, limit: int = PAGE
) -> list[Candidate]:
    """A page of free, active people for the order, best first (score, reliability, age of
    registration)."""
    with reading(engine) as s:
        order = own_order(s, site_code, order_id)
        ranked = s.execute(_ranking(order).offset(offset).limit(limit)).all()
        ids = [row[0] for row in ranked]
        people, no_shows = people_by_id(s, ids), no_shows_of(s, ids)
    need = shift_mask(order.work_date, order.shift_start, order.shift_end)
    found = []
    for pid, desired, skilled, avail, *_ in ranked:
        if pid in people:
            fit = rules.fit_class(avail, need)
            shows = no_shows.get(pid, 0)
            found.append(candidate_of(people[pid], order.work_date, desired, skilled, fit, shows))
    return found


def assess(
    engine: Engine, site_code: str, order_id: uuid.UUID, person_ids: list[uuid.UUID]
) -> list[Candidate]:
    """The same reasons for people found another way (the name search of the picker)."""
    with reading(engine) as s:
        order = own_order(s, site_code, order_id)
        people = people_by_id(s, person_ids)
        no_shows = no_shows_of(s, person_ids)
    job = job_key(order.job_type)
    need = shift_mask(order.work_date, order.shift_start, order.shift_end)
    found = []
    for pid in person_ids:
        p = people.get(pid)
        if p is None or p.site_code != site_code:
            continue
        desired = any(job_key(str(j.get("job", ""))) == job for j in p.desired_jobs or [])
        skilled = any(job_key(str(k)) == job for k in p.skills or [])
        fit = rules.fit_class(availability_mask(p.availability), need)
        found.append(candidate_of(p, order.work_date, desired, skilled, fit, no_shows.get(pid, 0)))
    return found


def _ranking(order: GigOrder) -> Select:
    need = shift_mask(order.work_date, order.shift_start, order.shift_end)
    return ranked_people(order.site_code, job_key(order.job_type), need, _busy(order))


def ranked_people(
    site_code: str,
    job: str,
    need: int,
    leave_out: SelectOfScalar,
    offered_month_fen: int | None = None,
) -> Select:
    """The one ranking of people for work, gig order and job posting alike: wanting the
    job, having the skill, fitting its hours and, for a posting (`offered_month_fen` given,
    or -1 when its pay has no month such as piece work), meeting the pay wished for; then
    reliability. Seven columns: person_id, desired, skilled, avail, reliability, pay_fen,
    score. `leave_out` selects person ids already holding the work."""
    masked = col(PersonJob.avail).op("&")(need)
    fit = case(
        (col(PersonJob.avail) == 0, rules.FIT_POINTS["unknown"]),
        (masked == need, rules.FIT_POINTS["full"]),
        (masked != 0, rules.FIT_POINTS["partial"]),
        else_=rules.FIT_POINTS["none"],
    )
    points = (
        rules.DESIRED_POINTS * col(PersonJob.desired)
        + rules.SKILLED_POINTS * col(PersonJob.skilled)
        + fit
    )
    if offered_month_fen is not None:
        points = points + _pay_points(offered_month_fen)
    score = points.label("score")
    return (  # seven columns: more than sqlmodel's select is typed for
        sa_select(
            col(PersonJob.person_id),
            col(PersonJob.desired),
            col(PersonJob.skilled),
            col(PersonJob.avail),
            col(PersonJob.reliability),
            col(PersonJob.pay_fen),
            score,
        )
        .where(
            col(PersonJob.site_code) == site_code,
            col(PersonJob.job) == job,
            col(PersonJob.person_id).not_in(leave_out),
        )
        .order_by(score.desc(), col(PersonJob.reliability).desc(), col(PersonJob.person_id))
    )


def _pay_points(offered: int):
    """job_rules.pay_class in SQL: the wish met, near (within NEAR_PERCENT), far, unknown."""
    points = job_rules.PAY_POINTS
    if offered < 0:
        return points["unknown"]
    wish = col(PersonJob.pay_fen)
    return case(
        (wish == 0, points["unknown"]),
        (wish <= offered, points["met"]),
        (wish * job_rules.NEAR_PERCENT <= offered * 100, points["near"]),
        else_=points["far"],
    )


def _busy(order: GigOrder) -> SelectOfScalar:
    """People holding a place on this order, or on a shift of that day that overlaps it."""
    return (
        select(col(GigAssignment.person_id))
        .join(GigOrder, col(GigOrder.id) == GigAssignment.order_id)
        .where(
            col(GigOrder.site_code) == order.site_code,
            col(GigOrder.work_date) == order.work_date,
            col(GigOrder.status) != "cancelled",
            col(GigAssignment.status).in_(rules.HOLDING),
            or_(
                col(GigOrder.id) == order.id,
                and_(
                    col(GigOrder.shift_start) < order.shift_end,
                    col(GigOrder.shift_end) > order.shift_start,
                ),
            ),
        )
    )


def people_by_id(s: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Person]:
    if not ids:
        return {}
    return {p.id: p for p in s.exec(select(Person).where(col(Person.id).in_(ids)))}


def no_shows_of(s: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    rows = s.exec(
        select(GigAssignment.person_id, func.count())
        .where(col(GigAssignment.person_id).in_(ids), col(GigAssignment.status) == "no_show")
        .group_by(col(GigAssignment.person_id))
    )
    return dict(rows.all())


def candidate_of(
    p: Person, day: date, desired: bool, skilled: bool, fit: str, no_shows: int, pay: str = ""
) -> Candidate:
    born = p.birth_date
    age = age_on(born, day)
    extra = job_rules.PAY_POINTS[pay] if pay else 0
    return Candidate(
        person_id=p.id,
        name=p.name,
        gender=p.gender,
        age=age,
        phone_masked=p.phone_masked,
        availability=p.availability,
        desired=bool(desired),
        skilled=bool(skilled),
        fit=fit,
        reliability=p.reliability,
        no_shows=no_shows,
        score=rules.match_score(desired, skilled, fit) + extra,
        pay=pay,
    )


# --- assigning -----------------------------------------------------------------------------


def assign(
    engine: Engine, actor: Actor, order_id: uuid.UUID, person_id: uuid.UUID, now: datetime
) -> GigAssignment:
    """Send a worker to an order. Checked under the write lock, so two desks' clicks (or two
    threads) cannot both take the last place: the headcount, one open assignment per worker
    per order, and no overlapping shift for the worker that day."""
    with writing(engine) as s:
        order = own_order(s, actor.site_code, order_id)
        if order.status not in rules.OPEN_ORDER:
            raise UserError("gig.order_closed", field="order")
        person = s.get(Person, person_id)
        if person is None or person.site_code != actor.site_code:
            raise UserError("seeker.not_found", field="person")
        if person.status != "active" or person.deleted_at is not None:
            raise UserError("gig.person_not_active", field="person")
        _check_free(s, order, person_id)
        row = GigAssignment(
            site_code=actor.site_code,
            order_id=order.id,
            person_id=person_id,
            dispatched_by=actor.staff_id,
        )
        s.add(row)
        try:
            s.flush()
        except IntegrityError as exc:  # the unique open-assignment index caught a twin
            raise UserError("gig.already_assigned", field="person") from exc
        refresh_fill(s, order)
        audit_assignment(s, actor, "gig_assign", row, now)
    return row


def _check_free(s: Session, order: GigOrder, person_id: uuid.UUID) -> None:
    holding = s.exec(
        select(GigAssignment, GigOrder)
        .join(GigOrder, col(GigOrder.id) == GigAssignment.order_id)
        .where(
            col(GigAssignment.person_id) == person_id,
            col(GigAssignment.status).in_(rules.HOLDING),
            col(GigOrder.work_date) == order.work_date,
            col(GigOrder.status) != "cancelled",
        )
    ).all()
    if any(other.id == order.id for _, other in holding):
        raise UserError("gig.already_assigned", field="person")
    taken = s.exec(
        select(func.count())
        .select_from(GigAssignment)
        .where(
            col(GigAssignment.order_id) == order.id, col(GigAssignment.status).in_(rules.HOLDING)
        )
    ).one()
    if taken >= order.headcount:
        raise UserError("gig.headcount_full", field="order", headcount=order.headcount)
    for _, other in holding:
        if rules.overlaps(order.shift_start, order.shift_end, other.shift_start, other.shift_end):
            raise UserError(
                "gig.double_booked",
                field="person",
                job=other.job_type,
                start=other.shift_start.strftime("%H:%M"),
                end=other.shift_end.strftime("%H:%M"),
            )


def cancel_assignment(
    engine: Engine, actor: Actor, assignment_id: uuid.UUID, now: datetime, reason: str = ""
) -> GigAssignment:
    """Take back a dispatch before the worker checked in; the place opens again."""
    reason = rules.clean_text(reason, 200, "reason", False)
    with writing(engine) as s:
        row = own_assignment(s, actor.site_code, assignment_id)
        rules.check_state(row.status, "assigned")  # once at work, it is checked out instead
        row.status = "cancelled"
        s.flush()
        refresh_fill(s, own_order(s, actor.site_code, row.order_id))
        audit_assignment(s, actor, "gig_unassign", row, now, detail=reason)
    return row


def own_assignment(s: Session, site_code: str, assignment_id: uuid.UUID) -> GigAssignment:
    row = s.get(GigAssignment, assignment_id)
    if row is None or row.site_code != site_code or row.deleted_at is not None:
        raise UserError("gig.assignment_not_found")
    return row


def audit_assignment(
    s: Session, actor: Actor, action: str, row: GigAssignment, now: datetime, detail: str = ""
) -> None:
    record_act(s, actor, action, "gig_assignments", row.id, now, detail)
