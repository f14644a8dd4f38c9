"""The close-out keeps each mobile method's reconciliation against its bill (issue 19: 3, 7).

Real desk databases and bill files written as the platforms write them (tests/bill_files.py).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Closeout, Service, Staff
from db.session import reading
from frontdesk.domain.reconcile import BillRules
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.bills import read_bill
from frontdesk.services.closeout import CloseInput
from frontdesk.services.closeout_bills import MOBILE
from frontdesk.services.day_report import receipt_text
from frontdesk.services.walkins import WalkInInput
from tests.bill_files import alipay_merchant_zip, wechat_merchant
from tests.conftest import FIXED_NOW

TODAY = date(2026, 11, 26)  # FIXED_NOW is 10:30 in Beijing
CEILING = 2_000_000


@pytest.fixture
def ctx(desk):
    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
    return engine, Actor("HS01", clerk), services


def log(ctx, amount: str, method: str, at: datetime = FIXED_NOW) -> None:
    engine, actor, services = ctx
    raw = WalkInInput(services["JZ01"], amount=amount, method=method, started_at=at)
    walkins.log_walkin(engine, actor, raw, at, CEILING)


def a_day(ctx) -> None:
    """Two WeChat entries (one with no bill line), a cash entry that was really WeChat."""
    log(ctx, "68.00", "wechat")  # 10:30, on the bill at 10:31
    log(ctx, "45.00", "wechat", FIXED_NOW + timedelta(minutes=5))  # refused at the terminal
    log(ctx, "30.00", "cash", FIXED_NOW + timedelta(minutes=20))  # the bill has it at 10:52


WECHAT_DAY = [
    ("2026-11-26 10:31:05", "68.00", "SUCCESS"),
    ("2026-11-26 10:52:40", "30.00", "SUCCESS"),  # keyed as cash at the desk
    ("2026-11-26 11:40:00", "12.00", "SUCCESS"),  # nobody logged it
]


def close(
    ctx,
    *bills: Path,
    counted: dict[str, int] | None = None,
    rules: BillRules = closeout.DEFAULT_RULES,
    day: date = TODAY,
):
    engine, actor, _ = ctx
    report = closeout.x_report(engine, "HS01", day)
    counts = counted if counted is not None else dict(report.expected_fen)
    raw = CloseInput(day, counts, bills=tuple(read_bill(p) for p in bills))
    at = datetime.combine(day, FIXED_NOW.time(), FIXED_NOW.tzinfo) + timedelta(hours=8)
    return closeout.close_day(engine, actor, raw, at, CEILING, rules)


def test_the_close_stores_the_bills_reconciliation_under_its_hash(ctx, tmp_path: Path) -> None:
    a_day(ctx)
    bill = wechat_merchant(tmp_path / "wx.csv", WECHAT_DAY)
    report = close(ctx, bill)
    got = report.reconciled["wechat"]
    assert (got.bill_fen, got.matched, got.matched_fen) == (11000, 1, 6800)
    assert (got.unmatched_entries, got.unmatched_entries_fen) == (1, 4500)
    assert (got.unmatched_bill_lines, got.unmatched_bill_lines_fen) == (2, 4200)
    assert got.keyed_as_cash == 1 and not got.balanced
    assert got.digest == read_bill(bill).digest and got.layout == "wechat_merchant"
    engine = ctx[0]
    with reading(engine) as s:
        row = s.exec(select(Closeout)).one()
    assert row.reconciled["wechat"]["digest"] == got.digest
    assert closeout.verify_chain(engine, "HS01") == []
    # The hash covers it: a changed count is a changed hash.
    row.reconciled = {"wechat": {**row.reconciled["wechat"], "unmatched_entries": 0}}
    assert closeout.closeout_hash(row) != row.hash


def test_the_z_report_and_json_say_which_methods_were_reconciled(ctx, tmp_path: Path) -> None:
    a_day(ctx)
    close(ctx, wechat_merchant(tmp_path / "wx.csv", WECHAT_DAY))
    report = closeout.day_report(ctx[0], "HS01", TODAY)
    out = closeout.report_json(report)
    assert set(out["reconciled"]) == set(MOBILE)
    wechat = out["reconciled"]["wechat"]
    assert (wechat["bill_fen"], wechat["matched"]) == (11000, 1)
    assert (wechat["unmatched_entries"], wechat["unmatched_bill_lines"]) == (1, 2)
    assert wechat["balanced"] is False
    # No bill: not reconciled (null), never balanced.
    assert out["reconciled"]["alipay"] is None and out["reconciled"]["ecny"] is None
    json.dumps(out)  # plain JSON
    set_language("zh")
    text = receipt_text(report)
    assert "对账" in text and "未对账" in text and "¥110.00" in text
    set_language("en")
    try:
        assert "Not reconciled" in receipt_text(report)
    finally:
        set_language("zh")


def test_a_balanced_bill_is_said_balanced(ctx, tmp_path: Path) -> None:
    log(ctx, "68.00", "alipay")
    bill = alipay_merchant_zip(tmp_path / "ali.zip", [("2026-11-26 10:30:30", "68.00", "交易")])
    report = close(ctx, bill)
    assert report.reconciled["alipay"].balanced
    assert closeout.report_json(report)["reconciled"]["alipay"]["balanced"] is True


def test_a_close_with_no_bill_reconciles_nothing(ctx) -> None:
    log(ctx, "68.00", "wechat")
    report = close(ctx)
    assert report.reconciled == {}
    assert all(v is None for v in closeout.report_json(report)["reconciled"].values())
    assert closeout.verify_chain(ctx[0], "HS01") == []


def refused(ctx, *bills: Path, rules: BillRules = closeout.DEFAULT_RULES) -> UserError:
    with pytest.raises(UserError) as err:
        close(ctx, *bills, rules=rules)
    with reading(ctx[0]) as s:
        assert s.exec(select(Closeout)).first() is None  # nothing half-stored
    assert err.value.field == "bill"
    return err.value


def test_a_bill_of_another_day_is_refused(ctx, tmp_path: Path) -> None:
    log(ctx, "68.00", "wechat")
    other = wechat_merchant(tmp_path / "wx.csv", [("2026-11-25 10:31:05", "68.00", "SUCCESS")])
    err = refused(ctx, other)
    assert err.code == "bills.other_day"
    assert err.params == {"date": "2026-11-26", "found": "2026-11-25"}


def test_a_bill_of_another_merchant_than_the_configured_one_is_refused(ctx, tmp_path: Path) -> None:
    log(ctx, "68.00", "wechat")
    theirs = wechat_merchant(tmp_path / "wx.csv", WECHAT_DAY, merchant="1900077777")
    ours = BillRules(accounts={"wechat": frozenset({"1900012345"})})
    err = refused(ctx, theirs, rules=ours)
    assert err.code == "bills.other_merchant"
    assert err.params == {"found": "1900077777", "expected": "1900012345"}
    set_language("zh")
    assert "1900077777" in err.message() and "[bill_accounts]" in err.message()
    assert close(ctx, wechat_merchant(tmp_path / "ours.csv", WECHAT_DAY), rules=ours)


def test_with_no_accounts_configured_the_last_bills_account_is_the_desks(
    ctx, tmp_path: Path
) -> None:
    """Learnt from the first reconciled close: a later bill of someone else's account (a
    clerk's own WeChat) is refused; the account can be declared in the config instead."""
    yesterday = FIXED_NOW - timedelta(days=1)
    log(ctx, "68.00", "wechat", yesterday)
    first = wechat_merchant(tmp_path / "d1.csv", [("2026-11-25 10:31:05", "68.00", "SUCCESS")])
    closed = close(ctx, first, day=TODAY - timedelta(days=1))
    assert closed.reconciled["wechat"].account == "1900012345"
    log(ctx, "68.00", "wechat")
    theirs = wechat_merchant(tmp_path / "d2.csv", WECHAT_DAY, merchant="1900077777")
    assert refused_today(ctx, theirs).code == "bills.other_merchant"
    moved = BillRules(accounts={"wechat": frozenset({"1900077777"})})
    assert close(ctx, theirs, rules=moved).reconciled["wechat"].account == "1900077777"


