"""Writing import files for tests: CSV in any encoding, XLSX and old Excel (.xls)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import xlwt


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding="utf-8") -> Path:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer)
    out.writerow(header)
    out.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An XLSX with these sheets, in order, each given as all its rows (title lines too)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def wps_style(path: Path, header: list[str], rows: list[list[object]], title: str) -> Path:
    """What WPS and office templates look like: an instructions sheet first, a merged title
    line over the header, text in shared strings, and a sheet <dimension> left at A1."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes.append(["1. 身份证号请设为文本格式"])
    notes.append(["2. 学历填写：本科、大专、高中……"])
    sheet = book.create_sheet("登记表")
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    _dimension_at_a1(path, "xl/worksheets/sheet2.xml")
    return path


def _dimension_at_a1(path: Path, member: str) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    xml = parts[member].decode("utf-8")
    parts[member] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def write_xls(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An Excel 97-2003 workbook: dates and times as date cells, numbers as numbers."""
    book = xlwt.Workbook(encoding="utf-8")
    styles = {
        datetime: xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm"),
        date: xlwt.easyxf(num_format_str="yyyy-mm-dd"),
        time: xlwt.easyxf(num_format_str="hh:mm"),
    }
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                style = styles.get(type(value))
                if value is None:
                    continue
                sheet.write(r, c, value, style) if style else sheet.write(r, c, value)
    book.save(str(path))
    return path


INLINE_CELL = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>')


def as_shared_strings(path: Path) -> Path:
    """The workbook's text cells moved into a shared-strings table, as Excel and WPS save
    them (openpyxl writes every text inline)."""
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    strings: dict[str, int] = {}

    def shared(found: re.Match[str]) -> str:
        index = strings.setdefault(found[3], len(strings))
        return f'<c {found[1]}t="s"{found[2]}><v>{index}</v></c>'

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = INLINE_CELL.sub(shared, parts[name].decode("utf-8")).encode()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}"'
        f' uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdShared" Type="{office}/sharedStrings"'
        ' Target="sharedStrings.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode("utf-8")
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path
