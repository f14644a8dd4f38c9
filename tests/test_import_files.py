"""The spreadsheets community centers really keep (issue 16): header variants, title rows,
sheets, old Excel, values written any way, and the same person whichever way it is written.

Most checks read files through read_seekers / read_table, which need no database; a few
go through the whole import to show the rows really land (or nothing does).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from db.models import Person, Staff, WalkIn
from db.session import reading
from frontdesk.domain.education import WRITTEN
from frontdesk.domain.idcard import make_id
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.seeker_io import ALIASES as SEEKER_ALIASES
from frontdesk.services.seeker_io import SEEKER_COLUMNS, import_seekers, read_seekers
from frontdesk.services.spreadsheets import ImportRejected, read_table
from frontdesk.services.walkin_io import ALIASES as WALKIN_ALIASES
from frontdesk.services.walkin_io import WALKIN_COLUMNS, import_walkins
from tests.conftest import FIXED_NOW
from tests.sealed_support import full_numbers
from tests.spreadsheets import wps_style, write_book, write_csv, write_xls

TODAY = date(2026, 11, 26)  # FIXED_NOW in Jiangmen
ZH = ["姓名", "身份证号", "手机号", "学历", "技能", "求职意向", "登记日期", "备注"]
ZHANG = make_id("440703", date(1990, 5, 17), 11)  # a man born 1990-05-17, 36 on TODAY
LI = make_id("440703", date(1985, 2, 1), 22)  # a woman


def zhang(**change: object) -> list[object]:
    row: dict[str, object] = {
        "姓名": "张三", "身份证号": ZHANG, "手机号": "13800138000", "学历": "高中",
        "技能": "包装;电商", "求职意向": "普工", "登记日期": "2026-11-20", "备注": "",
    }  # fmt: skip
    row.update(change)
    return list(row.values())


def one(path: Path, sheet: str | None = None):
    """The single row of a seekers file, checked."""
    _, (row,) = read_seekers(path, TODAY, sheet)
    return row


def problems_of(path: Path, sheet: str | None = None) -> list[tuple[int, str, str]]:
    try:
        _, rows = read_seekers(path, TODAY, sheet)
    except ImportRejected as exc:
        return [(p.row, p.column, p.error.code) for p in exc.problems]
    return [(p.row, p.column, p.error.code) for r in rows for p in r.problems]


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def people(engine) -> list[Person]:
    with reading(engine) as s:
        return list(s.exec(select(Person).order_by(Person.name)))


# --- headers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "field", "label"),
    [(SEEKER_COLUMNS, f, n) for f, names in SEEKER_ALIASES.items() for n in (f, *names)]
    + [(WALKIN_COLUMNS, f, n) for f, names in WALKIN_ALIASES.items() for n in (f, *names)],
)
def test_every_header_variant_names_its_field(tmp_path: Path, columns, field, label) -> None:
    required = [columns.chinese(f) for f in columns.required if f != field]
    for written in (label, f" {label.upper()}\u00a0", "\u3000".join(label)):
        path = write_csv(tmp_path / "in.csv", [*required, written], [["x"] * (len(required) + 1)])
        table = read_table(path, columns)
        assert table.layout.fields[-1] == field, written
        assert table.layout.labels[field] == written.strip()
        path.unlink()


def test_an_office_header_imports(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    header = ["序号", "名字", "公民身份号码", "联系电话", "文化程度", "专业技能", "意向岗位",
              "登记时间", "说明", "性别", "出生年月", "年龄"]  # fmt: skip
    rows = [[1, "张三", ZHANG, "138 0013 8000", "大专", "电工、焊工", "保安/保洁",
             "2026年11月3日", "下午有空", "男", "1990年5月", "36"]]  # fmt: skip
    path = write_csv(tmp_path / "in.csv", header, rows, "gb18030")
    assert import_seekers(engine, actor, path, FIXED_NOW).imported == 1
    (person,) = people(engine)
    assert person.name == "张三"
    assert full_numbers(engine, person) == (ZHANG, "13800138000")
    assert (person.education, person.skills) == ("31", ["电工", "焊工"])
    assert [j["job"] for j in person.desired_jobs] == ["保安", "保洁"]
    assert person.registered_on == date(2026, 11, 3) and person.notes == "下午有空"


# --- title rows and sheets ---------------------------------------------------------------


def test_a_title_row_and_an_empty_row_above_the_header(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [["石冲社区求职登记表"], [], ZH, zhang(), zhang(身份证号=LI, 姓名="李四", 手机号="123")]
    path = write_book(tmp_path / "in.xlsx", {"Sheet1": rows})
    with pytest.raises(ImportRejected) as err:
        import_seekers(engine, actor, path, FIXED_NOW)
    assert [(p.row, p.column) for p in err.value.problems] == [(5, "手机号")]  # the sheet's row
    rows[4][2] = "13900139000"
    fixed = write_book(tmp_path / "fixed.xlsx", {"Sheet1": rows})
    assert import_seekers(engine, actor, fixed, FIXED_NOW).imported == 2


def test_header_problems_are_at_the_header_row(tmp_path: Path) -> None:
    rows = [["石冲社区求职登记表"], ["姓名", "身份证号", "爱好"], ["张三", ZHANG, "唱歌"]]
    path = write_csv(tmp_path / "in.csv", rows[0], rows[1:])
    assert set(problems_of(path)) == {
        (2, "爱好", "seeker_io.unknown_column"),
        (2, "手机号", "seeker_io.missing_column"),
    }


def test_the_first_sheet_whose_header_fits_or_the_one_named(tmp_path: Path) -> None:
    sheets = {
        "填表说明": [["请用文本格式填写身份证号"], ["学历：本科、大专、高中"]],
        "十月": [ZH, zhang(姓名="十月")],
        "十一月": [["十一月登记"], ZH, zhang(姓名="十一月")],
    }
    path = write_book(tmp_path / "in.xlsx", sheets)
    assert one(path).clean.name == "十月"
    assert one(path, "十一月").clean.name == "十一月"
    with pytest.raises(UserError) as err:
        read_seekers(path, TODAY, "十二月")
    assert (err.value.code, err.value.field) == ("seeker_io.no_sheet", "sheet")
    assert err.value.message() == "没有名为“十二月”的工作表（有：填表说明、十月、十一月）"
    with pytest.raises(UserError) as err:
        read_seekers(write_csv(tmp_path / "in.csv", ZH, [zhang()]), TODAY, "十月")
    assert err.value.code == "seeker_io.csv_has_no_sheets"


def test_a_wps_style_workbook(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [zhang(), zhang(姓名="李四", 身份证号=LI, 手机号="13900139000")]
    path = wps_style(tmp_path / "in.xlsx", ZH, rows, "石冲社区求职登记表")
    # The <dimension> says A1: read by it, the sheet would be its title line alone.
    book = openpyxl.load_workbook(path, read_only=True)
    assert len(list(book["登记表"].iter_rows())) == 1
    book.close()
    assert import_seekers(engine, actor, path, FIXED_NOW).imported == 2
    assert [p.name for p in people(engine)] == ["张三", "李四"]


# --- old Excel ---------------------------------------------------------------------------


def test_xls_seekers_with_date_and_number_cells(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    rows = [
        zhang(手机号=13800138000, 登记日期=date(2026, 11, 2)),
        zhang(姓名="李四", 身份证号=LI, 手机号="13900139000", 登记日期=datetime(2026, 10, 1)),
        zhang(姓名="王五", 身份证号=float(make_id("440703", date(1990, 1, 1), 33)), 手机号="1"),
    ]
    path = write_xls(tmp_path / "in.xls", {"说明": [["填表说明"]], "登记": [["标题"], ZH, *rows]})
    with pytest.raises(ImportRejected) as err:
        import_seekers(engine, actor, path, FIXED_NOW)
    assert [(p.row, p.column, p.error.code) for p in err.value.problems] == [
        (5, "身份证号", "seeker_io.number_lost")  # an ID number Excel kept as a number
    ]
    rejects = tmp_path / "rejects.xlsx"  # an .xls cannot be written: its rejects are XLSX
    with pytest.raises(UserError) as no:
        import_seekers(
            engine, actor, path, FIXED_NOW, skip_invalid=True, rejects=tmp_path / "r.xls"
        )
    assert no.value.code == "seeker_io.format"
    with pytest.raises(UserError) as no:
        import_seekers(
            engine, actor, path, FIXED_NOW, skip_invalid=True, rejects=tmp_path / "r.csv"
        )
    assert no.value.code == "seeker_io.rejects_format" and ".xlsx" in no.value.message()
    result = import_seekers(engine, actor, path, FIXED_NOW, skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected) == (2, 1) and rejects.exists()
    found = {p.name: p for p in people(engine)}
    assert full_numbers(engine, found["张三"])[1] == "13800138000"
    assert found["张三"].registered_on == date(2026, 11, 2)
    assert found["李四"].registered_on == date(2026, 10, 1)


def test_xls_walkins_with_date_and_time_cells(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    header = ["序号", "日期", "时间", "服务项目", "金额（元）", "付款方式"]
    rows = [
        [1, date(2026, 11, 24), time(14, 5), "JZ01", 45.5, "微信"],
        [2, datetime(2026, 11, 25), "9:30", "政策咨询", None, None],
    ]
    path = write_xls(tmp_path / "log.xls", {"来访登记": [["白沙社区来访登记簿"], header, *rows]})
    result = import_walkins(engine, actor, path, FIXED_NOW, ceiling_fen=2_000_000)
    assert result.imported == 2
    with reading(engine) as s:
        found = s.exec(select(WalkIn).order_by(WalkIn.started_at)).all()
    assert [w.business_date for w in found] == [date(2026, 11, 24), date(2026, 11, 25)]
    assert found[0].started_at.hour == 6 and found[0].started_at.minute == 5  # 14:05 local


# --- extra columns offices add -------------------------------------------------------------


def test_gender_birth_and_age_are_checked_against_the_id_number(tmp_path: Path) -> None:
    header = [*ZH[:3], "性别", "出生日期", "年龄"]
    good = [["张三", ZHANG, "13800138000", "男", "1990-05-17", "36岁"]]
    assert one(write_csv(tmp_path / "ok.csv", header, good)).clean is not None
    month = [["张三", ZHANG, "13800138000", "1990.05"]]
    assert one(write_csv(tmp_path / "m.csv", [*ZH[:3], "出生年月"], month)).clean is not None
    wrong = [["张三", ZHANG, "13800138000", "女", "1990-05-18", "35"]]
    assert problems_of(write_csv(tmp_path / "bad.csv", header, wrong)) == [
        (2, "性别", "seeker_io.gender_mismatch"),
        (2, "出生日期", "seeker_io.birth_date_mismatch"),
        (2, "年龄", "seeker_io.age_mismatch"),
    ]
    odd = [["张三", ZHANG, "13800138000", "未知", "1990-05", "三十六"]]
    assert problems_of(write_csv(tmp_path / "odd.csv", header, odd)) == [
        (2, "性别", "seeker_io.bad_gender"),  # 1990-05 alone is the right year and month
        (2, "年龄", "seeker_io.bad_age"),
    ]
    june = [["张三", ZHANG, "13800138000", "1990年6月"]]
    assert problems_of(write_csv(tmp_path / "o.csv", [*ZH[:3], "出生年月"], june)) == [
        (2, "出生年月", "seeker_io.birth_month_mismatch")
    ]
    # With a bad ID number there is nothing to check them against: only its own problem.
    broken = [["张三", ZHANG[:-1] + "0", "13800138000", "女", "1990-05-18", "35"]]
    assert problems_of(write_csv(tmp_path / "x.csv", header, broken)) == [
        (2, "身份证号", "id.check")
    ]


def test_age_is_counted_on_the_import_day(tmp_path: Path) -> None:
    header = [*ZH[:3], "年龄"]
    path = write_csv(tmp_path / "in.csv", header, [["张三", ZHANG, "13800138000", "36"]])
    assert read_seekers(path, date(2026, 5, 17), None)[1][0].clean is not None
    (row,) = read_seekers(path, date(2026, 5, 16), None)[1]  # a day before the birthday: 35
    assert [p.error.code for p in row.problems] == ["seeker_io.age_mismatch"]
    assert "2026-05-16" in row.problems[0].reason


# --- values ------------------------------------------------------------------------------


def test_values_written_the_ways_people_write_them(tmp_path: Path) -> None:
    rows = [
        zhang(身份证号="'" + ZHANG, 手机号="+86 138-0013-8000", 登记日期="2026/11/20"),
        zhang(
            身份证号=ZHANG.translate(FULL_WIDTH),
            手机号="\u00a013800138000\u00a0",
            登记日期="46346",
            学历="普通高中毕业",
            技能="包装、电商",
        ),
        zhang(身份证号=f" {ZHANG.lower()} ", 登记日期="2026.11.20", 学历="６１", 技能="包装，电商"),
    ]
    for i, row in enumerate(rows):
        clean = one(write_csv(tmp_path / f"{i}.csv", ZH, [row]))
        assert clean.clean == one(write_csv(tmp_path / "base.csv", ZH, [zhang()])).clean, i


# --- the same person, whichever way it is written ------------------------------------------

FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
DATE_FORMS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: str((d - date(1899, 12, 30)).days),  # Excel's day number
    lambda d: d,  # a date cell (XLSX, XLS) or its ISO text (CSV)
]
SPACES = ["", " ", "\u00a0", "\u3000"]


def written(text: str, draw) -> str:
    """A value as someone may have typed it: padded, full-width digits, a text mark."""
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.booleans()):
        text = "'" + text
    return draw(st.sampled_from(SPACES)) + text + draw(st.sampled_from(SPACES))


@st.composite
def sheets(draw):
    """The one registration of BASE, written any accepted way, in any accepted file."""
    fields = ["name", "id_number", "phone", "education", "skills", "desired_jobs",
              "registered_on"]  # fmt: skip
    order = draw(st.permutations(fields))
    header = []
    for field in order:
        label = draw(st.sampled_from((field, *SEEKER_ALIASES[field])))
        label = label.upper() if draw(st.booleans()) else label
        header.append(draw(st.sampled_from(SPACES)) + label)
    forms = [w for w, code in WRITTEN.items() if code == "31"]
    sep = draw(st.sampled_from([";", "；", "、", ",", "，", "/"]))
    phone = draw(st.sampled_from(["13800138000", "+86 138 0013 8000", "138-0013-8000",
                                  "0086-13800138000"]))  # fmt: skip
    day = draw(st.sampled_from(DATE_FORMS))(date(2026, 11, 3))
    values = {
        "name": draw(st.sampled_from(["张三", " 张三 ", "张三\u00a0"])),
        "id_number": written(draw(st.sampled_from([ZHANG, ZHANG.lower()])), draw),
        "phone": written(phone, draw),
        "education": draw(st.sampled_from(forms)) + draw(st.sampled_from(SPACES)),
        "skills": sep.join(["电工", "焊工"]),
        "desired_jobs": sep.join(["保安", "保洁"]),
        "registered_on": day if isinstance(day, date) else written(day, draw),
    }
    kind = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", ".xlsx", ".xls"]))
    title = draw(st.sampled_from([[], [["求职登记表"]], [["求职登记表"], []]]))
    return kind, title, header, [values[f] for f in order]


def write_any(folder: Path, kind: str, title: list, header: list, row: list) -> Path:
    if kind == ".xlsx":
        return write_book(folder / "in.xlsx", {"登记": [*title, header, row]})
    if kind == ".xls":
        return write_xls(folder / "in.xls", {"登记": [*title, header, row]})
    text = [[v.isoformat() if isinstance(v, date) else v for v in r] for r in [*title, row]]
    if not title:
        return write_csv(folder / "in.csv", header, text, kind)
    return write_csv(folder / "in.csv", text[0], [*text[1:-1], header, text[-1]], kind)


BASE = [["张三", ZHANG, "13800138000", "31", "电工;焊工", "保安;保洁", "2026-11-03"]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_the_same_person_whichever_way_the_row_is_written(sheet) -> None:
    with tempfile.TemporaryDirectory() as folder:
        expected = one(write_csv(Path(folder) / "base.csv", ZH[:7], BASE)).clean
        row = one(write_any(Path(folder), *sheet))
    assert row.problems == [] and row.clean == expected
    assert replace(expected, registered_on=TODAY) != expected  # the date was really compared


def test_the_base_row_is_stored_as_expected(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    assert import_seekers(engine, actor, write_csv(tmp_path / "in.csv", ZH[:7], BASE), FIXED_NOW)
    (person,) = people(engine)
    assert (person.education, person.skills, person.registered_on) == (
        "31",
        ["电工", "焊工"],
        date(2026, 11, 3),
    )
    assert [j["job"] for j in person.desired_jobs] == ["保安", "保洁"]
