"""Micro-factory gig orders: create, list, move through their statuses (employers: employers.py).

An order's service fee is the center's income: it is written as a `Payment` of the
dispatch-fee service, linked by `gig_order_id`, in the order's own transaction. Wages are
not income and never become payments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from db.models import Employer, GigAssignment, GigOrder, Payment, Service
from db.session import reading, writing
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import Collector
from frontdesk.domain.money import check_cash_jiao
from frontdesk.errors import UserError
from frontdesk.services import ledger
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.auth import confirm_pin
from frontdesk.services.employers import own_employer

FEE_SERVICE = "WG03"  # 微工厂派工服务费 in the seeded catalogue
PAGE = 20


# --- orders --------------------------------------------------------------------------------


def create_order(
    engine: Engine, actor: Actor, raw: rules.OrderInput, now: datetime, ceiling_fen: int
) -> GigOrder:
    """Validate and save an order and, when a fee is given, its income entry: one commit."""
    form = Collector()
    clean = form.form(rules.validate_order, raw, business_date(now), ceiling_fen)
    with reading(engine) as s:
        form.first(own_employer, s, actor.site_code, raw.employer_id)
    form.raise_any()
    with writing(engine) as s:
        employer = own_employer(s, actor.site_code, raw.employer_id)
        order = GigOrder(
            site_code=actor.site_code,
            employer_id=employer.id,
            job_type=clean.job_type,
            place=clean.place,
            work_date=clean.work_date,
            shift_start=clean.shift_start,
            shift_end=clean.shift_end,
            headcount=clean.headcount,
            pay_mode=clean.pay_mode,
            rate_fen=clean.rate_fen,
            unit=clean.unit,
            notes=clean.notes,
        )
        s.add(order)
        s.flush()
        if clean.service_fee_fen:
            _add_fee(s, actor, order, clean.service_fee_fen, clean.fee_method, now)
        _audit(s, actor, "gig_order_create", order, now)
    return order


def charge_fee(
    engine: Engine,
    actor: Actor,
    order_id: uuid.UUID,
    amount: str,
    method: str,
    now: datetime,
    ceiling_fen: int,
) -> Payment:
    """The center's fee for an order that has none yet (employers often pay when it is done)."""
    fen, paid_by = rules.clean_fee(amount, method, ceiling_fen)
    if not fen:
        raise UserError("walkin.amount_required", field="service_fee")
    with writing(engine) as s:
        order = own_order(s, actor.site_code, order_id)
        if order.status == "cancelled":
            raise UserError("gig.order_closed", field="service_fee")
        if order.service_fee_fen:
            raise UserError("gig.fee_exists", field="service_fee")
        return _add_fee(s, actor, order, fen, paid_by, now)


def _add_fee(
    s: Session, actor: Actor, order: GigOrder, fen: int, method: str, now: datetime
) -> Payment:
    # After today's close the fee goes into the next open day (the closed day never changes).
    check_cash_jiao(fen, method, "service_fee")
    day = ledger.booking_day(s, actor.site_code, business_date(now))
    service = s.exec(select(Service).where(Service.code == FEE_SERVICE)).first()
    if service is None or not service.active:
        raise UserError("walkin.unknown_service", field="service_fee")
    fee = ledger.income(actor, service, fen, method, day, now, gig_order_id=order.id)
    s.add(fee)
    order.service_fee_fen = fen
    s.flush()
    return fee


def set_order_status(
    engine: Engine, actor: Actor, order_id: uuid.UUID, status: str, now: datetime
) -> GigOrder:
    """open ⇄ filled → in progress → done. Cancelling goes through `cancel_order`."""
    if status == "cancelled":
        raise UserError("gig.cancel_with_reason", field="status")
    with writing(engine) as s:
        order = own_order(s, actor.site_code, order_id)
        rules.check_transition(order.status, status)
        if status == "done" and _count(s, order.id, ("assigned", "checked_in")):
            raise UserError("gig.order_not_finished", field="status")
        order.status = status
        _audit(s, actor, "gig_order_status", order, now, detail=status)
    return order


def cancel_order(
    engine: Engine,
    actor: Actor,
    order_id: uuid.UUID,
    reason: str,
    now: datetime,
    *,
    refund_fee: bool = False,
    manager_id: uuid.UUID | None = None,
    pin: str = "",
) -> GigOrder:
    """Cancel an order nobody has worked on; its assignments go with it.

    The fee stays the center's income unless `refund_fee`, which books a reversal today
    (an adjustment when the fee's day is closed) and, as any refund, needs a manager's PIN.
    """
    reason = rules.clean_text(reason, 200, "reason", True)
    if refund_fee:
        if manager_id is None:
            raise UserError("walkin.void_needs_manager", field="manager")
        confirm_pin(engine, manager_id, pin, now, action="gig_refund_pin", role="manager")
    with writing(engine) as s:
        order = own_order(s, actor.site_code, order_id)
        rules.check_transition(order.status, "cancelled")
        if _count(s, order.id, ("checked_in", *rules.WORKED)):
            raise UserError("gig.order_has_work", field="status")
        for a in s.exec(select(GigAssignment).where(GigAssignment.order_id == order.id)):
            if a.status == "assigned":
                a.status = "cancelled"
        order.status = "cancelled"
        if refund_fee:
            _refund_fee(s, actor, order, reason, now)
        detail = f"{reason}; approved_by={manager_id}" if refund_fee else reason
        _audit(s, actor, "gig_order_cancel", order, now, detail=detail)
    return order


