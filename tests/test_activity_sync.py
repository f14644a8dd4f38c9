"""Group activities and the central store: a course's whole life arrives, and the group
walk-ins that revision 0016 turns into sessions become the same rows on a desk and on the
central store, each upgraded on its own (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, func
from sqlmodel import select as orm_select

from db.migrate import alembic_config, upgrade
from db.models import (
    ActivitySession,
    Attendance,
    Enrolment,
    Payment,
    Person,
    Service,
    SessionMeeting,
    WalkIn,
)
from db.session import reading
from frontdesk.services import enrolment, session_attendance, sessions, walkins
from frontdesk.services.enrolment import ResidentInput
from frontdesk.services.walkins import WalkInInput
from tests.activity_support import course_input
from tests.conftest import FIXED_NOW
from tests.gig_support import CEILING_FEN
from tests.old_schema import group_walkin
from tests.sync_support import (
    PIN,
    actor_of,
    assert_central_equals_desk,
    central_store,
    new_desk,
    pending,
    register_people,
    site_rows,
    sync,
)

ACTIVITY_TABLES = (
    "residents",
    "activity_sessions",
    "session_meetings",
    "session_enrolments",
    "session_attendance",
)


def people(engine: Engine) -> list[uuid.UUID]:
    with reading(engine) as s:
        return list(s.exec(orm_select(Person.id).order_by(Person.id)))


def test_a_course_whole_life_reaches_the_central_store(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 4)
    a, b, c, _ = people(desk)
    actor = actor_of(desk, "HS01")
    made = sessions.create_session(desk, actor, course_input(desk), FIXED_NOW, CEILING_FEN)
    assert sync(desk, site_url).push.quarantined == 0  # planned: it is there already
    first = enrolment.enrol(desk, actor, made.id, FIXED_NOW, person_id=a, method="cash")
    enrolment.enrol(desk, actor, made.id, FIXED_NOW, person_id=b, method="wechat")
    enrolment.enrol(desk, actor, made.id, FIXED_NOW, person_id=c)  # waiting
    enrolment.withdraw(
        desk,
        actor,
        first.enrolment.id,
        "搬家",
        FIXED_NOW,
        refund=True,
        manager_id=actor.staff_id,
        pin=PIN,
    )
    meetings = sessions.list_meetings(desk, "HS01", made.id)
    for m in meetings[:2]:
        session_attendance.tick_all(desk, actor, m.id, FIXED_NOW)
    session_attendance.add_walk_up(
        desk, actor, meetings[2].id, FIXED_NOW, resident=ResidentInput("李四", "13900001111")
    )
    session_attendance.set_headcount(desk, actor, meetings[2].id, "3", FIXED_NOW)
    sessions.set_status(desk, actor, made.id, "done", FIXED_NOW)

    report = sync(desk, site_url)
    assert report.push.quarantined == 0 and report.pending == 0 and pending(desk) == 0
    assert_central_equals_desk(desk, hq, "HS01")
    central_rows = site_rows(hq, "HS01")
    assert {t: len(central_rows[t]) for t in ACTIVITY_TABLES} == {
        "residents": 1,
        "activity_sessions": 1,
        "session_meetings": 3,
        "session_enrolments": 3,
        "session_attendance": 5,  # 2 + 2 ticked, 1 walk-up
    }
    done = [e for e in central_rows["session_enrolments"].values() if e["completed"]]
    assert len(done) == 2  # b and c (moved up) attended 4 hours, the threshold
    fees = [p["amount_fen"] for p in central_rows["payments"].values()]
    assert sorted(fees) == [-30000, 30000, 30000]

    # A desk rebuilt from the central store has the course as it was, and goes on with it.
    from frontdesk.services.desk import open_desk
    from frontdesk.services.maintenance import check
    from frontdesk.sync.restore import restore

    rebuilt = tmp_path / "rebuilt.sqlite3"
    restore(site_url, "HS01", rebuilt)
    assert check(rebuilt) == []
    new = open_desk(rebuilt)
    assert site_rows(new, "HS01") == site_rows(desk, "HS01")
    listed = session_attendance.completion_list(new, "HS01", made.id)
    assert listed.final and listed.completed == 2
    new.dispose()


def group_walkins(engine: Engine) -> dict[str, int]:
    """A class with two named attendees, an event and a job fair counted, a voided class,
    and a one-to-one visit; returns the head count of each kept group walk-in by code."""
    actor = actor_of(engine, "HS01")
    with reading(engine) as s:
        code = {sv.code: sv.id for sv in s.exec(orm_select(Service))}
    a, b = people(engine)[:2]
    for svc, n, named in (("GY01", 18, [a, b]), ("GY02", 40, []), ("LG06", 120, [a])):
        group_walkin(
            engine, actor, code[svc], FIXED_NOW, headcount=n, attendees=named, duration_min=90
        )
    one = WalkInInput(service_id=code["LG04"], duration_min="90")
    walkins.log_walkin(engine, actor, one, FIXED_NOW, CEILING_FEN)
    voided = group_walkin(engine, actor, code["GY03"], FIXED_NOW, headcount=9)
    walkins.void_walkin(engine, actor, voided.id, "记错了", FIXED_NOW)
    return {"GY01": 18, "GY02": 40, "LG06": 120}


def back_to_0014_and_up(engine: Engine) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0014")
    upgrade(engine)


def visits_by_code(engine: Engine) -> dict[str, tuple[str, int]]:
    """Each migrated session's kind and visits (named present + counted), by service code."""
    with reading(engine) as s:
        rows = s.exec(
            orm_select(ActivitySession, Service.code, SessionMeeting.headcount)
            .join(Service, Service.id == ActivitySession.service_id)
            .join(SessionMeeting, SessionMeeting.session_id == ActivitySession.id)
        ).all()
        found = {}
        for session, code, counted in rows:
            named = s.exec(
                orm_select(func.count())
                .select_from(Attendance)
                .join(SessionMeeting, SessionMeeting.id == Attendance.meeting_id)
                .where(SessionMeeting.session_id == session.id)
            ).one()
            assert session.status == "done" and session.from_walkin_id is not None
            found[code] = (session.kind, named + counted)
    return found


def test_group_walkins_become_the_same_sessions_on_desk_and_central(central, tmp_path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 2)
    heads = group_walkins(desk)
    assert sync(desk, site_url).push.quarantined == 0

    back_to_0014_and_up(desk)  # each store upgraded on its own, as in the field
    back_to_0014_and_up(hq)
    central_store(url)  # head office's `central init` after the upgrade
    expected = {"GY01": ("class", 18), "GY02": ("event", 40), "LG06": ("job_fair", 120)}
    assert visits_by_code(desk) == expected == visits_by_code(hq)
    assert {code: n for code, (_, n) in expected.items()} == heads  # no count lost
    with reading(desk) as s:  # the walk-ins themselves stay as they were
        assert s.exec(orm_select(func.count()).select_from(WalkIn)).one() == 6
        assert s.exec(orm_select(func.count()).select_from(Enrolment)).one() == 0
        assert s.exec(orm_select(func.count()).select_from(Payment)).one() == 0

    report = sync(desk, site_url)  # the desk's migrated rows are a harmless re-send
    assert report.push.quarantined == 0 and pending(desk) == 0
    assert_central_equals_desk(desk, hq, "HS01")
