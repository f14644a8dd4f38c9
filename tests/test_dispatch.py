"""Dispatch: the job keys behind ranking, the ranking itself, assigning and its guards."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from db import job_keys
from db.models import AuditLog, GigAssignment, Person, PersonJob
from db.session import reading, writing
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.registration import SeekerInput
from frontdesk.errors import UserError
from frontdesk.services import attendance, dispatch, gigs, seekers
from tests.conftest import FIXED_NOW
from tests.gig_support import TODAY, Desk, at, gig_desk, order, person, row_counts


@pytest.fixture
def d(desk) -> Desk:
    return gig_desk(desk[0])


def _jobs(engine, person_id) -> dict[str, tuple[int, int, int, int]]:
    with reading(engine) as s:
        rows = s.exec(select(PersonJob).where(PersonJob.person_id == person_id))
        return {r.job: (r.desired, r.skilled, r.avail, r.reliability) for r in rows}


# --- job keys --------------------------------------------------------------------------------


def test_job_keys_follow_every_change_of_a_person(d: Desk) -> None:
    pid = person(d, jobs=("包装", "质检"), skills="包装；电工", availability="工作日上午")
    am = job_keys.WEEKDAY_AM
    assert _jobs(d.engine, pid) == {
        "包装": (1, 1, am, 100),
        "质检": (1, 0, am, 100),
        "电工": (0, 1, am, 100),
    }
    me = seekers.get(d.engine, "HS01", pid, FIXED_NOW.date())
    raw = SeekerInput(
        name=me.name,
        id_number=None,  # left masked: the stored ones stay
        phone=None,
        desired_jobs=[("直播带货", "", "")],
        availability="周末",
        consent=True,
    )
    seekers.update(d.engine, d.clerk, pid, raw, FIXED_NOW)
    weekend = job_keys.WEEKEND_AM | job_keys.WEEKEND_PM
    assert _jobs(d.engine, pid) == {"直播带货": (1, 0, weekend, 100)}
    seekers.set_status(d.engine, d.clerk, pid, "cancelled", "已离开本市", FIXED_NOW)
    assert _jobs(d.engine, pid) == {}  # only active people are dispatched
    seekers.set_status(d.engine, d.clerk, pid, "active", "", FIXED_NOW)
    assert _jobs(d.engine, pid) == {"直播带货": (1, 0, weekend, 100)}


def test_a_rebuild_gives_what_the_hook_kept(d: Desk) -> None:
    for i in range(5):
        person(d, jobs=("包装", "手工艺")[: 1 + i % 2], skills="包装" if i % 2 else "")
    with reading(d.engine) as s:
        kept = sorted(tuple(r) for r in s.connection().execute(PersonJob.__table__.select()).all())
    with writing(d.engine) as s:
        job_keys.rebuild(s.connection())
    with reading(d.engine) as s:
        rebuilt = sorted(
            tuple(r) for r in s.connection().execute(PersonJob.__table__.select()).all()
        )
    assert rebuilt == kept and len(kept) == 7


def test_a_failed_flush_leaves_no_pending_keys(d: Desk) -> None:
    pid = person(d)
    with pytest.raises(RuntimeError), writing(d.engine) as s:
        s.get(Person, pid).reliability = 50
        s.flush()
        raise RuntimeError("rolled back")
    assert _jobs(d.engine, pid)["包装"][3] == 100
    with Session(d.engine) as s:
        assert "person_jobs_pending" not in s.info


# --- ranking ---------------------------------------------------------------------------------


def test_candidates_are_ranked_by_wish_skill_availability_then_reliability(d: Desk) -> None:
    both = person(d, "全能", jobs=("包装",), skills="包装", availability="工作日全天")
    wish_fit = person(d, "想做", jobs=("包装",), availability="上午")
    wish_unknown = person(d, "没填", jobs=("包装",))
    wish_weekend = person(d, "周末", jobs=("包装",), availability="周末")
    skill_only = person(d, "会做", jobs=("保洁",), skills="包装", availability="工作日")
    person(d, "不相干", jobs=("保洁",), skills="烹饪")
    flaky = person(d, "放鸽子", jobs=("包装",), availability="上午")
    with writing(d.engine) as s:
        s.get(Person, flaky).reliability = 70
    order_id = order(d)  # Thursday 09:00–12:00: weekday morning
    ranked = dispatch.rank_candidates(d.engine, "HS01", order_id)
    assert [c.person_id for c in ranked] == [
        both,
        wish_fit,
        flaky,
        wish_unknown,
        skill_only,
        wish_weekend,
    ]
    top = ranked[0]
    assert (top.desired, top.skilled, top.fit, top.score) == (True, True, "full", 7)
    assert ranked[2].reliability == 70 and ranked[-1].fit == "none"
    assert ranked[0].phone_masked.count("*") == 4 and ranked[0].age == 41


def test_ranking_pages_match_the_rule_on_a_random_crowd(d: Desk) -> None:
    rng = random.Random(7)
    jobs = ("包装", "质检", "手工艺")
    times = ("", "上午", "下午", "周末", "工作日全天", "每周三天")
    for i in range(40):
        pid = person(
            d,
            f"工人{i}",
            jobs=tuple(rng.sample(jobs, rng.randint(1, 2))),
            skills="；".join(rng.sample(jobs, rng.randint(0, 2))),
            availability=rng.choice(times),
        )
        if rng.random() < 0.3:
            with writing(d.engine) as s:
                s.get(Person, pid).reliability = rng.choice((60, 80, 90))
    order_id = order(d, job_type="质检", shift_start="13:30", shift_end="17:30")
    pages = [dispatch.rank_candidates(d.engine, "HS01", order_id, i * 7, 7) for i in range(8)]
    ranked = [c for page in pages for c in page]
    need = job_keys.shift_mask(TODAY, *_shift(d, order_id))
    with reading(d.engine) as s:
        rows = s.exec(select(PersonJob).where(PersonJob.job == "质检")).all()
    expected = sorted(
        rows,
        key=lambda r: (
            -rules.match_score(r.desired, r.skilled, rules.fit_class(r.avail, need)),
            -r.reliability,
            r.person_id,
        ),
    )
    assert [c.person_id for c in ranked] == [r.person_id for r in expected]
    assert all(c.score == rules.match_score(c.desired, c.skilled, c.fit) for c in ranked)


def _shift(d: Desk, order_id):
    o = gigs.get_order(d.engine, "HS01", order_id)
    return o.shift_start, o.shift_end


def test_busy_and_inactive_people_are_not_candidates(d: Desk) -> None:
    on_this = person(d, "本单")
    on_overlap = person(d, "冲突")
    on_later = person(d, "下午有活")
    gone = person(d, "注销")
    free = person(d, "空闲")
    seekers.set_status(d.engine, d.clerk, gone, "cancelled", "已离开本市", FIXED_NOW)
    morning = order(d)
    overlapping = order(d, shift_start="11:00", shift_end="13:00")
    afternoon = order(d, shift_start="14:00", shift_end="17:00")
    dispatch.assign(d.engine, d.clerk, morning, on_this, FIXED_NOW)
    dispatch.assign(d.engine, d.clerk, overlapping, on_overlap, FIXED_NOW)
    dispatch.assign(d.engine, d.clerk, afternoon, on_later, FIXED_NOW)
    ranked = {c.person_id for c in dispatch.rank_candidates(d.engine, "HS01", morning)}
    assert ranked == {on_later, free}


def test_assess_explains_anyone_found_by_name(d: Desk) -> None:
    cleaner = person(d, "保洁员", jobs=("保洁",), availability="周末")
    order_id = order(d)
    (c,) = dispatch.assess(d.engine, "HS01", order_id, [cleaner])
    assert (c.desired, c.skilled, c.fit, c.score) == (False, False, "none", 0)


def test_the_ranking_reads_only_the_covering_index(d: Desk) -> None:
    for _ in range(3):
        person(d)
    order_id = order(d)
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany) -> None:
        if "person_jobs" in statement:
            seen.append((statement, parameters))

    event.listen(d.engine, "before_cursor_execute", grab)
    try:
        dispatch.rank_candidates(d.engine, "HS01", order_id)
    finally:
        event.remove(d.engine, "before_cursor_execute", grab)
    ((statement, parameters),) = seen
    with d.engine.connect() as conn:
        raw = conn.connection.driver_connection
        plan = [r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    scans = [line for line in plan if "person_jobs" in line]
    assert scans == [
        "SEARCH person_jobs USING COVERING INDEX ix_person_jobs_rank (site_code=? AND job=?)"
    ]


# --- assigning -------------------------------------------------------------------------------


def test_assigning_records_the_dispatcher_and_fills_the_order(d: Desk) -> None:
    order_id = order(d, headcount="2")
    first = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    assert first.dispatched_by == d.clerk.staff_id and first.status == "assigned"
    assert gigs.get_order(d.engine, "HS01", order_id).status == "open"
    dispatch.assign(d.engine, d.manager, order_id, person(d), FIXED_NOW)
    assert gigs.get_order(d.engine, "HS01", order_id).status == "filled"
    with reading(d.engine) as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.entity_id == first.id)).all()
    assert list(actions) == ["gig_assign"]


def test_the_headcount_is_enforced_and_nothing_written(d: Desk) -> None:
    order_id = order(d, headcount="1")
    dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    late = person(d)
    before = row_counts(d.engine)
    with pytest.raises(UserError) as caught:
        dispatch.assign(d.engine, d.clerk, order_id, late, FIXED_NOW)
    assert caught.value.code == "gig.headcount_full" and caught.value.params == {"headcount": 1}
    assert "已满员（1 人）" in caught.value.message()
    assert row_counts(d.engine) == before


def test_one_open_assignment_per_worker_per_order(d: Desk) -> None:
    order_id = order(d)
    worker = person(d)
    first = dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    before = row_counts(d.engine)
    with pytest.raises(UserError) as caught:
        dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    assert caught.value.code == "gig.already_assigned"
    assert row_counts(d.engine) == before
    dispatch.cancel_assignment(d.engine, d.clerk, first.id, FIXED_NOW, "派错人")
    again = dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)  # once cancelled
    assert again.id != first.id


def test_the_database_refuses_a_second_open_assignment_too(d: Desk) -> None:
    order_id = order(d)
    worker = person(d)
    first = dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    twin = GigAssignment(
        site_code="HS01", order_id=order_id, person_id=worker, dispatched_by=first.dispatched_by
    )
    with pytest.raises(Exception, match="UNIQUE"), writing(d.engine) as s:
        s.add(twin)


def test_overlapping_shifts_are_a_double_booking(d: Desk) -> None:
    worker = person(d)
    morning = order(d)
    overlapping = order(d, shift_start="11:30", shift_end="14:00")
    back_to_back = order(d, shift_start="12:00", shift_end="15:00")
    next_day = order(d, work_date=TODAY + timedelta(days=1))
    dispatch.assign(d.engine, d.clerk, morning, worker, FIXED_NOW)
    before = row_counts(d.engine)
    with pytest.raises(UserError) as caught:
        dispatch.assign(d.engine, d.clerk, overlapping, worker, FIXED_NOW)
    assert caught.value.code == "gig.double_booked"
    assert caught.value.params == {"job": "包装", "start": "09:00", "end": "12:00"}
    assert row_counts(d.engine) == before
    dispatch.assign(d.engine, d.clerk, back_to_back, worker, FIXED_NOW)  # ends as it starts
    dispatch.assign(d.engine, d.clerk, next_day, worker, FIXED_NOW)


def test_a_no_show_or_a_cancelled_order_frees_the_worker(d: Desk) -> None:
    worker = person(d)
    first = order(d)
    other = order(d, shift_start="10:00", shift_end="12:00")
    a = dispatch.assign(d.engine, d.clerk, first, worker, FIXED_NOW)
    attendance.mark_no_show(d.engine, d.clerk, a.id, at(9, 30))
    dispatch.assign(d.engine, d.clerk, other, worker, FIXED_NOW)


def test_inactive_people_and_closed_orders_are_refused(d: Desk) -> None:
    worker = person(d)
    seekers.set_status(d.engine, d.clerk, worker, "employed", "已就业", FIXED_NOW)
    order_id = order(d)
    with pytest.raises(UserError) as caught:
        dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW)
    assert caught.value.code == "gig.person_not_active"
    gigs.cancel_order(d.engine, d.clerk, order_id, "企业取消", FIXED_NOW)
    with pytest.raises(UserError) as caught:
        dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    assert caught.value.code == "gig.order_closed"


def test_only_a_dispatch_not_yet_at_work_can_be_cancelled(d: Desk) -> None:
    order_id = order(d, headcount="1")
    a = dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    attendance.check_in(d.engine, d.clerk, a.id, at(9))
    with pytest.raises(UserError) as caught:
        dispatch.cancel_assignment(d.engine, d.clerk, a.id, FIXED_NOW)
    assert caught.value.code == "gig.state.checked_in"


def test_two_desks_racing_for_the_last_place(d: Desk) -> None:
    order_id = order(d, headcount="2")
    dispatch.assign(d.engine, d.clerk, order_id, person(d), FIXED_NOW)
    racers = [person(d), person(d)]
    start = threading.Barrier(2)
    results: list[object] = []

    def run(worker) -> None:
        start.wait()
        try:
            results.append(dispatch.assign(d.engine, d.clerk, order_id, worker, FIXED_NOW))
        except UserError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=run, args=(w,)) for w in racers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(map(str, results)).count("gig.headcount_full") == 1
    assert sum(isinstance(r, GigAssignment) for r in results) == 1
    assert gigs.get_order(d.engine, "HS01", order_id).holding == 2
