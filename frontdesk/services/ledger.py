"""The ledger's one door: every payment row (income, refund, adjustment) is built here.

A payment takes its partner from the service it pays for, its staff and site from who acts,
and a refund mirrors what it reverses exactly. Money taken on a day since closed comes
back as an adjustment linked to that day, so both days' reports show it.

Closing the money never stops the desk: money taken after a day's close is booked into the
next open day (`booking_day`), never into the closed one, whose figures stay as closed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from db.models import Adjustment, Closeout, Payment, Service
from frontdesk.services.acting import Actor


def income(
    actor: Actor,
    service: Service,
    fen: int,
    method: str,
    day: date,
    at: datetime,
    *,
    walkin_id: uuid.UUID | None = None,
    gig_order_id: uuid.UUID | None = None,
    reason: str = "",
) -> Payment:
    """Money taken for `service` on business day `day`; the caller adds it to its session."""
    return Payment(
        site_code=actor.site_code,
        business_date=day,
        received_at=at,
        amount_fen=fen,
        method=method,
        service_id=service.id,
        partner_id=service.partner_id,
        walkin_id=walkin_id,
        gig_order_id=gig_order_id,
        staff_id=actor.staff_id,
        reason=reason,
    )


def refund(
    s: Session,
    actor: Actor,
    paid: Payment,
    day: date,
    now: datetime,
    reason: str,
    *,
    walkin_id: uuid.UUID | None = None,
    gig_order_id: uuid.UUID | None = None,
) -> Payment:
    """Money given back for `paid`, booked on `day` (an open day), in the caller's transaction.

    The links tie the refund to what it reverses. Money taken on a day since closed comes
    back as an adjustment linked to that day.
    """
    back = Payment(
        site_code=actor.site_code,
        business_date=day,
        received_at=now,
        amount_fen=-paid.amount_fen,
        method=paid.method,
        service_id=paid.service_id,
        partner_id=paid.partner_id,
        staff_id=actor.staff_id,
        reverses_id=paid.id,
        reason=reason,
        walkin_id=walkin_id,
        gig_order_id=gig_order_id,
    )
    s.add(back)
    if is_closed(s, actor.site_code, paid.business_date):
        link_adjustment(s, actor, paid.business_date, back)
    return back


def link_adjustment(s: Session, actor: Actor, closed_date: date, payment: Payment) -> None:
    """Mark an entry booked today as an adjustment of a closed day (both reports show it)."""
    s.flush()  # the payment's row must exist before the adjustment points at it
    s.add(
        Adjustment(
            site_code=actor.site_code,
            closed_date=closed_date,
            booked_date=payment.business_date,
            payment_id=payment.id,
            amount_fen=payment.amount_fen,
            reason=payment.reason,
            staff_id=actor.staff_id,
        )
    )


def closeout_of(s: Session, site_code: str, day: date) -> Closeout | None:
    return s.exec(
        select(Closeout).where(Closeout.site_code == site_code, Closeout.business_date == day)
    ).first()


def is_closed(s: Session, site_code: str, day: date) -> bool:
    return closeout_of(s, site_code, day) is not None


def booking_day(s: Session, site_code: str, day: date) -> date:
    """The business day money taken on `day` is booked in: `day` while it is open; after its
    close, the next day not closed (tomorrow: a future day cannot be closed)."""
    while is_closed(s, site_code, day):
        day += timedelta(days=1)
    return day
