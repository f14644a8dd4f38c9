"""Head office's employment-service figures per community (零工市场): one home for the
month report and the dashboard.

In a period [start, end): a posting is published on its `valid_from`; employers served are
the distinct employers of those postings; positions offered, their positions; referrals,
those made (`referred_on`); an intention reached (达成就业意向) is a referral whose first
step to "intention" or "placed" was recorded in the period (a placement straight away
reaches the intention too), and people placed are distinct seekers placed (`placed_on`).
Of those referrals and intentions, the ones made at a job fair (`referrals.session_id`)
are counted again apart: fair_referrals and fair_intentions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from db.models import JobPosting, Referral, ReferralEvent
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.domain.job_rules import REACHED_INTENTION


@dataclass
class JobFigures:
    employers_served: int = 0
    postings_published: int = 0
    positions_offered: int = 0
    referrals: int = 0
    intentions_reached: int = 0
    people_placed: int = 0
    fair_referrals: int = 0
    fair_intentions: int = 0


KEYS = tuple(f.name for f in fields(JobFigures))


def job_figures(conn: Connection, start: date, end: date) -> dict[str, JobFigures]:
    """The six figures per site with any of them in the period."""
    found: dict[str, JobFigures] = {}

    def put(site: str, **values: int) -> None:
        row = found.setdefault(site, JobFigures())
        for key, value in values.items():
            setattr(row, key, int(value or 0))

    for site, employers, postings, positions in conn.execute(_postings(start, end)):
        put(
            site,
            employers_served=employers,
            postings_published=postings,
            positions_offered=positions,
        )
    for site, n, at_fairs in conn.execute(_referrals(start, end)):
        put(site, referrals=n, fair_referrals=at_fairs)
    for site, n, at_fairs in conn.execute(_intentions(start, end)):
        put(site, intentions_reached=n, fair_intentions=at_fairs)
    for site, n in conn.execute(_placed(start, end)):
        put(site, people_placed=n)
    return found


def district_job_totals(central: Engine, start: date, end: date) -> dict[str, int]:
    """Every community's figures added up (the dashboard's headline): a person is placed
    at one community, so the sum of each community's distinct people is the district's."""
    total = dict.fromkeys(KEYS, 0)
    with central.connect() as conn:
        for figures in job_figures(conn, start, end).values():
            for key in KEYS:
                total[key] += getattr(figures, key)
    return total


def _live(model):
    return col(model.deleted_at).is_(None)


def _postings(start: date, end: date):
    return (
        select(
            col(JobPosting.site_code),
            func.count(func.distinct(col(JobPosting.employer_id))),
            func.count(),
            func.coalesce(func.sum(col(JobPosting.positions)), 0),
        )
        .where(col(JobPosting.valid_from) >= start, col(JobPosting.valid_from) < end)
        .where(_live(JobPosting))
        .group_by(col(JobPosting.site_code))
    )


def _at_fair():
    """Counts the rows whose referral was made at a job fair (count skips NULLs)."""
    return func.count(col(Referral.session_id))


def _referrals(start: date, end: date):
    return (
        select(col(Referral.site_code), func.count(), _at_fair())
        .where(col(Referral.referred_on) >= start, col(Referral.referred_on) < end)
        .where(_live(Referral))
        .group_by(col(Referral.site_code))
    )


def _intentions(start: date, end: date):
    since = datetime.combine(start, time(), LOCAL_TZ)
    until = datetime.combine(end, time(), LOCAL_TZ)
    first = (
        select(
            col(ReferralEvent.site_code).label("site"),
            col(ReferralEvent.referral_id).label("referral_id"),
            func.min(col(ReferralEvent.at)).label("at"),
        )
        .where(col(ReferralEvent.outcome).in_(REACHED_INTENTION))
        .group_by(col(ReferralEvent.site_code), col(ReferralEvent.referral_id))
        .subquery()
    )
    return (
        select(first.c.site, func.count(), _at_fair())
        .join(Referral, col(Referral.id) == first.c.referral_id)
        .where(first.c.at >= since, first.c.at < until)
        .group_by(first.c.site)
    )


def _placed(start: date, end: date):
    return (
        select(col(Referral.site_code), func.count(func.distinct(col(Referral.person_id))))
        .where(col(Referral.placed_on) >= start, col(Referral.placed_on) < end)
        .where(_live(Referral))
        .group_by(col(Referral.site_code))
    )
