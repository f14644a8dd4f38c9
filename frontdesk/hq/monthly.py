"""The monthly report across all communities (`frontdesk hq report --month`), and the same
figures with the district's headline figures for any period (`--from --to`).

Closed days count as their close-outs recorded them (the locked Z figures); a day with
entries and no close-out yet counts as its X report, worked out by the same code the desk
uses, so the month always equals the sum of the days' reports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from db.models import AuditLog, Closeout, Payment, Service, WalkIn
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.errors import UserError
from frontdesk.hq.activity_figures import activity_totals
from frontdesk.hq.figures import _sites, gig_totals, next_month, registered
from frontdesk.hq.job_figures import KEYS as JOB_KEYS
from frontdesk.hq.job_figures import job_figures
from frontdesk.services.closeout import x_report

MONEY_KEYS = (
    "income_fen",
    "partner_share_fen",
    "community_proceeds_fen",
    "rebate_fen",
    "wages_fen",
    "over_fen",
    "short_fen",
)
COUNT_KEYS = (
    "walkins",
    "seekers_registered",
    "seekers_employed",
    "gig_workers",
    "pieces",
    "closeouts",
    "open_days",
    "job_fairs",
    "trainings",
    "trainees_completed",
    "classes_events",
    "visits",
    *JOB_KEYS,
)


@dataclass
class SiteMonth:
    site: str
    name: str
    last_sync: datetime | None = None
    income_fen: int = 0
    partner_share_fen: int = 0
    community_proceeds_fen: int = 0
    rebate_fen: int = 0
    walkins: int = 0
    walkins_by_line: dict[str, int] = field(default_factory=dict)
    seekers_registered: int = 0
    seekers_employed: int = 0
    gig_workers: int = 0
    pieces: int = 0
    wages_fen: int = 0
    over_fen: int = 0  # 长款, summed apart from shorts (never netted)
    short_fen: int = 0  # 短款, a negative number
    closeouts: int = 0
    open_days: int = 0  # days with entries and no close-out: counted from their X report
    job_fairs: int = 0  # the group-activity figures: frontdesk/hq/activity_figures.py
    trainings: int = 0
    trainees_completed: int = 0
    classes_events: int = 0
    visits: int = 0
    # employment services (hq/job_figures.py)
    employers_served: int = 0
    postings_published: int = 0
    positions_offered: int = 0
    referrals: int = 0
    intentions_reached: int = 0
    people_placed: int = 0
    fair_referrals: int = 0  # of the referrals and intentions, those made at job fairs
    fair_intentions: int = 0


@dataclass
class MonthReport:
    month: str  # YYYY-MM; "" for a period given by its days
    sites: list[SiteMonth]
    total: SiteMonth
    start: date | None = None  # a period's first and last day (both counted)
    last: date | None = None

    @property
    def label(self) -> str:
        return self.month or f"{self.start} – {self.last}"


def parse_month(text: str) -> date:
    """Exactly YYYY-MM: strptime alone takes 2026-1, which may be a slip for 2026-10."""
    try:
        if len(text.strip()) != 7:
            raise ValueError(text)
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise UserError("hq.bad_month", field="month", value=text) from None


def month_report(central: Engine, month: date) -> MonthReport:
    start = month.replace(day=1)
    sites = period_sites(central, start, next_month(month))
    return MonthReport(start.strftime("%Y-%m"), sites, _total(sites))


def period_report(central: Engine, first: date, last: date) -> MonthReport:
    """Every figure for the days first..last (both counted), per community and in total."""
    if last < first:
        raise UserError("hq.bad_period", field="to", first=first, last=last)
    sites = period_sites(central, first, last + timedelta(days=1))
    return MonthReport("", sites, _total(sites), first, last)


def period_sites(central: Engine, start: date, end: date) -> list[SiteMonth]:
    """Each community's figures for business days start <= day < end."""
    with central.connect() as conn:
        sites = {code: SiteMonth(f.site, f.name, f.last_sync) for code, f in _sites(conn).items()}
        _closeouts(conn, sites, start, end)
        open_days = _open_days(conn, start, end)
        _walkins(conn, sites, start, end)
        _people(conn, sites, start, end)
        _gigs(conn, sites, start, end)
        activities = activity_totals(conn, start, end)
        _jobs(conn, sites, start, end)
    for site, day in open_days:
        if site in sites:
            _add_open_day(sites[site], x_report(central, site, day))
    for site, figures in activities.items():
        if site in sites:
            for key, n in figures.items():
                setattr(sites[site], key, n)
    return [sites[code] for code in sorted(sites)]


