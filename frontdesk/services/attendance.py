"""Attendance (考勤): the today board and what is recorded on it, one keystroke each.

Check in, check out (minutes from the two times, or hours as typed), pieces completed /
accepted / defective, and no-shows (which cost the worker reliability). Every action is
one transaction that refuses a wrong state with a clear message and writes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Engine, Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Employer, GigAssignment, GigOrder, Person
from db.session import reading, writing
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.dispatch import audit_assignment, own_assignment
from frontdesk.services.gigs import own_order, refresh_fill


@dataclass(frozen=True)
class BoardRow:
    """One worker on one order: a line of the today board or of an order's roster."""

    assignment_id: uuid.UUID
    order_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone_masked: str
    employer: str
    job_type: str
    work_date: date
    shift_start: time
    shift_end: time
    pay_mode: str
    rate_fen: Decimal
    unit: str
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    minutes_worked: int
    pieces_completed: int
    pieces_accepted: int
    pieces_defective: int
    wage_fen: int | None  # as settled, or what settling now would pay; None before check-out


def today_board(engine: Engine, site_code: str, day: date) -> list[BoardRow]:
    """Everyone due to work on `day` (cancelled orders and assignments left out), by shift."""
    stmt = _board().where(
        col(GigOrder.site_code) == site_code,
        col(GigOrder.work_date) == day,
        col(GigOrder.status) != "cancelled",
        col(GigAssignment.status) != "cancelled",
    )
    with reading(engine) as s:
        return [_row(*r) for r in s.execute(stmt)]


def roster(engine: Engine, site_code: str, order_id: uuid.UUID) -> list[BoardRow]:
    """Every assignment of one order, cancelled ones included, by name."""
    with reading(engine) as s:
        own_order(s, site_code, order_id)
        board = _board().where(col(GigAssignment.order_id) == order_id)
        return [_row(*r) for r in s.execute(board)]


def _board() -> Select:
    # Five columns: more than sqlmodel's select and exec are typed for.
    return (
        sa_select(
            GigAssignment, GigOrder, col(Person.name), col(Person.phone_masked), col(Employer.name)
        )
        .join(GigOrder, col(GigOrder.id) == GigAssignment.order_id)
        .join(Person, col(Person.id) == GigAssignment.person_id)
        .join(Employer, col(Employer.id) == GigOrder.employer_id)
        .order_by(
            col(GigOrder.shift_start),
            col(GigOrder.job_type),
            col(GigOrder.id),
            col(Person.name),
            col(Person.id),
        )
    )


def _row(a: GigAssignment, o: GigOrder, name: str, phone: str, employer: str) -> BoardRow:
    wage = a.wage_fen
    if wage is None and a.status in rules.WORKED:
        wage = rules.wage_fen(o.pay_mode, o.rate_fen, a.minutes_worked, a.pieces_accepted)
    return BoardRow(
        a.id,
        o.id,
        a.person_id,
        name,
        phone,  # stored masked
        employer,
        o.job_type,
        o.work_date,
        o.shift_start,
        o.shift_end,
        o.pay_mode,
        o.rate_fen,
        o.unit,
        a.status,
        a.checked_in_at,
        a.checked_out_at,
        a.minutes_worked,
        a.pieces_completed,
        a.pieces_accepted,
        a.pieces_defective,
        wage,
    )


# --- recording -----------------------------------------------------------------------------


def check_in(
    engine: Engine,
    actor: Actor,
    assignment_id: uuid.UUID,
    now: datetime,
    at: datetime | None = None,
) -> GigAssignment:
    """Arrived for work (at `at`, default now), on the order's work day; the order starts."""
    at = at or now
    with writing(engine) as s:
        row, order = _row_and_order(s, actor, assignment_id)
        _expect(row, "assigned")
        if order.status not in rules.OPEN_ORDER:
            raise UserError("gig.order_closed", field="order")
        if business_date(at) != order.work_date:
            raise UserError("gig.not_work_day", date=order.work_date.isoformat())
        row.status, row.checked_in_at = "checked_in", at
        if order.status in ("open", "filled"):
            order.status = "in_progress"
        audit_assignment(s, actor, "gig_check_in", row, now)
    return row


