"""Receipt text and one-sheet spreadsheets: the layout the day report and pay slips share.

Widths are terminal cells, not characters: a Chinese character takes two columns on a
receipt printer as on a terminal, so every measure goes through `rich.cells.cell_len`.
Files are never overwritten: each is written beside its target and moved into place only
if nothing has appeared there meanwhile (seeker_io's export rules).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len

from frontdesk.domain.money import decimal_places, fmt_fen
from frontdesk.errors import UserError
from frontdesk.services.spreadsheets import check_target, publish

ELLIPSIS = "…"
INDENT = "  "
MIN_WIDTH = 24  # room for a short label beside the widest amount fmt_fen gives in practice
XLSX_MONEY = "0.00"
Row = list[object]


# --- fitting text into cells ------------------------------------------------------------------


def money(label: str, fen: int, width: int, indent: int = 0) -> str:
    return pair(INDENT * indent + label, fmt_fen(fen), width)


def pair(label: str, value: str, width: int) -> str:
    """Label on the left, value right-aligned; the label gives way when space runs out."""
    room = width - cell_len(value) - 1
    label = shorten(label, room)
    return label + " " * (width - cell_len(label) - cell_len(value)) + value


def labelled(label: str, value: str, width: int) -> list[str]:
    """Label and value on one line when they fit, else the value wrapped under its label:
    a long name is never cut."""
    if cell_len(label) + 1 + cell_len(value) <= width:
        return [pair(label, value, width)]
    return [shorten(label, width), *wrap(value, width, INDENT)]


def check_width(width: int, what: str) -> None:
    if width < MIN_WIDTH:
        raise ValueError(f"a {what} needs at least {MIN_WIDTH} columns")


def center(text: str, width: int) -> str:
    text = shorten(text, width)
    return " " * ((width - cell_len(text)) // 2) + text


def shorten(text: str, limit: int) -> str:
    """At most `limit` cells, ending in '…' when something was cut."""
    if cell_len(text) <= limit:
        return text
    kept = ""
    for ch in text:
        if cell_len(kept + ch + ELLIPSIS) > limit:
            break
        kept += ch
    return kept + ELLIPSIS


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy wrap by cells: Chinese breaks between characters, English between words."""
    limit = width - cell_len(indent)
    lines: list[str] = []
    line = ""
    for word in _words(text):
        if word.isspace():
            line += " " if line else ""
            continue
        if line.strip() and cell_len(line + word) > limit:
            lines.append(line.rstrip())
            line = ""
        while cell_len(line + word) > limit:  # one word wider than a line: it must be cut
            head = _head(word, limit)
            lines.append(head)
            word = word[len(head) :]
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return [indent + line for line in lines]


def _words(text: str) -> Iterable[str]:
    """Spaces, single wide characters, and runs of narrow non-space characters."""
    run = ""
    for ch in text:
        if ch.isspace() or cell_len(ch) > 1:
            if run:
                yield run
                run = ""
            yield ch
        else:
            run += ch
    if run:
        yield run


def _head(text: str, limit: int) -> str:
    """The longest start of `text` that fits in `limit` cells (at least one character)."""
    kept = text[0]
    for ch in text[1:]:
        if cell_len(kept + ch) > limit:
            break
        kept += ch
    return kept


def framed(blocks: Sequence[list[str]], width: int) -> str:
    """Blocks between '=' rules, parted by '-' rules, one line per item, ending in a newline."""
    lines = ["=" * width]
    for i, block in enumerate(blocks):
        if i:
            lines.append("-" * width)
        lines.extend(block)
    lines.append("=" * width)
    return "\n".join(lines) + "\n"


# --- files ------------------------------------------------------------------------------------


def write_text(text: str, path: Path) -> None:
    """Text in a new UTF-8 file: written beside it, never overwriting."""
    path = Path(path)
    if path.exists():
        raise UserError("seeker_io.exists", field="output", path=str(path))
    if not path.parent.is_dir():
        raise UserError("seeker_io.no_folder", field="output", path=str(path.parent))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        try:
            tmp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_sheet(rows: list[Row], path: Path, title: str, widths: Sequence[int]) -> None:
    """Rows in one sheet: text stays text, Decimal yuan shown as 0.00, dates as dates.

    `path` must end in .xlsx (callers say so in their own words first); never overwritten.
    """
    path = Path(path)
    check_target(path)  # exists, or no such folder: refused before anything is written
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    try:
        try:
            _save_book(rows, tmp, title, widths)
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def cannot_write(path: Path, exc: OSError) -> UserError:
    return UserError("seeker_io.cannot_write", field="output", path=str(path), reason=exc.strerror)


def _save_book(rows: list[Row], path: Path, title: str, widths: Sequence[int]) -> None:
    from openpyxl import Workbook  # heavy: only when a sheet is asked for
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            _style(cell)
    for i, chars in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = chars
    book.save(path)


def _style(cell) -> None:
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"  # a name or reason starting with '=' stays text
    elif isinstance(value, Decimal):
        # Yuan show two decimals; an exact piece rate (0.0355) shows every decimal it has.
        extra = max(0, decimal_places(value) - 2)
        cell.number_format = XLSX_MONEY + "#" * extra
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
