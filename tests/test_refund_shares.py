"""A refund or a late entry is shared at the rate in force when its money was taken (issue 19).

The clinic (KY01) keeps 60 % of what it earns at the desk. From today head office sets its
share to 40 %. Yesterday's ¥68 was taken at 60 %, so its refund today gives the clinic's
¥40.80 back, not 40 % of it; a late entry for yesterday is shared at 60 % too.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from db.models import PartnerAgreement, Service
from db.session import writing
from frontdesk.services import closeout, walkins
from frontdesk.services.closeout import AdjustmentInput, CloseInput
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.test_closeout import CEILING, TODAY, ctx, log  # noqa: F401 - fixture

YESTERDAY_AT = FIXED_NOW - timedelta(days=1)
YESTERDAY = TODAY - timedelta(days=1)


def clinic_share_from_today(engine, share_bp: int = 4000) -> None:
    with writing(engine) as s:
        clinic = s.exec(select(Service).where(Service.code == "KY01")).one()
        s.add(
            PartnerAgreement(
                site_code="HQ", partner_id=clinic.partner_id, share_bp=share_bp, valid_from=TODAY
            )
        )


def clinic_line(report):
    (line,) = [p for p in report.partners if p.income_fen]  # the clinic's is the only one
    return line


def refunded_today(ctx) -> None:  # noqa: F811
    """Yesterday's ¥68 at the clinic, closed; the share set to 40 % from today; refunded."""
    engine, actor, manager, services = ctx
    taken = log(engine, actor, services["KY01"], "68", "wechat", at=YESTERDAY_AT)
    closeout.close_day(engine, actor, CloseInput(YESTERDAY, {"wechat": 6800}), YESTERDAY_AT)
    clinic_share_from_today(engine)
    walkins.void_walkin(
        engine, actor, taken.walkin.id, "重复收费", FIXED_NOW, manager_id=manager, pin=MANAGER_PIN
    )


def test_a_refund_gives_back_the_share_it_was_taken_at(ctx) -> None:  # noqa: F811
    engine, actor, _, services = ctx
    refunded_today(ctx)
    log(engine, actor, services["KY01"], "50", "cash")  # today's own, at today's 40 %
    report = closeout.day_report(engine, "HS01", TODAY)
    line = clinic_line(report)
    assert line.income_fen == -6800 + 5000
    assert line.share_fen == -4080 + 2000  # 60 % of ¥68 back, 40 % of ¥50 kept
    assert report.partner_share_fen == -2080


def test_a_late_entry_for_a_closed_day_is_shared_at_that_days_rate(ctx) -> None:  # noqa: F811
    engine, actor, _, services = ctx
    closeout.close_day(engine, actor, CloseInput(YESTERDAY, {}), YESTERDAY_AT)
    clinic_share_from_today(engine)
    raw = AdjustmentInput(YESTERDAY, services["KY01"], 6800, "wechat", "漏登微信收款")
    closeout.add_adjustment(engine, actor, raw, FIXED_NOW)
    line = clinic_line(closeout.day_report(engine, "HS01", TODAY))
    assert (line.income_fen, line.share_fen) == (6800, 4080)


def test_the_close_stores_the_shares_and_check_agrees(ctx) -> None:  # noqa: F811
    from frontdesk.services.maintenance import check

    engine, actor, manager, _ = ctx
    refunded_today(ctx)
    # The ¥68 went back from the WeChat account: nothing to count, a difference to approve.
    counts = CloseInput(
        TODAY, {"wechat": 0}, note="退款自微信", manager_id=manager, pin=MANAGER_PIN
    )
    closed = closeout.close_day(engine, actor, counts, FIXED_NOW)
    assert closed.partner_share_fen == -4080
    assert check(Path(str(engine.url.database))) == []
