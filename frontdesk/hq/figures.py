"""Head office's figures over the central store: every community at a glance.

Set-based queries grouped by site, so 26 communities cost the same few statements as one.
A void is a reversal row: walk-ins count with a sign, income entries carry negative amounts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from db.central import HQ_SITE
from db.models import (
    BusinessDay,
    Closeout,
    GigAssignment,
    GigOrder,
    Payment,
    Person,
    Service,
    Site,
    SyncSite,
    WalkIn,
)
from frontdesk.hq.job_figures import job_figures
from frontdesk.sync.verify import CloseoutCheck, check_closeouts

NOT_WORKED = ("cancelled", "no_show")


@dataclass
class SiteFigures:
    site: str
    name: str
    last_sync: datetime | None = None
    unclosed_days: int = 0  # past days with activity and no close-out
    unverified: int = 0  # close-outs not verified (not all arrived, altered or differing)
    altered: list[date] = field(default_factory=list)  # close-outs breaking the hash chain
    differing: list[date] = field(default_factory=list)  # arrived, figures not the entries'
    today_fen: int = 0
    month_fen: int = 0
    today_by_method: dict[str, int] = field(default_factory=dict)
    month_by_method: dict[str, int] = field(default_factory=dict)
    today_by_line: dict[str, int] = field(default_factory=dict)
    month_by_line: dict[str, int] = field(default_factory=dict)
    walkins_today: int = 0
    walkins_month: int = 0
    registered_today: int = 0
    registered_month: int = 0
    gig_workers_today: int = 0  # on gigs worked today
    gig_workers_month: int = 0
    pieces_today: int = 0
    pieces_month: int = 0
    wages_month_fen: int = 0
    referrals_month: int = 0  # employment services this month (hq/job_figures.py)
    intentions_month: int = 0
    placed_month: int = 0


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def overview(
    central: Engine, today: date, checks: list[CloseoutCheck] | None = None
) -> list[SiteFigures]:
    """One row per registered community, in site-code order; the close-outs as `checks` has
    them (a screen's `Verifier`, or one site's), else verified here and now."""
    start, end = month_start(today), next_month(today)
    with central.connect() as conn:
        sites = _sites(conn)
        _income(conn, sites, today, start, end)
        _walkins(conn, sites, today, start, end)
        _people_and_gigs(conn, sites, today, start, end)
        for site, jobs in job_figures(conn, start, end).items():
            if site in sites:
                row = sites[site]
                row.referrals_month, row.intentions_month = jobs.referrals, jobs.intentions_reached
                row.placed_month = jobs.people_placed
        _unclosed(conn, sites, today)
    for check in check_closeouts(central) if checks is None else checks:
        if not check.verified and check.site in sites:
            row = sites[check.site]
            row.unverified += 1
            if check.altered:
                row.altered.append(check.day)
            elif check.differs:
                row.differing.append(check.day)
    return [sites[code] for code in sorted(sites)]


def _sites(conn: Connection) -> dict[str, SiteFigures]:
    names = dict(
        conn.execute(select(col(Site.code), col(Site.name)).where(col(Site.code) != HQ_SITE)).all()
    )
    synced = dict(conn.execute(select(col(SyncSite.site_code), col(SyncSite.last_push_at))).all())
    codes = (set(names) | set(synced)) - {HQ_SITE}
    return {c: SiteFigures(c, names.get(c, c), synced.get(c)) for c in codes}


def _income(conn, sites, today: date, start: date, end: date) -> None:
    rows = conn.execute(
        select(
            col(Payment.site_code),
            col(Payment.business_date),
            col(Payment.method),
            col(Service.line),
            func.sum(col(Payment.amount_fen)),
        )
        .join(Service, col(Service.id) == Payment.service_id)
        .where(col(Payment.business_date) >= start, col(Payment.business_date) < end)
        .where(col(Payment.deleted_at).is_(None))
        .group_by(
            col(Payment.site_code),
            col(Payment.business_date),
            col(Payment.method),
            col(Service.line),
        )
    )
    for site, day, method, line, fen in rows:
        if site not in sites:
            continue
        row, fen = sites[site], int(fen)
        row.month_fen += fen
        _add(row.month_by_method, method, fen)
        _add(row.month_by_line, line, fen)
        if day == today:
            row.today_fen += fen
            _add(row.today_by_method, method, fen)
            _add(row.today_by_line, line, fen)


def _add(bucket: dict[str, int], key: str, fen: int) -> None:
    bucket[key] = bucket.get(key, 0) + fen


def _walkins(conn, sites, today: date, start: date, end: date) -> None:
    sign = case((col(WalkIn.reverses_id).is_(None), 1), else_=-1)
    rows = conn.execute(
        select(col(WalkIn.site_code), col(WalkIn.business_date), func.sum(sign))
        .where(col(WalkIn.business_date) >= start, col(WalkIn.business_date) < end)
        .where(col(WalkIn.deleted_at).is_(None))
        .group_by(col(WalkIn.site_code), col(WalkIn.business_date))
    )
    for site, day, n in rows:
        if site in sites:
            sites[site].walkins_month += int(n)
            if day == today:
                sites[site].walkins_today += int(n)


def registered(conn: Connection, start: date, end: date) -> list[tuple[str, int]]:
    """Job seekers registered in [start, end), per site."""
    rows = conn.execute(
        select(col(Person.site_code), func.count())
        .where(col(Person.registered_on) >= start, col(Person.registered_on) < end)
        .group_by(col(Person.site_code))
    )
    return [(site, n) for site, n in rows]


def gig_totals(conn: Connection, start: date, end: date) -> list[tuple[str, int, int, int]]:
    """Per site: workers, accepted pieces and wages of gigs worked in [start, end)."""
    rows = conn.execute(
        select(
            col(GigAssignment.site_code),
            func.count(func.distinct(col(GigAssignment.person_id))),
            func.coalesce(func.sum(col(GigAssignment.pieces_accepted)), 0),
            func.coalesce(func.sum(col(GigAssignment.wage_fen)), 0),
        )
        .join(GigOrder, col(GigOrder.id) == GigAssignment.order_id)
        .where(col(GigOrder.work_date) >= start, col(GigOrder.work_date) < end)
        .where(col(GigAssignment.status).not_in(NOT_WORKED))
        .group_by(col(GigAssignment.site_code))
    )
    # coalesce gives 0 for no wages, but the nullable column types the sum as optional
    return [(site, n, int(pieces), int(wages or 0)) for site, n, pieces, wages in rows]


def _people_and_gigs(conn, sites, today: date, start: date, end: date) -> None:
    tomorrow = today + timedelta(days=1)
    for site, n in registered(conn, start, end):
        if site in sites:
            sites[site].registered_month = n
    for site, n in registered(conn, today, tomorrow):
        if site in sites:
            sites[site].registered_today = n
    for site, workers, pieces, wages in gig_totals(conn, start, end):
        if site in sites:
            row = sites[site]
            row.gig_workers_month, row.pieces_month, row.wages_month_fen = workers, pieces, wages
    for site, workers, pieces, _ in gig_totals(conn, today, tomorrow):
        if site in sites:
            sites[site].gig_workers_today, sites[site].pieces_today = workers, pieces


def _unclosed(conn, sites, today: date) -> None:
    """Past days with entries, walk-ins or a float, and no close-out, per site."""
    found: dict[str, set[date]] = defaultdict(set)
    for model in (Payment, WalkIn, BusinessDay):
        closed = select(col(Closeout.id)).where(
            and_(
                col(Closeout.site_code) == model.site_code,
                col(Closeout.business_date) == model.business_date,
            )
        )
        rows = conn.execute(
            select(col(model.site_code), col(model.business_date))
            .distinct()
            .where(col(model.business_date) < today, ~closed.exists())
        )
        for site, day in rows:
            found[site].add(day)
    for site, days in found.items():
        if site in sites:
            sites[site].unclosed_days = len(days)


def daily_income(
    central: Engine, start: date, end: date, site: str | None = None
) -> dict[str, dict[date, int]]:
    """Income per community per day in [start, end), for the trend chart."""
    query = (
        select(
            col(Payment.site_code), col(Payment.business_date), func.sum(col(Payment.amount_fen))
        )
        .where(col(Payment.business_date) >= start, col(Payment.business_date) < end)
        .where(col(Payment.deleted_at).is_(None))
        .group_by(col(Payment.site_code), col(Payment.business_date))
    )
    if site is not None:
        query = query.where(col(Payment.site_code) == site)
    series: dict[str, dict[date, int]] = defaultdict(dict)
    with central.connect() as conn:
        for code, day, fen in conn.execute(query):
            series[code][day] = int(fen)
    return dict(series)
