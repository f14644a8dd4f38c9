"""The day's X or Z report as a 58 mm receipt and as a spreadsheet.

Both take a `DayReport` from services/closeout.py and only lay it out: no figure is
computed here except sums of figures already on the report. Labels follow the current
language (`frontdesk.i18n`).

Text layout and file writing come from services/printout.py (shared with pay slips).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.cells import cell_len

from frontdesk.domain.clock import local_time
from frontdesk.domain.money import METHODS, fmt_fen, percent_text, yuan
from frontdesk.errors import UserError
from frontdesk.i18n import t
from frontdesk.services.closeout import AdjustmentLine, DayReport
from frontdesk.services.closeout_bills import MOBILE, Reconciled
from frontdesk.services.printout import (
    INDENT,
    Row,
    center,
    check_width,
    framed,
    money,
    pair,
    shorten,
    wrap,
    write_sheet,
    write_text,
)

__all__ = ["receipt_text", "sheet_rows", "write_text", "write_xlsx", "yuan"]

RECEIPT_WIDTH = 32  # a 58 mm thermal printer: 32 half-width columns per line
HASH_CHARS = 16
SHEET_WIDTHS = (22, 14, 14, 14, 14, 30)


# --- receipt -----------------------------------------------------------------------------


def receipt_text(
    report: DayReport, width: int = RECEIPT_WIDTH, reprint_at: datetime | None = None
) -> str:
    """The X report (open day) or Z report (closed day) as plain text, `width` cells a line.

    The screen, the text file and the printer all show this. A Z report ends with lines for
    the clerk's and the manager's signatures; a reprint of one is marked 重印 at the top.
    """
    check_width(width, "receipt")
    blocks = [
        _heading(report, width, reprint_at),
        _methods(report, width),
        _totals(report, width),
        _shares(report, width),
        _adjustment_blocks(report, width),
        _reconciliation(report, width),
    ]
    closing = _closing(report, width)
    if closing:
        blocks.append(closing)
    if report.closed:
        blocks.append(signature_lines(width))
    return framed(blocks, width)


def signature_lines(width: int) -> list[str]:
    """Room to sign: a blank line, then the label and a rule to the end of the paper."""
    lines: list[str] = []
    for key in ("print.sign_clerk", "print.sign_manager"):
        label = shorten(t(key), width // 2)
        lines += ["", label + "_" * (width - cell_len(label))]
    return lines


def _heading(r: DayReport, width: int, reprint_at: datetime | None = None) -> list[str]:
    title = t("day_report.title_z" if r.closed else "day_report.title_x")
    mark = [center(t("print.reprint_mark", at=_local_minute(reprint_at)), width)]
    return [
        center(title, width),
        *(mark if reprint_at is not None else []),
        pair(t("day_report.site"), r.site, width),
        pair(t("day_report.date"), r.day.isoformat(), width),
        pair(t("day_report.status"), _status(r), width),
        pair(t("day_report.entries"), str(r.entries), width),
        *(pair(label, str(n), width) for label, n in _visits(r)),
        money(t("day_report.float"), r.opening_float_fen, width),
    ]


def _visits(r: DayReport) -> list[tuple[str, int]]:
    """A closed day's visits are those as of the close (its locked figure); those logged
    after the close are a line of their own, so the figure never changes."""
    if not r.closed:
        return [(t("day_report.walkins"), r.walkins)]
    found = [(t("day_report.walkins_at_close"), r.walkins)]
    if r.walkins_after_close:
        found.append((t("day_report.walkins_after"), r.walkins_after_close))
    return found


def _methods(r: DayReport, width: int) -> list[str]:
    """One block per method, all five always shown: a zero line is a checked figure too."""
    lines: list[str] = []
    for m in METHODS:
        lines.append(shorten(t(f"method.{m}"), width))
        lines.append(money(t("day_report.income"), r.income_by_method.get(m, 0), width, 1))
        lines.append(money(t("day_report.expected"), r.expected_fen.get(m, 0), width, 1))
        if r.counted_fen is not None and r.over_short_fen is not None:
            lines.append(money(t("day_report.counted"), r.counted_fen.get(m, 0), width, 1))
            diff = r.over_short_fen.get(m, 0)
            lines.append(pair(INDENT + t("day_report.difference"), _signed(diff), width))
    if r.opening_float_fen:
        lines.extend(wrap(t("day_report.cash_has_float"), width))
    return lines


def _totals(r: DayReport, width: int) -> list[str]:
    lines = [money(t("day_report.income_total"), r.income_fen, width)]
    for line in r.after_close:  # in the total: money taken after an earlier day's close
        label = t("day_report.after_close", date=line.visit_day.isoformat(), count=line.entries)
        lines.extend(wrap(label, width, INDENT))
        lines.append(money(INDENT + t("day_report.after_close_amount"), line.amount_fen, width))
    if r.over_short_fen is not None:
        # 长缴短补，不得以长补短: two lines, never one net figure.
        lines.append(pair(t("day_report.over_total"), _signed(r.over_fen), width))
        lines.append(pair(t("day_report.short_total"), _signed(r.short_fen), width))
        lines.extend(wrap(t("day_report.never_netted"), width))
    return lines


def _shares(r: DayReport, width: int) -> list[str]:
    lines = [shorten(t("day_report.partners"), width)]
    for p in r.partners:
        lines.append(shorten(p.partner, width))  # a whole line: names differ at the end
        lines.append(money(t("day_report.income"), p.income_fen, width, 1))
        lines.append(money(t("day_report.share"), p.share_fen, width, 1))
    if not r.partners:
        lines.append(shorten(INDENT + t("day_report.no_partners"), width))
    lines.append(money(t("day_report.partner_total"), r.partner_share_fen, width))
    lines.append(money(t("day_report.proceeds"), r.community_proceeds_fen, width))
    lines.append(money(t("day_report.rebate"), r.rebate_fen, width))
    lines.extend(wrap(rebate_rule(r), width, INDENT))
    lines.extend(wrap(t(f"day_report.rounding.{r.rounding}"), width))
    return lines


def _adjustment_blocks(r: DayReport, width: int) -> list[str]:
    lines = [shorten(t("day_report.adjustments_booked"), width)]
    lines += _adjustments(r.adjustments_booked, width, booked_here=True)
    lines.append(money(t("day_report.adjustments_total"), r.adjustments_fen, width))
    lines.append(shorten(t("day_report.adjustments_later"), width))
    lines += _adjustments(r.adjustments_later, width, booked_here=False)
    return lines


def _adjustments(items: list[AdjustmentLine], width: int, *, booked_here: bool) -> list[str]:
    """Booked today: which closed day each is for. For a closed day: when each was booked."""
    if not items:
        return [shorten(INDENT + t("day_report.none"), width)]
    lines: list[str] = []
    for a in items:
        when = (
            t("day_report.adjustment_for", date=a.closed_date.isoformat())
            if booked_here
            else t("day_report.adjustment_on", date=a.booked_date.isoformat())
        )
        lines.append(money(when, a.amount_fen, width, 1))
        lines.append(shorten(f"{INDENT * 2}{t(f'method.{a.method}')} · {a.reason}", width))
    return lines


def _reconciliation(r: DayReport, width: int) -> list[str]:
    """Each mobile method against its bill; one without a bill is said not reconciled."""
    lines = [shorten(t("day_report.reconciliation"), width)]
    for m in MOBILE:
        lines.append(shorten(t(f"method.{m}"), width))
        found = r.reconciled.get(m)
        if found is None:
            lines.append(shorten(INDENT + t("day_report.not_reconciled"), width))
            continue
        lines.append(money(t("day_report.bill_total"), found.bill_fen, width, 1))
        lines += _reconciled_counts(found, width)
    return lines


def _reconciled_counts(found: Reconciled, width: int) -> list[str]:
    lines = [money(t("day_report.matched", count=found.matched), found.matched_fen, width, 1)]
    if found.balanced:
        return [*lines, shorten(INDENT + t("day_report.balanced"), width)]
    if found.unmatched_entries:
        label = t("day_report.no_bill_line", count=found.unmatched_entries)
        lines.append(money(label, found.unmatched_entries_fen, width, 1))
    if found.unmatched_bill_lines:
        label = t("day_report.no_entry", count=found.unmatched_bill_lines)
        lines.append(money(label, found.unmatched_bill_lines_fen, width, 1))
    if found.keyed_as_cash:
        lines.extend(wrap(t("day_report.keyed_as_cash", count=found.keyed_as_cash), width, INDENT))
    return lines


def _closing(r: DayReport, width: int) -> list[str]:
    lines: list[str] = []
    if r.note:
        lines.extend(wrap(t("day_report.note", note=r.note), width))
    if r.closed and r.hash:
        lines.append(pair(t("day_report.hash"), r.hash[:HASH_CHARS], width))
    return lines


def rebate_rule(r: DayReport) -> str:
    """'按社区收益的 20%': the rate from basis points, exactly (2000 -> 20, 1250 -> 12.5)."""
    rate = percent_text(r.rebate_rate_bp).removesuffix("%")
    return t("day_report.rebate_rule", rate=rate, base=t(f"day_report.base.{r.rebate_base}"))


# --- small pieces ------------------------------------------------------------------------------


def _signed(fen: int) -> str:
    """An over shows '+': on paper a lone '¥5.00' beside 长短款 would not say which way."""
    return f"+{fmt_fen(fen)}" if fen > 0 else fmt_fen(fen)


def _status(r: DayReport) -> str:
    if r.closed:
        return t("day_report.closed_at", at=_local_minute(r.closed_at))
    return t("day_report.open")


def _local_minute(at: datetime | None) -> str:
    return local_time(at).strftime("%Y-%m-%d %H:%M") if at else ""


# --- spreadsheet ------------------------------------------------------------------------------


def write_xlsx(report: DayReport, path: Path) -> None:
    """The report's figures in one sheet; amounts are numbers in yuan shown as 0.00.

    Never overwrites: the target is checked first, the sheet written beside it, and moved
    into place only if nothing has appeared there meanwhile (seeker_io's export rules).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("day_report.xlsx_suffix", field="output", path=str(path))
    write_sheet(sheet_rows(report), path, t("day_report.sheet"), SHEET_WIDTHS)


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
        [],
        *_sheet_reconciliation(r),
    ]


