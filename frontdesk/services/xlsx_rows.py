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
import re
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, cast
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet import _reader
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse as openpyxl_iterparse

from frontdesk.services.cell_values import cell_text

NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN = f"{{{NAMESPACE}}}"  # ElementTree's spelling of a name in it (openpyxl's parser)
ROW, CELL, VALUE = f"{NAMESPACE}}}row", f"{NAMESPACE}}}c", f"{NAMESPACE}}}v"  # expat's
INLINE, TEXT, RUN = f"{NAMESPACE}}}is", f"{NAMESPACE}}}t", f"{NAMESPACE}}}r"
SHEET_DATA = f"{MAIN}sheetData"
DIMENSION = f"{MAIN}dimension"
DIGITS = "0123456789"
CHUNK = 1 << 16  # bytes of the sheet's XML parsed at a time
NOWHERE = -2  # the depth of an element not open: no element's depth is one more
BATCH = 256  # rows read without expat given at a time
HEAD_MOST = 1 << 20  # what is looked through for <sheetData>, or for a row's end
SHEET_DATA_TAG, ROW_END = b"<sheetData>", b"</row>"
# The XML declaration, if any, says UTF-8 or nothing of the encoding (UTF-8 then), and
# the document starts there or at an element, not a byte order mark of UTF-16.
UTF8_START = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml[ \t\n\r]+version=[\"'][0-9.]+[\"']"
    rb"(?:[ \t\n\r]+encoding=[\"'](?i:utf-?8)[\"'])?"
    rb"(?:[ \t\n\r]+standalone=[\"'](?:yes|no)[\"'])?[ \t\n\r]*\?>|(?!<\?xml))[ \t\n\r]*<"
)
# Rows in the plain form nearly every writer uses, read without a parser: each match is a
# whole, well-formed <row> element whose meaning is plain from the bytes, given what
# before_rows checked (UTF-8, no DTD, the sheet's namespace the default). Attribute values
# are printable ASCII without quotes, & or <; text holds no < and no control character
# but tab and line feed (a carriage return would be a line end, which XML makes a line
# feed); a text holding & or ]]> or U+FFFE/U+FFFF is left to expat (`quick`), as are rows
# with comments, rich text, a cell's attributes in another order or others than r, s, t.
_SPACE = rb"[ \t\n\r]"  # what XML calls white space (\s has more)
_VALUE_CHARS = rb"[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*"
_ATTRIBUTE = _SPACE + rb'+[A-Za-z_][\w.:-]*="' + _VALUE_CHARS + rb'"'
ATTRIBUTE = re.compile(_SPACE + rb'+([A-Za-z_][\w.:-]*)="(' + _VALUE_CHARS + rb')"')
_TEXT = rb"[^<\x00-\x08\x0b-\x1f]*"
_CELL = b"".join(
    (
        rb'<c(?: r="(?P<letters>[A-Z]{1,3})[0-9]+")?(?: s="(?P<style>[0-9]+)")?',
        rb'(?: t="(?P<kind>[A-Za-z]+)")?(?:/>|>',
        rb"(?:<f(?:" + _ATTRIBUTE + rb")*(?:/>|>" + _TEXT + rb"</f>))?",  # a formula
        rb"(?:<v>(?P<value>" + _TEXT + rb")</v>|<v/>",
        rb'|(?P<inline><is>)<t(?: xml:space="preserve")?>(?P<inline_text>' + _TEXT,
        rb")</t></is>)?</c>)",
    )
)
CELL_PATTERN = re.compile(_CELL)
ROW_PATTERN = re.compile(
    b"".join(
        (
            _SPACE + rb'*<row(?: r="([0-9]+)")?((?:' + _ATTRIBUTE + rb")*)",
            rb"(?:/>|>((?:" + _SPACE + rb"*" + re.sub(rb"\(\?P<\w+>", b"(?:", _CELL) + rb")*)",
            _SPACE + rb"*</row>)",
        )
    )
)
NOT_CHARACTERS = re.compile(b"\xef\xbf[\xbe\xbf]")


def rows(book: Any, sheet: Any) -> Iterator[Sequence[object]] | None:
    """The sheet's rows from its first, as openpyxl's `iter_rows(values_only=True)` gives
    them after `reset_dimensions()`; None when this openpyxl keeps its parts elsewhere."""
    parts = _parts(book, sheet)
    return None if parts is None else _rows(parts, False)


def texts(book: Any, sheet: Any) -> Iterator[list[str]] | None:
    """The same rows as lists of the texts a person sees (cell_values.cell_text of each
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
    skipped, as there."""
    expected = 1
    for number, cells in _numbered(parts, _SheetReader(parts, text)):
        while expected < number:
            expected += 1
            yield []
        if expected <= number:
            expected += 1
            yield cells