def check_out(
    engine: Engine,
    actor: Actor,
    assignment_id: uuid.UUID,
    now: datetime,
    at: datetime | None = None,
    hours: str = "",
) -> GigAssignment:
    """Left work: minutes from check-in to `at` (default now), or `hours` as typed."""
    at = at or now
    if at > now:  # nobody has left work yet at a time still to come
        raise UserError("gig.out_in_future", field="checked_out_at")
    typed = rules.clean_hours(hours) if str(hours).strip() else None
    with writing(engine) as s:
        row, _ = _row_and_order(s, actor, assignment_id)
        _expect(row, "checked_in")
        assert row.checked_in_at is not None  # set by the check-in
        if at <= row.checked_in_at:
            raise UserError("gig.out_before_in", field="checked_out_at")
        worked = int((at - row.checked_in_at).total_seconds()) // 60  # whole minutes
        minutes = typed if typed is not None else worked
        if not 0 < minutes <= rules.MAX_MINUTES:
            raise UserError("gig.hours_format", field="hours", limit=rules.MAX_MINUTES // 60)
        row.status, row.checked_out_at, row.minutes_worked = "checked_out", at, minutes
        audit_assignment(s, actor, "gig_check_out", row, now, detail=f"minutes={minutes}")
    return row


def set_hours(
    engine: Engine, actor: Actor, assignment_id: uuid.UUID, hours: str, now: datetime
) -> GigAssignment:
    """Correct the hours of a checked-out worker before the wage is settled."""
    minutes = rules.clean_hours(hours)
    with writing(engine) as s:
        row, _ = _row_and_order(s, actor, assignment_id)
        _expect(row, "checked_out")
        before, row.minutes_worked = row.minutes_worked, minutes
        audit_assignment(s, actor, "gig_hours", row, now, detail=f"minutes={before}->{minutes}")
    return row


def record_pieces(
    engine: Engine,
    actor: Actor,
    assignment_id: uuid.UUID,
    completed: str | int,
    accepted: str | int,
    defective: str | int,
    now: datetime,
) -> GigAssignment:
    """Pieces completed, accepted and defective, while at work or checked out, not settled."""
    done, ok, bad = rules.clean_pieces(completed, accepted, defective)
    with writing(engine) as s:
        row, _ = _row_and_order(s, actor, assignment_id)
        _expect(row, "checked_in", "checked_out")
        row.pieces_completed, row.pieces_accepted, row.pieces_defective = done, ok, bad
        audit_assignment(s, actor, "gig_pieces", row, now, detail=f"{done}/{ok}/{bad}")
    return row


def mark_no_show(
    engine: Engine, actor: Actor, assignment_id: uuid.UUID, now: datetime
) -> GigAssignment:
    """Did not come (放鸽子): the place opens again and the worker's reliability drops."""
    with writing(engine) as s:
        row, order = _row_and_order(s, actor, assignment_id)
        _expect(row, "assigned")
        row.status = "no_show"
        person = s.get_one(Person, row.person_id)
        person.reliability = rules.lower_reliability(person.reliability)
        s.flush()
        refresh_fill(s, order)
        audit_assignment(
            s, actor, "gig_no_show", row, now, detail=f"reliability={person.reliability}"
        )
    return row


def _row_and_order(
    s: Session, actor: Actor, assignment_id: uuid.UUID
) -> tuple[GigAssignment, GigOrder]:
    row = own_assignment(s, actor.site_code, assignment_id)
    return row, own_order(s, actor.site_code, row.order_id)


def _expect(row: GigAssignment, *statuses: str) -> None:
    rules.check_state(row.status, *statuses)
