"""Spreadsheet files read as the text a person sees: CSV, XLSX and old Excel (.xls).

Every sheet of a file comes out as rows of cell text, row i of a sheet being its row i + 1,
so problems are reported at the row numbers the sheet shows. A file that cannot be read
(too large, damaged, binary, in an encoding we do not read) is one UserError naming it.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Collection, Generator, Iterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

from frontdesk.errors import UserError
from frontdesk.services.cell_values import Uncalculated, cell_text

FORMATS = (".csv", ".xlsx", ".xls")  # what an import reads; exports write .csv or .xlsx
MAX_FILE_BYTES = 50 * 1024 * 1024  # a center's sheet is a few MiB at most; more is a mistake
MAX_FILE_TEXT = "50 MiB"
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel on Chinese Windows saves GB18030 (GBK's superset)
EXCEL_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # XLSX (a zip), XLS (OLE)
CHUNK = 1 << 16  # bytes read at a time when a CSV is checked
T = TypeVar("T")


@dataclass
class Sheet:
    """One sheet, its rows read as they are asked for (row i is the sheet's row i + 1)."""

    name: str  # "" for a CSV file
    rows: Iterator[list[str]]
    total: int | None = None  # how many rows the file says it has, for progress; None: unknown


def check_source(path: Path) -> None:
    """An import file: a format we read, there, and not too large to be a center's sheet."""
    if path.suffix.lower() not in FORMATS:
        raise UserError("seeker_io.format", field="file", path=str(path), formats=_names(FORMATS))
    if not path.is_file():
        raise UserError("seeker_io.no_file", field="file", path=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UserError("seeker_io.too_large", field="file", path=str(path), limit=MAX_FILE_TEXT)


def _names(formats: tuple[str, ...]) -> str:
    return " ".join(formats)


def read_sheets(path: Path) -> Generator[Sheet]:
    """Every sheet of the file in order, each read a row at a time as it is asked for (a CSV
    is one sheet), so a large file is never all in memory."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield read_csv(path)
        return
    reader = _xlsx_sheets(path) if suffix == ".xlsx" else _xls_sheets(path)
    try:
        for sheet in _guarded(reader, path, suffix):
            sheet.rows = _guarded(sheet.rows, path, suffix)
            yield sheet
    finally:
        reader.close()  # the workbook's file is closed once its sheets are no longer read


def _guarded(items: Iterator[T], path: Path, suffix: str) -> Iterator[T]:
    """A damaged workbook fails in many ways (zip, XML, OLE, styles), and may do so at any
    row: each is one UserError naming the file."""
    try:
        yield from items
    except UserError:
        raise
    except Exception as exc:
        raise UserError("seeker_io.unreadable", field="file", path=str(path), kind=suffix) from exc


# --- CSV -----------------------------------------------------------------------------------


def read_csv(path: Path) -> Sheet:
    """The file's rows as a csv reader gives them, decoded as it goes; the encoding is found
    first by one pass over the bytes, a chunk at a time, which also counts the lines."""
    encoding, lines = _csv_encoding(path)
    allow_long_cells()
    return Sheet("", _csv_rows(path, encoding), lines)


def _csv_rows(path: Path, encoding: str) -> Iterator[list[str]]:
    with path.open("r", encoding=encoding, newline="") as fh:
        yield from csv.reader(fh)


def _csv_encoding(path: Path) -> tuple[str, int]:
    """UTF-8 (with or without BOM) or GB18030 (Excel on Chinese Windows saves it), and the
    number of line breaks; a workbook, UTF-16 or a binary file is refused."""
    with path.open("rb") as fh:
        start = fh.read(CHUNK)
    if start.startswith(EXCEL_SIGNATURES):
        raise UserError("seeker_io.workbook_as_csv", field="file", path=str(path))
    # UTF-16 (Excel's "Unicode text") and binary files are full of NUL bytes, and the first
    # would otherwise decode into columns of NUL characters; a stray NUL in a text file is
    # reported at its cell like any control character.
    if not _mostly_nul(start):
        for encoding in TEXT_ENCODINGS:
            lines = _decodes(path, encoding)
            if lines is not None:
                return encoding, lines
    raise UserError("seeker_io.encoding", field="file", path=str(path))


def _decodes(path: Path, encoding: str) -> int | None:
    """The file's line breaks if it is all `encoding`, else None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return lines


def _mostly_nul(data: bytes) -> bool:
    sample = data[:65536]
    return sample.count(0) * 20 > len(sample)  # over 5%: ASCII in UTF-16 is half NUL


def allow_long_cells() -> None:
    """The csv module refuses a cell over 128 KiB with an error of its own; a cell is at most
    the file, and the readers refuse one longer than a spreadsheet cell at its cell."""
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)


# --- XLSX ----------------------------------------------------------------------------------


def _xlsx_sheets(path: Path) -> Generator[Sheet]:
    from openpyxl import load_workbook

    from frontdesk.services import xlsx_rows

    with path.open("rb") as fh:
        book = load_workbook(fh, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                total = sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
                # A writer may leave a wrong <dimension> (A1): read every row there is.
                sheet.reset_dimensions()
                # The cells read straight from the sheet's XML: openpyxl's own cell objects
                # were two thirds of a large import's time (services/xlsx_rows.py).
                texts = xlsx_rows.texts(book, sheet)
                if texts is None:  # another openpyxl: through its own cells
                    texts = map(_texts, sheet.iter_rows(values_only=True))
                yield Sheet(sheet.title, texts, total)
        finally:
            book.close()


def _texts(values: tuple[object, ...]) -> list[str]:
    return [cell_text(v) for v in values]


def uncalculated_rows(path: Path, sheet: str, blank: Collection[int]) -> dict[int, list[str]]:
    """Of the `blank` rows (indices in the sheet), those that are really formulas without
    saved values, with their formula cells marked Uncalculated, so such a row is reported
    instead of skipped.

    An XLSX read for values gives such a cell as empty; only a second read, for formulas,
    tells it from an empty cell, so it is done only when a blank row is there to explain.
    """
    if path.suffix.lower() != ".xlsx" or not blank:
        return {}  # CSV holds no formulas; XLS always saves a formula's value
    last = max(blank)
    found: dict[int, list[str]] = {}
    from openpyxl import load_workbook

    try:
        with path.open("rb") as fh:
            book = load_workbook(fh, read_only=True, data_only=False)
            try:
                formulas = book[sheet]
                formulas.reset_dimensions()
                for i, values in enumerate(formulas.iter_rows(values_only=True)):
                    if i in blank and any(_is_formula(v) for v in values):
                        found[i] = [Uncalculated("") if _is_formula(v) else "" for v in values]
                    if i >= last:
                        break
            finally:
                book.close()
    except Exception as exc:  # the first read worked, so this is unlikely; say so all the same
        raise UserError("seeker_io.unreadable", field="file", path=str(path), kind=".xlsx") from exc
    return found


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


# --- XLS (Excel 97-2003) -------------------------------------------------------------------


def _xls_sheets(path: Path) -> Generator[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)  # an .xls is read whole: the format is old
            rows = [[_xls_text(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows)]
            book.unload_sheet(index)
            yield Sheet(sheet.name, iter(rows), len(rows))
    finally:
        book.release_resources()


def _xls_text(book: Any, cell: Any) -> str:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_DATE:
        if 0 <= value < 1:  # a time of day alone
            hours, minutes, seconds = xlrd.xldate_as_tuple(value, book.datemode)[3:]
            return cell_text(time(hours, minutes, seconds))
        return cell_text(xlrd.xldate_as_datetime(value, book.datemode))
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell_text(value)
