"""The XLSX rows an import reads straight from the sheet's XML (services/xlsx_rows.py) are
the rows openpyxl's read-only mode gives, value for value, whatever the cells hold."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.parsers import expat

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from frontdesk.services import xlsx_rows
from frontdesk.services.cell_values import cell_text
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


# --- the sheet's XML as writers give it: plain rows read by pattern, others by expat --------

SPACES = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
)
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def with_sheet_xml(path: Path, xml: str | bytes) -> Path:
    """A workbook (one string shared: 共享) whose first sheet's XML is `xml`."""
    book = openpyxl.Workbook()
    book.active.append(["共享"])
    book.save(path)
    as_shared_strings(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml.encode() if isinstance(xml, str) else xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def sheet_xml(rows: str, *, head: str = DECLARATION, spaces: str = SPACES) -> str:
    start = f'{head}<worksheet {spaces}><dimension ref="A1"/>'
    return f"{start}<sheetData>{rows}</sheetData></worksheet>"


def fast_rows(path: Path, *, text: bool = False) -> list:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    found = xlsx_rows.texts(book, sheet) if text else xlsx_rows.rows(book, sheet)
    assert found is not None
    rows = list(found)
    book.close()
    return rows


EVERY_FORM = (
    # Excel's own form: spans and x14ac:dyDescent on each row, a shared string, a number
    '<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="inlineStr"><is><t>姓名</t>'
    '</is></c><c r="B1" s="0" t="s"><v>0</v></c><c r="C1"><v>13800138000</v></c></row>'
    # entities and character references; a carriage return written as one
    '<row r="2"><c r="A2" t="inlineStr"><is><t>A &amp; B &lt;C&gt; &#x4E2D;&#13;&quot;</t>'
    '</is></c><c r="B2" t="inlineStr"><is><t xml:space="preserve">  两边有空格  </t></is>'
    '</c><c r="C2" t="n"><v/></c><c r="D2"><v></v></c><c r="E2" t="inlineStr"><is><t>'
    "]]&gt;</t></is></c></row>"
    # cells without r, a row without r, a row without cells, a gap of rows
    '<row r="3"><c t="inlineStr"><is><t>无r</t></is></c><c><v>2.5</v></c><c r="E3" t="b">'
    '<v>1</v></c></row><row><c r="A4" t="b"><v>0</v></c></row><row r="6"/>'
    # comments between rows and inside a cell; attributes in another order
    '<!-- 注释 --><row r="7"><c r="A7" t="inlineStr"><!-- x --><is><t>注</t></is></c>'
    '</row>\n  <row r="8"><c r="B8" t="s" s="0"><v>0</v></c></row>'
    # rich text with a phonetic guide; formulas with and without a value; an error
    '<row r="9"><c r="A9" t="inlineStr"><is><r><t>欧阳</t></r><r><rPr><b/></rPr><t>娜娜</t>'
    '</r><rPh sb="0" eb="1"><t>オウ</t></rPh></is></c></row><row r="10"><c r="A10" t="str">'
    '<f>A1&amp;B1</f><v>xy</v></c><c r="B10"><f>1+1</f></c><c r="C10" t="e"><v>#N/A</v>'
    "</c></row>"
    # line breaks and tabs in text: a line feed and a tab as they are; CR LF, a line end
    '<row r="11"><c r="A11" t="inlineStr"><is><t>甲\n乙\t丙</t></is></c><c r="B11" '
    't="inlineStr"><is><t>丁\r\n戊</t></is></c></row>'
    # a row whose namespace is another: not a row of the sheet
    '<row r="12" xmlns="urn:other"><c r="A12" t="inlineStr"><is><t>别处</t></is></c></row>'
    '<row r="13" ht="20" customHeight="1"><c r="AA13" s="0"><v>1E3</v></c></row>'
)


@pytest.mark.parametrize(
    "head",
    [DECLARATION, "", '<?xml version="1.0"?>', "\ufeff"],
    ids=["declared", "no-declaration", "no-encoding", "bom"],
)
def test_every_form_of_row_reads_as_openpyxl_reads_it(tmp_path: Path, head: str) -> None:
    path = with_sheet_xml(tmp_path / "forms.xlsx", sheet_xml(EVERY_FORM, head=head))
    (slow, fast), *_ = both(path)
    assert fast == slow
    assert [type(v) for row in fast for v in row] == [type(v) for row in slow for v in row]
    assert fast[0] == ("姓名", "共享", 13800138000)
    assert fast[1][0] == 'A & B <C> 中\r"' and fast[1][1] == "  两边有空格  "
    assert fast[1][2:] == (None, None, "]]>") and fast[2] == ("无r", 2.5, None, None, True)
    assert fast[4] == [] and fast[5] == () and fast[6] == ("注",) and fast[7] == (None, "共享")
    assert fast[8] == ("欧阳娜娜",) and fast[9] == ("xy", None, "#N/A")
    assert fast[10] == ("甲\n乙\t丙", "丁\n戊") and len(fast) == 13 and fast[11] == []
    assert fast[12][26] == 1000.0


def test_texts_are_the_values_as_cell_text_shows_them(tmp_path: Path) -> None:
    path = with_sheet_xml(tmp_path / "forms.xlsx", sheet_xml(EVERY_FORM))
    values = fast_rows(path)
    texts = fast_rows(path, text=True)
    assert texts == [[cell_text(v) for v in row] for row in values]
    assert all(type(row) is list for row in texts)
    assert texts[1][2:] == ["", "", "]]>"] and texts[2] == ["无r", "2.5", "", "", "TRUE"]


def test_many_rows_across_chunks_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    """Rows of every form, 3,000 of them: the XML is read in chunks of 64 KiB, and a row
    read by expat alone comes between rows read by the pattern."""
    forms = EVERY_FORM.replace('r="', 'q="')  # numbered below, in order
    rows = []
    for n in range(1, 3001):
        rows.append(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>张三{n}</t></is></c>'
            f'<c r="B{n}"><v>{n}.5</v></c><c r="C{n}" t="s"><v>0</v></c></row>'
            if n % 7
            else f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><r><t>李</t></r><r><t>{n}'
            "</t></r></is></c></row>"
        )
    assert forms  # the forms themselves are read above
    path = with_sheet_xml(tmp_path / "many.xlsx", sheet_xml("".join(rows)))
    (slow, fast), *_ = both(path)
    assert fast == slow and len(fast) == 3000
    assert fast[6] == ("李7",) and fast[2999] == ("张三3000", 3000.5, "共享")


def test_a_sheet_in_another_form_is_read_by_expat_as_before(tmp_path: Path) -> None:
    """Prefixed names, a DTD with its own entities, rows in another namespace by default:
    the pattern is not used; what is read is what expat reads."""
    prefixed = (
        f'{DECLARATION}<x:worksheet xmlns:x="{xlsx_rows.NAMESPACE}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    path = with_sheet_xml(tmp_path / "prefixed.xlsx", prefixed)
    (slow, fast), *_ = both(path)
    assert fast == slow == [("前缀",)]
    defined = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&co;</t></is></c></row>',
        head=f'{DECLARATION}<!DOCTYPE worksheet [<!ENTITY co "石冲社区">]>',
    )
    path = with_sheet_xml(tmp_path / "dtd.xlsx", defined)
    assert fast_rows(path) == [("石冲社区",)]
    other = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>别处</t></is></c></row>',
        spaces=f'xmlns="urn:other" xmlns:m="{xlsx_rows.NAMESPACE}"',
    )
    path = with_sheet_xml(tmp_path / "other.xlsx", other)
    (slow, fast), *_ = both(path)
    assert fast == slow == []


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>断',  # cut inside a row
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a\x01b</t></is></c></row>',  # not XML
        '<row r="1" r="2"><c r="A1"><v>1</v></c></row>',  # an attribute twice
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>',  # no such entity
    ],
    ids=["cut", "control-character", "twice", "cdata-end", "entity"],
)
def test_xml_that_is_not_well_formed_is_refused(tmp_path: Path, rows: str) -> None:
    xml = sheet_xml(rows)
    if rows.endswith("断"):
        xml = xml[: xml.index("断") + 1]
    path = with_sheet_xml(tmp_path / "bad.xlsx", xml)
    with pytest.raises(expat.ExpatError):
        fast_rows(path)


def test_plain_rows_are_matched_by_the_pattern() -> None:
    """What the bench's file (openpyxl write-only), Excel and LibreOffice write is read
    without expat; a row the pattern does not read is left whole to expat."""
    plain = [
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2" t="n"><v>1</v></c>'
        b"</row>",
        b'<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" s="1" t="s"><v>0</v></c></row>',
        b'<row r="1" customFormat="false" ht="12.8" hidden="false"><c r="A1" s="0" t="s">'
        b"<v>0</v></c></row>",
        b'<row r="3"><c r="A3" t="str"><f>A1</f><v>x</v></c><c r="B3"/></row>',
    ]
    for row in plain:
        found = xlsx_rows.ROW_PATTERN.match(row)
        assert found is not None and found.end() == len(row)
    for row in (
        b'<row r="1"><c r="A1" t="s" s="1"><v>0</v></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>x</t></r></is></c></row>',
        b'<row r="1"><c r="A1"><v>1</v></c><!-- x --></row>',
    ):
        assert xlsx_rows.ROW_PATTERN.match(row) is None
