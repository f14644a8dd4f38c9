"""A referral's whole life reaches the central store, and head office's month counts it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from db.models import JobPosting, Person, Referral, ReferralEvent
from frontdesk.domain.job_rules import PostingInput
from frontdesk.hq.month_output import month_rows, month_text
from frontdesk.hq.monthly import month_report, report_json
from frontdesk.services import postings, referrals
from frontdesk.services.employers import EmployerInput, add_employer
from tests.sync_support import (
    DAY_ONE,
    actor_of,
    assert_central_equals_desk,
    new_desk,
    register_people,
    sync,
)

JOB_KEYS = (
    "employers_served",
    "postings_published",
    "positions_offered",
    "referrals",
    "intentions_reached",
    "people_placed",
    "fair_referrals",
    "fair_intentions",
)


def _people(engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(Person.id).order_by(Person.id)).scalars())


def test_a_referrals_whole_life_reaches_the_central_store(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    actor = actor_of(desk, "HS01")
    register_people(desk, "HS01", 0, 3)
    first, second, third = _people(desk)
    code = "91350100M000100Y43"
    employer = add_employer(desk, actor, EmployerInput(name="甲厂", credit_code=code), DAY_ONE)
    raw = PostingInput(
        title="包装工", job_type="包装", positions="2", pay_min="4000", pay_unit="月",
        valid_from="2026-11-20", valid_until="2026-12-20",
    )  # fmt: skip
    posting = postings.add_posting(desk, actor, employer.id, raw, DAY_ONE)
    placed = referrals.refer(desk, actor, posting.id, first, DAY_ONE)
    sync(desk, site_url)  # the referral as first made, then its later steps
    later = DAY_ONE + timedelta(days=2)
    for step in ("interviewed", "intention", "placed"):
        referrals.record_outcome(desk, actor, placed.id, step, later)
    straight = referrals.refer(desk, actor, posting.id, second, DAY_ONE)
    dropped = referrals.refer(desk, actor, posting.id, third, DAY_ONE)
    referrals.record_outcome(desk, actor, straight.id, "placed", later)  # intention reached too
    referrals.record_outcome(desk, actor, dropped.id, "withdrew", later)
    report = sync(desk, site_url)
    assert report.pending == 0 and report.push.quarantined == 0
    assert_central_equals_desk(desk, hq, "HS01")
    with hq.connect() as conn:
        steps = conn.execute(
            select(ReferralEvent.outcome)
            .where(ReferralEvent.referral_id == placed.id)
            .order_by(ReferralEvent.at, ReferralEvent.id)
        ).scalars()
        assert list(steps) == ["referred", "interviewed", "intention", "placed"]
        outcome = conn.execute(select(Referral.outcome).where(Referral.id == placed.id))
        assert outcome.scalar_one() == "placed"
        status = conn.execute(select(JobPosting.status).where(JobPosting.id == posting.id))
        assert status.scalar_one() == "filled"
    month = month_report(hq, date(2026, 11, 1))
    site = next(s for s in month.sites if s.site == "HS01")
    figures = [getattr(site, key) for key in JOB_KEYS]
    assert figures == [1, 1, 2, 3, 2, 2, 0, 0]  # none made at a job fair
    assert [getattr(month.total, key) for key in JOB_KEYS] == figures
    data = report_json(month)
    assert {k: data["sites"][0][k] for k in JOB_KEYS} == dict(zip(JOB_KEYS, figures, strict=True))
    assert data["total"]["people_placed"] == 2
    assert "达成就业意向" in month_text(month)
    header = month_rows(month)[1]
    assert header[-8:] == [
        "服务用工主体",
        "发布岗位",
        "提供岗位数",
        "推荐人次",
        "达成就业意向",
        "上岗人数",
        "招聘会推荐",
        "招聘会达成意向",
    ]
    # A desk rebuilt from the central store has the whole life back, and checks clean.
    from frontdesk.services.desk import open_desk
    from frontdesk.services.maintenance import check
    from frontdesk.sync.restore import restore

    rebuilt = tmp_path / "rebuilt.sqlite3"
    restore(site_url, "HS01", rebuilt)
    assert check(rebuilt) == []
    new = open_desk(rebuilt)
    try:
        assert [s.outcome for s in referrals.history(new, "HS01", placed.id)] == [
            "referred",
            "interviewed",
            "intention",
            "placed",
        ]
    finally:
        new.dispose()
