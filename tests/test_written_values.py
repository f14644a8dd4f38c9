"""Values as people write them in office spreadsheets: dates, lists, amounts, cells."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.domain.dates import check_recorded, parse_day, parse_year_month
from frontdesk.domain.forms import split_items
from frontdesk.domain.money import parse_yuan
from frontdesk.domain.registration import SeekerInput, clean_phone, validate
from frontdesk.errors import UserError
from frontdesk.services.cell_values import LossyNumber, Uncalculated
from frontdesk.services.spreadsheets import cell_day, cell_problems, cell_value, header_key


@pytest.mark.parametrize(
    "written",
    [
        "2026-11-03",
        "2026-11-3",
        "2026/11/3",
        "2026/11/03",
        "2026.11.3",
        "2026年11月3日",
        "2026 年 11 月 3 日",
        "2026年11月3号",
        "２０２６－１１－０３",
        "2026-11-03 00:00:00",
    ],
)
def test_a_day_written_any_way(written: str) -> None:
    assert parse_day(written, "date") == date(2026, 11, 3)
    assert cell_day(written, "date") == date(2026, 11, 3)


@pytest.mark.parametrize(
    "written", ["2026/11-3", "2026-13-01", "2026-11-31", "11/3/2026", "昨天", "20261103", "1e5"]
)
def test_what_is_not_a_day(written: str) -> None:
    with pytest.raises(UserError) as err:
        cell_day(written, "date")
    assert (err.value.code, err.value.field) == ("seeker_io.bad_date", "date")


def test_excel_serial_days_in_a_date_column() -> None:
    assert cell_day("46329", "date") == date(2026, 11, 3)  # Excel's day number of 2026-11-03
    assert cell_day("46329.5", "date") == date(2026, 11, 3)  # with a time of day
    assert cell_day("20000", "date") == date(1954, 10, 3)
    for outside in ("19999", "80001", "1"):  # not a day number: refused like any bad date
        with pytest.raises(UserError):
            cell_day(outside, "date")
    assert parse_day("", "date") is None and cell_day(" ", "date") is None


def test_year_and_month() -> None:
    for written in ("1990-05", "1990/5", "1990.05", "1990年5月", "1990年05", "1990-05-17"):
        assert parse_year_month(written, "birth_month") == (1990, 5), written
    with pytest.raises(UserError):
        parse_year_month("1990-13", "birth_month")


def test_days_before_any_desk_are_refused() -> None:
    for day in (date(1, 1, 1), date(1900, 1, 1), date(1999, 12, 31)):
        with pytest.raises(UserError) as err:
            check_recorded(day, "date")
        assert err.value.code == "dates.too_early" and "2000-01-01" in err.value.message()
    assert check_recorded(date(2000, 1, 1), "date") == date(2000, 1, 1)
    raw = SeekerInput(name="张三", id_number="11010519491231002X", phone="13800138000")
    raw.consent, raw.registered_on = True, date(1900, 1, 1)
    with pytest.raises(UserError) as err:
        validate(raw, date(2026, 11, 26))
    assert [e.code for e in err.value.errors] == ["dates.too_early"]  # type: ignore[attr-defined]


def test_lists_split_on_every_separator_people_type() -> None:
    assert split_items("包装;电商；普工、焊工,电工，保洁/收银 ／ 理货") == [
        "包装", "电商", "普工", "焊工", "电工", "保洁", "收银", "理货",
    ]  # fmt: skip
    assert split_items(" ; ") == []


@pytest.mark.parametrize("written", ["1e2", "1E2", "1e-2", "1_000", "NaN", "Infinity", "0x10"])
def test_amounts_are_plain_decimals(written: str) -> None:
    with pytest.raises(UserError) as err:
        parse_yuan(written, "amount")
    assert err.value.code == "money.format"


def test_plain_amounts_still_read() -> None:
    assert [parse_yuan(t, "amount") for t in ("100", "45.5", "45.50", ".5", "12.", "¥1,234.5")] == [
        10000, 4550, 4550, 50, 1200, 123450,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "written", ["+86 138 0013 8000", "+86-138-0013-8000", "0086 13800138000", "138-0013-8000",
                "＋８６ １３８００１３８０００", "(+86)13800138000"]
)  # fmt: skip
def test_phones_with_country_code_spaces_and_dashes(written: str) -> None:
    assert clean_phone(written) == "13800138000"


def test_cell_values_read_one_way() -> None:
    assert cell_value("\u00a0 ４４０７０３\u3000") == "440703"  # NBSP, full-width, U+3000
    assert cell_value("'440703199005170114") == "440703199005170114"  # Excel's text mark
    assert cell_value(" ’13800138000") == "13800138000"
    assert cell_value("ＡＢＣ") == "ABC"
    lossy, formula = LossyNumber("440703199005171000"), Uncalculated("")
    assert cell_value(lossy) is lossy and cell_value(formula) is formula


def test_cell_problems() -> None:
    found = cell_problems(
        {"id_number": LossyNumber("1" * 18), "name": Uncalculated(""), "notes": "x" * 40000}
    )
    assert [(e.code, e.field) for e in found] == [
        ("seeker_io.number_lost", "id_number"),
        ("seeker_io.uncalculated", "name"),
        ("seeker_io.cell_too_long", "notes"),
    ]
    assert [e.code for e in cell_problems({"name": "张\x07三"})] == ["text.control"]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        (" 姓 名 ", "姓名"),
        ("姓\u00a0名", "姓名"),
        ("姓\u3000名", "姓名"),
        ("*姓名", "姓名"),
        ("姓名（必填）", "姓名"),
        ("ＮＡＭＥ", "name"),
        ("ID Number", "idnumber"),
        ("id_number", "idnumber"),
        ("金额（元）", "金额(元)"),
    ],
)
def test_header_keys(written: str, key: str) -> None:
    assert header_key(written) == key
