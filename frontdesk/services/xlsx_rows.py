"""The rows of an XLSX worksheet read straight from its XML, for imports of 100,000 rows.

openpyxl's read-only mode builds several Python objects per cell (a dictionary, a cell,
rich-text objects for every inline string), about two thirds of an XLSX import's time. The
workbook is still opened by openpyxl (its sheets, shared strings, date styles and epoch);
only the cells of a sheet are read here, with expat's callbacks (the standard library's
XML parser), into the values `iter_rows(values_only=True)` gives for a workbook opened with
`data_only=True`: the same rows, the same gaps, the same numbers, dates and texts
(tests/test_xlsx_rows.py holds the two readers to the same answers), or straight into the
texts an import reads (`texts`). Where the workbook object lacks what this needs (another
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
from typing import Any, cast
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet import _reader
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse as openpyxl_iterparse

from frontdesk.services.sheet_files import cell_text

NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN = f"{{{NAMESPACE}}}"  # ElementTree's spelling of a name in it (openpyxl's parser)
ROW, CELL, VALUE = f"{NAMESPACE}}}row", f"{NAMESPACE}}}c", f"{NAMESPACE}}}v"  # expat's
INLINE, TEXT, RUN = f"{NAMESPACE}}}is", f"{NAMESPACE}}}t", f"{NAMESPACE}}}r"
SHEET_DATA = f"{MAIN}sheetData"
DIMENSION = f"{MAIN}dimension"
DIGITS = "0123456789"
CHUNK = 1 << 16  # bytes of the sheet's XML parsed at a time
NOWHERE = -2  # the depth of an element not open: no element's depth is one more


def rows(book: Any, sheet: Any) -> Iterator[Sequence[object]] | None:
    """The sheet's rows from its first, as openpyxl's `iter_rows(values_only=True)` gives
    them after `reset_dimensions()`; None when this openpyxl keeps its parts elsewhere."""
    parts = _parts(book, sheet)
    return None if parts is None else _rows(parts, False)


def texts(book: Any, sheet: Any) -> Iterator[list[str]] | None:
    """The same rows as lists of the texts a person sees (sheet_files.cell_text of each
    value), worked out once per cell where its kind is known, so a text cell, nearly every
    cell, is taken as it is."""
    parts = _parts(book, sheet)
    return None if parts is None else cast(Iterator[list[str]], _rows(parts, True))


def _parts(book: Any, sheet: Any) -> _Parts | None:
    try:
        return _Parts(
            source=book._archive.open(sheet._worksheet_path),
            strings=sheet._shared_strings,
            dates=book._date_formats,
            durations=book._timedelta_formats,
            epoch=book.epoch,
        )
    except (AttributeError, KeyError):
        return None


class _Parts:
    def __init__(self, source: Any, strings: Any, dates: Any, durations: Any, epoch: Any):
        self.source, self.strings = source, strings
        self.dates, self.durations, self.epoch = dates, durations, epoch


def _rows(parts: _Parts, text: bool) -> Iterator[Sequence[object]]:
    """Rows missing from the file come out empty (a list, a row without cells a tuple, as
    openpyxl gives them); a row numbered before one already given (a damaged file) is
    skipped, as there. The XML is parsed a chunk at a time, the rows it completed given
    after each: memory stays flat whatever the sheet's size."""
    reader = _SheetReader(parts, text)
    parser = reader.parser
    expected = 1
    with parts.source as source:
        while True:
            chunk = source.read(CHUNK)
            parser.Parse(chunk, not chunk)
            for number, cells in reader.done:
                while expected < number:
                    expected += 1
                    yield []
                if expected <= number:
                    expected += 1
                    yield cells
            reader.done.clear()
            if not chunk:
                return