def refused_today(ctx, bill: Path) -> UserError:
    with pytest.raises(UserError) as err:
        close(ctx, bill)
    assert closeout.day_closed(ctx[0], "HS01", TODAY) is None  # nothing stored
    return err.value


def test_two_bills_of_one_method_are_refused(ctx, tmp_path: Path) -> None:
    log(ctx, "68.00", "wechat")
    one = wechat_merchant(tmp_path / "a.csv", WECHAT_DAY)
    two = wechat_merchant(tmp_path / "b.csv", WECHAT_DAY, old=True)
    assert refused(ctx, one, two).code == "bills.two_of_method"


def test_a_bill_imported_twice_is_refused(ctx, tmp_path: Path) -> None:
    """A bill spanning two days used for the first close cannot be used again."""
    engine, actor, _ = ctx
    yesterday = FIXED_NOW - timedelta(days=1)
    log(ctx, "68.00", "wechat", yesterday)
    both = [
        ("2026-11-25 10:31:05", "68.00", "SUCCESS"),
        ("2026-11-26 10:31:05", "68.00", "SUCCESS"),
    ]
    bill = wechat_merchant(tmp_path / "wx.csv", both)
    day = TODAY - timedelta(days=1)
    report = closeout.x_report(engine, "HS01", day)
    raw = CloseInput(day, dict(report.expected_fen), bills=(read_bill(bill),))
    closed = closeout.close_day(engine, actor, raw, FIXED_NOW, CEILING)
    assert closed.reconciled["wechat"].balanced  # only the day's own lines count
    log(ctx, "68.00", "wechat")
    with pytest.raises(UserError) as err:
        close(ctx, bill)
    assert (err.value.code, err.value.params) == ("bills.used", {"date": "2026-11-25"})
    assert closeout.day_closed(engine, "HS01", TODAY) is None


