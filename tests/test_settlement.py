"""Attendance and settlement, end to end on a real desk: board, wages, warnings, pay slips."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len
from sqlalchemy import text
from sqlmodel import select

from db.models import AuditLog, GigAssignment, GigOrder, Outbox, Person, PersonJob
from db.session import reading
from frontdesk.domain.forms import FormErrors
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.services import attendance, dispatch, gigs, settlement
from frontdesk.services.closeout import day_report
from frontdesk.services.pay_slip import pay_slip, slip_text, write_slip_text, write_slip_xlsx
from tests.conftest import FIXED_NOW
from tests.gig_support import TODAY, Desk, at, gig_desk, order, person, row_counts, versions


@pytest.fixture
def d(desk) -> Desk:
    return gig_desk(desk[0])


def worked(d: Desk, accepted: int = 150, **fields: object):
    """A worker dispatched, checked in at 09:00, 160/accepted/… pieces, out at 12:00."""
    order_id = order(d, **fields)
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    attendance.check_in(d.engine, d.clerk, a.id, at(9))
    attendance.record_pieces(d.engine, d.clerk, a.id, accepted + 10, accepted, 10, at(11))
    attendance.check_out(d.engine, d.clerk, a.id, at(12))
    return a.id, order_id


def _row(d: Desk, assignment_id) -> GigAssignment:
    with reading(d.engine) as s:
        return s.get(GigAssignment, assignment_id)


# --- the whole way through ---------------------------------------------------------------------


def test_create_dispatch_check_in_out_and_settle(d: Desk) -> None:
    order_id = order(d, service_fee="10", fee_method="wechat")
    worker = person(d, "王小红")
    a = dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    (line,) = attendance.today_board(d.engine, "HS01", TODAY)
    assert (line.name, line.status, line.wage_fen) == ("王小红", "assigned", None)

    attendance.check_in(d.engine, d.clerk, a.id, at(9, 2))
    assert gigs.get_order(d.engine, "HS01", order_id).status == "in_progress"
    attendance.record_pieces(d.engine, d.clerk, a.id, "160", "150", "10", at(11))
    attendance.check_out(d.engine, d.clerk, a.id, at(12, 5))
    (line,) = attendance.today_board(d.engine, "HS01", TODAY)
    assert (line.status, line.minutes_worked, line.wage_fen) == ("checked_out", 183, 5325)

    quoted = settlement.quote(d.engine, "HS01", a.id, at(15))
    done = settlement.settle(d.engine, d.manager, a.id, "微信", "WX4200001234", at(15))
    assert done.quote == quoted and done.quote.wage_fen == 5325  # 150 × 35.5 fen
    assert done.quote.notices == []
    row = _row(d, a.id)
    assert (row.status, row.wage_fen, row.pay_method, row.pay_reference) == (
        "settled",
        5325,
        "wechat",
        "WX4200001234",
    )
    assert (row.settled_by, row.settled_at, row.dispatched_by) == (
        d.manager.staff_id,
        at(15),
        d.clerk.staff_id,
    )
    with reading(d.engine) as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.entity_id == a.id)).all()
        versions_sent = s.exec(
            select(Outbox.row_version).where(Outbox.row_id == a.id).order_by(Outbox.seq)
        ).all()
    assert list(actions) == [
        "gig_assign",
        "gig_check_in",
        "gig_pieces",
        "gig_check_out",
        "gig_settle",
    ]
    assert list(versions_sent) == [1, 2, 3, 4, 5, 6]  # 'paying' and 'settled' both sent
    gigs.set_order_status(d.engine, d.clerk, order_id, "done", at(16))


# --- paying once -------------------------------------------------------------------------------


def test_a_second_settlement_is_refused_and_writes_nothing(d: Desk) -> None:
    aid, _ = worked(d)
    settlement.settle(d.engine, d.clerk, aid, "cash", "", at(15))
    before, kept = row_counts(d.engine), versions(d.engine, "gig_assignments")
    with pytest.raises(UserError) as caught:
        settlement.settle(d.engine, d.clerk, aid, "cash", "", at(16))
    assert caught.value.code == "gig.state.settled"
    assert "不能重复支付" in caught.value.message()
    assert row_counts(d.engine) == before and versions(d.engine, "gig_assignments") == kept


def test_racing_settlements_pay_once(d: Desk) -> None:
    aid, _ = worked(d)
    start = threading.Barrier(4)
    results: list[object] = []

    def pay() -> None:
        start.wait()
        try:
            results.append(settlement.settle(d.engine, d.clerk, aid, "cash", "", at(15)))
        except UserError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    paid = [r for r in results if isinstance(r, settlement.Settled)]
    assert (
        len(paid) == 1
        and sorted(r for r in results if isinstance(r, str)) == ["gig.state.settled"] * 3
    )
    with reading(d.engine) as s:
        settles = s.exec(select(AuditLog).where(AuditLog.action == "gig_settle")).all()
    assert len(settles) == 1


def test_a_payment_left_in_paying_blocks_another(d: Desk) -> None:
    aid, _ = worked(d)
    with d.engine.begin() as conn:  # as if a desk had died halfway through a payment
        conn.execute(
            text(
                "UPDATE gig_assignments SET status = 'paying', row_version = row_version + 1 "
                "WHERE id = :id"
            ),
            {"id": aid.hex},
        )
    with pytest.raises(UserError) as caught:
        settlement.settle(d.engine, d.clerk, aid, "cash", "", at(15))
    assert caught.value.code == "gig.state.paying"


def test_wages_are_not_income_but_the_service_fee_is(d: Desk) -> None:
    empty = day_report(d.engine, "HS01", TODAY)
    assert empty.income_fen == 0
    aid, _ = worked(d, service_fee="12.50", fee_method="wechat")
    with_fee = day_report(d.engine, "HS01", TODAY)
    assert with_fee.income_fen == 1250  # the order's service fee is the center's income
    assert with_fee.expected_fen["wechat"] == 1250
    settled = settlement.settle(d.engine, d.manager, aid, "cash", "", at(15))
    assert settled.quote.wage_fen == 5325
    after = day_report(d.engine, "HS01", TODAY)
    assert after.income_fen == with_fee.income_fen  # the wage paid out is not
    assert after.expected_fen == with_fee.expected_fen  # nor does it touch the cash drawer
    assert after.community_proceeds_fen == with_fee.community_proceeds_fen


def test_only_a_checked_out_worker_is_paid(d: Desk) -> None:
    order_id = order(d)
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    with pytest.raises(UserError) as caught:
        settlement.settle(d.engine, d.clerk, a.id, "cash", "", at(15))
    assert caught.value.code == "gig.state.assigned"
    with pytest.raises(UserError) as caught:
        settlement.quote(d.engine, "HS01", a.id, at(15))
    assert caught.value.code == "gig.state.assigned"


def test_method_and_proof_of_payment(d: Desk) -> None:
    aid, _ = worked(d)
    with pytest.raises(FormErrors) as caught:
        settlement.settle(d.engine, d.clerk, aid, "wechat", " ", at(15))
    assert [(e.code, e.field) for e in caught.value.errors] == [
        ("gig.reference_required", "reference")
    ]
    with pytest.raises(FormErrors) as caught:
        settlement.settle(d.engine, d.clerk, aid, "", "", at(15))
    assert caught.value.errors[0].code == "walkin.method_required"
    with pytest.raises(FormErrors) as caught:
        settlement.settle(d.engine, d.clerk, aid, "bitcoin", "", at(15))
    assert caught.value.errors[0].code == "walkin.unknown_method"
    assert _row(d, aid).status == "checked_out"
    settlement.settle(d.engine, d.clerk, aid, "现金", "", at(15))  # cash needs no reference
    assert _row(d, aid).pay_method == "cash"


# --- attendance ----------------------------------------------------------------------------


def test_negative_pieces_are_refused_and_nothing_written(d: Desk) -> None:
    order_id = order(d)
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    attendance.check_in(d.engine, d.clerk, a.id, at(9))
    before, kept = row_counts(d.engine), versions(d.engine, "gig_assignments")
    for pieces in (("10", "-1", "0"), ("-5", "0", "0"), ("10", "8", "5")):
        with pytest.raises(UserError):
            attendance.record_pieces(d.engine, d.clerk, a.id, *pieces, at(10))
    assert row_counts(d.engine) == before and versions(d.engine, "gig_assignments") == kept


def test_no_pieces_after_settlement(d: Desk) -> None:
    aid, _ = worked(d)
    settlement.settle(d.engine, d.clerk, aid, "cash", "", at(15))
    with pytest.raises(UserError) as caught:
        attendance.record_pieces(d.engine, d.clerk, aid, 1, 1, 0, at(16))
    assert caught.value.code == "gig.state.settled"


def test_hours_from_the_clock_or_as_typed(d: Desk) -> None:
    order_id = order(d, pay_mode="hour", rate="19", unit="")
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    b = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    for x in (a, b):
        attendance.check_in(d.engine, d.clerk, x.id, at(9))
    with pytest.raises(UserError) as caught:
        attendance.check_out(d.engine, d.clerk, a.id, at(12), at=at(8, 59))
    assert caught.value.code == "gig.out_before_in"
    attendance.check_out(d.engine, d.clerk, a.id, at(12, 31))
    attendance.check_out(d.engine, d.clerk, b.id, at(12, 31), hours="3")
    assert (_row(d, a.id).minutes_worked, _row(d, b.id).minutes_worked) == (211, 180)
    attendance.set_hours(d.engine, d.clerk, a.id, "3.5", at(13))
    assert settlement.quote(d.engine, "HS01", a.id, at(13)).wage_fen == 6650  # 19 × 3.5


def test_check_in_only_on_the_work_day_and_once(d: Desk) -> None:
    order_id = order(d, work_date=TODAY + timedelta(days=1))
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    with pytest.raises(UserError) as caught:
        attendance.check_in(d.engine, d.clerk, a.id, at(9))
    assert caught.value.code == "gig.not_work_day"
    tomorrow = at(9, day=TODAY + timedelta(days=1))
    attendance.check_in(d.engine, d.clerk, a.id, tomorrow)
    with pytest.raises(UserError) as caught:
        attendance.check_in(d.engine, d.clerk, a.id, tomorrow)
    assert caught.value.code == "gig.state.checked_in"


def test_a_no_show_costs_reliability_and_frees_the_place(d: Desk) -> None:
    order_id = order(d, headcount="1")
    worker = person(d)
    a = dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    assert gigs.get_order(d.engine, "HS01", order_id).status == "filled"
    attendance.mark_no_show(d.engine, d.clerk, a.id, at(9, 30))
    with reading(d.engine) as s:
        assert s.get(Person, worker).reliability == 90
        job = s.exec(select(PersonJob).where(PersonJob.person_id == worker)).one()
        assert job.reliability == 90  # the ranking sees it at once
        assert s.get(GigOrder, order_id).status == "open"
    (c,) = dispatch.assess(d.engine, "HS01", order_id, [worker])
    assert (c.no_shows, c.reliability) == (1, 90)
    with pytest.raises(UserError) as caught:
        attendance.check_in(d.engine, d.clerk, a.id, at(9, 40))
    assert caught.value.code == "gig.state.no_show"


def test_board_and_roster(d: Desk) -> None:
    afternoon = order(d, shift_start="14:00", shift_end="17:00", headcount="2")
    morning = order(d)
    tomorrow = order(d, work_date=TODAY + timedelta(days=1))
    late, early = person(d, "午班"), person(d, "早班")
    kept = dispatch.assign(d.engine, d.clerk, afternoon, late, FIXED_NOW)
    dropped = dispatch.assign(d.engine, d.clerk, afternoon, person(d, "取消"), FIXED_NOW)
    dispatch.cancel_assignment(d.engine, d.clerk, dropped.id, FIXED_NOW)
    dispatch.assign(d.engine, d.clerk, morning, early, FIXED_NOW)
    dispatch.assign(d.engine, d.clerk, tomorrow, person(d, "明天"), FIXED_NOW)
    board = attendance.today_board(d.engine, "HS01", TODAY)
    assert [r.name for r in board] == ["早班", "午班"]
    assert board[1].employer == "恒达五金制品厂" and board[1].phone_masked.startswith("139****")
    names = {r.name: r.status for r in attendance.roster(d.engine, "HS01", afternoon)}
    assert names == {"午班": "assigned", "取消": "cancelled"} and kept.status == "assigned"


# --- labour-law warnings -----------------------------------------------------------------


def test_pay_below_the_minimum_wage_is_a_warning_not_a_refusal(d: Desk) -> None:
    aid, _ = worked(d, accepted=100)  # 100 × 0.355 yuan in 3 h: 11.83 an hour
    done = settlement.settle(d.engine, d.clerk, aid, "cash", "", at(15))
    assert [n.code for n in done.quote.notices] == ["gig.warn_min_wage"]
    assert done.quote.notices[0].params == {"pay": "¥11.83", "minimum": "¥17.00"}
    assert _row(d, aid).status == "settled"


def test_the_site_minimum_wage_is_used(d: Desk) -> None:
    aid, _ = worked(d, accepted=150)  # 17.75 an hour
    with d.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE sites SET min_wage_fen_per_hour = 1800, row_version = row_version + 1 "
                "WHERE code = 'HS01'"
            )
        )
    notices = settlement.quote(d.engine, "HS01", aid, at(15)).notices
    assert notices[0].params["minimum"] == "¥18.00"


def _hours_on(d: Desk, worker, day, start: int, end: int, employer=None):
    order_id = order(
        d,
        employer_id=employer or d.employer_id,
        work_date=day,
        shift_start=f"{start}:00",
        shift_end=f"{end}:00",
        pay_mode="hour",
        rate="20",
        unit="",
    )
    a = dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    attendance.check_in(d.engine, d.clerk, a.id, at(start, day=day))
    attendance.check_out(d.engine, d.clerk, a.id, at(end, day=day))
    return a.id


def test_part_time_hour_limits_per_employer_and_week(d: Desk) -> None:
    worker = person(d)
    sunday = TODAY + timedelta(days=3)
    week = [_hours_on(d, worker, TODAY + timedelta(days=i), 8, 15) for i in range(4)]
    other = gig_desk(d.engine, "另一家企业").employer_id
    elsewhere = _hours_on(d, worker, sunday, 16, 18, employer=other)
    notices = settlement.quote(d.engine, "HS01", week[0], at(19, day=sunday)).notices
    assert [n.code for n in notices] == ["gig.warn_day_average", "gig.warn_week_hours"]
    assert notices[0].params == {"hours": "7.0"} and notices[1].params == {"hours": "28.0"}
    assert settlement.quote(d.engine, "HS01", elsewhere, at(19, day=sunday)).notices == []


def test_late_settlement_warns(d: Desk) -> None:
    aid, _ = worked(d)
    late = at(10, day=TODAY + timedelta(days=20))
    done = settlement.settle(d.engine, d.clerk, aid, "cash", "", late)
    assert [n.code for n in done.quote.notices] == ["gig.warn_pay_cycle"]


# --- pay slips -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [32, 48])
def test_pay_slip_text_fits_its_width(d: Desk, lang: str, width: int) -> None:
    set_language(lang)
    aid, _ = worked(d, accepted=100)
    settlement.settle(d.engine, d.manager, aid, "wechat", "WX" + "7" * 40, at(15))
    text_ = slip_text(pay_slip(d.engine, "HS01", aid), width)
    lines = text_.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    assert lines[0] == "=" * width and lines[-1] == "=" * width
    wage = "实发工资" if lang == "zh" else "Wage paid"
    assert f"{wage}{' ' * (width - cell_len(wage) - 6)}¥35.50" in lines
    assert any("0.355" in line for line in lines) and "WX" in text_ and "77777" in text_
    assert "¥11.83" in text_  # the warning is printed on the slip


def test_pay_slip_states_the_exact_figure_and_rounding(d: Desk) -> None:
    aid, _ = worked(d, accepted=33, rate="0.0355")  # 33 × 3.55 fen = 117.15 fen
    settlement.settle(d.engine, d.clerk, aid, "cash", "", at(15))
    text_ = slip_text(pay_slip(d.engine, "HS01", aid), 48)
    assert "合格 33 件 × 单价 ¥0.0355 = ¥1.1715" in text_
    assert "四舍五入到分" in text_ and "¥1.17" in text_


def test_pay_slip_needs_a_settlement(d: Desk) -> None:
    aid, _ = worked(d)
    with pytest.raises(UserError) as caught:
        pay_slip(d.engine, "HS01", aid)
    assert caught.value.code == "slip.not_settled"


def test_pay_slip_files(d: Desk, tmp_path: Path) -> None:
    aid, _ = worked(d)
    settlement.settle(d.engine, d.clerk, aid, "alipay", "ZFB2026112600001", at(15))
    slip = pay_slip(d.engine, "HS01", aid)
    target = tmp_path / "slip.xlsx"
    write_slip_xlsx(slip, target)
    sheet = openpyxl.load_workbook(target).active
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if len(row) > 1}
    assert cells["实发工资（元）"].value == pytest.approx(53.25)
    assert cells["实发工资（元）"].number_format == "0.00"
    rate = cells["单价（元）"]
    assert rate.value == pytest.approx(0.355) and rate.number_format == "0.00#"
    assert cells["支付凭证号"].value == "ZFB2026112600001"
    with pytest.raises(UserError) as caught:
        write_slip_xlsx(slip, target)
    assert caught.value.code == "seeker_io.exists"
    with pytest.raises(UserError) as caught:
        write_slip_xlsx(slip, tmp_path / "slip.csv")
    assert caught.value.code == "slip.xlsx_suffix"
    write_slip_text(slip, tmp_path / "slip.txt", 48)
    assert (tmp_path / "slip.txt").read_text(encoding="utf-8") == slip_text(slip, 48)


def test_a_check_out_in_the_future_is_refused(d: Desk) -> None:
    order_id = order(d)
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    attendance.check_in(d.engine, d.clerk, a.id, at(9))
    with pytest.raises(UserError) as err:  # typed 17:00 when it is only 11:00
        attendance.check_out(d.engine, d.clerk, a.id, at(11), at(17))
    assert (err.value.code, err.value.field) == ("gig.out_in_future", "checked_out_at")
    assert _row(d, a.id).status == "checked_in"
    attendance.check_out(d.engine, d.clerk, a.id, at(11), at(11))  # now itself is fine
    assert _row(d, a.id).checked_out_at == at(11)