def _closeouts(conn: Connection, sites, start: date, end: date) -> None:
    rows = conn.execute(
        select(Closeout).where(
            col(Closeout.business_date) >= start, col(Closeout.business_date) < end
        )
    )
    for c in rows:
        row = sites.get(c.site_code)
        if row is None:
            continue
        row.closeouts += 1
        row.income_fen += c.income_fen
        row.partner_share_fen += c.partner_share_fen
        row.community_proceeds_fen += c.community_proceeds_fen
        row.rebate_fen += c.rebate_fen
        for fen in (c.over_short_fen or {}).values():
            if fen > 0:
                row.over_fen += fen
            else:
                row.short_fen += fen


def _open_days(conn: Connection, start: date, end: date) -> list[tuple[str, date]]:
    closed = select(col(Closeout.id)).where(
        and_(
            col(Closeout.site_code) == Payment.site_code,
            col(Closeout.business_date) == Payment.business_date,
        )
    )
    return list(
        conn.execute(
            select(col(Payment.site_code), col(Payment.business_date))
            .distinct()
            .where(col(Payment.business_date) >= start, col(Payment.business_date) < end)
            .where(~closed.exists())
            .order_by(col(Payment.site_code), col(Payment.business_date))
        ).all()
    )


def _add_open_day(row: SiteMonth, report) -> None:
    row.open_days += 1
    row.income_fen += report.income_fen
    row.partner_share_fen += report.partner_share_fen
    row.community_proceeds_fen += report.community_proceeds_fen
    row.rebate_fen += report.rebate_fen


def _walkins(conn: Connection, sites, start: date, end: date) -> None:
    sign = case((col(WalkIn.reverses_id).is_(None), 1), else_=-1)
    rows = conn.execute(
        select(col(WalkIn.site_code), col(Service.line), func.sum(sign))
        .join(Service, col(Service.id) == WalkIn.service_id)
        .where(col(WalkIn.business_date) >= start, col(WalkIn.business_date) < end)
        .where(col(WalkIn.deleted_at).is_(None))
        .group_by(col(WalkIn.site_code), col(Service.line))
    )
    for site, line, n in rows:
        if site in sites:
            sites[site].walkins += int(n)
            sites[site].walkins_by_line[line] = int(n)


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time(), LOCAL_TZ),
        datetime.combine(end, time(), LOCAL_TZ),
    )


def _people(conn: Connection, sites, start: date, end: date) -> None:
    for site, n in registered(conn, start, end):
        if site in sites:
            sites[site].seekers_registered = n
    since, until = _local_bounds(start, end)
    for site, n in conn.execute(  # a status set to employed during the month, per person
        select(col(AuditLog.site_code), func.count(func.distinct(col(AuditLog.entity_id))))
        .where(col(AuditLog.action) == "seeker_status", col(AuditLog.detail) == "employed")
        .where(col(AuditLog.at) >= since, col(AuditLog.at) < until)
        .group_by(col(AuditLog.site_code))
    ):
        if site in sites:
            sites[site].seekers_employed = n


def _gigs(conn: Connection, sites, start: date, end: date) -> None:
    for site, workers, pieces, wages in gig_totals(conn, start, end):
        if site in sites:
            row = sites[site]
            row.gig_workers, row.pieces, row.wages_fen = workers, pieces, wages


def _jobs(conn: Connection, sites, start: date, end: date) -> None:
    for site, figures in job_figures(conn, start, end).items():
        if site in sites:
            for key in JOB_KEYS:
                setattr(sites[site], key, getattr(figures, key))


def _total(rows: list[SiteMonth]) -> SiteMonth:
    total = SiteMonth("", "")
    for row in rows:
        for key in (*MONEY_KEYS, *COUNT_KEYS):
            setattr(total, key, getattr(total, key) + getattr(row, key))
        for line, n in row.walkins_by_line.items():
            total.walkins_by_line[line] = total.walkins_by_line.get(line, 0) + n
    return total


def report_json(report: MonthReport) -> dict:
    """CLI.md's keys first, then the rest of the figures (extended, never renamed)."""

    def figures(row: SiteMonth) -> dict:
        data = asdict(row)
        for key in ("site", "name", "last_sync"):
            data.pop(key)
        return data

    sites = [
        {
            "site": row.site,
            **figures(row),
            "name": row.name,
            "last_sync": row.last_sync.isoformat() if row.last_sync else None,
        }
        for row in report.sites
    ]
    span = (
        {"month": report.month}
        if report.month
        else {"from": str(report.start), "to": str(report.last)}
    )
    return {**span, "sites": sites, "total": figures(report.total)}