def test_the_reconciliation_travels_to_the_central_store_and_verifies(central, tmp_path) -> None:
    from frontdesk.sync.verify import check_closeouts
    from tests.sync_support import (
        DAY_ONE,
        actor_of,
        assert_central_equals_desk,
        new_desk,
        paid_day,
        sync,
    )

    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    paid_day(desk, "HS01", DAY_ONE, 3, close=False)  # cash, wechat, alipay
    day = (DAY_ONE + timedelta(hours=8)).date()
    bill = wechat_merchant(tmp_path / "wx.csv", [("2026-11-20 10:01:30", "31.50", "SUCCESS")])
    expected = closeout.x_report(desk, "HS01", day).expected_fen
    raw = CloseInput(day, dict(expected), bills=(read_bill(bill),))
    closed = closeout.close_day(desk, actor_of(desk, "HS01"), raw, DAY_ONE + timedelta(hours=9))
    assert closed.reconciled["wechat"].balanced and "alipay" not in closed.reconciled
    assert sync(desk, site_url).push.quarantined == 0
    assert_central_equals_desk(desk, hq, "HS01")
    checks = check_closeouts(hq, "HS01")
    assert len(checks) == 1 and checks[0].verified


def test_correcting_an_entrys_method_is_audited_and_never_on_a_closed_day(ctx) -> None:
    from db.models import AuditLog, Payment
    from frontdesk.services.closeout_bills import correct_method

    engine, actor, _ = ctx
    log(ctx, "30.00", "cash")
    log(ctx, "30.05", "wechat")
    with reading(engine) as s:
        cash = s.exec(select(Payment).where(Payment.method == "cash")).one()
        odd = s.exec(select(Payment).where(Payment.method == "wechat")).one()
    fixed = correct_method(engine, actor, cash.id, "wechat", FIXED_NOW)
    assert fixed.method == "wechat" and fixed.row_version == cash.row_version + 1
    with reading(engine) as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "payment_method")).one()
    assert audit.entity_id == cash.id and audit.detail == "cash->wechat"
    for payment_id, method, code in (
        (cash.id, "wechat", "bills.correct_same"),
        (cash.id, "paypal", "walkin.unknown_method"),
        (odd.id, "cash", "money.cash_jiao"),  # ¥30.05 cannot be cash
    ):
        with pytest.raises(UserError) as err:
            correct_method(engine, actor, payment_id, method, FIXED_NOW)
        assert err.value.code == code
    counts = dict(closeout.x_report(engine, "HS01", TODAY).expected_fen)
    closeout.close_day(engine, actor, CloseInput(TODAY, counts), FIXED_NOW + timedelta(hours=8))
    with pytest.raises(UserError) as err:
        correct_method(engine, actor, cash.id, "cash", FIXED_NOW + timedelta(hours=9))
    assert err.value.code == "closeout.day_closed"
