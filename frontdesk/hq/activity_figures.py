"""Head office's group-activity figures for a period (issue 18), per community.

Each figure is defined once, here and in the README ("Headline figures"):
- job_fairs: job-fair sessions, not cancelled, with a meeting in the period;
- trainings: training courses finished (done) with their last day in the period;
- trainees_completed: people who completed those courses (结业), stamped when finished;
- classes_events: class and event sessions, not cancelled, with a meeting in the period;
- visits: 人次 at those sessions' meetings in the period: people ticked present plus the
  people counted without names.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, Engine, func, select
from sqlmodel import col

from db.models import ActivitySession, Attendance, Enrolment, SessionMeeting

GROUP_KINDS = ("class", "event")
FIGURES = ("job_fairs", "trainings", "trainees_completed", "classes_events", "visits")


def activity_totals(conn: Connection, start: date, end: date) -> dict[str, dict[str, int]]:
    """Site code -> figure -> count, for business days start <= day < end."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    in_period = (col(SessionMeeting.meeting_date) >= start) & (
        col(SessionMeeting.meeting_date) < end
    )
    held = (
        select(
            col(ActivitySession.site_code),
            col(ActivitySession.kind),
            func.count(func.distinct(col(ActivitySession.id))),
        )
        .join(SessionMeeting, col(SessionMeeting.session_id) == ActivitySession.id)
        .where(in_period, col(ActivitySession.status) != "cancelled")
        .where(col(ActivitySession.deleted_at).is_(None))
        .group_by(col(ActivitySession.site_code), col(ActivitySession.kind))
    )
    for site, kind, n in conn.execute(held):
        if kind == "job_fair":
            found[site]["job_fairs"] = n
        elif kind in GROUP_KINDS:
            found[site]["classes_events"] = found[site].get("classes_events", 0) + n
    finished = (col(ActivitySession.kind) == "course") & (col(ActivitySession.status) == "done")
    finished &= (col(ActivitySession.ends_on) >= start) & (col(ActivitySession.ends_on) < end)
    for site, n in conn.execute(
        select(col(ActivitySession.site_code), func.count())
        .where(finished)
        .group_by(col(ActivitySession.site_code))
    ):
        found[site]["trainings"] = n
    for site, n in conn.execute(
        select(col(ActivitySession.site_code), func.count())
        .join(Enrolment, col(Enrolment.session_id) == ActivitySession.id)
        .where(finished, col(Enrolment.completed).is_(True), col(Enrolment.status) == "enrolled")
        .group_by(col(ActivitySession.site_code))
    ):
        found[site]["trainees_completed"] = n
    for site, n in _visits(conn, in_period):
        found[site]["visits"] = found[site].get("visits", 0) + int(n or 0)
    return found


def _visits(conn: Connection, in_period) -> list:
    group = col(ActivitySession.kind).in_(GROUP_KINDS) & (
        col(ActivitySession.status) != "cancelled"
    )
    named = conn.execute(
        select(col(ActivitySession.site_code), func.count())
        .join(SessionMeeting, col(SessionMeeting.session_id) == ActivitySession.id)
        .join(Attendance, col(Attendance.meeting_id) == SessionMeeting.id)
        .where(group, in_period, col(Attendance.present).is_(True))
        .group_by(col(ActivitySession.site_code))
    ).all()
    counted = conn.execute(
        select(col(ActivitySession.site_code), func.sum(SessionMeeting.headcount))
        .join(SessionMeeting, col(SessionMeeting.session_id) == ActivitySession.id)
        .where(group, in_period)
        .group_by(col(ActivitySession.site_code))
    ).all()
    return [*named, *counted]


def district_totals(central: Engine, start: date, end: date) -> dict[str, int]:
    """Every community's group-activity figures added up (the dashboard's headline line)."""
    total = dict.fromkeys(FIGURES, 0)
    with central.connect() as conn:
        for figures in activity_totals(conn, start, end).values():
            for key, n in figures.items():
                total[key] += n
    return total