def _refund_fee(s: Session, actor: Actor, order: GigOrder, reason: str, now: datetime) -> None:
    refunded = select(col(Payment.reverses_id)).where(col(Payment.reverses_id).is_not(None))
    fees = s.exec(
        select(Payment).where(
            Payment.gig_order_id == order.id,
            col(Payment.reverses_id).is_(None),
            col(Payment.id).not_in(refunded),
        )
    ).all()
    if not fees:
        raise UserError("gig.no_fee", field="refund")
    day = ledger.booking_day(s, actor.site_code, business_date(now))  # as a fee (_add_fee)
    for paid in fees:
        ledger.refund(s, actor, paid, day, now, reason, gig_order_id=order.id)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    """One line of the orders list."""

    id: uuid.UUID
    employer: str
    job_type: str
    place: str
    work_date: date
    shift_start: time
    shift_end: time
    headcount: int
    holding: int  # assignments holding a place (assigned … settled)
    pay_mode: str
    rate_fen: Decimal
    unit: str
    status: str
    service_fee_fen: int


def list_orders(
    engine: Engine,
    site_code: str,
    *,
    statuses: tuple[str, ...] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    employer_id: uuid.UUID | None = None,
    offset: int = 0,
    limit: int = PAGE,
) -> list[OrderRow]:
    """Orders by work date, then shift start (the day's order of work), filtered."""
    holding = (
        select(GigAssignment.order_id, func.count().label("n"))
        .where(col(GigAssignment.status).in_(rules.HOLDING))
        .group_by(col(GigAssignment.order_id))
        .subquery()
    )
    stmt = (
        select(GigOrder, Employer.name, func.coalesce(holding.c.n, 0))
        .join(Employer, col(Employer.id) == GigOrder.employer_id)
        .outerjoin(holding, holding.c.order_id == GigOrder.id)
        .where(GigOrder.site_code == site_code, col(GigOrder.deleted_at).is_(None))
    )
    if statuses:
        stmt = stmt.where(col(GigOrder.status).in_(statuses))
    if date_from is not None:
        stmt = stmt.where(GigOrder.work_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(GigOrder.work_date <= date_to)
    if employer_id is not None:
        stmt = stmt.where(GigOrder.employer_id == employer_id)
    stmt = stmt.order_by(col(GigOrder.work_date), col(GigOrder.shift_start), col(GigOrder.id))
    with reading(engine) as s:
        rows = s.exec(stmt.offset(offset).limit(limit)).all()
    return [_order_row(order, name, n) for order, name, n in rows]


def get_order(engine: Engine, site_code: str, order_id: uuid.UUID) -> OrderRow:
    with reading(engine) as s:
        order = own_order(s, site_code, order_id)
        employer = s.get(Employer, order.employer_id)
        n = _count(s, order.id, rules.HOLDING)
    return _order_row(order, employer.name if employer else "", n)


def _order_row(o: GigOrder, employer: str, holding: int) -> OrderRow:
    return OrderRow(
        o.id,
        employer,
        o.job_type,
        o.place,
        o.work_date,
        o.shift_start,
        o.shift_end,
        o.headcount,
        holding,
        o.pay_mode,
        o.rate_fen,
        o.unit,
        o.status,
        o.service_fee_fen,
    )


# --- shared with dispatch and attendance ---------------------------------------------------


def own_order(s: Session, site_code: str, order_id: uuid.UUID) -> GigOrder:
    order = s.get(GigOrder, order_id)
    if order is None or order.site_code != site_code or order.deleted_at is not None:
        raise UserError("gig.order_not_found")
    return order


def refresh_fill(s: Session, order: GigOrder) -> None:
    """An open order with every place taken is filled; a filled one with a free place, open."""
    if order.status not in ("open", "filled"):
        return
    taken = _count(s, order.id, rules.HOLDING)
    order.status = "filled" if taken >= order.headcount else "open"


def _count(s: Session, order_id: uuid.UUID, statuses: tuple[str, ...]) -> int:
    return s.exec(
        select(func.count())
        .select_from(GigAssignment)
        .where(GigAssignment.order_id == order_id, col(GigAssignment.status).in_(statuses))
    ).one()


def _audit(
    s: Session, actor: Actor, action: str, order: GigOrder, now: datetime, detail: str = ""
) -> None:
    record_act(s, actor, action, "gig_orders", order.id, now, detail)
