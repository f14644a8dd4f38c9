"""Walk-in import (paper log) and walk-in/payment export: rules, all-or-nothing, CLI."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from db.models import AuditLog, Outbox, Payment, Person, Service, Staff, WalkIn
from db.session import reading, writing
from frontdesk.domain.clock import business_date
from frontdesk.domain.idcard import make_id
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.services import walkins
from frontdesk.services.acting import Actor, cli_actor
from frontdesk.services.closeout import CloseInput, close_day, day_report
from frontdesk.services.spreadsheets import ImportRejected
from frontdesk.services.walkin_io import (
    export_payments,
    export_walkins,
    import_walkins,
    yuan_text,
)
from tests.cli_support import run_cli
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.spreadsheets import write_csv, write_xlsx

CEILING = 2_000_000  # 20,000 yuan, the config's default
TODAY = date(2026, 11, 26)  # FIXED_NOW in Jiangmen
YESTERDAY = TODAY - timedelta(days=1)
ZH = ["日期", "时间", "服务项目", "身份证号", "人数", "金额", "支付方式", "备注"]
EN = ["date", "time", "service", "id_number", "visitors", "amount", "method", "notes"]
# 欧阳娜娜 of tests/conftest.py SNAPSHOT_PEOPLE (desk_with_people).
OUYANG_ID = make_id("440703", date(1975, 3, 9), 22)


def good_rows(day: date = YESTERDAY) -> list[list[str]]:
    when = day.isoformat()
    return [
        [when, "09:15", "LG04", "", "", "", "", "问社保"],
        [when, "10:00", "日常保洁(每小时)", "", "1", "45.50", "微信", ""],
        [when, "", "home cleaning (per hour)", "", "", "90", "cash", ""],
    ]


def read_back(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
        return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [
        ["" if v is None else v.date() if isinstance(v, datetime) else v for v in r]
        for r in book.active.iter_rows(values_only=True)
    ]
    book.close()
    return rows


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def run_import(engine, actor, path, **kw):
    return import_walkins(engine, actor, path, FIXED_NOW, ceiling_fen=CEILING, **kw)


def logged(engine) -> list[tuple[WalkIn, str, Payment | None]]:
    """Every walk-in with its service code and income entry, in the order of their times."""
    with reading(engine) as s:
        rows = s.exec(
            select(WalkIn, Service.code, Payment)
            .join(Service, Service.id == WalkIn.service_id)
            .outerjoin(Payment, Payment.walkin_id == WalkIn.id)
            .order_by(WalkIn.started_at)
        ).all()
    return [tuple(r) for r in rows]


def count(engine, model, *where) -> int:
    with reading(engine) as s:
        return len(s.exec(select(model).where(*where)).all())


def audits(engine, action: str) -> list[AuditLog]:
    with reading(engine) as s:
        return list(s.exec(select(AuditLog).where(AuditLog.action == action)))


def nothing_written(engine) -> bool:
    return (
        count(engine, WalkIn) == 0
        and count(engine, Payment) == 0
        and count(engine, Outbox, Outbox.table_name.in_(["walkins", "payments"])) == 0
        and audits(engine, "walkins_import") == []
    )


# --- import ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_imports(desk, actor, tmp_path: Path, encoding: str) -> None:
    engine, _ = desk
    path = write_csv(tmp_path / "in.csv", ZH, good_rows(), encoding)
    result = run_import(engine, actor, path)
    assert (result.imported, result.rejected) == (3, 0)
    # The third row has no time: 09:00 by default, so it comes first.
    (clean2, code2, pay2), (advice, _, none), (_, code1, pay1) = logged(engine)
    assert advice.notes == "问社保" and advice.headcount == 1 and none is None
    assert (code1, pay1.amount_fen, pay1.method) == ("JZ01", 4550, "wechat")
    assert (code2, pay2.amount_fen, pay2.method) == ("JZ01", 9000, "cash")
    assert clean2.started_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # default 09:00 local
    assert pay1.partner_id is not None and pay1.staff_id == actor.staff_id
    assert {w.business_date for w, _, _ in logged(engine)} == {YESTERDAY}


def test_xlsx_with_english_headers_numbers_dates_and_times(desk, actor, tmp_path) -> None:
    engine, _ = desk
    rows = [
        [datetime(2026, 11, 24), time(14, 5), "JZ02", None, 1, 8800, "wechat pay", None],
        [date(2026, 11, 24), "8:30", "Policy Consultation", "", 3, None, None, ""],
        ["2026-11-24", time(16, 0), "KY01", None, None, 68.5, "支付宝", None],
    ]
    path = write_xlsx(tmp_path / "in.xlsx", EN, rows)
    assert run_import(engine, actor, path).imported == 3
    (advice, code0, _), (nurse, code1, pay1), (_, _, pay2) = logged(engine)
    assert (code0, advice.headcount) == ("LG04", 3)
    assert advice.started_at == datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    assert (code1, pay1.amount_fen, pay1.method) == ("JZ02", 880000, "wechat")
    assert nurse.started_at == datetime(2026, 11, 24, 6, 5, tzinfo=UTC)
    assert (pay2.amount_fen, pay2.method) == (6850, "alipay")


def test_service_by_code_or_name_in_either_language(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    free = ["lg04", "政策咨询", " Policy  consultation "]
    paid = ["日常保洁（每小时）", "JZ01"]  # full-width or half-width brackets alike
    day = YESTERDAY.isoformat()
    rows = [[day, name, "", ""] for name in free] + [[day, name, "45", "现金"] for name in paid]
    path = write_csv(tmp_path / "in.csv", ["日期", "服务项目", "金额", "支付方式"], rows)
    assert run_import(engine, actor, path).imported == 5
    assert sorted(code for _, code, _ in logged(engine)) == ["JZ01", "JZ01", *["LG04"] * 3]


def test_a_registered_visitor_by_id_number(desk, desk_with_people, actor, tmp_path) -> None:
    engine, _ = desk
    rows = [[YESTERDAY.isoformat(), "LG04", OUYANG_ID.lower()], [YESTERDAY.isoformat(), "LG01", ""]]
    path = write_csv(tmp_path / "in.csv", ["日期", "服务项目", "身份证号"], rows)
    assert run_import(engine, actor, path).imported == 2
    with reading(engine) as s:
        visitors = s.exec(select(Person.name).join(WalkIn, WalkIn.person_id == Person.id)).all()
    assert visitors == ["欧阳娜娜"] and count(engine, WalkIn, WalkIn.person_id.is_(None)) == 1


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({5: ""}, "金额", "收费服务须填写金额"),
        ({6: ""}, "支付方式", "收费服务须选择支付方式"),
        ({5: "45.505"}, "金额", "金额格式不对：元，最多两位小数"),
        ({5: "-45"}, "金额", "金额不能为负数"),
        ({5: "20000.01"}, "金额", "金额过大，请核对"),
        ({6: "paypal"}, "支付方式", "支付方式须为现金、微信、支付宝、银联或数字人民币"),
        (
            {2: "XX99"},
            "服务项目",
            "没有这个服务项目：请写目录中的代码（如 LG04）或名称（如 政策咨询）",
        ),
        (
            {3: make_id("440703", date(1980, 1, 1), 99)},
            "身份证号",
            "本站没有以此身份证号登记的人：请先登记，或留空记为匿名来访",
        ),
        ({3: "440703198001010000"}, "身份证号", "身份证号校验位不符，请核对"),
        ({0: "2026-11-27"}, "日期", "日期不能晚于今天"),
        (
            {0: "2026/11/31"},  # 2026/11/25 is read since issue 16; November has 30 days
            "日期",
            "日期应写作 YYYY-MM-DD，如 2026-11-26"
            "（也可写 2026/11/26、2026.11.26 或 2026年11月26日）",
        ),
        ({0: ""}, "日期", "请填写日期"),
        ({1: "25:00"}, "时间", "时间应写作 HH:MM，如 09:30"),
        ({4: "0"}, "人数", "人数须为 1 至 1000 的整数"),
    ],
)
def test_each_bad_cell_is_reported_and_nothing_is_written(
    desk, actor, tmp_path: Path, change: dict[int, str], column: str, reason: str
) -> None:
    engine, _ = desk
    rows = good_rows()
    for index, value in change.items():
        rows[1][index] = value  # row 3 of the sheet, a paid housekeeping visit
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_csv(tmp_path / "in.csv", ZH, rows))
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, column)
    assert problem.reason == reason
    assert nothing_written(engine)


def test_every_problem_of_a_row_at_once_in_sheet_order(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [["2026-11-30", "JZ01", "12.345", "", "7"], ["2026-11-20", "XX", "1.5", "paypal", ""]]
    header = ["日期", "服务项目", "金额", "支付方式", "人数"]
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_csv(tmp_path / "in.csv", header, rows))
    assert [(p.row, p.column) for p in err.value.problems] == [
        (2, "日期"),
        (2, "金额"),
        (2, "支付方式"),
        (3, "服务项目"),
        (3, "支付方式"),  # checked even though the service is unknown
    ]
    assert err.value.report()[-1] == "共 5 处问题（涉及 2 行），未导入任何记录"


def test_one_bad_row_imports_nothing(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [*good_rows(), ["", "", "", "", "", "", "", ""], good_rows()[1]]
    rows[4][5] = "1.234"  # row 6 of the sheet: the blank line still counts
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_csv(tmp_path / "in.csv", ZH, rows))
    assert err.value.report() == [
        "第 6 行【金额】：金额格式不对：元，最多两位小数",
        "共 1 处问题（涉及 1 行），未导入任何记录",
    ]
    assert nothing_written(engine)


def test_the_same_file_is_not_imported_twice_unless_asked(desk, actor, tmp_path) -> None:
    engine, _ = desk
    path = write_csv(tmp_path / "in.csv", ZH, good_rows())
    assert run_import(engine, actor, path).imported == 3
    paid = count(engine, Payment)
    with pytest.raises(UserError) as err:
        run_import(engine, actor, path)
    assert (err.value.code, err.value.field) == ("walkin_io.already_imported", "file")
    assert err.value.params["count"] == "3"
    assert count(engine, WalkIn) == 3 and count(engine, Payment) == paid
    assert len(audits(engine, "walkins_import")) == 1
    # Another file, even with one cell changed, is another paper log.
    rows = good_rows()
    rows[0][7] = "补录"
    assert run_import(engine, actor, write_csv(tmp_path / "other.csv", ZH, rows)).imported == 3
    # Asked for on purpose, the same file goes in again.
    assert run_import(engine, actor, path, again=True).imported == 3
    assert count(engine, WalkIn) == 9


def test_a_rejected_file_does_not_count_as_imported(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = good_rows()
    rows[1][5] = "1.234"
    path = write_csv(tmp_path / "in.csv", ZH, rows)
    for _ in range(2):  # each time the same report, never "already imported"
        with pytest.raises(ImportRejected):
            run_import(engine, actor, path)
    assert nothing_written(engine)


def test_report_in_english_names_the_file_columns(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    set_language("en")
    rows = [[YESTERDAY.isoformat(), "JZ01", ""]]  # no method column at all
    with pytest.raises(ImportRejected) as err:
        run_import(
            engine, actor, write_csv(tmp_path / "in.csv", ["date", "service", "amount"], rows)
        )
    assert err.value.report() == [
        "Row 2, column amount: A paid service needs the amount",
        "Row 2, column method: A paid service needs the payment method",
        "2 problems in 1 rows: nothing was imported",
    ]


def test_header_problems_are_row_1(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    path = write_csv(tmp_path / "in.csv", ["时间", "金额", "来访者"], [["09:00", "1", "张三"]])
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, path)
    assert {(p.row, p.column, p.error.code) for p in err.value.problems} == {
        (1, "来访者", "walkin_io.unknown_column"),
        (1, "日期", "seeker_io.missing_column"),
        (1, "服务项目", "seeker_io.missing_column"),
    }
    with pytest.raises(UserError) as err:
        run_import(engine, actor, write_csv(tmp_path / "empty.csv", ZH, []))
    assert err.value.code == "seeker_io.no_rows"


def test_skip_invalid_imports_the_good_rows_and_keeps_the_bad(desk, actor, tmp_path) -> None:
    engine, _ = desk
    rows = good_rows()
    rows[0][0] = "2026-11-27"  # tomorrow: add_walkin itself would have accepted the row
    rows[2][6] = "支票"
    rejects = tmp_path / "rejects.csv"
    path = write_csv(tmp_path / "in.csv", ZH, rows)
    result = run_import(engine, actor, path, skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected, result.rejects) == (1, 2, rejects)
    ((_, code, pay),) = logged(engine)
    assert code == "JZ01" and pay.amount_fen == 4550
    # The rolled-back savepoints left nothing behind, not even outbox rows.
    assert count(engine, Outbox, Outbox.table_name == "walkins") == 1
    header, *kept = read_back(rejects)
    assert header == [*ZH, "原因"]
    assert [r[:8] for r in kept] == [rows[0], rows[2]]
    assert kept[0][-1] == "【日期有误】日期不能晚于今天"
    assert kept[1][-1] == "【支付方式有误】支付方式须为现金、微信、支付宝、银联或数字人民币"
    (audit,) = audits(engine, "walkins_import")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert audit.detail == f"imported=1 rejected=2 paid=1 via=tui sha256={digest}"
    assert audit.staff_id == actor.staff_id


def test_rejects_xlsx_fixed_and_imported_again(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [[YESTERDAY.isoformat(), "LG04", ""], [YESTERDAY.isoformat(), "JZ01", ""]]
    path = write_xlsx(tmp_path / "in.xlsx", ["date", "service", "amount"], rows)
    with pytest.raises(UserError) as err:
        run_import(engine, actor, path, skip_invalid=True, rejects=tmp_path / "r.csv")
    assert err.value.code == "seeker_io.rejects_format"
    rejects = tmp_path / "rejects.xlsx"
    assert run_import(engine, actor, path, skip_invalid=True, rejects=rejects).imported == 1
    header, kept = read_back(rejects)
    assert header == ["date", "service", "amount", "reason"]
    assert kept[1] == "JZ01" and "amount" in kept[3]
    fixed = write_xlsx(
        tmp_path / "fixed.xlsx",
        [*header[:3], "method", "reason"],
        [[kept[0], kept[1], "45", "cash", kept[3]]],  # the reason column is ignored
    )
    assert run_import(engine, actor, fixed).imported == 1
    assert count(engine, WalkIn) == 2 and count(engine, Payment) == 1


def test_a_late_entry_keeps_its_written_business_date(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [
        [YESTERDAY.isoformat(), "23:30", "JZ01", "", "", "45", "现金", ""],
        [YESTERDAY.isoformat(), "00:30", "JZ01", "", "", "45", "数字人民币", ""],
    ]
    assert run_import(engine, actor, write_csv(tmp_path / "in.csv", ZH, rows)).imported == 2
    (early, _, pay_early), (late, _, pay_late) = logged(engine)
    # 00:30 in Jiangmen is still the previous day in UTC; 23:30 is 15:30 UTC the same day.
    assert early.started_at == datetime(2026, 11, 24, 16, 30, tzinfo=UTC)
    assert late.started_at == datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    for walkin, pay in ((early, pay_early), (late, pay_late)):
        assert walkin.business_date == pay.business_date == YESTERDAY
        assert pay.received_at == walkin.started_at
    day = walkins.day_log(engine, "HS01", YESTERDAY)
    assert day.income_fen == 9000 and day.by_method["ecny"] == 4500
    assert walkins.day_log(engine, "HS01", TODAY).income_fen == 0


def test_an_18_digit_number_cell_is_reported_not_guessed(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [[YESTERDAY.isoformat(), "LG04", float(OUYANG_ID[:17] + "1")]]
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_xlsx(tmp_path / "in.xlsx", EN[:1] + EN[2:4], rows))
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.error.code) == (
        2,
        "id_number",
        "seeker_io.number_lost",
    )


def close(engine, actor: Actor, day: date, now: datetime = FIXED_NOW) -> None:
    """Close `day` out with every method counted exactly as expected."""
    expected = day_report(engine, "HS01", day).expected_fen
    close_day(engine, actor, CloseInput(day=day, counted_fen=dict(expected)), now)


def test_paid_rows_dated_on_a_closed_day_are_problems_at_the_date_column(
    desk, actor, tmp_path: Path
) -> None:
    """Money of a closed day is an adjustment; a free visit dated then is still logged."""
    engine, _ = desk
    close(engine, actor, YESTERDAY)
    rows = [*good_rows(), good_rows(TODAY - timedelta(days=2))[1]]  # the last: an open day
    path = write_csv(tmp_path / "in.csv", ZH, rows)
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, path)
    problems = err.value.problems
    assert [(p.row, p.column, p.error.code) for p in problems] == [
        (3, "日期", "walkin.day_closed"),
        (4, "日期", "walkin.day_closed"),
    ]
    assert problems[0].reason.startswith("2026-11-25 已日结")
    assert "调整" in problems[0].reason
    assert nothing_written(engine)

    rejects = tmp_path / "rejects.csv"
    result = run_import(engine, actor, path, skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected) == (2, 2)
    ((walkin, code, pay), free) = logged(engine)  # in the order of their times
    assert (free[0].business_date, free[1], free[2]) == (YESTERDAY, "LG04", None)
    assert free[0].after_close  # logged after its day's close: outside the close-out
    assert (walkin.business_date, code, pay.amount_fen) == (TODAY - timedelta(days=2), "JZ01", 4550)
    header, *kept = read_back(rejects)
    assert header == [*ZH, "原因"] and [r[:8] for r in kept] == rows[1:3]
    assert all(r[-1].startswith("【日期有误】2026-11-25 已日结") for r in kept)
    set_language("en")
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_csv(tmp_path / "again.csv", EN, rows[1:2]))
    assert err.value.report()[0] == (
        "Row 2, column date: 2026-11-25 is closed: a paid entry cannot be added to it. "
        "Book money taken that day as an adjustment for 2026-11-25 (F2 on the close-out "
        "screen); free visits can still be logged"
    )


def test_a_closed_today_does_not_refuse_rows_of_other_days(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    close(engine, actor, TODAY)
    rows = good_rows()  # yesterday's, still open
    rows[0][1] = "9点"  # a bad time: the row is judged without a moment, not as today's
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_csv(tmp_path / "in.csv", ZH, rows))
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "时间")]
    result = run_import(engine, actor, write_csv(tmp_path / "ok.csv", ZH, good_rows()))
    assert result.imported == 3
    assert {w.business_date for w, _, _ in logged(engine)} == {YESTERDAY}


# --- export ----------------------------------------------------------------------------


@pytest.fixture
def history(desk, desk_with_people, actor, tmp_path: Path):
    """Three days of entries: a paid visit by 欧阳娜娜, free ones, one voided paid visit."""
    engine, _ = desk
    rows = [
        ["2026-11-23", "11:00", "JZ01", "", "", "45", "cash", ""],  # before the range
        [YESTERDAY.isoformat(), "09:05", "JZ02", OUYANG_ID, "", "12345.67", "wechat", ""],
        [YESTERDAY.isoformat(), "10:00", "LG04", "", "4", "", "", ""],
        [TODAY.isoformat(), "09:30", "KY01", "", "", "0.1", "alipay", ""],
    ]
    run_import(engine, actor, write_csv(tmp_path / "history.csv", ZH, rows))
    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        tcm = s.exec(select(WalkIn).where(WalkIn.business_date == TODAY)).one()
    walkins.void_walkin(engine, actor, tcm.id, "收错=1", FIXED_NOW, manager, MANAGER_PIN)
    return engine


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_walkin_export_amounts_exact_and_visitor_masked(history, actor, tmp_path, suffix) -> None:
    out = tmp_path / f"walkins{suffix}"
    count_ = export_walkins(
        history, "HS01", out, date_from=YESTERDAY, date_to=TODAY, actor=actor, now=FIXED_NOW
    )
    assert count_ == 4
    header, *rows = read_back(out)
    assert header[:5] == ["日期", "时间", "服务代码", "服务项目", "来访者"]
    at = {name: header.index(name) for name in ("金额", "支付方式", "已冲销", "冲销记录", "人数")}
    nurse, advice, tcm, reversal = rows
    nurse[0] = str(nurse[0])  # a date cell in XLSX, its ISO text in CSV
    assert nurse[:5] == [YESTERDAY.isoformat(), "09:05", "JZ02", "月嫂（26天）", "欧阳**"]
    assert nurse[at["金额"]] == "12345.67" and nurse[at["支付方式"]] == "微信支付"
    assert advice[at["金额"]] == "" and int(advice[at["人数"]]) == 4
    assert tcm[at["金额"]] == "0.10" and tcm[at["已冲销"]] == "是" and tcm[at["冲销记录"]] == ""
    assert reversal[at["金额"]] == "-0.10" and reversal[at["冲销记录"]] == "是"
    everything = " ".join(str(v) for r in rows for v in r)
    assert OUYANG_ID not in everything and "欧阳娜娜" not in everything
    (audit,) = audits(history, "walkins_export")
    assert audit.detail == "rows=4 from=2026-11-25 to=2026-11-26 via=tui"
    assert audit.staff_id == actor.staff_id


def test_payment_export_in_english(history, tmp_path: Path) -> None:
    set_language("en")
    out = tmp_path / "payments.csv"
    assert export_payments(history, "HS01", out, date_from=YESTERDAY, date_to=TODAY) == 3
    header, *rows = read_back(out)
    assert header == [
        "date",
        "time",
        "service_code",
        "service",
        "amount",
        "method",
        "partner",
        "reversal",
        "reason",
    ]
    nurse, tcm, refund = rows
    assert nurse[2:6] == ["JZ02", "Maternity nurse (26 days)", "12345.67", "WeChat Pay"]
    assert nurse[6] == "江门市蓬江区好帮手家政服务有限公司" and nurse[7] == ""
    assert tcm[4:6] == ["0.10", "Alipay"] and tcm[7] == ""
    assert refund[4] == "-0.10" and refund[7] == "yes"
    assert refund[8] == "收错=1"
    assert len(audits(history, "payments_export")) == 1


def test_export_keeps_formulas_from_running_but_not_amounts(history, tmp_path: Path) -> None:
    engine = history
    with reading(engine) as s:
        pay = s.exec(select(Payment).where(Payment.reverses_id.is_not(None))).one()
    with writing(engine) as s:  # a reason someone typed as a formula
        s.get(Payment, pay.id).reason = "=HYPERLINK(1)"
    out = tmp_path / "p.csv"
    export_payments(engine, "HS01", out, date_from=TODAY, date_to=TODAY)
    _, refund = read_back(out)[1:]
    assert refund[4] == "-0.10" and refund[8] == "'=HYPERLINK(1)"


def test_export_default_range_never_overwrites_and_bad_range(history, tmp_path: Path) -> None:
    out = tmp_path / "w.csv"
    out.write_text("keep me")
    with pytest.raises(UserError) as err:
        export_walkins(history, "HS01", out, date_from=TODAY, date_to=TODAY)
    assert err.value.code == "seeker_io.exists" and out.read_text() == "keep me"
    with pytest.raises(UserError) as err:
        export_walkins(history, "HS01", tmp_path / "x.csv", date_from=TODAY, date_to=YESTERDAY)
    assert err.value.code == "walkin_io.bad_range" and not (tmp_path / "x.csv").exists()
    assert audits(history, "walkins_export") == []


def test_yuan_text_is_exact() -> None:
    assert [yuan_text(f) for f in (0, 1, 10, 4550, -10, 123456789)] == [
        "0.00",
        "0.01",
        "0.10",
        "45.50",
        "-0.10",
        "1234567.89",
    ]


# --- command line ------------------------------------------------------------------------


cli = run_cli  # the command line, in this process (tests/cli_support.py)


def test_cli_import_all_or_nothing_and_skip_invalid(desk, tmp_path: Path) -> None:
    engine, db = desk
    today = business_date(datetime.now(UTC))  # the command line runs on the real clock
    rows = good_rows(today)
    rows[1][5] = "-45"
    path = write_csv(tmp_path / "in.csv", ZH, rows)
    out = cli("import", "walkins", str(path), "--db", str(db))
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "第 3 行【金额】：金额不能为负数",
        "共 1 处问题（涉及 1 行），未导入任何记录",
    ]
    assert nothing_written(engine)
    rejects = tmp_path / "rejects.csv"
    out = cli("import", "walkins", str(path), "--db", str(db), "--skip-invalid")
    assert out.returncode == 2 and "--rejects" in out.stderr
    args = ("--skip-invalid", "--rejects", str(rejects))
    out = cli("import", "walkins", str(path), "--db", str(db), *args, lang="en")
    assert out.returncode == 0, out.stderr
    assert "2 walk-ins imported; 1 rows with problems were skipped" in out.stdout
    assert count(engine, WalkIn) == 2 and len(read_back(rejects)) == 2
    (audit,) = audits(engine, "walkins_import")
    assert audit.staff_id == cli_actor(engine, "HS01").staff_id
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert audit.detail == f"imported=2 rejected=1 paid=1 via=cli sha256={digest}"
    # The same file again would book its money twice: refused in one line, unless --again.
    args = ("--skip-invalid", "--rejects", str(tmp_path / "rejects-2.csv"))
    out = cli("import", "walkins", str(path), "--db", str(db), *args)
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    assert "导入过（2 条）" in out.stderr and "--again" in out.stderr
    assert count(engine, WalkIn) == 2
    out = cli("import", "walkins", str(path), "--db", str(db), "--again", *args)
    assert out.returncode == 0, out.stderr
    assert count(engine, WalkIn) == 4


def test_cli_import_of_a_closed_day_reports_the_rows(desk, actor, tmp_path: Path) -> None:
    engine, db = desk
    now = datetime.now(UTC)  # the command line runs on the real clock
    closed = business_date(now) - timedelta(days=1)
    close(engine, actor, closed, now)
    rows = [good_rows(closed)[1], good_rows(closed - timedelta(days=1))[1]]  # paid ones
    path = write_csv(tmp_path / "in.csv", ZH, rows)
    out = cli("import", "walkins", str(path), "--db", str(db))
    assert out.returncode == 1, out.stderr
    first, last = out.stderr.splitlines()
    assert first.startswith(f"第 2 行【日期】：{closed.isoformat()} 已日结")
    assert last == "共 1 处问题（涉及 1 行），未导入任何记录"
    assert nothing_written(engine)
    rejects = tmp_path / "rejects.csv"
    args = ("--skip-invalid", "--rejects", str(rejects))
    out = cli("import", "walkins", str(path), "--db", str(db), *args)
    assert out.returncode == 0, out.stderr
    assert count(engine, WalkIn) == 1
    _, kept = read_back(rejects)
    assert kept[0] == closed.isoformat() and "已日结" in kept[-1]


def test_cli_import_missing_file_exits_1(desk, tmp_path: Path) -> None:
    _, db = desk
    out = cli("import", "walkins", str(tmp_path / "nowhere.xlsx"), "--db", str(db), lang="en")
    assert out.returncode == 1
    assert out.stderr.strip() == f"The file {tmp_path / 'nowhere.xlsx'} does not exist"


def test_cli_export_walkins_and_payments(desk, actor, tmp_path: Path) -> None:
    engine, db = desk
    today = business_date(datetime.now(UTC))
    yesterday = today - timedelta(days=1)
    rows = [
        [yesterday.isoformat(), "10:00", "JZ01", "", "", "45.5", "cash", ""],
        [today.isoformat(), "00:00", "LG04", "", "", "", "", ""],
    ]
    import_walkins(
        engine,
        actor,
        write_csv(tmp_path / "in.csv", ZH, rows),
        datetime.now(UTC),
        ceiling_fen=CEILING,
    )
    default = tmp_path / "today.csv"
    out = cli("export", "walkins", "-o", str(default), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "1 条来访记录" in out.stdout and len(read_back(default)) == 2  # today only
    both = tmp_path / "payments.xlsx"
    span = ("--from", yesterday.isoformat(), "--to", today.isoformat())
    out = cli("export", "payments", "-o", str(both), "--db", str(db), *span, lang="en")
    assert out.returncode == 0, out.stderr
    assert read_back(both)[1][4] == "45.50"
    out = cli("export", "payments", "-o", str(both), "--db", str(db))  # never overwritten
    assert out.returncode == 1 and "already" not in out.stderr and "已存在" in out.stderr
    bad = cli(
        "export", "walkins", "-o", str(tmp_path / "x.csv"), "--db", str(db), "--from", "11/25"
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    backwards = ("--from", today.isoformat(), "--to", yesterday.isoformat())
    out = cli("export", "walkins", "-o", str(tmp_path / "y.csv"), "--db", str(db), *backwards)
    assert out.returncode == 1 and "开始日期不能晚于结束日期" in out.stderr
    (audit,) = audits(engine, "payments_export")
    assert audit.detail.endswith("via=cli") and audit.staff_id == cli_actor(engine, "HS01").staff_id


@pytest.mark.parametrize("service", ["公益课堂", "GY02", "招聘会", "亲子活动"])
def test_a_group_activity_in_the_paper_log_points_to_the_activities(
    desk, actor, tmp_path: Path, service: str
) -> None:
    """Classes, events and job fairs are sessions: a paper-log row of one is refused at its
    服务项目 cell with the way to record it (F12), and nothing is written."""
    engine, _ = desk
    rows = [*good_rows(), [YESTERDAY.isoformat(), "14:00", service, "", "30", "", "", ""]]
    with pytest.raises(ImportRejected) as err:
        run_import(engine, actor, write_csv(tmp_path / "in.csv", ZH, rows))
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (5, "服务项目")
    assert "集体活动（F12）" in problem.reason
    assert nothing_written(engine)
