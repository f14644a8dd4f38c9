"""`frontdesk close`, `void` and `adjust`: the close-out's acts headless, on real desk files
(issue 19: 4). Yesterday is closed, so the real clock the commands use never matters."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import AuditLog, Closeout, Service, Staff, WalkIn
from db.session import reading
from frontdesk.cli import main
from frontdesk.domain.clock import LOCAL_TZ, business_date
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.walkins import WalkInInput
from tests.bill_files import wechat_merchant
from tests.conftest import MANAGER_PIN
from tests.test_cli import run

CEILING = 2_000_000
DAY = business_date(datetime.now(UTC)) - timedelta(days=1)
NOON = datetime.combine(DAY, time(12, 0), LOCAL_TZ).astimezone(UTC)


@pytest.fixture
def day(desk):
    """Yesterday at the desk: 45.00 cash at noon, 68.00 WeChat at 12:10."""
    engine, path = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        service = s.exec(select(Service.id).where(Service.code == "JZ01")).one()
    actor = Actor("HS01", clerk)
    for amount, method, at in (("45.00", "cash", NOON), ("68.00", "wechat", NOON + MIN * 10)):
        raw = WalkInInput(service, amount=amount, method=method, started_at=at)
        walkins.log_walkin(engine, actor, raw, at, CEILING)
    return engine, path


MIN = timedelta(minutes=1)


def cli(capsys, *args: str, lang: str = "zh") -> tuple[int, str, str]:
    code = main([*args, "--lang", lang])
    out = capsys.readouterr()
    return code, out.out, out.err


def closed(engine) -> Closeout | None:
    with reading(engine) as s:
        return s.exec(select(Closeout)).first()


def bill_of_the_day(folder: Path) -> Path:
    at = (NOON + 10 * MIN + 40 * timedelta(seconds=1)).astimezone(LOCAL_TZ)
    return wechat_merchant(folder / "wx.csv", [(f"{at:%Y-%m-%d %H:%M:%S}", "68.00", "SUCCESS")])


def test_close_with_a_bill(day, capsys, tmp_path: Path) -> None:
    engine, db = day
    bill = bill_of_the_day(tmp_path)
    args = ["close", "--db", str(db), "--date", str(DAY), "--counted", "cash=45,wechat=68.00"]
    code, out, err = cli(capsys, *args, "--bill", str(bill))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith(f"{DAY} 已日结：收入 ¥113.00，长款 ¥0.00，短款 ¥0.00")
    assert "微信支付：账单 ¥68.00，对上 1 笔，有记录无账单 0 笔" in out
    assert "支付宝：未对账（未导入账单）" in out
    row = closed(engine)
    assert row is not None and row.reconciled["wechat"]["matched"] == 1
    assert row.approved_by is None
    with reading(engine) as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "closeout")).one()
    assert audit.detail == f"{DAY} via=cli"
    code, out, _ = cli(
        capsys, "report", "day", "--db", str(db), "--date", str(DAY), "--format", "json"
    )
    got = json.loads(out)["reconciled"]
    assert got["wechat"]["bill_fen"] == 6800 and got["alipay"] is None


def test_a_difference_beyond_the_tolerance_needs_a_manager(day, capsys) -> None:
    engine, db = day
    args = ["close", "--db", str(db), "--date", str(DAY), "--counted", "cash=40.00,wechat=68"]
    code, out, err = cli(capsys, *args)
    assert code == 1 and out == ""
    assert err.splitlines() == ["差额：现金 -¥5.00", "差额超过允许范围，须店长输入 PIN 批准"]
    assert closed(engine) is None
    code, _, err = cli(capsys, *args, "--manager", "陈主任", "--pin", MANAGER_PIN)
    assert code == 1 and err.strip() == "差额超过允许范围，须填写说明"
    assert closed(engine) is None
    code, _, err = cli(
        capsys, *args, "--manager", "陈主任", "--pin", "0000", "--note", "少找", lang="en"
    )
    assert code == 1 and "PIN" in err and closed(engine) is None
    approve = ["--manager", "陈主任", "--pin", MANAGER_PIN, "--note", "找错零钱"]
    code, out, err = cli(capsys, *args, *approve)
    assert (code, err) == (0, "") and "短款 -¥5.00" in out
    row = closed(engine)
    assert row is not None and row.approved_by is not None and row.note == "找错零钱"


def test_a_method_left_out_is_not_a_zero(day, capsys) -> None:
    engine, db = day
    code, _, err = cli(capsys, "close", "--db", str(db), "--date", str(DAY), "--counted", "cash=45")
    assert code == 1 and err.strip() == "微信支付实点：应有 ¥68.00：请填写实点金额（没有就填 0）"
    assert closed(engine) is None


@pytest.mark.parametrize("counted", ["cash", "cash=4x", "bitcoin=1", "cash=1,cash=2", "cash=1.005"])
def test_a_malformed_count_is_wrong_usage(day, capsys, counted: str) -> None:
    engine, db = day
    with pytest.raises(SystemExit) as stop:
        main(["close", "--db", str(db), "--date", str(DAY), "--counted", counted, "--lang", "en"])
    assert stop.value.code == 2
    assert "--counted" in capsys.readouterr().err
    assert closed(engine) is None


def test_a_bill_of_another_day_is_refused_and_nothing_closed(day, capsys, tmp_path) -> None:
    engine, db = day
    bill = wechat_merchant(tmp_path / "old.csv", [("2020-01-02 10:00:00", "68.00", "SUCCESS")])
    args = ["close", "--db", str(db), "--date", str(DAY), "--counted", "cash=45,wechat=68"]
    code, _, err = cli(capsys, *args, "--bill", str(bill), lang="en")
    assert (
        code == 1 and err.strip() == f"This bill is for 2020-01-02: it has no transactions on {DAY}"
    )
    assert closed(engine) is None
    code, _, err = cli(capsys, *args, "--bill", str(tmp_path / "missing.csv"))
    assert code == 1 and "不存在" in err and closed(engine) is None


def test_a_bill_of_another_merchant_than_the_config_names_is_refused(
    day, capsys, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, db = day
    config = tmp_path / "config.toml"
    config.write_text('[bill_accounts]\nwechat = "1900099999"\n', encoding="utf-8")
    monkeypatch.setenv("FRONTDESK_CONFIG", str(config))
    args = ["close", "--db", str(db), "--date", str(DAY), "--counted", "cash=45,wechat=68"]
    code, _, err = cli(capsys, *args, "--bill", str(bill_of_the_day(tmp_path)), lang="en")
    assert code == 1 and err.startswith(
        "This bill belongs to 1900012345, not to this desk's account 1900099999"
    )
    assert closed(engine) is None


def exported_entry(capsys, db: Path, folder: Path) -> str:
    out = folder / "walkins.csv"
    span = ["--from", str(DAY), "--to", str(DAY)]
    assert cli(capsys, "export", "walkins", "-o", str(out), "--db", str(db), *span)[0] == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    wechat = next(r for r in rows if r["支付方式"] == "微信支付")
    return wechat["记录编号"]


def test_void_by_the_exported_entry_id(day, capsys, tmp_path: Path) -> None:
    engine, db = day
    entry = exported_entry(capsys, db, tmp_path)
    args = ["void", entry, "--db", str(db), "--reason", "重复登记"]
    code, _, err = cli(capsys, *args)
    assert code == 1 and err.strip() == "收费记录的冲销须店长输入 PIN"
    code, out, err = cli(capsys, *args, "--manager", "陈主任", "--pin", MANAGER_PIN)
    assert (code, err) == (0, "") and out.strip() == f"已冲销 {entry}"
    with reading(engine) as s:
        assert s.exec(select(WalkIn).where(WalkIn.reverses_id == uuid.UUID(entry))).one()
        audit = s.exec(select(AuditLog).where(AuditLog.action == "walkin_void")).one()
    assert audit.detail.startswith("approved_by=") and audit.detail.endswith(" via=cli")
    code, _, err = cli(capsys, *args, "--manager", "陈主任", "--pin", MANAGER_PIN)
    assert code == 1 and err.strip()  # voided already
    with pytest.raises(SystemExit) as stop:
        main(["void", "not-an-id", "--db", str(db), "--reason", "x"])
    assert stop.value.code == 2


def test_adjust_a_closed_day(day, capsys) -> None:
    engine, db = day
    adjust = ["adjust", "--db", str(db), "--day", str(DAY), "--service", "JZ01"]
    adjust += ["--amount", "-5.00", "--method", "现金", "--reason", "多收了"]
    code, _, err = cli(capsys, *adjust)
    assert code == 1 and err.strip() == f"{DAY} 尚未日结，请直接在当天登记"
    close = ["close", "--db", str(db), "--date", str(DAY), "--counted", "cash=45,wechat=68"]
    assert cli(capsys, *close)[0] == 0
    code, out, err = cli(capsys, *adjust)
    today = business_date(datetime.now(UTC))
    assert (code, err) == (0, "")
    assert out.strip() == f"已为 {DAY} 补录 -¥5.00，记入 {today}"
    report = closeout.day_report(engine, "HS01", DAY)
    assert [a.amount_fen for a in report.adjustments_later] == [-500]
    with reading(engine) as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "adjustment")).one()
    assert audit.detail == f"{DAY} via=cli"
    code, _, err = cli(capsys, *adjust[:-2], "--reason", " ")
    assert code == 1 and err.strip()


def test_close_in_a_real_process(day, tmp_path: Path) -> None:
    _, db = day
    args = ["close", "--db", str(db), "--date", str(DAY), "--counted", "cash=45,wechat=68"]
    out = run(*args, "--bill", str(bill_of_the_day(tmp_path)), lang="en")
    assert out.returncode == 0, out.stderr
    assert "WeChat Pay: bill ¥68.00, matched 1" in out.stdout
    again = run(*args, lang="en")
    assert (
        again.returncode == 1
        and again.stderr.strip() == f"{DAY} is already closed; it cannot be closed twice"
    )
