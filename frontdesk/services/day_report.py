"""The day's X or Z report as a 58 mm receipt and as a spreadsheet.

Both take a `DayReport` from services/closeout.py and only lay it out: no figure is
computed here except sums of figures already on the report. Labels follow the current
language (`frontdesk.i18n`).

Widths are terminal cells, not characters: a Chinese character takes two columns on a
receipt printer as on a terminal, so every measure goes through `rich.cells.cell_len`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len

from frontdesk.clock import local_time
from frontdesk.errors import UserError
from frontdesk.i18n import t
from frontdesk.money import fmt_fen
from frontdesk.services.closeout import AdjustmentLine, DayReport
from frontdesk.services.seeker_io import check_target, publish
from frontdesk.walkin_rules import METHODS

RECEIPT_WIDTH = 32  # a 58 mm thermal printer: 32 half-width columns per line
MIN_WIDTH = 24  # room for a short label beside the widest amount fmt_fen gives in practice
HASH_CHARS = 16
ELLIPSIS = "…"
INDENT = "  "


# --- receipt -----------------------------------------------------------------------------


def receipt_text(report: DayReport, width: int = RECEIPT_WIDTH) -> str:
    """The X report (open day) or Z report (closed day) as plain text, `width` cells a line."""
    if width < MIN_WIDTH:
        raise ValueError(f"a receipt needs at least {MIN_WIDTH} columns")
    rule = "-" * width
    blocks = [
        _heading(report, width),
        _methods(report, width),
        _totals(report, width),
        _shares(report, width),
        _adjustment_blocks(report, width),
    ]
    closing = _closing(report, width)
    if closing:
        blocks.append(closing)
    lines = ["=" * width]
    for i, block in enumerate(blocks):
        if i:
            lines.append(rule)
        lines.extend(block)
    lines.append("=" * width)
    return "\n".join(lines) + "\n"


def _heading(r: DayReport, width: int) -> list[str]:
    title = t("day_report.title_z" if r.closed else "day_report.title_x")
    return [
        _center(title, width),
        _pair(t("day_report.site"), r.site, width),
        _pair(t("day_report.date"), r.day.isoformat(), width),
        _pair(t("day_report.status"), _status(r), width),
        _pair(t("day_report.entries"), str(r.entries), width),
        _pair(t("day_report.walkins"), str(r.walkins), width),
        _money(t("day_report.float"), r.opening_float_fen, width),
    ]


def _methods(r: DayReport, width: int) -> list[str]:
    """One block per method, all five always shown: a zero line is a checked figure too."""
    lines: list[str] = []
    for m in METHODS:
        lines.append(_shorten(t(f"method.{m}"), width))
        lines.append(_money(t("day_report.income"), r.income_by_method.get(m, 0), width, 1))
        lines.append(_money(t("day_report.expected"), r.expected_fen.get(m, 0), width, 1))
        if r.counted_fen is not None and r.over_short_fen is not None:
            lines.append(_money(t("day_report.counted"), r.counted_fen.get(m, 0), width, 1))
            diff = r.over_short_fen.get(m, 0)
            lines.append(_pair(INDENT + t("day_report.difference"), _signed(diff), width))
    if r.opening_float_fen:
        lines.extend(_wrap(t("day_report.cash_has_float"), width))
    return lines


def _totals(r: DayReport, width: int) -> list[str]:
    lines = [_money(t("day_report.income_total"), r.income_fen, width)]
    if r.over_short_fen is not None:
        # 长缴短补，不得以长补短: two lines, never one net figure.
        lines.append(_pair(t("day_report.over_total"), _signed(r.over_fen), width))
        lines.append(_pair(t("day_report.short_total"), _signed(r.short_fen), width))
        lines.extend(_wrap(t("day_report.never_netted"), width))
    return lines


def _shares(r: DayReport, width: int) -> list[str]:
    lines = [_shorten(t("day_report.partners"), width)]
    for p in r.partners:
        lines.append(_shorten(p.partner, width))  # a whole line: names differ at the end
        lines.append(_money(t("day_report.income"), p.income_fen, width, 1))
        lines.append(_money(t("day_report.share"), p.share_fen, width, 1))
    if not r.partners:
        lines.append(_shorten(INDENT + t("day_report.no_partners"), width))
    lines.append(_money(t("day_report.partner_total"), r.partner_share_fen, width))
    lines.append(_money(t("day_report.proceeds"), r.community_proceeds_fen, width))
    lines.append(_money(t("day_report.rebate"), r.rebate_fen, width))
    lines.extend(_wrap(rebate_rule(r), width, INDENT))
    lines.extend(_wrap(t(f"day_report.rounding.{r.rounding}"), width))
    return lines


def _adjustment_blocks(r: DayReport, width: int) -> list[str]:
    lines = [_shorten(t("day_report.adjustments_booked"), width)]
    lines += _adjustments(r.adjustments_booked, width, booked_here=True)
    lines.append(_money(t("day_report.adjustments_total"), r.adjustments_fen, width))
    lines.append(_shorten(t("day_report.adjustments_later"), width))
    lines += _adjustments(r.adjustments_later, width, booked_here=False)
    return lines


def _adjustments(items: list[AdjustmentLine], width: int, *, booked_here: bool) -> list[str]:
    """Booked today: which closed day each is for. For a closed day: when each was booked."""
    if not items:
        return [_shorten(INDENT + t("day_report.none"), width)]
    lines: list[str] = []
    for a in items:
        when = (
            t("day_report.adjustment_for", date=a.closed_date.isoformat())
            if booked_here
            else t("day_report.adjustment_on", date=a.booked_date.isoformat())
        )
        lines.append(_money(when, a.amount_fen, width, 1))
        lines.append(_shorten(f"{INDENT * 2}{t(f'method.{a.method}')} · {a.reason}", width))
    return lines


def _closing(r: DayReport, width: int) -> list[str]:
    lines: list[str] = []
    if r.note:
        lines.extend(_wrap(t("day_report.note", note=r.note), width))
    if r.closed and r.hash:
        lines.append(_pair(t("day_report.hash"), r.hash[:HASH_CHARS], width))
    return lines


def rebate_rule(r: DayReport) -> str:
    """'按社区收益的 20%': the rate from basis points, exactly (2000 -> 20, 1250 -> 12.5)."""
    rate = f"{Decimal(r.rebate_rate_bp) / 100:f}"
    if "." in rate:
        rate = rate.rstrip("0").rstrip(".")
    return t("day_report.rebate_rule", rate=rate, base=t(f"day_report.base.{r.rebate_base}"))


# --- fitting text into cells ------------------------------------------------------------------


def _money(label: str, fen: int, width: int, indent: int = 0) -> str:
    return _pair(INDENT * indent + label, fmt_fen(fen), width)


def _signed(fen: int) -> str:
    """An over shows '+': on paper a lone '¥5.00' beside 长短款 would not say which way."""
    return f"+{fmt_fen(fen)}" if fen > 0 else fmt_fen(fen)


def _pair(label: str, value: str, width: int) -> str:
    """Label on the left, value right-aligned; the label gives way when space runs out."""
    room = width - cell_len(value) - 1
    label = _shorten(label, room)
    return label + " " * (width - cell_len(label) - cell_len(value)) + value


def _center(text: str, width: int) -> str:
    text = _shorten(text, width)
    return " " * ((width - cell_len(text)) // 2) + text


def _shorten(text: str, limit: int) -> str:
    """At most `limit` cells, ending in '…' when something was cut."""
    if cell_len(text) <= limit:
        return text
    kept = ""
    for ch in text:
        if cell_len(kept + ch + ELLIPSIS) > limit:
            break
        kept += ch
    return kept + ELLIPSIS


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
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


def _status(r: DayReport) -> str:
    if r.closed:
        return t("day_report.closed_at", at=_local_minute(r.closed_at))
    return t("day_report.open")


def _local_minute(at: datetime | None) -> str:
    return local_time(at).strftime("%Y-%m-%d %H:%M") if at else ""


# --- spreadsheet ------------------------------------------------------------------------------

XLSX_MONEY = "0.00"
Row = list[object]


def yuan(fen: int) -> Decimal:
    """Integer fen as exact yuan: a shift of the decimal point, no division, no float."""
    return Decimal(fen).scaleb(-2)


def write_xlsx(report: DayReport, path: Path) -> None:
    """The report's figures in one sheet; amounts are numbers in yuan shown as 0.00.

    Never overwrites: the target is checked first, the sheet written beside it, and moved
    into place only if nothing has appeared there meanwhile (seeker_io's export rules).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("day_report.xlsx_suffix", field="output", path=str(path))
    check_target(path)  # exists, or no such folder: refused before anything is written
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    try:
        try:
            _save_book(report, tmp)
        except OSError as exc:
            raise _cannot_write(path, exc) from exc
        publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(text: str, path: Path) -> None:
    """The receipt or the JSON in a new UTF-8 file: written beside it, never overwriting."""
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
            raise _cannot_write(path, exc) from exc
        publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _cannot_write(path: Path, exc: OSError) -> UserError:
    return UserError("seeker_io.cannot_write", field="output", path=str(path), reason=exc.strerror)


def _save_book(report: DayReport, path: Path) -> None:
    from openpyxl import Workbook  # heavy: only when a sheet is asked for

    book = Workbook()
    sheet = book.active
    sheet.title = t("day_report.sheet")
    for row in sheet_rows(report):
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            _style(cell)
    for column, chars in zip("ABCDEF", (22, 14, 14, 14, 14, 30), strict=True):
        sheet.column_dimensions[column].width = chars
    book.save(path)


def _style(cell) -> None:
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"  # a partner name or reason starting with '=' stays text
    elif isinstance(value, Decimal):
        cell.number_format = XLSX_MONEY
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def sheet_rows(r: DayReport) -> list[Row]:
    """The sheet, row by row: labels are text, amounts Decimal yuan, counts int."""
    return [
        *_sheet_heading(r),
        [],
        *_sheet_methods(r),
        [],
        *_sheet_totals(r),
        [],
        *_sheet_partners(r),
        [],
        *_sheet_adjustments(t("day_report.adjustments_booked"), r.adjustments_booked),
        [t("day_report.adjustments_total"), None, None, yuan(r.adjustments_fen)],
        [],
        *_sheet_adjustments(t("day_report.adjustments_later"), r.adjustments_later),
    ]


def _sheet_heading(r: DayReport) -> list[Row]:
    status = _status(r)
    rows: list[Row] = [
        [t("day_report.title_z" if r.closed else "day_report.title_x")],
        [t("day_report.site"), r.site],
        [t("day_report.date"), r.day],
        [t("day_report.status"), status],
        [t("day_report.entries"), r.entries],
        [t("day_report.walkins"), r.walkins],
        [t("day_report.float"), yuan(r.opening_float_fen)],
    ]
    if r.closed:
        rows.append([t("day_report.hash"), r.hash])
    if r.note:
        rows.append([t("day_report.note_label"), r.note])
    return rows


def _sheet_methods(r: DayReport) -> list[Row]:
    closed = r.counted_fen is not None and r.over_short_fen is not None
    head: Row = [t("day_report.method"), t("day_report.income"), t("day_report.expected")]
    if closed:
        head += [t("day_report.counted"), t("day_report.difference")]
    rows = [head]
    for m in METHODS:
        row: Row = [t(f"method.{m}"), yuan(r.income_by_method.get(m, 0))]
        row.append(yuan(r.expected_fen.get(m, 0)))
        if closed:
            row += [yuan(r.counted_fen.get(m, 0)), yuan(r.over_short_fen.get(m, 0))]
        rows.append(row)
    total: Row = [t("day_report.total"), yuan(r.income_fen), yuan(sum(r.expected_fen.values()))]
    if closed:
        total.append(yuan(sum(r.counted_fen.values())))  # no net difference: never netted
    rows.append(total)
    return rows


def _sheet_totals(r: DayReport) -> list[Row]:
    rows: list[Row] = [
        [t("day_report.item"), t("day_report.amount_yuan")],
        [t("day_report.income_total"), yuan(r.income_fen)],
    ]
    if r.over_short_fen is not None:
        rows.append([t("day_report.over_total"), yuan(r.over_fen)])
        rows.append([t("day_report.short_total"), yuan(r.short_fen)])
    rows += [
        [t("day_report.partner_total"), yuan(r.partner_share_fen)],
        [t("day_report.proceeds"), yuan(r.community_proceeds_fen)],
        [t("day_report.rebate"), yuan(r.rebate_fen), rebate_rule(r)],
        [t("day_report.rounding"), t(f"day_report.rounding.{r.rounding}")],
    ]
    return rows


def _sheet_partners(r: DayReport) -> list[Row]:
    rows: list[Row] = [[t("day_report.partner"), t("day_report.income"), t("day_report.share")]]
    rows += [[p.partner, yuan(p.income_fen), yuan(p.share_fen)] for p in r.partners]
    return rows


def _sheet_adjustments(title: str, items: list[AdjustmentLine]) -> list[Row]:
    head: Row = [
        t("day_report.closed_date"),
        t("day_report.booked_date"),
        t("day_report.method"),
        t("day_report.amount_yuan"),
        t("day_report.reason"),
    ]
    rows: list[Row] = [[title], head]
    for a in items:
        method = t(f"method.{a.method}")
        rows.append([a.closed_date, a.booked_date, method, yuan(a.amount_fen), a.reason])
    return rows
