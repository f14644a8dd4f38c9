"""Bad input to the imports and what the exports write (issue 16, items 7 and 8).

Every bad file is one clear line naming the problem, exit 1, nothing written and no
traceback; every export and rejects file is safe to open in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from sqlmodel import select

from db.models import AuditLog, Person, Staff, WalkIn
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.domain.privacy import mask_name
from frontdesk.errors import UserError
from frontdesk.services import sheet_files
from frontdesk.services.acting import Actor, cli_actor, confirm_manager
from frontdesk.services.seeker_io import export_seekers, import_seekers
from frontdesk.services.service_lines import active_services
from frontdesk.services.spreadsheets import MAX_LISTED, ImportRejected, write_xlsx
from frontdesk.services.walkin_io import export_walkins, import_walkins
from frontdesk.services.walkins import WalkInInput, log_walkin
from tests.cli_support import run_cli
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.spreadsheets import write_book, write_csv

CEILING = 2_000_000
TODAY = date(2026, 11, 26)  # FIXED_NOW in Jiangmen
ZH = ["姓名", "身份证号", "手机号", "学历", "技能", "求职意向", "登记日期", "备注"]
WALKINS = ["日期", "时间", "服务项目", "身份证号", "人数", "金额", "支付方式", "备注"]


def pid(seq: int) -> str:
    return make_id("440703", date(1990, 5, 17), seq)


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def nothing_imported(engine) -> bool:
    with reading(engine) as s:
        return (
            s.exec(select(Person)).first() is None
            and s.exec(select(WalkIn)).first() is None
            and s.exec(select(AuditLog).where(AuditLog.action.like("%_import"))).first() is None
        )


def seekers(engine, actor, path: Path, **kw):
    return import_seekers(engine, actor, path, FIXED_NOW, **kw)


def walkins(engine, actor, path: Path, **kw):
    return import_walkins(engine, actor, path, FIXED_NOW, ceiling_fen=CEILING, **kw)


# --- files that cannot be read -----------------------------------------------------------


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def blank_lines(path: Path) -> Path:
    path.write_text("\n ,\n\n")
    return path


def header_only(path: Path) -> Path:
    return write_csv(path, WALKINS if "walkins" in path.name else ZH, [])


def workbook_named_csv(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    return path


def csv_named_xlsx(path: Path) -> Path:
    return write_csv(path, ZH, [["张三", pid(11), "13800138000"]])


def utf16_without_bom(path: Path) -> Path:
    path.write_bytes("姓名,身份证号,手机号\r\n张三,1,2\r\n".encode("utf-16-le"))
    return path


def truncated_xlsx(path: Path) -> Path:
    write_book(path, {"登记": [ZH, ["张三", pid(11), "13800138000"]]})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a download cut short
    return path


def binary(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 8)
    return path


def too_large(path: Path) -> Path:
    with path.open("wb") as fh:  # sparse: its size is all that is looked at
        fh.truncate(sheet_files.MAX_FILE_BYTES + 1)
    return path


BAD_FILES = {
    "empty": (empty, ".csv", "seeker_io.empty"),
    "blank lines": (blank_lines, ".csv", "seeker_io.empty"),
    "header only": (header_only, ".csv", "seeker_io.no_rows"),
    "binary": (binary, ".csv", "seeker_io.encoding"),
    "utf-16 without BOM": (utf16_without_bom, ".csv", "seeker_io.encoding"),
    "workbook named .csv": (workbook_named_csv, ".csv", "seeker_io.workbook_as_csv"),
    "truncated xlsx": (truncated_xlsx, ".xlsx", "seeker_io.unreadable"),
    "csv named .xlsx": (csv_named_xlsx, ".xlsx", "seeker_io.unreadable"),
    "damaged xls": (binary, ".xls", "seeker_io.unreadable"),
    "too large": (too_large, ".csv", "seeker_io.too_large"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_cannot_be_read_is_one_refusal(desk, actor, tmp_path: Path, case) -> None:
    engine, _ = desk
    make, suffix, code = BAD_FILES[case]
    for run in (seekers, walkins):
        path = make(tmp_path / f"{run.__name__}{suffix}")
        with pytest.raises(UserError) as err:
            run(engine, actor, path)
        assert not isinstance(err.value, ImportRejected)
        assert err.value.code == code and err.value.field == "file"
        message = err.value.message()
        assert "\n" not in message and "\x00" not in message
        assert str(path) in message or code == "seeker_io.no_rows"
    assert nothing_imported(engine)


def test_the_messages_say_what_to_do(tmp_path: Path) -> None:
    def said(code: str, **params) -> str:
        return UserError(code, path="x.csv", **params).message()

    assert "UTF-16" in said("seeker_io.encoding") and "CSV UTF-8" in said("seeker_io.encoding")
    assert "50 MiB" in said("seeker_io.too_large", limit=sheet_files.MAX_FILE_TEXT)
    assert ".xlsx" in said("seeker_io.workbook_as_csv")
    assert "损坏" in said("seeker_io.unreadable", kind=".xlsx")


def test_an_unknown_column_is_one_problem_line(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    path = write_csv(tmp_path / "in.csv", [*ZH, "爱好"], [["张三", pid(11), "13800138000"]])
    with pytest.raises(ImportRejected) as err:
        seekers(engine, actor, path)
    first, last = err.value.report()
    assert first.startswith("第 1 行【爱好】：未知的列名")
    assert last == "共 1 处问题（涉及 1 行），未导入任何记录"


def test_a_header_cell_is_quoted_short_and_printable(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    header = [*ZH[:3], "备\x00注", "说明" * 100]
    path = write_csv(tmp_path / "in.csv", header, [["张三", pid(11), "13800138000", "", ""]])
    with pytest.raises(ImportRejected) as err:
        seekers(engine, actor, path)
    assert [p.column for p in err.value.problems] == ["备<U+0000>注", "说明" * 20 + "…"]


# --- cells -------------------------------------------------------------------------------


def test_a_cell_over_128_kib_is_a_problem_at_its_cell(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    huge = "很长的备注" * 30_000  # 150,000 characters: more than csv's own 128 KiB limit
    rows = [["张三", pid(11), "13800138000", "", "", "", "", huge]]
    with pytest.raises(ImportRejected) as err:
        seekers(engine, actor, write_csv(tmp_path / "s.csv", ZH, rows))
    assert [(p.row, p.column, p.error.code) for p in err.value.problems] == [
        (2, "备注", "seeker_io.cell_too_long")
    ]
    log = [["2026-11-25", "09:00", "LG04", "", "", "", "", huge]]
    with pytest.raises(ImportRejected) as err:
        walkins(engine, actor, write_csv(tmp_path / "w.csv", WALKINS, log))
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "备注")]
    assert "32767" in err.value.problems[0].reason
    assert nothing_imported(engine)


def test_walkin_dates_far_outside_the_desks_life_and_exponent_amounts(
    desk, actor, tmp_path: Path
) -> None:
    engine, _ = desk
    rows = [
        ["0001-01-01", "09:00", "LG04", "", "", "", "", ""],
        ["1900-01-01", "09:00", "LG04", "", "", "", "", ""],
        ["2026-11-25", "09:00", "JZ01", "", "", "1e2", "现金", ""],
        ["2027-11-25", "09:00", "LG04", "", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as err:
        walkins(engine, actor, write_csv(tmp_path / "in.csv", WALKINS, rows))
    assert [(p.row, p.column, p.error.code) for p in err.value.problems] == [
        (2, "日期", "dates.too_early"),
        (3, "日期", "dates.too_early"),
        (4, "金额", "money.format"),
        (5, "日期", "walkin_io.future_date"),
    ]
    assert err.value.problems[0].reason == "日期早于 2000-01-01，请核对"
    assert nothing_imported(engine)


def test_a_registration_dated_before_any_desk(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [["张三", pid(11), "13800138000", "", "", "", "1900-01-01", ""]]
    with pytest.raises(ImportRejected) as err:
        seekers(engine, actor, write_csv(tmp_path / "in.csv", ZH, rows))
    (problem,) = err.value.problems
    assert (problem.column, problem.error.code) == ("登记日期", "dates.too_early")


def test_formulas_without_saved_values_are_reported(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [
        ZH[:3],
        ["张三", pid(11), "13800138000"],
        ["=B9", '=TEXT(C9,"0")', "=C9"],  # written by a program: no values were saved
        [None, None, None],
    ]
    path = write_book(tmp_path / "in.xlsx", {"登记": rows})
    with pytest.raises(ImportRejected) as err:
        seekers(engine, actor, path)
    assert [(p.row, p.column, p.error.code) for p in err.value.problems] == [
        (3, "姓名", "seeker_io.uncalculated"),
        (3, "身份证号", "seeker_io.uncalculated"),
        (3, "手机号", "seeker_io.uncalculated"),
    ]
    assert "保存" in err.value.problems[0].reason
    assert nothing_imported(engine)


def test_problems_listed_are_capped(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [[f"人{i}", pid(11), "123"] for i in range(MAX_LISTED + 50)]
    with pytest.raises(ImportRejected) as err:
        seekers(engine, actor, write_csv(tmp_path / "in.csv", ZH[:3], rows))
    report = err.value.report()
    assert len(err.value.problems) == MAX_LISTED + 50 and len(report) == MAX_LISTED + 2
    assert report[-2] == "……另有 50 处问题未列出"
    assert report[-1] == "共 250 处问题（涉及 250 行），未导入任何记录"


# --- rejects files -----------------------------------------------------------------------


def read_csv_back(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def test_rejects_are_masked_and_safe_to_open(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [
        ["张三", pid(11), "13800138000", "", "", "", "", ""],
        ["=1+2", pid(12), "1390013900", "", "", "", "", "=HYPERLINK(1)"],
        ["@李四", pid(14), "+86 139 0013 9001", "幼儿园", "", "", "", "-1"],
    ]
    source = write_csv(tmp_path / "in.csv", ZH, rows)
    rejects = tmp_path / "rejects.csv"
    result = seekers(engine, actor, source, skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected) == (1, 2)
    _, bad_phone, bad_school = read_csv_back(rejects)
    assert bad_phone[:3] == ["'=1+2", "4407**********0122", "******3900"]
    assert bad_phone[7] == "'=HYPERLINK(1)"
    assert bad_school[:3] == ["'@李四", "4407**********0149", "139****9001"]
    assert bad_school[7] == "'-1" and "学历" in bad_school[8]
    assert pid(12) not in rejects.read_text("utf-8-sig")
    book = openpyxl.Workbook()
    book.active.append(ZH)
    book.active.append(rows[1])
    for cell in book.active[2]:
        cell.data_type = "s"  # typed as text, as a person's "=1+2" is
    book.save(xlsx := tmp_path / "in.xlsx")
    out = tmp_path / "rejects.xlsx"
    seekers(engine, actor, xlsx, skip_invalid=True, rejects=out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A2"].value == "=1+2" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "4407**********0122"


# --- exports -----------------------------------------------------------------------------

FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)"]
BYPASS = text(
    "UPDATE people SET notes = :n, name = :m, row_version = row_version + 1 WHERE name = '+1'"
)


@pytest.fixture
def formula_people(desk, actor, tmp_path: Path):
    engine, _ = desk
    rows = [[n, pid(21 + i), f"1380013800{i}", "", "", "", "", n] for i, n in enumerate(FORMULAS)]
    assert seekers(engine, actor, write_csv(tmp_path / "p.csv", ZH, rows)).imported == 4
    return engine


@pytest.mark.parametrize("reveal", [False, True])
def test_seeker_exports_never_hold_a_formula(formula_people, tmp_path: Path, reveal) -> None:
    engine = formula_people
    boss = cli_actor(engine, "HS01")
    by = confirm_manager(engine, "HS01", boss.staff_id, MANAGER_PIN, FIXED_NOW) if reveal else None
    export_seekers(engine, "HS01", tmp_path / "out.csv", reveal_by=by, now=FIXED_NOW)
    export_seekers(engine, "HS01", tmp_path / "out.xlsx", reveal_by=by, now=FIXED_NOW)
    _, *rows = read_csv_back(tmp_path / "out.csv")
    assert all(r[0].startswith("'") and r[-1].startswith("'") for r in rows)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    names = [sheet.cell(r, 1) for r in range(2, 6)]
    notes = [sheet.cell(r, sheet.max_column) for r in range(2, 6)]
    assert {c.value for c in notes} == set(FORMULAS)
    assert all(c.data_type == "s" for c in names + notes)
    if reveal:
        assert {c.value for c in names} == set(FORMULAS)


def test_walkin_exports_never_hold_a_formula(formula_people, actor, tmp_path: Path) -> None:
    engine = formula_people
    with reading(engine) as s:
        person = s.exec(select(Person).where(Person.name == "=1+2")).one()
    lg04 = next(i for i in active_services(engine) if i.code == "LG04")
    raw = WalkInInput(
        service_id=lg04.id, person_id=person.id, outcome="=HYPERLINK(1)", referral="@x"
    )
    log_walkin(engine, actor, raw, FIXED_NOW, CEILING)
    export_walkins(engine, "HS01", tmp_path / "w.csv", date_from=TODAY, date_to=TODAY)
    export_walkins(engine, "HS01", tmp_path / "w.xlsx", date_from=TODAY, date_to=TODAY)
    header, row = read_csv_back(tmp_path / "w.csv")
    shown = dict(zip(header, row, strict=True))
    assert shown["来访者"] == "'" + mask_name("=1+2") and shown["处理结果"] == "'=HYPERLINK(1)"
    assert shown["转介"] == "'@x"
    sheet = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    for column in ("来访者", "处理结果", "转介"):
        assert cells[column].data_type == "s" and cells[column].value.startswith(("=", "@"))


def test_an_xlsx_export_survives_characters_an_xlsx_cannot_hold(
    formula_people, tmp_path: Path
) -> None:
    engine = formula_people
    with engine.begin() as conn:  # stored before the text rule, or by a path around it
        conn.execute(BYPASS, {"n": "备\x07注\x1b[31m", "m": "王\x01五"})
    boss = cli_actor(engine, "HS01")
    by = confirm_manager(engine, "HS01", boss.staff_id, MANAGER_PIN, FIXED_NOW)
    out = tmp_path / "out.xlsx"
    export_seekers(engine, "HS01", out, reveal_by=by, now=FIXED_NOW)
    values = [c for row in openpyxl.load_workbook(out).active.values for c in row]
    assert "备\ufffd注\ufffd[31m" in values and "王\ufffd五" in values
    write_xlsx(tmp_path / "direct.xlsx", ["a"], [["\x00\x08\x0b\x0c\x0e\x1f ok"]])


# --- the command line ----------------------------------------------------------------------


cli = run_cli  # the command line, in this process (tests/cli_support.py)


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        ("empty", "seekers"),
        ("header only", "walkins"),
        ("binary", "seekers"),
        ("utf-16 without BOM", "walkins"),
        ("truncated xlsx", "seekers"),
        ("too large", "walkins"),
    ],
)
def test_cli_bad_files_one_line_exit_1(desk, tmp_path: Path, case: str, kind: str) -> None:
    engine, db = desk
    make, suffix, _ = BAD_FILES[case]
    out = cli("import", kind, str(make(tmp_path / f"{kind}{suffix}")), "--db", str(db))
    assert out.returncode == 1, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert "\x00" not in out.stderr and out.stdout == ""
    assert nothing_imported(engine)


def test_cli_sheet_option(desk, tmp_path: Path) -> None:
    engine, db = desk
    today = datetime.now(UTC).astimezone().date().isoformat()
    sheets = {
        "说明": [["填写说明"]],
        "上周": [WALKINS[:3], [today, "09:00", "LG04"]],
        "本周": [WALKINS[:3], [today, "10:00", "LG04"], [today, "11:00", "LG01"]],
    }
    path = write_book(tmp_path / "log.xlsx", sheets)
    out = cli("import", "walkins", str(path), "--db", str(db), "--sheet", "月报", lang="en")
    assert out.returncode == 1
    assert out.stderr.strip() == 'No sheet named "月报" (the sheets are: 说明、上周、本周)'
    out = cli("import", "walkins", str(path), "--db", str(db), "--sheet", "本周")
    assert out.returncode == 0, out.stderr
    with reading(engine) as s:
        assert len(s.exec(select(WalkIn)).all()) == 2
