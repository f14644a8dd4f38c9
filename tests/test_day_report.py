"""The day report (X / Z): 58 mm receipt, JSON of CLI.md, XLSX with exact amounts, `report day`."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlalchemy import Engine
from sqlmodel import select

from db.models import PartnerAgreement, Service, Staff
from db.session import reading, writing
from frontdesk import i18n
from frontdesk.errors import UserError
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.closeout import AdjustmentInput, CloseInput, DayReport, report_json
from frontdesk.services.day_report import receipt_text, write_text, write_xlsx, yuan
from frontdesk.services.walkins import WalkInInput
from tests.cli_support import run_cli
from tests.conftest import FIXED_NOW, MANAGER_PIN

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)
YESTERDAY = TODAY - timedelta(days=1)
CEILING = 200_000_000  # 2,000,000 yuan: room for the wide amounts below
METHOD_KEYS = {"cash", "wechat", "alipay", "unionpay", "ecny"}
JSON_TYPES = {
    "site": str,
    "date": str,
    "closed": bool,
    "entries": int,
    "expected_fen": dict,
    "counted_fen": dict,  # or null on an open day
    "over_short_fen": dict,  # or null on an open day
    "income_fen": int,
    "partner_share_fen": int,
    "community_proceeds_fen": int,
    "rebate_fen": int,
    "walkins": int,
    "adjustments_fen": int,
    "reconciled": dict,  # mobile method -> its bill's figures, or null: not reconciled
}


@dataclass
class Days:
    engine: Engine
    path: Path
    closed: DayReport  # yesterday's Z report, with a later adjustment
    open: DayReport  # today's X report, with adjustments booked today


def _log(engine: Engine, actor: Actor, service_id, amount: str = "", method: str = "", at=None):
    raw = WalkInInput(service_id, amount=amount, method=method, started_at=at or FIXED_NOW)
    return walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)


@pytest.fixture
def days(desk) -> Days:
    """Yesterday closed with an over (cash) and a short (alipay); today open, with adjustments.

    Partners: the housekeeping firm (its name is 34 cells, wider than the receipt), the clinic
    and the training school; amounts up to seven figures to test the widest lines.
    """
    engine, path = desk
    with writing(engine) as s:
        # init seeds the agreements from the real install date; these days are fixed dates.
        for agreement in s.exec(select(PartnerAgreement)):
            agreement.valid_from = date(2020, 1, 1)
    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        svc = {x.code: x.id for x in s.exec(select(Service))}
    actor = Actor("HS01", clerk)
    then = FIXED_NOW - timedelta(days=1)
    closeout.open_day(engine, actor, YESTERDAY, 50000, then)
    _log(engine, actor, svc["JZ01"], "135", "cash", then)  # housekeeping 70 %
    _log(engine, actor, svc["JZ02"], "1234567.89", "unionpay", then)
    _log(engine, actor, svc["KY01"], "68", "wechat", then)  # clinic 60 %
    _log(engine, actor, svc["JN03"], "500", "alipay", then)  # school 50 %
    _log(engine, actor, svc["WG03"], "5.05", "ecny", then)  # no partner
    _log(engine, actor, svc["LG04"], at=then)  # free
    x = closeout.x_report(engine, "HS01", YESTERDAY)
    counted = dict(x.expected_fen, cash=x.expected_fen["cash"] + 700)  # 7 yuan over
    counted["alipay"] -= 1000  # 10 yuan short
    closeout.close_day(
        engine,
        actor,
        CloseInput(YESTERDAY, counted, note="支付宝少收十元", manager_id=manager, pin=MANAGER_PIN),
        FIXED_NOW,
    )
    late = AdjustmentInput(YESTERDAY, svc["KY01"], 6800, "wechat", "漏登一笔理疗，顾客次日补扫")
    closeout.add_adjustment(engine, actor, late, FIXED_NOW)
    wrong = AdjustmentInput(YESTERDAY, svc["JZ01"], -4500, "cash", "重复登记")
    closeout.add_adjustment(engine, actor, wrong, FIXED_NOW)
    _log(engine, actor, svc["JZ03"], "299", "ecny")
    return Days(
        engine,
        path,
        closeout.day_report(engine, "HS01", YESTERDAY),
        closeout.day_report(engine, "HS01", TODAY),
    )


# --- receipt -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_receipt_lines_fit_32_cells(days: Days, lang: str) -> None:
    i18n.set_language(lang)
    for report in (days.closed, days.open):
        text = receipt_text(report)
        assert text.endswith("\n")
        too_wide = [line for line in text.splitlines() if cell_len(line) > 32]
        assert not too_wide, (lang, too_wide)


def test_closed_day_receipt_in_chinese(days: Days) -> None:
    z = days.closed
    text = receipt_text(z)
    lines = text.splitlines()
    assert "Z 日结报表" in text and "HS01" in text and "2026-11-25" in text
    assert any(line.startswith("备用金") and line.endswith("¥500.00") for line in lines)
    # Over and short on their own lines, never one net figure.
    assert any(line.startswith("长款合计") and line.endswith("+¥7.00") for line in lines)
    assert any(line.startswith("短款合计") and line.endswith("-¥10.00") for line in lines)
    assert "-¥3.00" not in text
    assert f"¥{z.income_fen // 100:,}.{z.income_fen % 100:02d}" in text
    assert "江门市蓬江区好帮手家政服务有限…\n" in text  # 34 cells -> 31 (32 splits a char)
    assert "按社区收益的 20%" in text and "四舍五入" in text
    assert z.hash[:16] in text and z.hash[:17] not in text
    assert "记于 2026-11-26" in text and "¥68.00" in text and "-¥45.00" in text


def test_open_day_receipt_in_english(days: Days) -> None:
    i18n.set_language("en")
    text = receipt_text(days.open)
    assert "X report" in text and "open, not closed" in text
    assert "For 2026-11-25" in text and "Adjustments total" in text
    assert "Total over" not in text  # nothing counted yet
    assert "Hash" not in text
    assert "20% of community proceeds" in text
    assert "rounded half up" in text


def test_amounts_are_right_aligned(days: Days) -> None:
    for line in receipt_text(days.closed).splitlines():
        if "¥" in line:
            assert line.endswith(("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
            assert cell_len(line) == 32, line


# --- JSON ------------------------------------------------------------------------------------


def _check_json(obj: dict, closed: bool) -> None:
    assert set(obj) == set(JSON_TYPES)
    for key, kind in JSON_TYPES.items():
        if key in ("counted_fen", "over_short_fen") and not closed:
            assert obj[key] is None, key
        else:
            assert type(obj[key]) is kind, key  # `is`: a bool is not an int here
    for key in ("expected_fen", *(("counted_fen", "over_short_fen") if closed else ())):
        assert set(obj[key]) == METHOD_KEYS, key
        assert all(type(v) is int for v in obj[key].values()), key
    assert set(obj["reconciled"]) == METHOD_KEYS - {"cash"}  # no bill: null, never balanced
    assert all(v is None for v in obj["reconciled"].values())


def test_json_has_exactly_the_cli_md_keys(days: Days) -> None:
    z = json.loads(json.dumps(report_json(days.closed)))
    _check_json(z, closed=True)
    assert z["closed"] is True and z["over_short_fen"]["cash"] == 700
    assert z["over_short_fen"]["alipay"] == -1000
    x = json.loads(json.dumps(report_json(days.open)))
    _check_json(x, closed=False)
    assert x["adjustments_fen"] == 6800 - 4500


# --- XLSX ------------------------------------------------------------------------------------


def _sheet(path: Path) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(path).active.iter_rows(values_only=True))


def _fen(value: object) -> int:
    """Back to fen from what openpyxl read: the shortest repr of the stored number."""
    return int(Decimal(str(value)) * 100)


def test_xlsx_round_trips_exact_amounts(days: Days, tmp_path: Path) -> None:
    z = days.closed
    out = tmp_path / "z.xlsx"
    write_xlsx(z, out)
    rows = _sheet(out)
    by_label = {row[0]: row[1:] for row in rows if row and row[0]}
    assert _fen(by_label["收入合计"][0]) == z.income_fen == 123_527_594
    assert _fen(by_label["长款合计"][0]) == 700 and _fen(by_label["短款合计"][0]) == -1000
    assert _fen(by_label["分成合计"][0]) == z.partner_share_fen
    assert _fen(by_label["社区收益"][0]) == z.community_proceeds_fen
    assert _fen(by_label["反哺社区"][0]) == z.rebate_fen
    for method in ("cash", "unionpay", "ecny"):
        name = i18n.t(f"method.{method}")
        income, expected, counted, diff = by_label[name]
        assert _fen(income) == z.income_by_method[method]
        assert _fen(expected) == z.expected_fen[method]
        assert _fen(counted) == z.counted_fen[method]
        assert _fen(diff) == z.over_short_fen[method]
    name = "江门市蓬江区好帮手家政服务有限公司"  # the full name: a sheet has room
    line = next(p for p in z.partners if p.partner == name)
    assert [_fen(v) for v in by_label[name][:2]] == [line.income_fen, line.share_fen]
    # The stored cell text is the exact decimal, with the '0.00' format.
    from openpyxl import load_workbook

    cell = next(r for r in load_workbook(out).active.iter_rows() if r[0].value == "收入合计")[1]
    assert cell.number_format == "0.00" and isinstance(cell.value, float | int)


def test_xlsx_in_english_and_never_overwrites(days: Days, tmp_path: Path) -> None:
    i18n.set_language("en")
    out = tmp_path / "x.xlsx"
    write_xlsx(days.open, out)
    labels = {row[0] for row in _sheet(out) if row}
    assert {"X report", "Total income", "Adjustments booked today"} <= labels
    before = out.read_bytes()
    with pytest.raises(UserError) as err:
        write_xlsx(days.open, out)
    assert err.value.code == "seeker_io.exists" and out.read_bytes() == before
    with pytest.raises(UserError) as err:
        write_xlsx(days.open, tmp_path / "x.csv")
    assert err.value.code == "day_report.xlsx_suffix"
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_text_file_is_never_overwritten(days: Days, tmp_path: Path) -> None:
    out = tmp_path / "z.txt"
    write_text(receipt_text(days.closed), out)
    assert out.read_text(encoding="utf-8") == receipt_text(days.closed)
    with pytest.raises(UserError) as err:
        write_text("other", out)
    assert err.value.code == "seeker_io.exists"
    with pytest.raises(UserError) as err:
        write_text("other", tmp_path / "missing" / "z.txt")
    assert err.value.code == "seeker_io.no_folder"
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_yuan_is_exact() -> None:
    assert str(yuan(0)) == "0.00" and str(yuan(5)) == "0.05" and str(yuan(-5)) == "-0.05"
    assert str(yuan(123_456_789_012)) == "1234567890.12"


# --- command line ----------------------------------------------------------------------------


def run(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("report", "day", *args, lang=lang)


@pytest.fixture
def desk_file(days: Days) -> Path:
    days.engine.dispose()  # the command opens the file itself, as a script's would
    return days.path


def test_cli_text(desk_file: Path) -> None:
    out = run("--db", str(desk_file), "--date", "2026-11-25")
    assert out.returncode == 0, out.stderr
    assert "Z 日结报表" in out.stdout and "长款合计" in out.stdout
    assert all(cell_len(line) <= 32 for line in out.stdout.splitlines())


def test_cli_json_and_an_empty_day(desk_file: Path, tmp_path: Path) -> None:
    out = run("--db", str(desk_file), "--date", "2026-11-25", "--format", "json")
    assert out.returncode == 0, out.stderr
    _check_json(json.loads(out.stdout), closed=True)
    out = run("--db", str(desk_file), "--date", "2020-01-01", "--format", "json")
    assert out.returncode == 0, out.stderr
    empty = json.loads(out.stdout)  # no data: the zero X report
    _check_json(empty, closed=False)
    assert empty["income_fen"] == empty["entries"] == empty["walkins"] == 0


def test_cli_xlsx(desk_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    out = run("--db", str(desk_file), "--date", "2026-11-26", "--format", "xlsx", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert str(target) in out.stdout
    assert any(row and row[0] == "X 报表" for row in _sheet(target))
    again = run(
        "--db", str(desk_file), "--date", "2026-11-26", "--format", "xlsx", "-o", str(target)
    )
    assert again.returncode == 1 and "不会覆盖" in again.stderr


def test_cli_usage_errors_exit_2(desk_file: Path, tmp_path: Path) -> None:
    out = run("--db", str(desk_file), "--date", "2026-13-01", lang="en")
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr
    out = run("--db", str(desk_file), "--date", "2026-11-26", "--format", "xlsx", lang="en")
    assert out.returncode == 2 and "-o" in out.stderr
    assert list(tmp_path.glob("*.xlsx")) == []