class _SheetReader:
    """expat's callbacks over a sheet's XML, keeping only what a row's values need.

    ElementTree built an element for every row, cell, value and text, and handed each to
    Python twice (iterparse's start and end events): most of the time reading a sheet. Here
    each element is one call in and one out, and only the texts wanted are kept. What is
    read is what xlsx_rows read from the elements before (tests/test_xlsx_rows.py): any
    <row> element; its <c> children; a cell's first <v> child's text (before any child of
    its own, as an element's .text) or its first <is> child's text: the first <t> child's
    text, then the first <t> of each <r> child (rich text runs; phonetic guides, rPh, are
    not the text). Depths say which element is whose child: NOWHERE while none is open.
    """

    def __init__(self, parts: _Parts, text: bool) -> None:
        self.parts, self.text = parts, text
        self.done: list[tuple[int, Sequence[object]]] = []  # rows completed, with numbers
        self.depth = 0
        self.row_at = self.cell_at = self.inline_at = self.run_at = NOWHERE
        self.number = 0  # the last row's number
        self.found: list[tuple[int, object]] = []  # the open row's (column, value)
        self.column = 0
        self.sink: list[str] | None = None  # where the text being read goes
        self.kind: str = "n"
        self.style: str | None = None
        self.ref: str | None = None
        self.value: list[str] | None = None
        self.plain: list[str] | None = None
        self.runs: list[list[str]] = []
        self.inline_seen = self.run_text_seen = False
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = CHUNK
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        self.parser = parser

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        depth = self.depth = self.depth + 1
        self.sink = None  # an element's text is what comes before its first child
        if depth == self.cell_at + 1:  # a child of the open cell
            if name == VALUE:
                if self.value is None:
                    self.sink = self.value = []
            elif name == INLINE and not self.inline_seen:
                self.inline_seen = True
                self.inline_at = depth
        elif depth == self.inline_at + 1:  # a child of the cell's <is>
            if name == TEXT:
                if self.plain is None:
                    self.sink = self.plain = []
            elif name == RUN:
                self.run_at = depth
                self.run_text_seen = False
        elif depth == self.run_at + 1:  # a child of a rich text run
            if name == TEXT and not self.run_text_seen:
                self.run_text_seen = True
                self.sink = []
                self.runs.append(self.sink)
        elif depth == self.row_at + 1:
            if name == CELL:
                self.cell_at = depth
                self.kind = attributes.get("t", "n")
                self.style = attributes.get("s")
                self.ref = attributes.get("r")
                self.value = self.plain = None
                self.inline_seen = False
                if self.runs:
                    self.runs = []
        elif name == ROW:
            self.row_at = depth
            self.found = []
            self.column = 0
            written = attributes.get("r")
            self.number = _row_number(written) if written is not None else self.number + 1

    def _data(self, data: str) -> None:
        if self.sink is not None:
            self.sink.append(data)

    def _end(self, name: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        self.sink = None
        if depth == self.cell_at:
            self.cell_at = self.inline_at = self.run_at = NOWHERE
            ref = self.ref
            self.column = _column(ref.rstrip(DIGITS)) if ref else self.column + 1
            self.found.append((self.column, self._value()))
        elif depth == self.run_at:
            self.run_at = NOWHERE
        elif depth == self.inline_at:
            self.inline_at = NOWHERE
        elif depth == self.row_at:
            self.row_at = NOWHERE
            self.done.append((self.number, self._cells()))

    def _value(self) -> object:
        kind = self.kind
        if kind == "inlineStr":
            if not self.inline_seen:
                return "" if self.text else None
            plain = "".join(self.plain) if self.plain else ""
            if self.runs:
                plain += "".join("".join(run) for run in self.runs)
            return plain
        written = "".join(self.value) if self.value else ""
        if not written:
            return "" if self.text else None
        if kind == "s":
            shared = self.parts.strings[int(written)]
            return shared if not self.text or shared.__class__ is str else cell_text(shared)
        if kind == "n":
            value = _number(written, self.style, self.parts)
        elif kind == "b":
            value = bool(int(written))
        elif kind == "d":
            value = from_ISO8601(written)
        else:
            return written  # "str" (a formula's text) and "e" (an error such as #N/A) as written
        return cell_text(value) if self.text else value

    def _cells(self) -> Sequence[object]:
        found = self.found
        if not found:
            return [] if self.text else ()
        values: list[object] = ["" if self.text else None] * found[-1][0]
        width = len(values)
        for at, value in found:
            if at <= width:
                values[at - 1] = value
        return values if self.text else tuple(values)


def _row_number(written: str) -> int:
    try:
        return int(written)
    except ValueError:
        value = float(written)
        if not value.is_integer():
            raise ValueError(f"{written} is not a valid row number") from None
        return int(value)


@functools.lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    return column_index_from_string(letters)


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
