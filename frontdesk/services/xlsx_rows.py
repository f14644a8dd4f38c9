"""The rows of an XLSX worksheet read straight from its XML, for imports of 100,000 rows.

openpyxl's read-only mode builds several Python objects per cell (a dictionary, a cell,
rich-text objects for every inline string), about two thirds of an XLSX import's time. The
workbook is still opened by openpyxl (its sheets, shared strings, date styles and epoch);
only the cells of a sheet are read here, with ElementTree's own parser, into the values
`iter_rows(values_only=True)` gives for a workbook opened with `data_only=True`: the same
rows, the same gaps, the same numbers, dates and texts (tests/test_xlsx_rows.py holds the
two readers to the same answers). Where the workbook object lacks what this needs (another
openpyxl), `rows` gives None and the caller reads through openpyxl.

Opening a workbook read-only, openpyxl looks for each sheet's <dimension> (its size) and
stops looking at the end of <sheetData>: where a writer left no dimension out (openpyxl's
own write-only mode, which the bench's file comes from), that is after parsing every
row, before a single one is read: about a tenth of a 100,000-row import, done again by
the process checking the rows ahead. Importing this module makes openpyxl stop at the
start of <sheetData> instead (`_dimension_before_rows`): a sheet's dimension comes before
its rows (ECMA-376, CT_Worksheet), so the answer is the same, found without the rows.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator, Sequence
from typing import Any
from xml.etree.ElementTree import Element, iterparse

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet import _reader
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse as openpyxl_iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v"
INLINE, TEXT, RUN = f"{MAIN}is", f"{MAIN}t", f"{MAIN}r"
SHEET_DATA = f"{MAIN}sheetData"
DIMENSION = f"{MAIN}dimension"
DIGITS = "0123456789"


def rows(book: Any, sheet: Any) -> Iterator[Sequence[object]] | None:
    """The sheet's rows from its first, as openpyxl's `iter_rows(values_only=True)` gives
    them after `reset_dimensions()`; None when this openpyxl keeps its parts elsewhere."""
    try:
        parts = _Parts(
            source=book._archive.open(sheet._worksheet_path),
            strings=sheet._shared_strings,
            dates=book._date_formats,
            durations=book._timedelta_formats,
            epoch=book.epoch,
        )
    except (AttributeError, KeyError):
        return None
    return _rows(parts)


class _Parts:
    def __init__(self, source: Any, strings: Any, dates: Any, durations: Any, epoch: Any):
        self.source, self.strings = source, strings
        self.dates, self.durations, self.epoch = dates, durations, epoch


def _rows(parts: _Parts) -> Iterator[Sequence[object]]:
    """Rows missing from the file come out empty (a list, a row without cells a tuple, as
    openpyxl gives them); a row numbered before one already given (a damaged file) is
    skipped, as there."""
    expected = 1
    number = 0
    with parts.source as source:
        events = iterparse(source, events=("start", "end"))
        holder: Element | None = None
        for event, element in events:
            if event == "start":
                if element.tag == SHEET_DATA:
                    holder = element
                continue
            if element.tag != ROW:
                continue
            written = element.get("r")
            number = _row_number(written) if written is not None else number + 1
            while expected < number:
                expected += 1
                yield []
            if expected <= number:
                expected += 1
                yield _cells(element, parts)
            if holder is not None:
                holder.clear()  # rows read are dropped, so memory stays flat


def _row_number(written: str) -> int:
    try:
        return int(written)
    except ValueError:
        value = float(written)
        if not value.is_integer():
            raise ValueError(f"{written} is not a valid row number") from None
        return int(value)


def _cells(row: Element, parts: _Parts) -> tuple[object, ...]:
    found: list[tuple[int, object]] = []
    column = 0
    for cell in row:
        if cell.tag != CELL:
            continue
        ref = cell.get("r")
        column = _column(ref.rstrip(DIGITS)) if ref else column + 1
        found.append((column, _value(cell, parts)))
    if not found:
        return ()
    values: list[object] = [None] * found[-1][0]
    for at, value in found:
        if at <= len(values):
            values[at - 1] = value
    return tuple(values)


@functools.lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    return column_index_from_string(letters)


def _value(cell: Element, parts: _Parts) -> object:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(INLINE)
        return None if inline is None else _inline_text(inline)
    text = cell.findtext(VALUE) or None
    if text is None:
        return None
    if kind == "n":
        return _number(text, cell.get("s"), parts)
    if kind == "s":
        return parts.strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_ISO8601(text)
    return text  # "str" (a formula's text) and "e" (an error such as #N/A) as written


def _inline_text(inline: Element) -> str:
    """Its plain text and the text of its runs; phonetic guides (rPh) are not the text."""
    if len(inline) == 1 and inline[0].tag == TEXT:  # nearly every cell: a <t> alone
        return inline[0].text or ""
    plain = inline.findtext(TEXT) or ""
    return plain + "".join(run.findtext(TEXT) or "" for run in inline.iterfind(RUN))


def _number(text: str, style: str | None, parts: _Parts) -> object:
    value: int | float = float(text) if "." in text or "E" in text or "e" in text else int(text)
    if not style:
        return value
    index = int(style)
    if index not in parts.dates:
        return value
    try:
        return from_excel(value, parts.epoch, timedelta=index in parts.durations)
    except (OverflowError, ValueError):
        warnings.warn(f"a date cell's serial value {value} is outside the dates", stacklevel=2)
        return "#VALUE!"


def _dimension_before_rows(parser: Any) -> tuple[int, int, int, int] | None:
    """openpyxl's WorkSheetParser.parse_dimensions, with its answer (the boundaries a
    <dimension> gives, or None without one), read from the elements before the rows."""
    for _event, element in openpyxl_iterparse(parser.source, events=("start",)):
        if element.tag == DIMENSION:
            return SheetDimension.from_tree(element).boundaries
        if element.tag == SHEET_DATA:
            return None
    return None


_PARSER = getattr(_reader, "WorkSheetParser", None)
# openpyxl's own, kept (tests/test_xlsx_rows.py holds the two to the same answers).
_reader_parse_dimensions = getattr(_PARSER, "parse_dimensions", None)
if _PARSER is not None and _reader_parse_dimensions is not None:
    _PARSER.parse_dimensions = _dimension_before_rows
