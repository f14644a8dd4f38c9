"""Head office's check that a close-out's entries have all arrived centrally.

A close-out records the last outbox sequence it covers. It is verified when the site's
central high-water mark has passed that sequence and the central store holds exactly the
entries and income the close-out counted for its day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select

from db.models import Closeout, Payment, SyncSite


@dataclass(frozen=True)
class CloseoutCheck:
    site: str
    day: date
    covered_seq: int
    arrived_seq: int  # the site's central high-water mark
    entries: int  # as the close-out counted them
    entries_found: int  # as the central store holds them
    income_fen: int
    income_found_fen: int

    @property
    def verified(self) -> bool:
        return (
            self.arrived_seq >= self.covered_seq
            and self.entries == self.entries_found
            and self.income_fen == self.income_found_fen
        )


def check_closeouts(central: Engine, site: str | None = None) -> list[CloseoutCheck]:
    """Every close-out (of one site, or all), oldest first, with what arrived for it."""
    found = (
        select(
            Payment.site_code,
            Payment.business_date,
            func.count().label("n"),
            func.coalesce(func.sum(Payment.amount_fen), 0).label("fen"),
        )
        .where(Payment.deleted_at.is_(None))
        .group_by(Payment.site_code, Payment.business_date)
        .subquery()
    )
    query = (
        select(
            Closeout.site_code,
            Closeout.business_date,
            Closeout.outbox_seq,
            func.coalesce(SyncSite.high_water_seq, 0),
            Closeout.entries,
            func.coalesce(found.c.n, 0),
            Closeout.income_fen,
            func.coalesce(found.c.fen, 0),
        )
        .outerjoin(SyncSite, SyncSite.site_code == Closeout.site_code)
        .outerjoin(
            found,
            (found.c.site_code == Closeout.site_code)
            & (found.c.business_date == Closeout.business_date),
        )
        .order_by(Closeout.site_code, Closeout.business_date)
    )
    if site is not None:
        query = query.where(Closeout.site_code == site)
    with central.connect() as conn:
        return [CloseoutCheck(*row) for row in conn.execute(query)]
