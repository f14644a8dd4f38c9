"""Spreadsheets in and out, the same way for every import and export: CSV (UTF-8 or GB18030)
and XLSX read as the text a person sees, header names mapped to fields, every problem
reported by row and column, and files written beside their target and then published, so a
failure never leaves a half-written file and nothing is ever overwritten.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from frontdesk.errors import UserError
from frontdesk.i18n import t

FORMATS = (".csv", ".xlsx")
REASON = "reason"  # the column a rejects file adds; accepted, and ignored, on re-import
REASON_NAMES = ("reason", "原因")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXACT_DIGITS = 10**15  # Excel keeps 15 significant digits: a longer number lost its tail
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


class LossyNumber(str):
    """Digits of a numeric cell too long for Excel to have kept exactly (an 18-digit ID)."""


@dataclass(frozen=True)
class Problem:
    """Why one cell (or the header, row 1) cannot be imported; row numbers as in the sheet."""

    row: int
    column: str
    error: UserError

    @property
    def reason(self) -> str:
        return self.error.message()

    def line(self) -> str:
        return t("seeker_io.problem", row=self.row, column=self.column, reason=self.reason)


class ImportRejected(UserError):
    """The file has problems and nothing was written; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        rows = len({p.row for p in problems})
        super().__init__("seeker_io.rejected", rows=rows, problems=len(problems))
        self.problems = problems

    def report(self) -> list[str]:
        return [p.line() for p in self.problems] + [self.message()]


@dataclass(frozen=True)
class ImportResult:
    imported: int
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects: Path | None = None


@dataclass(frozen=True)
class Layout:
    """What each column of the file holds: a field name, REASON, or None (blank, unused)."""

    fields: list[str | None]
    labels: dict[str, str]  # field -> the header as written in the file
    chinese: bool  # the file names its columns in Chinese

    def position(self, name: str) -> int:
        return self.fields.index(name) if name in self.fields else len(self.fields)


class BadRow(Protocol):
    """A row that failed: its cells as read and its problems."""

    cells: list[str]
    problems: list[Problem]


# --- reading ---------------------------------------------------------------------------


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows as text; row i of `rows` is spreadsheet row i + 2."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError("seeker_io.format", field="file", path=str(path))
    if not path.is_file():
        raise UserError("seeker_io.no_file", field="file", path=str(path))
    table = read_csv(path) if suffix == ".csv" else read_xlsx(path)
    while table and not any(table[-1]):
        table.pop()  # trailing blank rows (XLSX sheets often carry formatted empty ones)
    if not table or not any(table[0]):
        raise UserError("seeker_io.empty", field="file", path=str(path))
    return [c.strip() for c in table[0]], table[1:]


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GB18030
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    raise UserError("seeker_io.encoding", field="file", path=str(path))


def read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with path.open("rb") as fh:
            book = load_workbook(fh, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [[cell_text(v) for v in r] for r in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
    except Exception as exc:  # a damaged workbook fails in many ways (zip, XML, styles)
        raise UserError(
            "seeker_io.unreadable", field="file", path=str(path), reason=str(exc)
        ) from exc


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 13800138000, not 13800138000.0 or 1.38e10."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        shown = Decimal(repr(value))  # the shortest decimal that is this float, as Excel shows
        if not value.is_integer():
            return format(shown, "f")
        digits = str(int(shown))
        return LossyNumber(digits) if abs(value) >= EXACT_DIGITS else digits
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def is_lossy_number(value: str) -> bool:
    """A numeric cell too long for Excel to have kept every digit of (see read_rows)."""
    return isinstance(value, LossyNumber)


# --- header ----------------------------------------------------------------------------


def map_header(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    columns: dict[str, str],
    required: Sequence[str],
    unknown_code: str = "seeker_io.unknown_column",
) -> Layout:
    """Which field each column holds; every header problem at once, as row 1.

    `columns` maps each field to its Chinese header; English or Chinese names are accepted,
    and the reason column of a rejects file is taken and ignored.
    """
    known = {n: en for en, zh in columns.items() for n in (en, zh)}
    known.update(dict.fromkeys(REASON_NAMES, REASON))
    problems: list[Problem] = []
    fields: list[str | None] = []
    labels: dict[str, str] = {}
    for label in header:
        key = unicodedata.normalize("NFKC", label).strip()
        name = (known.get(key) or known.get(key.lower())) if key else None
        if key and name is None:
            problems.append(Problem(1, label, UserError(unknown_code)))
        elif name in labels:
            problems.append(Problem(1, label, UserError("seeker_io.duplicate_column")))
            name = None
        elif name is not None:
            labels[name] = label
        fields.append(name)
    problems += unnamed_columns(header, rows)
    chinese = any(CJK.search(label) for label in header)
    for name in required:
        if name not in labels:
            missing = UserError("seeker_io.missing_column")
            problems.append(Problem(1, columns[name] if chinese else name, missing))
    if problems:
        raise ImportRejected(problems)
    return Layout(fields, labels, chinese)


def unnamed_columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Problem]:
    """Data under a blank header cell (or past the last one) has no column name to go by."""
    width = max((len(r) for r in rows), default=0)
    found = []
    for index in range(width):
        if index < len(header) and header[index].strip():
            continue
        if any(index < len(r) and r[index].strip() for r in rows):
            column = t("seeker_io.column_number", number=index + 1)
            found.append(Problem(1, column, UserError("seeker_io.unnamed_column")))
    return found


# --- rejects --------------------------------------------------------------------------


def rejects_target(source: Path, rejects: Path | None) -> Path | None:
    """A rejects file is new and has the input's format, so it can be fixed and re-imported."""
    if rejects is None:
        return None
    rejects = Path(rejects)
    check_target(rejects)
    if rejects.suffix.lower() != source.suffix.lower():
        raise UserError("seeker_io.rejects_format", field="output", suffix=source.suffix.lower())
    return rejects


def rejects_table(
    header: list[str], layout: Layout, bad: Sequence[BadRow]
) -> tuple[list[str], list[list[object]]]:
    """The rejected rows as they were, with the reasons in a last column."""
    if REASON in layout.fields:  # a rejects file imported again: refresh its reasons
        at = layout.fields.index(REASON)
        header = header[:at] + header[at + 1 :]
    else:
        at = None
    label = "原因" if layout.chinese else "reason"
    table: list[list[object]] = []
    for row in bad:
        cells = list(row.cells) + [""] * (len(layout.fields) - len(row.cells))
        if at is not None:
            del cells[at]
        reasons = " ".join(
            t("seeker_io.reason_item", column=p.column, reason=p.reason) for p in row.problems
        )
        table.append([*cells[: len(header)], reasons])
    return [*header, label], table


class PendingRejects:
    """A rejects file made before the write lock and published inside the transaction, so it
    appears only when the rows it leaves out were really left out (the others committed).

        with PendingRejects(target, header, layout, bad) as pending:
            with writing(engine) as s:
                ...  # the good rows
                pending.publish()
        pending.path  # the published file, or None
    """

    def __init__(
        self, target: Path | None, header: list[str], layout: Layout, bad: Sequence[BadRow]
    ) -> None:
        self.target = target
        self.made = (
            write_tmp(target, *rejects_table(header, layout, bad), guard_formulas=False)
            if bad and target is not None
            else None
        )
        self.path: Path | None = None

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
    if path.suffix.lower() not in FORMATS:
        raise UserError("seeker_io.format", field="output", path=str(path))
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
