"""Group activities on a real desk: sessions, enrolment and its waiting list, fees through
the ledger, attendance per meeting, head counts and completion; bad input writes nothing."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func
from sqlmodel import select

from db.models import (
    ActivitySession,
    Attendance,
    Enrolment,
    Payment,
    Resident,
    SessionMeeting,
)
from db.session import reading
from frontdesk.domain import session_rules as rules
from frontdesk.domain.forms import FormErrors
from frontdesk.errors import UserError
from frontdesk.services import closeout, enrolment, session_attendance, sessions
from frontdesk.services.enrolment import ResidentInput
from tests.activity_support import course, course_input, service_id
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.gig_support import CEILING_FEN, TODAY, gig_desk, person


def counts(engine) -> dict[str, int]:
    tables = (ActivitySession, SessionMeeting, Enrolment, Attendance, Resident, Payment)
    with reading(engine) as s:
        return {t.__tablename__: s.exec(select(func.count()).select_from(t)).one() for t in tables}


# --- the session's own fields (item 9) -------------------------------------------------------


def test_a_course_is_planned_with_its_meetings(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d)
    row = sessions.get_session(d.engine, "HS01", made.id)
    assert (row.kind, row.status, row.capacity, row.fee_fen) == ("course", "planned", 2, 30000)
    assert row.completion_min == 240 and row.category_zh == "直播营销培训"
    meetings = sessions.list_meetings(d.engine, "HS01", made.id)
    assert [(m.meeting_date.day, m.starts_at, m.minutes) for m in meetings] == [
        (26, time(14), 120),
        (27, time(14), 120),
        (28, time(14), 120),
    ]


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"ends_on": "2026-11-25"}, "ends_on", "activity.dates_order"),
        ({"capacity": "0"}, "capacity", "activity.capacity"),
        ({"capacity": "-3"}, "capacity", "activity.capacity"),
        ({"title": " "}, "title", "gig.required"),
        ({"fee": "1.234"}, "fee", "money.format"),
        ({"kind": "party"}, "kind", "activity.kind"),
        ({"completion_hours": "0"}, "completion_hours", "activity.completion"),
        (
            {"meetings": [rules.MeetingInput("2026-11-26", "16:00", "14:00")]},
            "meeting_0",
            "activity.meeting_times",
        ),
        (
            {"meetings": [rules.MeetingInput("2026-12-01", "14:00", "16:00")]},
            "meeting_0",
            "activity.meeting_outside",
        ),
    ],
)
def test_bad_session_fields_are_refused_at_their_field_and_nothing_written(
    desk, fields, field, code
) -> None:
    d = gig_desk(desk[0])
    before = counts(d.engine)
    with pytest.raises(FormErrors) as caught:
        sessions.create_session(
            d.engine, d.clerk, course_input(d.engine, **fields), FIXED_NOW, CEILING_FEN
        )
    assert (field, code) in {(e.field, e.code) for e in caught.value.errors}
    assert counts(d.engine) == before


@pytest.mark.parametrize(
    ("start", "end", "weekdays", "count", "days"),
    [
        ("2026-11-23", "2026-12-06", "二四", "", ["11-24", "11-26", "12-01", "12-03"]),
        ("2026-11-23", "", "1,3,5", "5", ["11-23", "11-25", "11-27", "11-30", "12-02"]),
        ("2026-11-26", "2026-11-28", "", "", ["11-26", "11-27", "11-28"]),
        ("2026-11-28", "", "周六、周日", "3", ["11-28", "11-29", "12-05"]),
    ],
)
def test_meetings_planned_on_weekdays_to_the_last_day_or_by_number(
    desk, start, end, weekdays, count, days
) -> None:
    d = gig_desk(desk[0])
    plan = rules.ScheduleInput("14:00", "16:00", weekdays, count)
    raw = course_input(d.engine, starts_on=start, ends_on=end, meetings=[], schedule=plan)
    made = sessions.create_session(d.engine, d.clerk, raw, FIXED_NOW, CEILING_FEN)
    meetings = sessions.list_meetings(d.engine, "HS01", made.id)
    assert [f"{m.meeting_date:%m-%d}" for m in meetings] == days
    last = date.fromisoformat(end) if end else meetings[-1].meeting_date  # a number: it follows
    assert (made.starts_on, made.ends_on) == (date.fromisoformat(start), last)


@pytest.mark.parametrize(
    ("end", "weekdays", "count", "field", "code"),
    [
        ("2026-12-06", "8", "", "weekdays", "activity.weekdays"),
        ("2026-12-06", "星期x", "", "weekdays", "activity.weekdays"),
        ("", "135", "0", "meeting_count", "activity.meeting_count"),
        ("", "135", "61", "meeting_count", "activity.meeting_count"),
        ("2026-11-27", "六日", "", "weekdays", "activity.no_meeting_days"),
        ("2027-03-01", "", "", "ends_on", "activity.too_many_meetings"),
    ],
)
def test_a_bad_schedule_is_refused_at_its_field_and_nothing_written(
    desk, end, weekdays, count, field, code
) -> None:
    d = gig_desk(desk[0])
    before = counts(d.engine)
    plan = rules.ScheduleInput("14:00", "16:00", weekdays, count)
    raw = course_input(d.engine, starts_on="2026-11-23", ends_on=end, meetings=[], schedule=plan)
    with pytest.raises(FormErrors) as caught:
        sessions.create_session(d.engine, d.clerk, raw, FIXED_NOW, CEILING_FEN)
    assert (field, code) in {(e.field, e.code) for e in caught.value.errors}
    assert counts(d.engine) == before


def test_the_category_must_belong_to_the_kind(desk) -> None:
    d = gig_desk(desk[0])
    raw = course_input(d.engine, service_id=service_id(d.engine, "GY01"))  # a class's
    with pytest.raises(FormErrors) as caught:
        sessions.create_session(d.engine, d.clerk, raw, FIXED_NOW, CEILING_FEN)
    assert caught.value.errors[0].field == "service"


def test_the_store_refuses_what_the_rules_refuse(desk) -> None:
    """The constraints back the rules whatever path writes (a capacity of 0, a negative
    head count, a session ending before it starts)."""
    from sqlalchemy.exc import IntegrityError

    from db.session import writing

    d = gig_desk(desk[0])
    made = course(d)
    for column, value in (("capacity", 0), ("ends_on", date(2026, 11, 1))):
        with pytest.raises(IntegrityError), writing(d.engine) as s:
            row = s.get(ActivitySession, made.id)
            setattr(row, column, value)
    with pytest.raises(IntegrityError), writing(d.engine) as s:
        meeting = s.get(SessionMeeting, made.meetings[0])
        meeting.headcount = -1


# --- enrolment, the waiting list and fees (items 2, 5) --------------------------------------


def test_enrolment_takes_the_fee_through_the_ledger_in_one_transaction(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d)
    seeker = person(d, "王小红")
    done = enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=seeker, method="微信")
    assert done.enrolment.status == "enrolled" and done.payment is not None
    pay = done.payment
    assert (pay.amount_fen, pay.method, pay.business_date) == (30000, "wechat", TODAY)
    with reading(d.engine) as s:
        school = s.get(Payment, pay.id)
        assert school is not None and school.partner_id is not None  # the school's share
    report = closeout.x_report(d.engine, "HS01", TODAY)
    assert report.expected_fen["wechat"] == 30000
    assert report.partner_share_fen == 15000  # the school's 50 %


def test_a_fee_needs_its_method_and_nothing_is_written_without_it(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d)
    seeker = person(d)
    before = counts(d.engine)
    with pytest.raises(UserError) as caught:
        enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=seeker)
    assert caught.value.field == "method"
    assert counts(d.engine) == before


def test_nobody_enrols_twice_and_a_resident_is_a_light_masked_record(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d, capacity="", fee="")
    seeker = person(d)
    enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=seeker)
    resident = ResidentInput("欧阳娜娜", "138 1234 5678")
    enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, resident=resident)
    before = counts(d.engine)
    for kw in ({"person_id": seeker}, {"resident": ResidentInput("欧阳娜娜", "13812345678")}):
        with pytest.raises(UserError) as caught:
            enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, **kw)
        assert (caught.value.code, caught.value.field) == ("activity.enrolled_twice", "person")
    assert counts(d.engine) == before
    rows = enrolment.list_enrolments(d.engine, "HS01", made.id)
    # Names whole, as the seeker list shows them; phones masked, whoever enrolled.
    assert [(r.name, r.phone, r.registered) for r in rows][1] == ("欧阳娜娜", "138****5678", False)
    assert rows[0].name == "张三" and rows[0].phone.count("*") == 4
    roster = session_attendance.roster(d.engine, "HS01", made.meetings[0])
    assert [r.phone for r in roster] == [rows[0].phone, "138****5678"]


def test_a_bad_resident_is_refused_at_the_field(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d, fee="")
    before = counts(d.engine)
    with pytest.raises(FormErrors) as caught:
        enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, resident=ResidentInput("", "12"))
    assert {e.field for e in caught.value.errors} == {"name", "phone"}
    assert counts(d.engine) == before


def test_the_waiting_list_moves_up_when_someone_withdraws_with_a_refund(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d)  # two places
    a, b, c = person(d, "甲"), person(d, "乙"), person(d, "丙")
    first = enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=a, method="cash")
    enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=b, method="cash")
    waiting = enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=c)
    assert waiting.waiting and waiting.payment is None  # no fee while waiting

    with pytest.raises(UserError) as caught:  # a refund needs a manager's PIN
        enrolment.withdraw(d.engine, d.clerk, first.enrolment.id, "生病", FIXED_NOW, refund=True)
    assert caught.value.field == "manager"
    moved = enrolment.withdraw(
        d.engine,
        d.clerk,
        first.enrolment.id,
        "生病",
        FIXED_NOW,
        refund=True,
        manager_id=d.manager.staff_id,
        pin=MANAGER_PIN,
    )
    assert moved is not None and moved.id == waiting.enrolment.id
    rows = enrolment.list_enrolments(d.engine, "HS01", made.id)
    assert [r.status for r in rows] == ["enrolled", "enrolled", "withdrawn"]
    assert closeout.x_report(d.engine, "HS01", TODAY).expected_fen["cash"] == 30000  # 2 in, 1 out
    with reading(d.engine) as s:
        refund = s.exec(select(Payment).where(Payment.amount_fen < 0)).one()
        assert refund.reverses_id == first.payment.id
    fee = enrolment.pay_fee(d.engine, d.clerk, moved.id, "支付宝", FIXED_NOW)
    assert fee.amount_fen == 30000
    with pytest.raises(UserError):
        enrolment.pay_fee(d.engine, d.clerk, moved.id, "cash", FIXED_NOW)


def test_no_enrolment_in_a_finished_or_cancelled_session(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d, fee="")
    sessions.set_status(d.engine, d.clerk, made.id, "cancelled", FIXED_NOW)
    before = counts(d.engine)
    with pytest.raises(UserError) as caught:
        enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=person(d))
    assert (caught.value.code, caught.value.field) == ("activity.enrol_closed", "session")
    assert counts(d.engine) == before
    with pytest.raises(UserError) as moved:
        sessions.set_status(d.engine, d.clerk, made.id, "running", FIXED_NOW)
    assert moved.value.code == "activity.transition"


# --- attendance, head counts and completion (item 3) -----------------------------------------


def test_attendance_by_meeting_and_completion_by_hours(desk) -> None:
    d = gig_desk(desk[0])
    made = course(d, capacity="", fee="")
    a, b = person(d, "甲"), person(d, "乙")
    ea = enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=a).enrolment
    eb = enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=b).enrolment
    first, second, third = made.meetings
    assert session_attendance.tick_all(d.engine, d.clerk, first, FIXED_NOW) == 2
    assert sessions.get_session(d.engine, "HS01", made.id).status == "running"
    session_attendance.tick_all(d.engine, d.clerk, second, FIXED_NOW)
    session_attendance.set_present(d.engine, d.clerk, second, eb.id, False, FIXED_NOW)
    session_attendance.add_walk_up(
        d.engine, d.clerk, third, FIXED_NOW, resident=ResidentInput("李四", "13900001111")
    )
    session_attendance.set_present(d.engine, d.clerk, third, ea.id, True, FIXED_NOW)
    session_attendance.set_headcount(d.engine, d.clerk, third, "5", FIXED_NOW)

    roster = session_attendance.roster(d.engine, "HS01", second)
    assert [(r.present, r.minutes) for r in roster] == [(True, 120), (False, 0)]
    preview = session_attendance.completion_list(d.engine, "HS01", made.id)
    assert not preview.final and preview.threshold_min == 240
    assert [(r.attended_min, r.completed) for r in preview.rows] == [(360, True), (120, False)]
    sessions.set_status(d.engine, d.clerk, made.id, "done", FIXED_NOW)
    final = session_attendance.completion_list(d.engine, "HS01", made.id)
    assert final.final and final.completed == 1
    # 2 + 1 + (1 enrolled + 1 walk-up + 5 counted)
    assert sessions.get_session(d.engine, "HS01", made.id).visits == 10
    with pytest.raises(UserError):  # a finished session's attendance no longer changes
        session_attendance.tick_all(d.engine, d.clerk, first, FIXED_NOW)


def test_an_event_takes_a_head_count_never_below_zero(desk) -> None:
    d = gig_desk(desk[0])
    raw = rules.SessionInput(
        kind="event",
        title="冬至包饺子",
        service_id=service_id(d.engine, "GY02"),
        starts_on="2026-12-21",
        meetings=[rules.MeetingInput("2026-12-21", "09:30", "11:30")],
    )
    made = sessions.create_session(d.engine, d.clerk, raw, FIXED_NOW, CEILING_FEN)
    meeting = sessions.list_meetings(d.engine, "HS01", made.id)[0]
    before = counts(d.engine)
    for bad in ("-1", "三十"):
        with pytest.raises(UserError) as caught:
            session_attendance.set_headcount(d.engine, d.clerk, meeting.id, bad, FIXED_NOW)
        assert caught.value.field == "headcount"
    assert counts(d.engine) == before
    session_attendance.set_headcount(d.engine, d.clerk, meeting.id, "３８", FIXED_NOW)
    assert sessions.get_session(d.engine, "HS01", made.id).visits == 38
    with pytest.raises(UserError) as caught:  # events count walk-ups, nobody enrols
        enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=person(d))
    assert caught.value.code == "activity.no_enrolment"


def test_sessions_are_listed_by_date_and_kind(desk) -> None:
    d = gig_desk(desk[0])
    course(d, title="早的", starts_on="2026-11-20", meetings=[])
    course(d, title="晚的", starts_on="2026-12-01", ends_on="2026-12-05", meetings=[])
    titles = [r.title for r in sessions.list_sessions(d.engine, "HS01")]
    assert titles == ["早的", "晚的"]
    later = sessions.list_sessions(d.engine, "HS01", date_from=date(2026, 12, 1))
    assert [r.title for r in later] == ["晚的"]
    assert sessions.list_sessions(d.engine, "HS01", kind="event") == []


def test_the_completion_list_prints_and_exports_masked(desk, tmp_path) -> None:
    from openpyxl import load_workbook

    from frontdesk.i18n import set_language
    from frontdesk.services.completion_output import completion_text, write_completion

    set_language("zh")
    d = gig_desk(desk[0])
    made = course(d, capacity="", fee="")
    a = enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=person(d, "王小红"))
    enrolment.enrol(d.engine, d.clerk, made.id, FIXED_NOW, person_id=person(d, "李明"))
    for m in made.meetings[:2]:
        session_attendance.set_present(d.engine, d.clerk, m, a.enrolment.id, True, FIXED_NOW)
    sessions.set_status(d.engine, d.clerk, made.id, "done", FIXED_NOW)
    found = session_attendance.completion_list(d.engine, "HS01", made.id)
    text = completion_text(found)
    assert "直播营销培训第3期 结业名单" in text and "王**  139****" in text
    assert "结业 1 人，共 2 人" in text and "预览" not in text
    sheet = tmp_path / "结业.xlsx"
    write_completion(found, sheet)
    cells = [[c for c in row if c is not None] for row in load_workbook(sheet).active.values]
    assert cells[1] == ["结业学时", "4 小时"]
    assert cells[3][0] == "王**" and cells[3][2:] == ["4", "结业"]
    assert cells[4][0] == "李*" and cells[4][2:] == ["0"]
