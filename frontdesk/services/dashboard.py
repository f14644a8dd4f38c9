"""Today's figures for one site, for the home screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, case, func
from sqlmodel import col, select

from db.models import GigAssignment, GigOrder, Payment, Person, WalkIn
from db.models.money import PAYMENT_METHODS
from db.outbox import pending_count
from db.session import reading


@dataclass(frozen=True)
class TodayFigures:
    day: date
    income_fen: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    payments: int = 0
    walkins: int = 0
    visitors: int = 0
    registrations: int = 0
    gig_workers: int = 0
    pending_sync: int = 0


def today_figures(engine: Engine, site_code: str, day: date) -> TodayFigures:
    with reading(engine) as s:
        by_method = {m: 0 for m in PAYMENT_METHODS}
        payments = 0
        rows = s.exec(
            select(Payment.method, func.coalesce(func.sum(Payment.amount_fen), 0), func.count())
            .where(Payment.site_code == site_code, Payment.business_date == day)
            .group_by(Payment.method)
        )
        for method, total, count in rows:
            by_method[method] = int(total)
            payments += count
        # A void is a reversal row: it cancels the visit it reverses.
        sign = case((col(WalkIn.reverses_id).is_(None), 1), else_=-1)
        walkins, visitors = s.exec(
            select(
                func.coalesce(func.sum(sign), 0),
                func.coalesce(func.sum(sign * WalkIn.headcount), 0),
            ).where(
                WalkIn.site_code == site_code,
                WalkIn.business_date == day,
                col(WalkIn.deleted_at).is_(None),
            )
        ).one()
        registrations = s.exec(
            select(func.count()).where(Person.site_code == site_code, Person.registered_on == day)
        ).one()
        gig_workers = s.exec(
            select(func.count())
            .select_from(GigAssignment)
            .join(GigOrder, col(GigOrder.id) == GigAssignment.order_id)
            .where(
                GigOrder.site_code == site_code,
                GigOrder.work_date == day,
                col(GigAssignment.status).not_in(("cancelled", "no_show")),
            )
        ).one()
        pending = pending_count(s.connection())
    return TodayFigures(
        day=day,
        income_fen=sum(by_method.values()),
        by_method=by_method,
        payments=payments,
        walkins=int(walkins),
        visitors=int(visitors),
        registrations=registrations,
        gig_workers=gig_workers,
        pending_sync=pending,
    )
