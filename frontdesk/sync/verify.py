"""Head office's check of every close-out against what arrived centrally.

A close-out records the last outbox sequence it covers. It is verified when the site's
central high-water mark has passed that sequence, its hash is that of its figures and links
to the site's close-out before it, and the figures worked out again from the day's entries,
walk-ins, float and adjustments as they arrived are the ones it locked: the desk's own
`frontdesk check` does the same (`closeout.check_closed_days`, one copy of the arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from db.models import Closeout, SyncSite
from frontdesk.services.closeout import ClosedDayCheck, Difference, check_closed_days


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
    hash_ok: bool = True  # its figures are the ones it was closed with
    link_ok: bool = True  # it follows the site's close-out before it
    differences: tuple[Difference, ...] = ()  # figures the arrived entries do not give

    @property
    def arrived(self) -> bool:
        return self.arrived_seq >= self.covered_seq

    @property
    def altered(self) -> bool:
        """The chain is broken here: changed, removed, added or replaced since closing."""
        return not (self.hash_ok and self.link_ok)

    @property
    def differs(self) -> bool:
        """Everything it covers has arrived, and the entries do not give its figures."""
        return self.arrived and bool(self.differences)

    @property
    def verified(self) -> bool:
        return self.arrived and not self.altered and not self.differences


def check_closeouts(central: Engine, site: str | None = None) -> list[CloseoutCheck]:
    """Every close-out (of one site, or all), by site and day, with what arrived for it."""
    with Session(central) as s:
        checks: dict[tuple[str, date], ClosedDayCheck] = {
            (c.site, c.day): c for c in check_closed_days(s, site)
        }
        marks = dict(s.execute(select(col(SyncSite.site_code), col(SyncSite.high_water_seq))).all())
        query = select(
            col(Closeout.site_code),
            col(Closeout.business_date),
            col(Closeout.outbox_seq),
            col(Closeout.entries),
            col(Closeout.income_fen),
        ).order_by(col(Closeout.site_code), col(Closeout.business_date))
        if site is not None:
            query = query.where(col(Closeout.site_code) == site)
        rows = s.execute(query).all()
    found = []
    for code, day, covered, entries, income in rows:
        c = checks[(code, day)]
        found.append(
            CloseoutCheck(
                site=code,
                day=day,
                covered_seq=covered,
                arrived_seq=marks.get(code) or 0,
                entries=entries,
                entries_found=c.entries_found,
                income_fen=income,
                income_found_fen=c.income_found_fen,
                hash_ok=c.hash_ok,
                link_ok=c.link_ok,
                differences=c.differences,
            )
        )
    return found


def arrival(central: Engine) -> dict[tuple[str, date], bool]:
    """Whether everything each close-out covers has arrived: one cheap query."""
    query = select(
        col(Closeout.site_code),
        col(Closeout.business_date),
        col(Closeout.outbox_seq) <= func.coalesce(SyncSite.high_water_seq, 0),
    ).outerjoin(SyncSite, col(SyncSite.site_code) == Closeout.site_code)
    with central.connect() as conn:
        return {(site, day): bool(done) for site, day, done in conn.execute(query)}


class Verifier:
    """Head office's verification for a screen that reads the figures again every minute.

    Working every close-out of 26 sites' years out again costs seconds, so a refresh reuses
    the last verification unless it may no longer hold: it is older than `every_s`, asked
    for anew (F5), or a close-out came or went or its entries finished arriving since (a
    verification made before they all arrived has nothing to say about the figures). What
    changes at a desk reaches head office only by a sync, which moves those marks; a change
    made in the store itself behind the triggers is found within `every_s`.
    """

    def __init__(self, every_s: float = 600.0) -> None:
        self.every_s = every_s
        self.checks: list[CloseoutCheck] | None = None
        self.arrived: dict[tuple[str, date], bool] = {}
        self.at: datetime | None = None

    def __call__(self, central: Engine, now: datetime, fresh: bool = False) -> list[CloseoutCheck]:
        arrived = arrival(central)
        stale = (
            fresh
            or self.checks is None
            or self.at is None
            or (now - self.at).total_seconds() > self.every_s
            or arrived != self.arrived
        )
        if stale:
            self.checks, self.arrived, self.at = check_closeouts(central), arrived, now
        assert self.checks is not None  # stale whenever there were none
        return list(self.checks)
