"""Reading a payment platform's bill: a CSV, a ZIP of CSVs or a workbook, found by its header.

The platforms change their preamble lines often (the WeChat personal bill's header moved
down a line in 2026), so nothing here counts lines: the table starts at the first row whose
cells name a known layout (frontdesk/services/bill_layouts.py) and ends at the first empty
row, `#` comment line, dashed rule or summary block (总交易单数). A file that is not a bill we
know is refused in words naming what is accepted; nothing is guessed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from frontdesk.errors import UserError
from frontdesk.services.bill_layouts import (
    BadCell,
    BillLine,
    Layout,
    account_in_preamble,
    account_of,
    clean,
    key,
    layout_of,
)
from frontdesk.services.sheet_files import TEXT_ENCODINGS, allow_long_cells

MAX_BILL_BYTES = 20 * 1024 * 1024  # a busy merchant's day is well under a MiB
MAX_BILL_TEXT = "20 MiB"
HEADER_SEARCH_ROWS = 60  # the preambles run to about 25 lines
TABLE_ENDS = ("#", "-", "总交易单数", "总交易笔数")


@dataclass(frozen=True)
class Bill:
    layout: str  # wechat_merchant, alipay_merchant, wechat_personal, alipay_personal
    method: str  # wechat or alipay
    lines: tuple[BillLine, ...]
    digest: str  # SHA-256 of the file: the same bill read twice is known as such
    skipped: int  # rows of the table that are not money taken or given back
    # The merchant numbers or account names the file names (its preamble, its rows' 商户号):
    # a bill of another merchant or of someone's own account is told apart by these.
    accounts: frozenset[str] = frozenset()

    def days(self) -> set[date]:
        return {line.at.date() for line in self.lines}

    def on(self, day: date) -> list[BillLine]:
        return [line for line in self.lines if line.at.date() == day]


def read_bill(path: Path) -> Bill:
    """The bill in this file, or a UserError (field "bill") saying why it cannot be one."""
    data = _bytes_of(path)
    digest = hashlib.sha256(data).hexdigest()
    for table in _tables(path, data):
        found = _bill_in(path, table, digest)
        if found is not None:
            return found
    raise UserError("bills.unknown", field="bill", path=str(path))


def _bytes_of(path: Path) -> bytes:
    if not path.is_file():
        raise UserError("bills.no_file", field="bill", path=str(path))
    if path.stat().st_size > MAX_BILL_BYTES:
        raise UserError("bills.too_large", field="bill", path=str(path), limit=MAX_BILL_TEXT)
    data = path.read_bytes()
    if not data.strip():
        raise UserError("bills.empty", field="bill", path=str(path))
    return data


# --- the file's tables -------------------------------------------------------------------------


def _tables(path: Path, data: bytes) -> Iterator[list[list[str]]]:
    """Every table the file holds: the CSV, each CSV of a ZIP, or each sheet of a workbook."""
    if not data.startswith(b"PK\x03\x04"):
        yield _csv_rows(path, data)
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:  # an XLSX workbook is a ZIP too
                yield from _sheets(data)
                return
            # The summary (汇总) member may come first; every CSV member is tried.
            for name in names:
                if name.lower().endswith(".csv"):
                    yield _csv_rows(path, archive.read(name))
    except UserError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError) as exc:
        # A truncated download fails in the ZIP directory, a member or the workbook's XML.
        raise UserError(
            "bills.damaged", field="bill", path=str(path), kind=type(exc).__name__
        ) from exc


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    for encoding in TEXT_ENCODINGS:  # GB18030 reads every GBK file the same
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        allow_long_cells()  # a cell over 128 KiB is read, not a crash in the csv module
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    raise UserError("bills.encoding", field="bill", path=str(path))


def _sheets(data: bytes) -> Iterator[list[list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    from datetime import datetime

    if value is None:
        return ""
    if isinstance(value, datetime):  # a time typed as a date cell keeps its time
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


# --- the bill in a table -----------------------------------------------------------------------


def _bill_in(path: Path, rows: list[list[str]], digest: str) -> Bill | None:
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        layout = layout_of(row)
        if layout is not None:
            lines, skipped, accounts = _lines(path, layout, row, rows, at + 1)
            accounts |= {account_in_preamble(cells) for cells in rows[:at]} - {""}
            return Bill(
                layout.name, layout.method, tuple(lines), digest, skipped, frozenset(accounts)
            )
    return None


def _lines(
    path: Path, layout: Layout, header: list[str], rows: list[list[str]], start: int
) -> tuple[list[BillLine], int, set[str]]:
    names = [key(label) for label in header]
    lines: list[BillLine] = []
    skipped = 0
    accounts: set[str] = set()
    for number, row in _table_rows(rows, start):
        cells = dict(zip(names, row, strict=False))
        if layout.account_columns:
            accounts.add(account_of(layout, cells))
        try:
            line = layout.line(cells)
        except BadCell as bad:
            raise UserError(
                "bills.bad_cell",
                field="bill",
                path=str(path),
                row=number,
                column=bad.column,
                value=bad.value[:40],
            ) from None
        if line is None:
            skipped += 1
        else:
            lines.append(line)
    if not lines and not skipped:
        raise UserError("bills.no_lines", field="bill", path=str(path))
    return lines, skipped, accounts - {""}


def _table_rows(rows: list[list[str]], start: int) -> Iterable[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cells) until the table ends."""
    for index in range(start, len(rows)):
        row = rows[index]
        first = clean(row[0]) if row else ""
        if not any(c.strip() for c in row) or first.startswith(TABLE_ENDS):
            return
        yield index + 1, row
