"""The district's headline figures for any period, checked figure by figure against a
central store filled by several synced desks (SQLite and PostgreSQL), and on the command
line (`frontdesk hq report --from --to`)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from frontdesk.domain.session_rules import MeetingInput, SessionInput
from frontdesk.errors import UserError
from frontdesk.hq.activity_figures import district_totals
from frontdesk.hq.job_figures import district_job_totals
from frontdesk.hq.monthly import period_report, report_json
from frontdesk.services import (
    employers,
    enrolment,
    fairs,
    postings,
    referrals,
    seekers,
    session_attendance,
    sessions,
)
from frontdesk.services.employers import EmployerInput
from frontdesk.services.enrolment import ResidentInput
from tests.activity_support import course_input, posting_input, service_id
from tests.conftest import FIXED_NOW
from tests.gig_support import CEILING_FEN
from tests.sync_support import actor_of, new_desk, pending, register_people, sync
from tests.test_activity_sync import people
from tests.test_cli import run


def one_meeting(engine: Engine, kind: str, code: str, day: str, **fields: object) -> SessionInput:
    raw = SessionInput(
        kind=kind,
        title=f"{kind} {day}",
        service_id=service_id(engine, code),
        starts_on=day,
        meetings=[MeetingInput(day, "09:00", "11:00")],
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


def activities(engine: Engine, site: str, fairs: int, heads: int) -> None:
    """`fairs` job fairs and a class in the period, a course finished in it (two of three
    complete), an event cancelled, and a class after the period."""
    actor = actor_of(engine, site)
    make = sessions.create_session

    def meeting_of(session_id):
        return sessions.list_meetings(engine, site, session_id)[0].id

    for n in range(fairs):
        fair = make(
            engine,
            actor,
            one_meeting(engine, "job_fair", "LG06", f"2026-11-0{n + 2}"),
            FIXED_NOW,
            CEILING_FEN,
        )
        session_attendance.set_headcount(engine, actor, meeting_of(fair.id), "100", FIXED_NOW)
    lesson = make(
        engine, actor, one_meeting(engine, "class", "GY01", "2026-11-10"), FIXED_NOW, CEILING_FEN
    )
    who = people(engine)
    for person in who[:2]:
        enrolment.enrol(engine, actor, lesson.id, FIXED_NOW, person_id=person)
    session_attendance.tick_all(engine, actor, meeting_of(lesson.id), FIXED_NOW)
    session_attendance.add_walk_up(
        engine,
        actor,
        meeting_of(lesson.id),
        FIXED_NOW,
        resident=ResidentInput("李四", "13900001111"),
    )
    session_attendance.set_headcount(engine, actor, meeting_of(lesson.id), str(heads), FIXED_NOW)
    course = make(engine, actor, course_input(engine, capacity="", fee=""), FIXED_NOW, CEILING_FEN)
    places = [
        enrolment.enrol(engine, actor, course.id, FIXED_NOW, person_id=p).enrolment.id
        for p in who[:3]
    ]
    for n, m in enumerate(sessions.list_meetings(engine, site, course.id)):
        session_attendance.tick_all(engine, actor, m.id, FIXED_NOW)
        if n:  # the third attends the first meeting only: 2 of the 4 hours needed
            session_attendance.set_present(engine, actor, m.id, places[2], False, FIXED_NOW)
    sessions.set_status(engine, actor, course.id, "done", FIXED_NOW)
    cancelled = make(
        engine, actor, one_meeting(engine, "event", "GY02", "2026-11-12"), FIXED_NOW, CEILING_FEN
    )
    session_attendance.set_headcount(engine, actor, meeting_of(cancelled.id), "50", FIXED_NOW)
    sessions.set_status(engine, actor, cancelled.id, "cancelled", FIXED_NOW)
    later = make(
        engine, actor, one_meeting(engine, "class", "GY01", "2026-12-03"), FIXED_NOW, CEILING_FEN
    )
    session_attendance.set_headcount(engine, actor, meeting_of(later.id), "7", FIXED_NOW)


def employment(engine: Engine, site: str, busy: bool) -> None:
    """Postings published in the period; on a busy site referrals too: two at its first job
    fair (one intention, one placed straight away) and one at the desk (an intention), and
    a seeker set employed by hand (counted as employed, not as placed)."""
    actor = actor_of(engine, site)
    firm = employers.add_employer(engine, actor, EmployerInput(name="恒达五金"), FIXED_NOW).id

    def post(positions: str) -> uuid.UUID:
        raw = posting_input(positions=positions)
        return postings.add_posting(engine, actor, firm, raw, FIXED_NOW).id

    if not busy:
        post("1")
        return
    at_fair, at_desk = post("2"), post("3")
    fair = sessions.list_sessions(engine, site, kind="job_fair")[0]
    meeting = sessions.list_meetings(engine, site, fair.id)[0].id
    fairs.add_posting(engine, actor, fair.id, at_fair, FIXED_NOW)
    a, b, c = people(engine)[:3]
    for person in (a, b):
        session_attendance.add_walk_up(engine, actor, meeting, FIXED_NOW, person_id=person)
    sent = [
        referrals.refer(engine, actor, at_fair, a, FIXED_NOW, session_id=fair.id),
        referrals.refer(engine, actor, at_fair, b, FIXED_NOW, session_id=fair.id),
        referrals.refer(engine, actor, at_desk, c, FIXED_NOW),
    ]
    for referral, outcome in zip(sent, ("intention", "placed", "intention"), strict=True):
        referrals.record_outcome(engine, actor, referral.id, outcome, FIXED_NOW)
    seekers.set_status(engine, actor, c, "employed", "自己找到工作", FIXED_NOW)


@pytest.fixture
def district(central, tmp_path: Path) -> tuple[str, Engine]:
    url, hq = central
    for site, held, heads in (("HS01", 2, 30), ("HS02", 1, 12)):
        desk, site_url = new_desk(tmp_path, site, url)
        register_people(desk, site, 0, 3)
        activities(desk, site, held, heads)
        employment(desk, site, busy=site == "HS01")
        assert sync(desk, site_url).push.quarantined == 0 and pending(desk) == 0
        desk.dispose()
    return url, hq


def test_headline_figures_figure_by_figure(district) -> None:
    _, hq = district
    report = period_report(hq, date(2026, 11, 1), date(2026, 11, 30))
    got = {
        row.site: (
            row.job_fairs,
            row.trainings,
            row.trainees_completed,
            row.classes_events,
            row.visits,
        )
        for row in report.sites
    }
    # the class: 2 ticked + 1 walk-up + the head count; the cancelled event counts nothing
    assert got == {"HS01": (2, 1, 2, 1, 33), "HS02": (1, 1, 2, 1, 15)}
    total = report.total
    assert (total.job_fairs, total.trainings, total.trainees_completed) == (3, 2, 4)
    assert (total.classes_events, total.visits) == (2, 48)
    month = district_totals(hq, date(2026, 11, 1), date(2026, 12, 1))  # the dashboard's line
    assert month == {
        "job_fairs": 3,
        "trainings": 2,
        "trainees_completed": 4,
        "classes_events": 2,
        "visits": 48,
    }
    # Employment: postings and positions, intentions (at fairs apart), placements by the
    # referrals' outcome; the seeker set employed by hand is employed, not placed.
    jobs = {
        row.site: (
            row.postings_published,
            row.positions_offered,
            row.referrals,
            row.intentions_reached,
            row.people_placed,
            row.seekers_employed,
            row.fair_referrals,
            row.fair_intentions,
        )
        for row in report.sites
    }
    assert jobs == {"HS01": (2, 5, 3, 3, 1, 2, 2, 2), "HS02": (1, 1, 0, 0, 0, 0, 0, 0)}
    assert (total.postings_published, total.positions_offered) == (3, 6)
    assert (total.intentions_reached, total.people_placed, total.fair_intentions) == (3, 1, 2)
    dashboard = district_job_totals(hq, date(2026, 11, 1), date(2026, 12, 1))  # its 2nd line
    assert dashboard == {
        "employers_served": total.employers_served,
        "postings_published": 3,
        "positions_offered": 6,
        "referrals": 3,
        "intentions_reached": 3,
        "people_placed": 1,
        "fair_referrals": 2,
        "fair_intentions": 2,
    }
    december = period_report(hq, date(2026, 12, 1), date(2026, 12, 31)).total
    assert (december.classes_events, december.visits, december.trainings) == (2, 14, 0)
    with pytest.raises(UserError):
        period_report(hq, date(2026, 11, 30), date(2026, 11, 1))


def test_the_period_report_on_the_command_line(district, tmp_path: Path) -> None:
    url, _ = district
    out = run(
        "hq",
        "report",
        "--central",
        url,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["from"], data["to"]) == ("2026-11-01", "2026-11-30")
    assert data["total"]["job_fairs"] == 3 and data["total"]["visits"] == 48
    total = data["total"]
    assert (total["postings_published"], total["positions_offered"]) == (3, 6)
    assert (total["intentions_reached"], total["people_placed"]) == (3, 1)
    assert (total["fair_referrals"], total["fair_intentions"]) == (2, 2)
    assert [s["site"] for s in data["sites"]] == ["HS01", "HS02"]
    text = run("hq", "report", "--central", url, "--from", "2026-11-01", "--to", "2026-11-30")
    assert "街道主要指标" in text.stdout and "服务人次" in text.stdout
    headline = text.stdout.split("街道主要指标")[1].split("\n\n")[0]
    assert "上岗人数" in headline and "已就业" not in headline  # placed, not set employed
    sheet = tmp_path / "period.xlsx"
    written = run(
        "hq",
        "report",
        "--central",
        url,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "xlsx",
        "-o",
        str(sheet),
    )
    assert written.returncode == 0 and sheet.stat().st_size > 0
    half = run("hq", "report", "--central", url, "--from", "2026-11-01")
    assert half.returncode == 2
    assert report_json(period_report_of(url))["total"]["visits"] == 48


def period_report_of(url: str):
    from db.engine import make_engine

    engine = make_engine(url)
    try:
        return period_report(engine, date(2026, 11, 1), date(2026, 11, 30))
    finally:
        engine.dispose()
