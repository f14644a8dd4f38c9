"""Settlement (结算): pay one checked-out assignment its wage, to the fen, at most once.

The wage is computed exactly and rounded once (gig_rules.wage_fen). Paying moves the
assignment to 'paying' with a conditional UPDATE ... WHERE status = 'checked_out' and
only the writer whose UPDATE changed the row goes on to 'settled', all in one transaction:
a second settlement, from this desk or a racing one, is refused and writes nothing.

By design, 'paying' exists only inside that one settle transaction: it is never committed
on its own and no other reader ever sees it. What blocks a second payment is the
conditional UPDATE and the write lock it holds until commit (SQLite's BEGIN IMMEDIATE, a
row lock on PostgreSQL), not a 'paying' row left for others to find. Both steps still
raise row_version, so the outbox carries each of them. A row somehow found in 'paying'
(this code never commits one) is refused too, never paid again.

Wages are not the center's income: settling writes no income entry and leaves the day's
figures as they were. An order's service fee is income (a payment linked to the order).
Labour-law findings come back as warnings; they never block a payment that is owed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from db.models import GigAssignment, GigOrder, Site
from db.session import reading, writing
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.money import clean_method
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.dispatch import own_assignment

DEFAULT_MIN_WAGE_FEN = 1700  # Jiangmen, 17.0 yuan/hour, when the site row has none


@dataclass(frozen=True)
class WageQuote:
    """What settling pays and why: the exact wage as numerator ÷ divisor fen, rounded once."""

    assignment_id: uuid.UUID
    pay_mode: str
    rate_fen: Decimal
    unit: str
    minutes: int
    pieces_accepted: int
    numerator: Decimal
    divisor: int
    wage_fen: int
    min_wage_fen_per_hour: int
    notices: list[rules.Notice]


@dataclass(frozen=True)
class Settled:
    assignment: GigAssignment
    quote: WageQuote


def quote(engine: Engine, site_code: str, assignment_id: uuid.UUID, now: datetime) -> WageQuote:
    """The wage and warnings settling now would give (checked out) or gave (settled)."""
    with reading(engine) as s:
        row = own_assignment(s, site_code, assignment_id)
        rules.check_state(row.status, "checked_out", "paying", "settled")
        paid_on = business_date(row.settled_at or now)
        return _quote(s, row, s.get_one(GigOrder, row.order_id), paid_on)


def settle(
    engine: Engine,
    actor: Actor,
    assignment_id: uuid.UUID,
    method: str,
    reference: str,
    now: datetime,
) -> Settled:
    """Pay a checked-out worker: method and proof of payment (any method but cash) recorded."""
    method, reference = _clean_payment(method, reference)
    with writing(engine) as s:
        _claim(s, actor.site_code, assignment_id, now)
        row = s.exec(
            select(GigAssignment)
            .where(GigAssignment.id == assignment_id)
            .execution_options(populate_existing=True)
        ).one()
        found = _quote(s, row, s.get_one(GigOrder, row.order_id), business_date(now))
        row.status = "settled"
        row.wage_fen = found.wage_fen
        row.pay_method, row.pay_reference = method, reference
        row.settled_at, row.settled_by = now, actor.staff_id
        warned = ",".join(n.code for n in found.notices)
        record_act(
            s,
            actor,
            "gig_settle",
            "gig_assignments",
            row.id,
            now,
            f"wage_fen={found.wage_fen} method={method} warnings={warned}",
        )
    return Settled(row, found)


def _claim(s: Session, site_code: str, assignment_id: uuid.UUID, now: datetime) -> None:
    """checked_out → paying, only if it is still checked out: the one guard against paying
    twice. Whoever finds the row already claimed is told why, and their transaction ends."""
    claimed = s.exec(
        update(GigAssignment)
        .where(
            col(GigAssignment.id) == assignment_id,
            col(GigAssignment.site_code) == site_code,
            col(GigAssignment.status) == "checked_out",
        )
        .values(status="paying", row_version=GigAssignment.row_version + 1, updated_at=now)
    )
    if claimed.rowcount != 1:
        row = own_assignment(s, site_code, assignment_id)
        rules.check_state(row.status, "checked_out")  # raises: the row is elsewhere
        raise UserError(rules.STATE_ERRORS["paying"], field="status")  # changed meanwhile


def _clean_payment(method: str, reference: str) -> tuple[str, str]:
    errors: list[UserError] = []
    try:
        method = clean_method(method)
        if not method:
            errors.append(UserError("walkin.method_required", field="method"))
    except UserError as exc:
        errors.append(exc)
    try:
        reference = rules.clean_text(reference, 80, "reference", False)
        if not reference and method and method != "cash":
            errors.append(UserError("gig.reference_required", field="reference"))
    except UserError as exc:
        errors.append(exc)
    if errors:
        raise FormErrors(errors)
    return method, reference


def _quote(s: Session, row: GigAssignment, order: GigOrder, paid_on: date) -> WageQuote:
    numerator, divisor = rules.wage_parts(
        order.pay_mode, order.rate_fen, row.minutes_worked, row.pieces_accepted
    )
    wage = rules.round_half_up(numerator, divisor)
    minimum = _min_wage(s, row.site_code)
    week = _week_with_employer(s, row, order)
    notices = rules.labour_notices(
        wage, row.minutes_worked, minimum, week, order.work_date, paid_on
    )
    return WageQuote(
        row.id,
        order.pay_mode,
        order.rate_fen,
        order.unit,
        row.minutes_worked,
        row.pieces_accepted,
        numerator,
        divisor,
        wage,
        minimum,
        notices,
    )


def _min_wage(s: Session, site_code: str) -> int:
    configured = s.exec(select(Site.min_wage_fen_per_hour).where(Site.code == site_code)).first()
    return configured or DEFAULT_MIN_WAGE_FEN


def _week_with_employer(s: Session, row: GigAssignment, order: GigOrder) -> list[tuple[date, int]]:
    """(day, minutes) the worker gave this employer in the ISO week of the work, this one too."""
    monday = order.work_date - timedelta(days=order.work_date.weekday())
    rows = s.exec(
        select(col(GigOrder.work_date), col(GigAssignment.minutes_worked), col(GigAssignment.id))
        .join(GigOrder, col(GigOrder.id) == GigAssignment.order_id)
        .where(
            col(GigAssignment.person_id) == row.person_id,
            col(GigAssignment.status).in_(rules.WORKED),
            col(GigOrder.employer_id) == order.employer_id,
            GigOrder.work_date >= monday,
            GigOrder.work_date <= monday + timedelta(days=6),
        )
    ).all()
    found = {aid: (day, minutes) for day, minutes, aid in rows}
    found[row.id] = (order.work_date, row.minutes_worked)  # counted whatever its state
    return list(found.values())
