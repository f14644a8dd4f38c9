"""Spreadsheets in and out, the same way for every import and export: the sheet and its
header row found by the column names, header names mapped to fields, cell values read one
way, every problem reported by row and column, and files written beside their target and
then published, so a failure never leaves a half-written file and nothing is overwritten.

Reading the files themselves (CSV, XLSX, XLS) is services/sheet_files.py's.
"""

from __future__ import annotations

import csv
import functools
import itertools
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import Engine

from db.session import writing
from db.text import first_bad, printable
from frontdesk.domain.dates import parse_day
from frontdesk.domain.privacy import mask_address, mask_id, mask_phone
from frontdesk.domain.registration import clean_phone
from frontdesk.domain.text import check_cells
from frontdesk.errors import UserError
from frontdesk.i18n import t
from frontdesk.services.audit import record
from frontdesk.services.cell_values import LossyNumber, Uncalculated
from frontdesk.services.sheet_files import Sheet, check_source, read_sheets, uncalculated_rows

OUTPUT_FORMATS = (".csv", ".xlsx")
REASON = "reason"  # the column a rejects file adds; accepted, and ignored, on re-import
REASON_NAMES = ("reason", "原因")
ROW_NUMBER_NAMES = ("序号", "编号", "no", "No.")  # row numbers offices add; ignored
HEADER_SEARCH_ROWS = 10  # a title line or two, an empty row, then the header
MAX_CELL_CHARS = 32767  # the most a spreadsheet cell holds (Excel's own limit)
MAX_LISTED = 200  # problems listed one by one; the rest are counted
LABEL_SHOWN = 40  # characters of a header cell quoted in a problem
CJK = re.compile(r"[\u4e00-\u9fff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula
XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an XLSX cannot hold
SERIAL_DAY = re.compile(r"(\d{5})(?:\.\d+)?")  # Excel's day number of a date cell
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial days (its 1900 leap-year bug)
T = TypeVar("T")
SERIAL_RANGE = (20000, 80000)  # 1954-10-03 to 2119-01-10: in a date column, a day number


@dataclass(frozen=True)
class Problem:
    """Why one cell (or the header) cannot be imported; row numbers as in the sheet."""

    row: int
    column: str
    error: UserError

    @property
    def reason(self) -> str:
        return self.error.message()

    def line(self) -> str:
        return t("seeker_io.problem", row=self.row, column=self.column, reason=self.reason)


def problem_lines(problems: Sequence[Problem]) -> list[str]:
    """One line per problem, the first MAX_LISTED of them, then how many more there are."""
    lines = [p.line() for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(t("seeker_io.more_problems", count=len(problems) - MAX_LISTED))
    return lines


class ImportRejected(UserError):
    """The file has problems and nothing was written; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        rows = len({p.row for p in problems})
        super().__init__("seeker_io.rejected", rows=rows, problems=len(problems))
        self.problems = problems

    def report(self) -> list[str]:
        return [*problem_lines(self.problems), self.message()]

    def __reduce__(self) -> tuple[type[ImportRejected], tuple[list[Problem]]]:
        return ImportRejected, (self.problems,)  # as raised in a child process (ahead.py)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects: Path | None = None


class ImportCancelled(UserError):
    """The person cancelled the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("seeker_io.cancelled")


# Told between batches: sheet rows read so far, and how many the file says it has (None when
# it does not say). It may raise ImportCancelled to stop: the transaction is rolled back.
Progress = Callable[[int, int | None], None]


class BadRow(Protocol):
    """A row that failed: its cells as read and its problems."""

    cells: list[str]
    problems: list[Problem]


# --- columns -------------------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s\u200b\ufeff*_\-]+|\((?:必填|选填|可选)\)")


def header_key(label: str) -> str:
    """A header as compared: NFKC (full-width folded), no spaces of any kind (NBSP, U+3000),
    no required-marks (*, (必填)), no _ or -, case-folded: 'ID number' is 'id_number'."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", label)).casefold()


@dataclass(frozen=True)
class Columns:
    """An import's columns: every name each field is written under, the canonical Chinese
    first (CLI.md), the English field name always accepted too, and those required."""

    names: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    unknown_code: str

    def chinese(self, name: str) -> str:
        return self.names[name][0]

    def lookup(self) -> dict[str, str | None]:
        """Header key -> field (None: a column read and ignored, such as 序号)."""
        found: dict[str, str | None] = {}
        for name, written in self.names.items():
            for label in (name, *written):
                found[header_key(label)] = name
        found.update({header_key(n): REASON for n in REASON_NAMES})
        found.update({header_key(n): None for n in ROW_NUMBER_NAMES})
        return found

    def fields_named(self, row: Sequence[str]) -> set[str]:
        known = self.lookup()
        return {f for c in row if (f := known.get(header_key(c))) is not None}


@dataclass(frozen=True)
class Layout:
    """What each column of the file holds: a field name, REASON, or None (blank, unused)."""

    fields: list[str | None]
    labels: dict[str, str]  # field -> the header as written in the file
    chinese: bool  # the file names its columns in Chinese
    row: int = 1  # the header's row in the sheet

    def position(self, name: str) -> int:
        return self.fields.index(name) if name in self.fields else len(self.fields)


def map_header(
    header: Sequence[str], rows: Sequence[Sequence[str]], columns: Columns, row: int = 1
) -> Layout:
    """Which field each column holds; every header problem at once, at the header's row."""
    known = columns.lookup()
    problems: list[Problem] = []
    fields: list[str | None] = []
    labels: dict[str, str] = {}
    for label in header:
        key = header_key(label)
        name = known.get(key) if key else None
        if key and key not in known:
            problems.append(Problem(row, _shown(label), UserError(columns.unknown_code)))
        elif name in labels:
            problems.append(Problem(row, _shown(label), UserError("seeker_io.duplicate_column")))
            name = None
        elif name is not None:
            labels[name] = label.strip()
        fields.append(name)
    problems += unnamed_columns(header, rows, row)
    chinese = any(CJK.search(label) for label in header)
    for name in columns.required:
        if name not in labels:
            missing = UserError("seeker_io.missing_column")
            problems.append(Problem(row, columns.chinese(name) if chinese else name, missing))
    if problems:
        raise ImportRejected(problems)
    return Layout(fields, labels, chinese, row)


def _shown(label: str) -> str:
    """A header cell as quoted in a problem: short, and control characters spelt out."""
    label = printable(label.strip())
    return label if len(label) <= LABEL_SHOWN else label[:LABEL_SHOWN] + "…"


def unnamed_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], row: int = 1
) -> list[Problem]:
    """Data under a blank header cell (or past the last one) has no column name to go by."""
    width = max((len(r) for r in rows), default=0)
    found = []
    for index in range(width):
        if index < len(header) and header[index].strip():
            continue
        if any(index < len(r) and r[index].strip() for r in rows):
            column = t("seeker_io.column_number", number=index + 1)
            found.append(Problem(row, column, UserError("seeker_io.unnamed_column")))
    return found


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """The sheet an import reads: its header, its data rows, and what each column holds."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # the data rows with their sheet row numbers
    layout: Layout

    def entries(self) -> list[tuple[int, list[str]]]:
        return self.rows


class SheetStream:
    """The sheet an import reads, a row at a time: the header is found and mapped when it is
    opened, then `entries` gives the data rows, so a large file is never all in memory.

        with SheetStream(path, columns) as stream:
            for number, cells in stream.entries(): ...

    What only the whole sheet shows is said when its rows are done: data under a column
    without a name (ImportRejected, as a header problem), or no rows at all.
    """

    def __init__(self, path: Path, columns: Columns, sheet: str | None = None) -> None:
        self.path = Path(path)
        check_source(self.path)
        if sheet is not None and self.path.suffix.lower() == ".csv":
            raise UserError("seeker_io.csv_has_no_sheets", field="sheet", path=str(self.path))
        self._sheets = read_sheets(self.path)
        try:
            found, at, head = _find_header(self._sheets, columns, sheet, self.path)
            self.header = [c.strip() for c in head[at]]
            self._first = head[at + 1 :]
            self.layout = map_header(self.header, self._first, columns, at + 1)
        except BaseException:
            self.close()
            raise
        self._sheet = found
        self._said = None if found.total is None else found.total - at - 1
        self.read = 0  # sheet rows below the header read so far, blank ones too

    @property
    def total(self) -> int | None:
        """The rows below the header as the file says (a CSV's line breaks, a workbook's
        dimension), or None when it does not say or was wrong (a cell holding line breaks
        counts more, a sheet's dimension left at A1 fewer)."""
        said = self._said
        return said if said is not None and said >= max(self.read, 1) else None

    def entries(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows with their sheet row numbers; blank lines between entries dropped,
        then (XLSX) blank-looking rows that are formulas saved without values."""
        header_row = self.layout.row
        blanks: list[int] = []
        unnamed: set[int] = set()
        named = [bool(c) for c in self.header]
        rows = itertools.chain(self._first, self._sheet.rows)
        count = 0
        for number, cells in enumerate(rows, start=header_row + 1):
            self.read += 1
            if blank(cells):
                blanks.append(number - 1)  # the sheet's row index
                continue
            count += 1
            unnamed.update(_unnamed_data(cells, named))
            yield number, cells
        late = uncalculated_rows(self.path, self._sheet.name, blanks)
        for index in sorted(late):
            count += 1
            yield index + 1, late[index]
        if unnamed:
            column = "seeker_io.column_number"
            raise ImportRejected(
                [
                    Problem(
                        header_row, t(column, number=i + 1), UserError("seeker_io.unnamed_column")
                    )
                    for i in sorted(unnamed)
                ]
            )
        if not count:
            raise UserError("seeker_io.no_rows", field="file")

    def close(self) -> None:
        self._sheets.close()

    def __enter__(self) -> SheetStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), read as they are needed."""
    found = iter(items)
    while batch := list(itertools.islice(found, size)):
        yield batch


def _unnamed_data(cells: list[str], named: list[bool]) -> list[int]:
    """Columns of the row with text under a blank header cell, or past the last one."""
    return [i for i, cell in enumerate(cells) if (i >= len(named) or not named[i]) and cell.strip()]


def read_table(path: Path, columns: Columns, sheet: str | None = None) -> Table:
    """The sheet and header row of an import, and all its data rows (see SheetStream): in the
    first rows of each sheet (or of `sheet`), the first row naming every required column.
    Title lines and empty rows above it are skipped, and an instructions sheet before it.
    Without one, the likeliest row is taken and its problems are reported, as row N of the
    sheet."""
    with SheetStream(path, columns, sheet) as stream:
        rows = sorted(stream.entries(), key=lambda entry: entry[0])
        return Table(stream.header, rows, stream.layout)


def _find_header(
    sheets: Iterable[Sheet], columns: Columns, wanted: str | None, path: Path
) -> tuple[Sheet, int, list[list[str]]]:
    """The sheet, the index of its header row, and its rows read so far (from the first)."""
    likeliest: tuple[int, Sheet, int, list[list[str]]] | None = None  # names, sheet, row, rows
    names = []
    for sheet in sheets:
        names.append(sheet.name)
        if wanted is not None and not _same_name(sheet.name, wanted):
            continue
        head = list(itertools.islice(sheet.rows, HEADER_SEARCH_ROWS))
        for at, row in enumerate(head):
            named = columns.fields_named(row)
            if set(columns.required) <= named:
                return sheet, at, head
            first_text = likeliest is None and not blank(row)
            if first_text or (likeliest is not None and len(named) > likeliest[0]):
                likeliest = (len(named), sheet, at, head)
    if wanted is not None and not any(_same_name(n, wanted) for n in names):
        shown = "、".join(names)
        raise UserError("seeker_io.no_sheet", field="sheet", sheet=wanted, sheets=shown)
    if likeliest is None:
        raise UserError("seeker_io.empty", field="file", path=str(path))
    _, sheet, at, head = likeliest  # its header has problems: every row, to report them all
    return sheet, at, head + list(sheet.rows)


def _same_name(name: str, wanted: str) -> bool:
    return name == wanted or name.strip().casefold() == wanted.strip().casefold()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The first sheet as it is: its first row and the rows below it, as text."""
    path = Path(path)
    check_source(path)
    sheets = read_sheets(path)
    try:
        first = next(sheets, None)
        rows = list(first.rows) if first is not None else []
    finally:
        sheets.close()
    if not rows:
        raise UserError("seeker_io.empty", field="file", path=str(path))
    return [c.strip() for c in rows[0]], rows[1:]


def blank(cells: Sequence[str]) -> bool:
    """No text in the row; a formula saved without its value is not blank (see read_table)."""
    return not any(isinstance(c, Uncalculated) or c.strip() for c in cells)


# --- values --------------------------------------------------------------------------------


def cell_value(cell: str) -> str:
    """A cell as every import reads it: full-width digits and letters folded (NFKC), spaces
    and non-breaking spaces trimmed, and a leading apostrophe dropped, the spreadsheet's
    mark for "this is text" ('440703…) that a CSV keeps as a character."""
    if cell.__class__ is not str and isinstance(cell, LossyNumber | Uncalculated):
        return cell  # marked cells are reported as they are (cell_problems)
    text = unicodedata.normalize("NFKC", cell).strip()
    return text[1:].strip() if text.startswith(("'", "‘", "’")) else text


def row_values(cells: Sequence[str], layout: Layout) -> dict[str, str]:
    """Field -> value of one row, for the columns that hold a field."""
    return {
        name: cell_value(cells[i])
        for i, name in enumerate(layout.fields)
        if name and name != REASON and i < len(cells)
    }


def cell_problems(values: dict[str, str]) -> list[UserError]:
    """What is wrong with cells before their field's rule can read them; a row with any of
    these gets only these, since the rules would only repeat them."""
    plain = "".join(values.values())  # the text rule is about single characters
    if (
        len(plain) <= MAX_CELL_CHARS
        and first_bad(plain) is None
        and all(v.__class__ is str for v in values.values())
    ):
        return []  # nearly every row: one search instead of one per cell
    found = []
    for name, value in values.items():
        if isinstance(value, LossyNumber):
            found.append(UserError("seeker_io.number_lost", field=name))
        elif isinstance(value, Uncalculated):
            found.append(UserError("seeker_io.uncalculated", field=name))
        elif len(value) > MAX_CELL_CHARS:
            found.append(UserError("seeker_io.cell_too_long", field=name, limit=MAX_CELL_CHARS))
    flagged = {e.field for e in found}
    return found + check_cells({k: v for k, v in values.items() if k not in flagged})


@functools.lru_cache(maxsize=1024)
def cell_day(text: str, field: str) -> date | None:
    """A date cell: written any way people write dates (domain/dates.py), or the day number
    Excel stores a date as, when a date cell reaches a CSV or loses its format. Worked out
    once per text: a sheet's rows share a few days (a refusal is not kept, it is raised)."""
    if not text:
        return None
    serial = SERIAL_DAY.fullmatch(text.strip())
    if serial and SERIAL_RANGE[0] <= int(serial[1]) <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + timedelta(days=int(serial[1]))
    return parse_day(text, field)


# --- rejects --------------------------------------------------------------------------


def rejects_target(source: Path, rejects: Path | None) -> Path | None:
    """A rejects file is new and has the input's format, so it can be fixed and re-imported."""
    if rejects is None:
        return None
    rejects = Path(rejects)
    check_target(rejects)
    suffix = ".xlsx" if source.suffix.lower() == ".xls" else source.suffix.lower()
    if rejects.suffix.lower() != suffix:  # an .xls cannot be written: its rejects are .xlsx
        raise UserError("seeker_io.rejects_format", field="output", suffix=suffix)
    return rejects


def rejects_table(
    header: list[str], layout: Layout, bad: Sequence[BadRow]
) -> tuple[list[str], list[list[object]]]:
    """The rejected rows as they were, with the reasons in a last column; ID numbers,
    phones and addresses masked as in every export (the rows stay findable by name and reason)."""
    if REASON in layout.fields:  # a rejects file imported again: refresh its reasons
        at = layout.fields.index(REASON)
        header = header[:at] + header[at + 1 :]
    else:
        at = None
    label = "原因" if layout.chinese else "reason"
    table: list[list[object]] = []
    for row in bad:
        cells = list(row.cells) + [""] * (len(layout.fields) - len(row.cells))
        cells = [_masked(layout, i, c) for i, c in enumerate(cells)]
        if at is not None:
            del cells[at]
        reasons = " ".join(
            t("seeker_io.reason_item", column=p.column, reason=p.reason) for p in row.problems
        )
        table.append([*cells[: len(header)], reasons])
    return [*header, label], table


def _mask_phone(text: str) -> str:
    """As written (+86 139 0013 9001) or as stored, a mobile shows as 139****9001."""
    try:
        return mask_phone(clean_phone(text))
    except UserError:
        return mask_phone(text)


MASKS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id,
    "phone": _mask_phone,
    "address": mask_address,
}


def _masked(layout: Layout, index: int, cell: str) -> str:
    name = layout.fields[index] if index < len(layout.fields) else None
    mask = MASKS.get(name or "")
    return mask(cell_value(cell)) if mask and cell.strip() else cell


class PendingRejects:
    """A rejects file made before it is published inside the transaction, so it appears only
    when the rows it leaves out were really left out (the others committed).

        with PendingRejects(target, header, layout, bad) as pending:
            with writing(engine) as s:
                ...  # the good rows
                pending.publish()
        pending.path  # the published file, or None

    An import that learns its bad rows as it goes gives them to `make` later instead.
    """

    def __init__(
        self,
        target: Path | None,
        header: list[str] | None = None,
        layout: Layout | None = None,
        bad: Sequence[BadRow] = (),
    ) -> None:
        self.target = target
        self.made: Path | None = None
        self.path: Path | None = None
        if header is not None and layout is not None:
            self.make(header, layout, bad)

    def make(self, header: list[str], layout: Layout, bad: Sequence[BadRow]) -> None:
        if bad and self.target is not None:
            self.made = write_tmp(
                self.target, *rejects_table(header, layout, bad), guard_formulas=True
            )

    def publish(self) -> None:
        if self.made is not None and self.target is not None:
            publish(self.made, self.target)
            self.path = self.target

    def __enter__(self) -> PendingRejects:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None and self.path is not None:  # the commit failed after publishing
            self.path.unlink(missing_ok=True)
            self.path = None
        if self.made is not None:
            self.made.unlink(missing_ok=True)


# --- writing files ---------------------------------------------------------------------


def check_target(path: Path) -> None:
    """An output file: a known format, a folder that exists, and nothing overwritten."""
    if path.suffix.lower() not in OUTPUT_FORMATS:
        formats = " ".join(OUTPUT_FORMATS)
        raise UserError("seeker_io.format", field="output", path=str(path), formats=formats)
    if path.exists():
        raise UserError("seeker_io.exists", field="output", path=str(path))
    if not path.parent.is_dir():
        raise UserError("seeker_io.no_folder", field="output", path=str(path.parent))


def write_tmp(
    path: Path, header: list[str], rows: list[list[object]], *, guard_formulas: bool
) -> Path:
    """Write beside the target first, so a failure never leaves a half-written file."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    try:
        if path.suffix.lower() == ".csv":
            write_csv(tmp, header, rows, guard_formulas)
        else:
            write_xlsx(tmp, header, rows)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            "seeker_io.cannot_write", field="output", path=str(path), reason=exc.strerror
        ) from exc
    return tmp


def export_audited(
    engine: Engine,
    path: Path,
    header: list[str],
    rows: list[list[object]],
    *,
    guard_formulas: bool,
    site_code: str,
    action: str,
    staff_id: uuid.UUID | None,
    detail: str,
    at: datetime,
) -> None:
    """Write beside the target, then add the audit row and publish in one transaction: no
    file without its audit row, no audit row without its file."""
    tmp = write_tmp(path, header, rows, guard_formulas=guard_formulas)
    try:
        with writing(engine) as s:
            record(s, site_code, action, staff_id=staff_id, detail=detail, at=at)
            publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def publish(tmp: Path, path: Path) -> None:
    if path.exists():  # made while we were writing: still never overwrite
        raise UserError("seeker_io.exists", field="output", path=str(path))
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(
            "seeker_io.cannot_write", field="output", path=str(path), reason=exc.strerror
        ) from exc


def write_csv(path: Path, header: list[str], rows: list[list[object]], guard: bool) -> None:
    # UTF-8 with a BOM: Excel on Chinese Windows otherwise reads the file as GBK.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for row in rows:
            out.writerow([csv_text(v, guard) for v in row])


def csv_text(value: object, guard: bool) -> str:
    text = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    if guard and text.startswith(FORMULA_START):
        return "'" + text  # a typed "=..." must not become a formula when Excel opens it
    return text


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()

    def cell(value: object) -> WriteOnlyCell:
        if isinstance(value, str):  # a character an XLSX cannot hold would stop the export
            value = XLSX_ILLEGAL.sub("\ufffd", value)
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            made.data_type = "s"  # text stays text: no formula, ID numbers keep every digit
        elif isinstance(value, date):
            made.number_format = "yyyy-mm-dd"
        return made

    sheet.append([cell(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    book.save(path)