def _numbered(parts: _Parts, reader: _SheetReader) -> Iterator[tuple[int, Sequence[object]]]:
    """The sheet's rows with their numbers, a chunk of the XML at a time (memory stays flat
    whatever the sheet's size): up to <sheetData> by expat, then each row in the plain form
    nearly every writer uses by ROW_PATTERN (`quick`) and any other by expat, the row alone
    (`fragment`); from a row neither reads (a damaged file, or one whose end cannot be
    found without parsing it), by expat to the end, as before. expat has then seen none of
    the rows read without it, which are whole elements: it is where they end."""
    parser = reader.parser
    with parts.source as source:
        head = b""
        while (at := head.find(SHEET_DATA_TAG)) < 0 and len(head) < HEAD_MOST:
            chunk = source.read(CHUNK)
            if not chunk:
                break
            head += chunk
        rest, quick = head, False
        if at >= 0:
            end = at + len(SHEET_DATA_TAG)
            quick, rest = reader.before_rows(head[:end]), head[end:]
            yield from reader.done
            reader.done.clear()
        if quick:
            eof, pos = False, 0
            while True:
                found = ROW_PATTERN.match(rest, pos)
                if found is not None and reader.quick(found):
                    pos = found.end()
                elif (close := rest.find(ROW_END, pos)) >= 0 and reader.fragment(
                    rest[pos : close + len(ROW_END)]
                ):
                    pos = close + len(ROW_END)
                elif not eof and (close < 0 and len(rest) - pos < HEAD_MOST):
                    chunk = source.read(CHUNK)
                    eof = not chunk
                    rest, pos = rest[pos:] + chunk, 0
                    continue
                else:
                    rest = rest[pos:]  # the parser is where the rows read so far end
                    break
                if len(reader.done) >= BATCH:
                    yield from reader.done
                    reader.done.clear()
            yield from reader.done
            reader.done.clear()
            reader.parse_all()
        while True:
            parser.Parse(rest, not rest)
            yield from reader.done
            reader.done.clear()
            if not rest:
                return
            rest = source.read(CHUNK)


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

    Most rows are read without expat (`quick`): what comes before <sheetData> is, and says
    whether that may be done (`before_rows`).
    """

    def __init__(self, parts: _Parts, text: bool) -> None:
        self.parts, self.text = parts, text
        self.empty = "" if text else None
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
        self.spaces: dict[str, list[str]] = {}  # namespace prefixes in scope, "" the default
        self.doctype = False
        self.last: tuple[str, bool] | None = None  # the last element started and not ended
        self.parser = self._parser()

    def _parser(self) -> Any:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = CHUNK
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        return parser

    # --- before the rows: whether they may be read without expat ---

    def before_rows(self, head: bytes) -> bool:
        """Parse `head`, the XML up to and with <sheetData>; True where the rows after it
        may be read by ROW_PATTERN: the file is UTF-8, without a DTD (so no entities but
        XML's own), <sheetData> is the root's child in the sheet's namespace, and that is
        the default one. Otherwise (or where the rows are not plain) expat reads them."""
        parser = self.parser
        parser.StartElementHandler, parser.EndElementHandler = self._head_start, self._head_end
        parser.StartNamespaceDeclHandler = self._space_start
        parser.EndNamespaceDeclHandler = self._space_end
        parser.StartDoctypeDeclHandler = self._doctype
        parser.Parse(head, False)
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.StartNamespaceDeclHandler = parser.EndNamespaceDeclHandler = None
        declared = UTF8_START.match(head)
        return (
            declared is not None
            and not self.doctype
            and self.depth == 2
            and self.last == (f"{NAMESPACE}}}sheetData", False)
            and (self.spaces.get("") or [""])[-1] == NAMESPACE
        )

    def _head_start(self, name: str, attributes: dict[str, str]) -> None:
        self._start(name, attributes)  # rows before a <sheetData> in another form are rows
        self.last = (name, bool(attributes))

    def _head_end(self, name: str) -> None:
        self._end(name)
        self.last = None

    def _space_start(self, prefix: str | None, uri: str) -> None:
        self.spaces.setdefault(prefix or "", []).append(uri)

    def _space_end(self, prefix: str | None) -> None:
        self.spaces[prefix or ""].pop()

    def _doctype(self, *declaration: object) -> None:
        self.doctype = True

    # --- rows without expat ---

    def quick(self, found: re.Match[bytes]) -> bool:
        """A row matched by ROW_PATTERN, read; False (nothing read) where its other
        attributes or its text hold what the pattern does not check (ROW_PATTERN)."""
        number, others, cells = found.groups()
        if others and not _other_attributes(others):
            return False
        if cells and (b"&" in cells or b"]]>" in cells or NOT_CHARACTERS.search(cells)):
            return False  # entities, and what XML forbids in text: expat says what they are
        self.number = int(number) if number else self.number + 1
        if not cells:
            self.done.append((self.number, [] if self.text else ()))
            return True
        text, empty, parts = self.text, self.empty, self.parts
        strings = parts.strings
        values: list[object] = []  # while the cells come one column after another
        found_cells: list[tuple[int, object]] = []  # from a cell that does not, with its column
        column = 0
        columns = _COLUMNS
        for letters, style, kind, value, inline, inline_text in CELL_PATTERN.findall(cells):
            if letters:
                column = columns.get(letters) or _column_of(letters)
            else:
                column += 1
            if kind == b"inlineStr":
                cell: object = inline_text.decode() if inline else empty
            elif not value:
                cell = empty
            elif kind == b"s":
                cell = strings[int(value)]
                if text and cell.__class__ is not str:
                    cell = cell_text(cell)
            else:
                cell = _cell_value(
                    kind.decode() or "n", style.decode() or None, value.decode(), parts, text
                )
            if column == len(values) + 1 and not found_cells:
                values.append(cell)
            else:
                found_cells.append((column, cell))
        if found_cells:
            found_cells[:0] = enumerate(values, start=1)
            self.done.append((self.number, _filled(found_cells, text)))
        else:
            self.done.append((self.number, values if text else tuple(values)))
        return True

    def fragment(self, data: bytes) -> bool:
        """Rows in a form ROW_PATTERN does not read (rich text, entities, comments...), up
        to a </row>: parsed by expat alone, inside the namespaces in scope. False (nothing
        read) where that is not a whole row or more: expat then reads on from there."""
        spaces = "".join(
            f" {'xmlns' if not prefix else 'xmlns:' + prefix}={quoteattr(uris[-1])}"
            for prefix, uris in self.spaces.items()
            if uris
        )
        kept = len(self.done), self.number
        parser = self.parser
        self.parser = self._parser()
        self.depth = 0
        try:
            self.parser.Parse(f"<w{spaces}><sheetData>".encode() + data, False)
            self.parser.Parse(b"</sheetData></w>", True)
            whole = True
        except expat.ExpatError:
            whole = False
        self.parser = parser
        self.depth = 2
        self.row_at = self.cell_at = self.inline_at = self.run_at = NOWHERE
        self.sink = None
        if not whole:
            del self.done[kept[0] :]
            self.number = kept[1]
        return whole

    def parse_all(self) -> None:
        """From here to the end by expat: inside <sheetData>, where the rows read end."""
        self.depth = 2
        self.row_at = self.cell_at = self.inline_at = self.run_at = NOWHERE

    # --- expat's callbacks ---

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
            self.done.append((self.number, _filled(self.found, self.text)))

    def _value(self) -> object:
        if self.kind == "inlineStr":
            if not self.inline_seen:
                return self.empty
            plain = "".join(self.plain) if self.plain else ""
            if self.runs:
                plain += "".join("".join(run) for run in self.runs)
            return plain
        written = "".join(self.value) if self.value else ""
        if not written:
            return self.empty
        return _cell_value(self.kind, self.style, written, self.parts, self.text)


def _cell_value(kind: str, style: str | None, written: str, parts: _Parts, text: bool) -> object:
    """A cell's value (or its text) from the text of its <v>, not empty."""
    if kind == "s":
        shared = parts.strings[int(written)]
        return shared if not text or shared.__class__ is str else cell_text(shared)
    if kind == "n":
        value = _number(written, style, parts)
    elif kind == "b":
        value = bool(int(written))
    elif kind == "d":
        value = from_ISO8601(written)
    else:
        return written  # "str" (a formula's text) and "e" (an error such as #N/A) as written
    return cell_text(value) if text else value


def _filled(found: list[tuple[int, object]], text: bool) -> Sequence[object]:
    """A row's values at their columns, gaps empty."""
    if not found:
        return [] if text else ()
    values: list[object] = ["" if text else None] * found[-1][0]
    width = len(values)
    for at, value in found:
        if at <= width:
            values[at - 1] = value
    return values if text else tuple(values)


@functools.lru_cache(maxsize=256)
def _other_attributes(written: bytes) -> bool:
    """A row's attributes after r (spans, ht, x14ac:dyDescent...), as ROW_PATTERN matched
    them: True where they are each named once, none r, none a namespace declaration."""
    names = [name for name, _ in ATTRIBUTE.findall(written)]
    return len(set(names)) == len(names) and not any(
        n == b"r" or n.startswith(b"xmlns") for n in names
    )


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


_COLUMNS: dict[bytes, int] = {}  # a cell reference's letters (b"AB"), read without expat


def _column_of(letters: bytes) -> int:
    if len(_COLUMNS) >= 1024:
        _COLUMNS.clear()
    column = _COLUMNS[letters] = _column(letters.decode())
    return column


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