def _sheet_heading(r: DayReport) -> list[Row]:
    status = _status(r)
    rows: list[Row] = [
        [t("day_report.title_z" if r.closed else "day_report.title_x")],
        [t("day_report.site"), r.site],
        [t("day_report.date"), r.day],
        [t("day_report.status"), status],
        [t("day_report.entries"), r.entries],
    ]
    rows += [[label, n] for label, n in _visits(r)]
    rows += [
        [t("day_report.float"), yuan(r.opening_float_fen)],
    ]
    if r.closed:
        rows.append([t("day_report.hash"), r.hash])
    if r.note:
        rows.append([t("day_report.note_label"), r.note])
    return rows


def _sheet_methods(r: DayReport) -> list[Row]:
    closed = r.counted_fen is not None and r.over_short_fen is not None
    counted, over_short = r.counted_fen or {}, r.over_short_fen or {}  # read only when closed
    head: Row = [t("day_report.method"), t("day_report.income"), t("day_report.expected")]
    if closed:
        head += [t("day_report.counted"), t("day_report.difference")]
    rows = [head]
    for m in METHODS:
        row: Row = [t(f"method.{m}"), yuan(r.income_by_method.get(m, 0))]
        row.append(yuan(r.expected_fen.get(m, 0)))
        if closed:
            row += [yuan(counted.get(m, 0)), yuan(over_short.get(m, 0))]
        rows.append(row)
    total: Row = [t("day_report.total"), yuan(r.income_fen), yuan(sum(r.expected_fen.values()))]
    if closed:
        total.append(yuan(sum(counted.values())))  # no net difference: never netted
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


def _sheet_reconciliation(r: DayReport) -> list[Row]:
    """One row per figure, labelled with its method (a method's name alone heads its row
    in the methods table above)."""
    rows: list[Row] = [[t("day_report.reconciliation")]]
    rows.append([t("day_report.item"), t("day_report.count"), t("day_report.amount_yuan")])
    for m in MOBILE:
        method, found = t(f"method.{m}"), r.reconciled.get(m)
        if found is None:
            rows.append([f"{method} {t('day_report.not_reconciled')}"])
            continue
        rows.append([f"{method} {t('day_report.bill_total')}", None, yuan(found.bill_fen)])
        rows += [
            [f"{method} {t(key)}", n, yuan(fen)]
            for key, n, fen in (
                ("day_report.matched_label", found.matched, found.matched_fen),
                (
                    "day_report.no_bill_line_label",
                    found.unmatched_entries,
                    found.unmatched_entries_fen,
                ),
                (
                    "day_report.no_entry_label",
                    found.unmatched_bill_lines,
                    found.unmatched_bill_lines_fen,
                ),
            )
        ]
    return rows
