"""The XLSX rows an import reads straight from the sheet's XML (services/xlsx_rows.py) are
the rows openpyxl's read-only mode gives, value for value, whatever the cells hold."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from frontdesk.services import xlsx_rows
from frontdesk.services.sheet_files import read_sheets
from tests.spreadsheets import as_shared_strings, wps_style


def every_kind(path: Path, *, mac: bool = False) -> Path:
    """Cells of every kind, with gaps between cells and between rows."""
    book = openpyxl.Workbook()
    if mac:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "登记表"
    sheet.append(["姓名", "身份证号", "手机号", "登记日期", "数", "是否"])
    sheet.append(["张三", "44070319900517011X", 13800138000, date(2026, 11, 3), 2.5, True])
    sheet.append(["李四", 4.40703199005170123e17, "0750-1234567", datetime(2026, 11, 3, 9, 30)])
    sheet.append([" 王五 ", None, 1.5e10, time(9, 30), -3, False])
    sheet.cell(row=7, column=2, value="隔了两行")  # rows 5 and 6 missing
    sheet.cell(row=7, column=5, value=timedelta(hours=30))
    sheet.cell(row=8, column=1, value="=A2&B2")  # a formula saved without its value
    sheet.cell(row=8, column=3, value="#N/A")  # an error cell
    sheet.cell(row=9, column=1, value=CellRichText("欧阳", TextBlock(InlineFont(b=True), "娜娜")))
    sheet.cell(row=10, column=3, value="")
    sheet.cell(row=11, column=1, value="最后")
    book.create_sheet("说明").append(["第二张表", 1])
    book.save(path)
    return path


def both(path: Path) -> list[tuple[list, list]]:
    """Per sheet: the rows as openpyxl gives them, and as xlsx_rows gives them."""
    found = []
    for sheet_index in range(len(openpyxl.load_workbook(path, read_only=True).sheetnames)):
        answers = []
        for fast in (False, True):
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = book.worksheets[sheet_index]
            sheet.reset_dimensions()
            rows = xlsx_rows.rows(book, sheet) if fast else sheet.iter_rows(values_only=True)
            assert rows is not None
            answers.append(list(rows))
            book.close()
        found.append((answers[0], answers[1]))
    return found


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared-strings"])
@pytest.mark.parametrize("mac", [False, True], ids=["1900", "1904"])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path, shared, mac) -> None:
    path = every_kind(tmp_path / "every.xlsx", mac=mac)
    if shared:
        as_shared_strings(path)
    for slow, fast in both(path):
        assert fast == slow
        assert [type(v) for row in fast for v in row] == [type(v) for row in slow for v in row]
    (first, _), _ = both(path)
    assert first[4] == [] and first[7][0] is None  # a missing row; an unsaved formula


def test_an_office_template_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    header = ["姓名", "身份证号", "手机号"]
    path = wps_style(tmp_path / "wps.xlsx", header, [["张三", "44070319900517011X", ""]], "登记表")
    as_shared_strings(path)
    for slow, fast in both(path):
        assert fast == slow


def test_an_import_reads_the_fast_rows(tmp_path: Path) -> None:
    path = as_shared_strings(every_kind(tmp_path / "every.xlsx"))
    sheets = read_sheets(path)
    first = next(sheets)
    rows = list(first.rows)
    sheets.close()
    assert rows[1][:4] == ["张三", "44070319900517011X", "13800138000", "2026-11-03"]
    assert type(rows[2][1]).__name__ == "LossyNumber"  # an ID number stored as a number


def test_another_openpyxl_falls_back_to_its_own_reader() -> None:
    assert xlsx_rows.rows(object(), object()) is None


def test_a_sheets_size_is_found_before_its_rows_as_openpyxl_finds_it(tmp_path: Path) -> None:
    """openpyxl looks for a sheet's <dimension> until the end of its rows; xlsx_rows has it
    stop where the rows begin: the same size where a writer gave one (openpyxl's normal
    mode does), the same None where it gave none (its write-only mode), and in a workbook
    without one the rows are not parsed to find that out."""
    from openpyxl.worksheet._reader import WorkSheetParser

    sized = every_kind(tmp_path / "sized.xlsx")
    unsized = tmp_path / "unsized.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("登记表")
    for n in range(300):
        sheet.append(["张三", str(n), n])
    book.save(unsized)
    original = xlsx_rows._reader_parse_dimensions
    assert WorkSheetParser.parse_dimensions is xlsx_rows._dimension_before_rows
    for path, expected in ((sized, (1, 1, 6, 11)), (unsized, None)):
        opened = openpyxl.load_workbook(path, read_only=True)
        where = opened.worksheets[0]._worksheet_path
        for parse in (original, xlsx_rows._dimension_before_rows):
            with opened._archive.open(where) as source:
                assert parse(WorkSheetParser(source, [])) == expected
        opened.close()
    opened = openpyxl.load_workbook(unsized, read_only=True)
    assert opened.worksheets[0].max_row is None  # no size said: the rows are counted
    assert len(list(opened.worksheets[0].iter_rows(values_only=True))) == 300
    opened.close()
